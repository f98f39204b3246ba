package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"modelstudio.local/hostkit"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// GetProgramDependencies lists the packages installed in the program's environment (`pulumi about`).
func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, _, err := resolve(req.Info)
	if err != nil {
		return nil, err
	}
	packages, err := tc.ListPackages(ctx, req.TransitiveDependencies)
	if err != nil {
		return nil, fmt.Errorf("listing the program's Python packages: %w", err)
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(packages))
	for _, p := range packages {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// InstallDependencies creates or updates the virtual environment with the project's toolchain (`pulumi install`).
// With pip, a program directory that is itself a buildable package (pyproject.toml with a build system) is also
// installed, in editable mode as uv does, so the program imports the project's own code.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	opts, err := pythonOptions(req.Info)
	if err != nil {
		return err
	}
	if req.IsPlugin && opts.Toolchain != toolchain.Poetry && opts.Toolchain != toolchain.Uv && opts.Virtualenv == "" {
		opts.Virtualenv = "venv" // plugins never run in the ambient Python
	}
	return hostkit.InstallDependencies(req, server, func(ctx context.Context, stdout, stderr io.Writer) error {
		tc, err := toolchain.ResolveToolchain(opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Installing dependencies...\n\n")
		dir := req.Info.ProgramDirectory
		if err := tc.InstallDependencies(ctx, dir, req.UseLanguageVersionTools, true, stdout, stderr); err != nil {
			return err
		}
		return installProjectPackage(ctx, tc, dir, stdout, stderr)
	})
}

func installProjectPackage(ctx context.Context, tc toolchain.Toolchain, dir string, stdout, stderr io.Writer) error {
	if toolchainName(tc) != "pip" {
		return tc.InstallPackage(ctx, dir, false, true, stdout, stderr)
	}
	buildable, err := toolchain.IsBuildablePackage(dir)
	if err != nil || !buildable {
		return nil //nolint:nilerr // an unreadable pyproject.toml is reported by pip itself
	}
	venv, err := tc.VirtualEnvPath(ctx)
	if err != nil || venv == "" {
		return nil //nolint:nilerr // the ambient interpreter is left alone
	}
	fmt.Fprintf(stdout, "Installing the project package %s (editable)...\n", filepath.Base(dir))
	cmd, err := tc.ModuleCommand(ctx, "pip", "install", "-e", dir)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("installing the project package from %s: %w", dir, err)
	}
	return nil
}

// RuntimeOptionsPrompts asks `pulumi new` for the toolchain, and for pip the virtualenv folder.
func (h *host) RuntimeOptionsPrompts(
	ctx context.Context, req *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	raw := map[string]any{}
	if req.GetInfo().GetOptions() != nil {
		raw = req.Info.Options.AsMap()
	}
	str := func(v string) *pulumirpc.RuntimeOptionPrompt_RuntimeOptionValue {
		return &pulumirpc.RuntimeOptionPrompt_RuntimeOptionValue{
			PromptType: pulumirpc.RuntimeOptionPrompt_STRING, StringValue: v, DisplayName: v,
		}
	}
	var prompts []*pulumirpc.RuntimeOptionPrompt
	chosen, hasToolchain := raw["toolchain"]
	if !hasToolchain {
		pip := str("pip")
		prompts = append(prompts, &pulumirpc.RuntimeOptionPrompt{
			Key:         "toolchain",
			Description: "The toolchain to use for installing dependencies and running the program",
			PromptType:  pulumirpc.RuntimeOptionPrompt_STRING,
			Choices:     append([]*pulumirpc.RuntimeOptionPrompt_RuntimeOptionValue{pip}, plugin.MakeExecutablePromptChoices("poetry", "uv")...),
			Default:     pip,
		})
	}
	if _, hasVenv := raw["virtualenv"]; chosen == "pip" && !hasVenv {
		venv := str("venv")
		prompts = append(prompts, &pulumirpc.RuntimeOptionPrompt{
			Key:         "virtualenv",
			Description: "The virtualenv to use",
			PromptType:  pulumirpc.RuntimeOptionPrompt_STRING,
			Choices:     []*pulumirpc.RuntimeOptionPrompt_RuntimeOptionValue{venv},
			Default:     venv,
		})
	}
	return &pulumirpc.RuntimeOptionsResponse{Prompts: prompts}, nil
}
