// Command pulumi-language-python is a small Python language host for the Pulumi engine.
//
// It runs a Pulumi Python program the way the official host does: through the
// pulumi-language-python-exec script shipped with the Pulumi SDK, with the project's
// virtualenv (runtime option `virtualenv`) when one is configured.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "3.274.1"

// bailExitCode is what the exec script exits with after printing a user-actionable error.
const bailExitCode = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	execScript    string
}

func main() {
	var engine string
	for _, arg := range os.Args[1:] {
		if !strings.HasPrefix(arg, "-") {
			engine = arg
		}
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot locate myself: %v\n", err)
		os.Exit(1)
	}
	h := &host{engineAddress: engine, execScript: filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not start the language host: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if engine != "" {
		// Exit when the engine goes away (for example, `pulumi` was killed), like Pulumi's own plugins.
		ctx, cancel := context.WithCancel(context.Background())
		if err := rpcutil.Healthcheck(ctx, engine, 5*time.Second, cancel); err == nil {
			go func() {
				<-ctx.Done()
				os.Exit(0)
			}()
		}
	}
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "language host stopped: %v\n", err)
		os.Exit(1)
	}
}

// python picks the interpreter: the project's virtualenv when configured, else python3 on PATH.
func python(info *pulumirpc.ProgramInfo) (string, []string) {
	env := os.Environ()
	if info != nil && info.Options != nil {
		if venv, ok := info.Options.AsMap()["virtualenv"].(string); ok && venv != "" {
			if !filepath.IsAbs(venv) {
				venv = filepath.Join(info.RootDirectory, venv)
			}
			bin := filepath.Join(venv, "bin")
			env = append(env, "VIRTUAL_ENV="+venv, "PULUMI_RUNTIME_VIRTUALENV="+venv,
				"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			return filepath.Join(bin, "python"), env
		}
	}
	if cmd := os.Getenv("PULUMI_PYTHON_CMD"); cmd != "" {
		return cmd, env
	}
	return "python3", env
}

func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.EngineAddress != "" {
		h.engineAddress = req.EngineAddress
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(ctx context.Context, _ *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) GetRequiredPlugins(ctx context.Context, _ *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(ctx context.Context, _ *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetProgramDependencies(ctx context.Context, _ *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) RuntimeOptionsPrompts(ctx context.Context, _ *pulumirpc.RuntimeOptionsRequest) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]) error {
	return nil // dependencies are installed by the project's setup
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	py, env := python(req.Info)
	cmd := exec.CommandContext(ctx, py, "--version")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("running %s --version: %w", py, err)
	}
	return &pulumirpc.AboutResponse{Executable: py, Version: strings.TrimPrefix(strings.TrimSpace(string(out)), "Python ")}, nil
}

// Run executes the program through the SDK's exec script and reports its outcome.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	py, env := python(req.Info)
	program := req.Program
	root := req.Pwd
	if req.Info != nil {
		root = req.Info.RootDirectory
		program = req.Info.ProgramDirectory
		if req.Info.EntryPoint != "" && req.Info.EntryPoint != "." {
			program = filepath.Join(req.Info.ProgramDirectory, req.Info.EntryPoint)
		}
	}
	args := []string{"-u", h.execScript,
		"--monitor", req.MonitorAddress,
		"--engine", h.engineAddress,
		"--project", req.Project,
		"--stack", req.Stack,
		"--pwd", req.Pwd,
		"--dry_run", strconv.FormatBool(req.DryRun),
		"--parallel", strconv.Itoa(int(req.Parallel)),
		"--organization", req.Organization,
		"--root_directory", root,
		program}
	args = append(args, req.Args...)

	config, err := json.Marshal(req.Config)
	if err != nil {
		return nil, err
	}
	secrets, err := json.Marshal(req.ConfigSecretKeys)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, py, args...)
	cmd.Dir = req.Pwd
	cmd.Env = append(env, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secrets))
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run %s): %v", py, err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin runs a Python plugin (e.g. a policy pack) and streams its output.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	py, env := python(req.Info)
	program := req.Program
	if req.Info != nil && req.Info.ProgramDirectory != "" {
		program = req.Info.ProgramDirectory
	}
	cmd := exec.Command(py, append([]string{"-u", program}, req.Args...)...)
	cmd.Dir = req.Pwd
	cmd.Env = append(env, req.Env...)
	cmd.Stdout = &streamWriter{send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	cmd.Stderr = &streamWriter{send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}
	code := 0
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return err
		}
		code = exit.ExitCode()
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

type streamWriter struct{ send func([]byte) error }

func (w *streamWriter) Write(p []byte) (int, error) {
	b := make([]byte, len(p))
	copy(b, p)
	if err := w.send(b); err != nil {
		return 0, err
	}
	return len(p), nil
}
