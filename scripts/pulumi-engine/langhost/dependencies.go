package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"

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

// requiredPackages creates the virtual environment if it is missing, then reports the resource plugins the
// installed Pulumi packages need (from their pulumi-plugin.json, else from a `pulumi-<name>` package name).
func (h *host) requiredPackages(ctx context.Context, info *pulumirpc.ProgramInfo) ([]*pulumirpc.PackageDependency, error) {
	tc, _, err := resolve(info)
	if err != nil {
		return nil, err
	}
	stdout, stderr, done := h.engineLog(ctx)
	defer done()
	if err := tc.EnsureVenv(ctx, info.ProgramDirectory, false, true, stdout, stderr); err != nil {
		return nil, err
	}
	installed, err := installedPackages(ctx, tc)
	if err != nil {
		return nil, err
	}
	var result []*pulumirpc.PackageDependency
	for _, p := range installed {
		if dep := p.dependency(); dep != nil {
			result = append(result, dep)
		}
	}
	return result, nil
}

// installedPackage is one distribution of the environment, with the pulumi-plugin.json it ships, if any.
type installedPackage struct {
	Name    string                   `json:"name"`
	Version string                   `json:"version"`
	Plugin  *plugin.PulumiPluginJSON `json:"plugin"`
}

// packagesWithoutPlugins are Pulumi libraries that need no resource plugin.
var packagesWithoutPlugins = map[string]bool{"pulumi": true, "pulumi-policy": true, "pulumi-esc-sdk": true}

func (p installedPackage) dependency() *pulumirpc.PackageDependency {
	name := strings.ReplaceAll(strings.ToLower(p.Name), "_", "-")
	if packagesWithoutPlugins[name] {
		return nil
	}
	if p.Plugin == nil && !strings.HasPrefix(name, "pulumi-") {
		return nil
	}
	dep := &pulumirpc.PackageDependency{Kind: "resource"}
	if p.Plugin != nil {
		if !p.Plugin.Resource {
			return nil
		}
		dep.Name, dep.Version, dep.Server = p.Plugin.Name, p.Plugin.Version, p.Plugin.Server
		if pz := p.Plugin.Parameterization; pz != nil {
			dep.Parameterization = &pulumirpc.PackageParameterization{Name: pz.Name, Version: pz.Version, Value: pz.Value}
		}
		if pz := p.Plugin.ExtensionParameterization; pz != nil {
			dep.Extension = &pulumirpc.PackageParameterization{Name: pz.Name, Version: pz.Version, Value: pz.Value}
		}
	}
	if dep.Name == "" {
		dep.Name = strings.TrimPrefix(name, "pulumi-")
	}
	if dep.Version == "" {
		v, err := pluginVersion(p.Version)
		if err != nil {
			return nil // e.g. a dev build whose plugin version cannot be derived
		}
		dep.Version = v
	}
	if !strings.HasPrefix(dep.Version, "v") {
		dep.Version = "v" + dep.Version
	}
	return dep
}

// listScript prints every installed distribution with the pulumi-plugin.json of its top-level package.
const listScript = `
import importlib.metadata as md, importlib.util, json, pathlib
out = []
for dist in md.distributions():
    name = dist.metadata["Name"] or ""
    plugin = None
    for f in dist.files or []:
        if f.name == "pulumi-plugin.json" and len(f.parts) == 2:
            plugin = json.loads(pathlib.Path(f.locate()).read_text())
            break
    if plugin is None and name.lower().replace("_", "-").startswith("pulumi-"):
        try:
            spec = importlib.util.find_spec(name.replace("-", "_"))
        except (ImportError, ValueError):
            spec = None
        for loc in (spec.submodule_search_locations or []) if spec else []:
            candidate = pathlib.Path(loc, "pulumi-plugin.json")
            if candidate.is_file():
                plugin = json.loads(candidate.read_text())
                break
    out.append({"name": name, "version": dist.version, "plugin": plugin})
print(json.dumps(out))
`

func installedPackages(ctx context.Context, tc toolchain.Toolchain) ([]installedPackage, error) {
	cmd, err := tc.Command(ctx, "-c", listScript)
	if err != nil {
		return nil, err
	}
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if ok := asExit(err, &exit); ok {
			return nil, fmt.Errorf("listing installed Python packages failed: %s", strings.TrimSpace(string(exit.Stderr)))
		}
		return nil, fmt.Errorf("listing installed Python packages: %w", err)
	}
	var packages []installedPackage
	if err := json.Unmarshal(out, &packages); err != nil {
		return nil, fmt.Errorf("reading the installed Python packages: %w", err)
	}
	return packages, nil
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
