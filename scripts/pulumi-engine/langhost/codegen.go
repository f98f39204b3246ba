package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blang/semver"

	hclsyntax "github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// toolName is recorded in generated SDKs as the generator.
const toolName = "pulumi-language-python"

// GenerateProject writes a Python project (Pulumi.yaml, __main__.py, requirements.txt) for a PCL program
// (`pulumi convert`, `pulumi import --generate-code`).
func (h *host) GenerateProject(
	ctx context.Context, req *pulumirpc.GenerateProjectRequest,
) (*pulumirpc.GenerateProjectResponse, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.Strict {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindDirectory(req.SourceDirectory, schema.NewCachedLoader(loader), options...)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GenerateProjectResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	var project workspace.Project
	if err := json.Unmarshal([]byte(req.Project), &project); err != nil {
		return nil, fmt.Errorf("reading the project definition: %w", err)
	}
	if err := codegen.GenerateProject(req.TargetDirectory, project, program, req.LocalDependencies,
		h.codegen.typechecker, h.codegen.toolchain); err != nil {
		return nil, err
	}
	return &pulumirpc.GenerateProjectResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

// GenerateProgram turns PCL source files into Python source files.
func (h *host) GenerateProgram(
	ctx context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	parser := hclsyntax.NewParser()
	names := make([]string, 0, len(req.Source))
	for name := range req.Source {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := parser.ParseFile(strings.NewReader(req.Source[name]), name); err != nil {
			return nil, err
		}
		if parser.Diagnostics.HasErrors() {
			return &pulumirpc.GenerateProgramResponse{
				Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(parser.Diagnostics),
			}, nil
		}
	}
	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.Strict {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgramWithContext(ctx, parser.Files, schema.NewCachedLoader(loader), options...)
	if err != nil {
		return nil, err
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: rpcDiags}, nil
	}
	if program == nil {
		return nil, errors.New("binding the PCL program produced no program")
	}
	files, genDiags, err := codegen.GenerateProgram(program)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GenerateProgramResponse{
		Source:      files,
		Diagnostics: append(rpcDiags, plugin.HclDiagnosticsToRPCDiagnostics(genDiags)...),
	}, nil
}

// GeneratePackage writes a Python SDK for a provider schema (`pulumi package gen-sdk`, `pulumi package add`).
func (h *host) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, fmt.Errorf("reading the package schema: %w", err)
	}
	cached := schema.NewCachedLoader(loader)
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
	}
	files, err := codegen.GeneratePackage(toolName, pkg, req.ExtraFiles, cached)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		path := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return nil, fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
}

// Link adds local SDKs (wheels or source folders) to the program's dependency files and returns how to import
// them (`pulumi package add` of a local package).
func (h *host) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	if len(req.Packages) == 0 {
		return &pulumirpc.LinkResponse{}, nil
	}
	tc, _, err := resolve(req.Info)
	if err != nil {
		return nil, err
	}
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	packages := map[string]string{}
	var instructions []string
	for _, dep := range req.Packages {
		pkg, err := loadDependency(ctx, loader, dep.Package)
		if err != nil {
			return nil, err
		}
		pyModule := pythonModule(pkg)
		packages[pyModule] = dep.Path
		instructions = append(instructions, fmt.Sprintf("import %s as %s", pyModule, strings.ReplaceAll(pkg.Name, "-", "_")))
	}
	if err := tc.LinkPackages(ctx, packages); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{
		ImportInstructions: "You can then import the SDK in your Python code with:\n\n  " + strings.Join(instructions, "\n  ") + "\n",
	}, nil
}

func loadDependency(ctx context.Context, loader *schema.LoaderClient, dep *pulumirpc.PackageDependency) (*schema.Package, error) {
	if dep == nil {
		return nil, errors.New("link request without a package")
	}
	descriptor := &schema.PackageDescriptor{Name: dep.Name, DownloadURL: dep.Server}
	if dep.Version != "" {
		v, err := parseVersion(dep.Version)
		if err != nil {
			return nil, err
		}
		descriptor.Version = v
	}
	if pz := dep.Parameterization; pz != nil {
		v, err := parseVersion(pz.Version)
		if err != nil {
			return nil, err
		}
		descriptor.Parameterization = &schema.ParameterizationDescriptor{Name: pz.Name, Version: *v, Value: pz.Value}
	}
	pkg, err := loader.LoadPackageV2(ctx, descriptor)
	if err != nil {
		return nil, fmt.Errorf("loading the schema of %s: %w", dep.Name, err)
	}
	return pkg, nil
}

// pythonModule returns the importable module of a package's Python SDK, e.g. pulumi_aws.
func pythonModule(pkg *schema.Package) string {
	module := codegen.PyPack(pkg.Namespace, pkg.Name)
	if err := pkg.ImportLanguages(map[string]schema.Language{"python": codegen.Importer}); err == nil {
		if info, ok := pkg.Language["python"].(codegen.PackageInfo); ok && info.PackageName != "" {
			module = info.PackageName
		}
	}
	return module
}

func parseVersion(v string) (*semver.Version, error) {
	parsed, err := semver.ParseTolerant(v)
	if err != nil {
		return nil, fmt.Errorf("package version %q is not a semantic version: %w", v, err)
	}
	return &parsed, nil
}
