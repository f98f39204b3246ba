package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"modelstudio.local/hostkit"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

func asExit(err error, target **exec.ExitError) bool { return errors.As(err, target) }

// Run type-checks the program when `typechecker` is set, then executes it through the SDK's exec script in
// the toolchain's environment.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if refused, err := hostkit.Refusal(req, "Python"); refused != nil || err != nil {
		return refused, err
	}
	tc, opts, err := resolve(req.Info)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	if err := typecheck(ctx, tc, opts, req.Info.ProgramDirectory); err != nil {
		return nil, err
	}

	config, err := hostkit.ConfigEnv(req)
	if err != nil {
		return nil, err
	}

	cmd, err := tc.Command(ctx, append([]string{"-u", h.execScript}, h.execArgs(req)...)...)
	if err != nil {
		return nil, err
	}
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	if venv, verr := tc.VirtualEnvPath(ctx); verr == nil && venv != "" {
		// The dynamic-provider plugin starts with the same interpreter as the program.
		env = append(env, "PULUMI_RUNTIME_VIRTUALENV="+venv)
	}
	cmd.Env = append(env, config...)
	cmd.Dir = req.Pwd
	return hostkit.RunProgram(cmd, "Python", true), nil
}

func (h *host) execArgs(req *pulumirpc.RunRequest) []string {
	var args []string
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("monitor", req.MonitorAddress)
	add("engine", h.EngineAddress)
	add("project", req.Project)
	add("root_directory", req.Info.RootDirectory)
	add("stack", req.Stack)
	add("pwd", req.Pwd)
	add("dry_run", strconv.FormatBool(req.DryRun))
	add("parallel", strconv.Itoa(int(req.Parallel)))
	add("tracing", h.Tracing)
	add("organization", req.Organization)
	entry := req.Info.EntryPoint
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.Args...)
}

// typecheck runs mypy or pyright over the program directory, as selected by the `typechecker` option.
func typecheck(ctx context.Context, tc toolchain.Toolchain, opts toolchain.PythonOptions, dir string) error {
	var module string
	switch opts.Typechecker {
	case toolchain.TypeCheckerMypy:
		module = "mypy"
	case toolchain.TypeCheckerPyright:
		module = "pyright"
	case toolchain.TypeCheckerNone:
		return nil
	}
	if installed, err := hasPackage(ctx, tc, module); err != nil {
		return err
	} else if !installed {
		return fmt.Errorf("Pulumi.yaml sets typechecker: %s, but %s is not installed in the program's environment; "+
			"add it to the project's dependencies and run `pulumi install`", module, module)
	}
	args := []string{}
	if module == "mypy" {
		if venv, err := tc.VirtualEnvPath(ctx); err == nil && venv != "" {
			if rel, err := filepath.Rel(dir, venv); err == nil {
				args = append(args, "--exclude", rel)
			}
		}
	}
	cmd, err := tc.ModuleCommand(ctx, module, append(args, dir)...)
	if err != nil {
		return err
	}
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s found type errors in the program (output above): %w", module, err)
	}
	return nil
}

func hasPackage(ctx context.Context, tc toolchain.Toolchain, name string) (bool, error) {
	packages, err := tc.ListPackages(ctx, true)
	if err != nil {
		return false, err
	}
	for _, p := range packages {
		if strings.EqualFold(p.Name, name) {
			return true, nil
		}
	}
	return false, nil
}

// RunPlugin runs a Python plugin (a policy pack or a provider): its __main__.py, or for a buildable package
// without one, the `pulumi.run.plugin` entry point of the Pulumi SDK.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	opts, err := pythonOptions(req.Info)
	if err != nil {
		return err
	}
	if opts.Toolchain != toolchain.Poetry && opts.Toolchain != toolchain.Uv && opts.Virtualenv == "" {
		opts.Virtualenv = "venv" // plugins never run in the ambient Python
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return err
	}
	ctx := server.Context()

	var cmd *exec.Cmd
	if _, statErr := os.Stat(filepath.Join(opts.Root, "__main__.py")); statErr != nil && hasPluginRunner(ctx, tc) {
		buildable, err := toolchain.IsBuildablePackage(opts.Root)
		if err != nil || !buildable {
			return fmt.Errorf("plugin in %s is not runnable: it has neither __main__.py nor a buildable pyproject.toml", opts.Root)
		}
		project, err := toolchain.LoadPyproject(opts.Root)
		if err != nil {
			return fmt.Errorf("reading %s: %w", filepath.Join(opts.Root, "pyproject.toml"), err)
		}
		cmd, err = tc.ModuleCommand(ctx, "pulumi.run.plugin", append([]string{project.Project.Name}, req.Args...)...)
		if err != nil {
			return err
		}
	} else {
		cmd, err = tc.Command(ctx, append([]string{"-u", req.Info.ProgramDirectory}, req.Args...)...)
		if err != nil {
			return err
		}
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	cmd.Dir = req.Pwd
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, req.Env...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	code := 0
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return fmt.Errorf("could not run the plugin with Python: %w", err)
		}
		code = exit.ExitCode()
	}
	if err := closer.Close(); err != nil {
		return err
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}}) //nolint:gosec
}

func hasPluginRunner(ctx context.Context, tc toolchain.Toolchain) bool {
	cmd, err := tc.Command(ctx, "-c", "import pulumi.run.plugin")
	if err != nil {
		return false
	}
	return cmd.Run() == nil
}
