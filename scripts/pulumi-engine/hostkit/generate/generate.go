// Package generate binds provider schemas and PCL programs for the code generators of the language hosts
// (GeneratePackage, GenerateProject, GenerateProgram) and writes or returns what a generator makes of them.
package generate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	hclsyntax "github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// FileModes are the permissions of the folders and files of a generated SDK.
type FileModes struct{ Dir, File os.FileMode }

var (
	// Private SDK files are for their owner only.
	Private = FileModes{Dir: 0o700, File: 0o600}
	// Readable SDK files are world-readable, like sources checked out of a repository.
	Readable = FileModes{Dir: 0o755, File: 0o644}
)

// SDK makes the files of a language's SDK for the bound package of a request, such as Pulumi's
// python.GeneratePackage.
type SDK func(
	req *pulumirpc.GeneratePackageRequest, pkg *schema.Package, loader schema.ReferenceLoader,
) (map[string][]byte, error)

// Generator answers GeneratePackage (`pulumi package gen-sdk`, `pulumi package add`) for the language host that
// embeds it: SDK makes the files, written with Modes.
type Generator struct {
	Modes FileModes
	SDK   SDK
}

// GeneratePackage binds the schema of a request and writes the files that SDK makes of it into the request's
// directory.
func (g Generator) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	var response *pulumirpc.GeneratePackageResponse
	err := withLoader(req.LoaderTarget, func(loader schema.ReferenceLoader) error {
		var spec schema.PackageSpec
		if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
			return fmt.Errorf("reading the package schema: %w", err)
		}
		pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
		if err != nil {
			return err
		}
		response = &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
		if diags.HasErrors() {
			return nil
		}
		files, err := g.SDK(req, pkg, loader)
		if err != nil {
			return err
		}
		return writeFiles(req.Directory, files, g.Modes)
	})
	if err != nil {
		return nil, err
	}
	return response, nil
}

func writeFiles(dir string, files map[string][]byte, modes FileModes) error {
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), modes.Dir); err != nil {
			return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
		}
		if err := os.WriteFile(path, data, modes.File); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return nil
}

// Project binds the PCL program of a GenerateProject request (`pulumi convert`, `pulumi import
// --generate-code`) and, when it has no errors, hands it with the project definition to write.
func Project(
	req *pulumirpc.GenerateProjectRequest, write func(workspace.Project, *pcl.Program) error,
) (*pulumirpc.GenerateProjectResponse, error) {
	var response *pulumirpc.GenerateProjectResponse
	err := withLoader(req.LoaderTarget, func(loader schema.ReferenceLoader) error {
		program, diags, err := pcl.BindDirectory(req.SourceDirectory, loader, bindOptions(req.Strict)...)
		if err != nil {
			return err
		}
		response = &pulumirpc.GenerateProjectResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
		if diags.HasErrors() {
			return nil
		}
		var project workspace.Project
		if err := json.Unmarshal([]byte(req.Project), &project); err != nil {
			return fmt.Errorf("reading the project definition: %w", err)
		}
		return write(project, program)
	})
	if err != nil {
		return nil, err
	}
	return response, nil
}

// Translate makes the source files of a language from a bound PCL program, such as Pulumi's
// python.GenerateProgram.
type Translate func(program *pcl.Program) (map[string][]byte, hcl.Diagnostics, error)

// Program parses and binds the PCL sources of a GenerateProgram request and answers with the source files that
// translate makes of the program.
func Program(
	ctx context.Context, req *pulumirpc.GenerateProgramRequest, translate Translate,
) (*pulumirpc.GenerateProgramResponse, error) {
	var response *pulumirpc.GenerateProgramResponse
	err := withLoader(req.LoaderTarget, func(loader schema.ReferenceLoader) error {
		parser := hclsyntax.NewParser()
		names := make([]string, 0, len(req.Source))
		for name := range req.Source {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := parser.ParseFile(strings.NewReader(req.Source[name]), name); err != nil {
				return err
			}
			if parser.Diagnostics.HasErrors() {
				response = &pulumirpc.GenerateProgramResponse{
					Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(parser.Diagnostics),
				}
				return nil
			}
		}
		program, diags, err := pcl.BindProgramWithContext(ctx, parser.Files, loader, bindOptions(req.Strict)...)
		if err != nil {
			return err
		}
		rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
		if diags.HasErrors() {
			response = &pulumirpc.GenerateProgramResponse{Diagnostics: rpcDiags}
			return nil
		}
		if program == nil {
			return errors.New("binding the PCL program produced no program")
		}
		files, genDiags, err := translate(program)
		if err != nil {
			return err
		}
		response = &pulumirpc.GenerateProgramResponse{
			Source:      files,
			Diagnostics: append(rpcDiags, plugin.HclDiagnosticsToRPCDiagnostics(genDiags)...),
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return response, nil
}

func bindOptions(strict bool) []pcl.BindOption {
	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !strict {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	return options
}

// withLoader connects to the engine's schema loader at target, with a cache, for the time use runs.
func withLoader(target string, use func(loader schema.ReferenceLoader) error) error {
	client, err := schema.NewLoaderClient(target)
	if err != nil {
		return err
	}
	defer client.Close()
	return use(schema.NewCachedLoader(client))
}
