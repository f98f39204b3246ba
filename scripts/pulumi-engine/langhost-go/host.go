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
	"time"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// host implements the LanguageRuntime gRPC service for Go programs.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	engineAddress string
	tracing       string
}

func (h *host) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	if h.engineAddress != "" {
		gone := func() { os.Exit(0) }
		if err := rpcutil.Healthcheck(context.Background(), h.engineAddress, 5*time.Second, gone); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins reports none: the engine loads each provider plugin when the program first uses it.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports none, like GetRequiredPlugins.
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// binary is the program's prebuilt executable (runtime option `binary`), or "" to build it.
func binary(info *pulumirpc.ProgramInfo) string {
	if info.Options == nil {
		return ""
	}
	value, _ := info.Options.AsMap()["binary"].(string)
	if value != "" && !filepath.IsAbs(value) {
		value = filepath.Join(info.RootDirectory, value)
	}
	return value
}

// Run builds the program (unless it is prebuilt) and runs it connected to the engine.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if req.Info == nil {
		return nil, errors.New("the request carries no program info; this engine is too old for this language host")
	}
	if req.AttachDebugger {
		return &pulumirpc.RunResponse{Error: "--attach-debugger is not supported by this Go language host"}, nil
	}
	program := binary(req.Info)
	if program == "" {
		dir, err := os.MkdirTemp("", "pulumi-go-program-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		program = filepath.Join(dir, "program")
		build := exec.CommandContext(ctx, "go", "build", "-o", program, ".")
		build.Dir = req.Info.ProgramDirectory
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("go build of the program in %s failed (output above): %v",
				req.Info.ProgramDirectory, err)}, nil
		}
	}
	config, err := json.Marshal(nonNil(req.Config))
	if err != nil {
		return nil, fmt.Errorf("serializing the stack configuration: %w", err)
	}
	secretKeys := req.ConfigSecretKeys
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing the secret configuration keys: %w", err)
	}
	cmd := exec.CommandContext(ctx, program, req.Args...)
	cmd.Dir = req.Pwd
	cmd.Env = append(os.Environ(),
		"PULUMI_MONITOR="+req.MonitorAddress,
		"PULUMI_ENGINE="+h.engineAddress,
		"PULUMI_ORGANIZATION="+req.Organization,
		"PULUMI_PROJECT="+req.Project,
		"PULUMI_STACK="+req.Stack,
		"PULUMI_ROOT_DIRECTORY="+req.Info.RootDirectory,
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secrets),
		"PULUMI_DRY_RUN="+strconv.FormatBool(req.DryRun),
		"PULUMI_PARALLEL="+strconv.Itoa(int(req.Parallel)),
	)
	if h.tracing != "" {
		cmd.Env = append(cmd.Env, "PULUMI_TRACING="+h.tracing)
	}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		_ = os.Stdout.Sync()
		_ = os.Stderr.Sync()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// InstallDependencies runs `go mod tidy` in the program folder (`pulumi install`).
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.IsTerminal)
	if err != nil {
		return err
	}
	defer closer.Close()
	cmd := exec.CommandContext(server.Context(), "go", "mod", "tidy")
	cmd.Dir = req.Info.ProgramDirectory
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go mod tidy in %s failed: %w", req.Info.ProgramDirectory, err)
	}
	return closer.Close()
}
