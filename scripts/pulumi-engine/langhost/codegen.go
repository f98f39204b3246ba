package main

import (
	"context"
	"fmt"
	"strings"

	"modelstudio.local/hostkit/generate"

	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
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
	return generate.Project(req, func(project workspace.Project, program *pcl.Program) error {
		return codegen.GenerateProject(req.TargetDirectory, project, program, req.LocalDependencies,
			h.codegen.typechecker, h.codegen.toolchain)
	})
}

// GenerateProgram turns PCL source files into Python source files.
func (h *host) GenerateProgram(
	ctx context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return generate.Program(ctx, req, codegen.GenerateProgram)
}

// generator writes Python SDKs (`pulumi package gen-sdk`, `pulumi package add`) with Pulumi's
// pkg/v3/codegen/python, for their owner only as the official host does.
var generator = generate.Generator{Modes: generate.Private, SDK: func(
	req *pulumirpc.GeneratePackageRequest, pkg *schema.Package, loader schema.ReferenceLoader,
) (map[string][]byte, error) {
	return codegen.GeneratePackage(toolName, pkg, req.ExtraFiles, loader)
}}

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
	linked, err := generate.LinkedPackages(ctx, req)
	if err != nil {
		return nil, err
	}
	packages := map[string]string{}
	instructions := make([]string, 0, len(linked))
	for i, pkg := range linked {
		pyModule := pythonModule(pkg)
		packages[pyModule] = req.Packages[i].Path
		instructions = append(instructions, fmt.Sprintf("import %s as %s", pyModule, strings.ReplaceAll(pkg.Name, "-", "_")))
	}
	if err := tc.LinkPackages(ctx, packages); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{
		ImportInstructions: "You can then import the SDK in your Python code with:\n\n  " + strings.Join(instructions, "\n  ") + "\n",
	}, nil
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
