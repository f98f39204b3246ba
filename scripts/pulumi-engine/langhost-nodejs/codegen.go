package main

import (
	"context"

	"modelstudio.local/hostkit/generate"

	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// toolName is recorded in generated SDKs as the generator.
const toolName = "pulumi-language-nodejs"

// GeneratePackage writes a TypeScript SDK for a provider schema (`pulumi package gen-sdk --language nodejs`)
// with Pulumi's pkg/v3/codegen/nodejs.
func (h *host) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	sdk := func(pkg *schema.Package, loader schema.ReferenceLoader) (map[string][]byte, error) {
		if err := pkg.ImportLanguages(map[string]schema.Language{"nodejs": nodejs.Importer}); err != nil {
			return nil, err
		}
		return nodejs.GeneratePackage(toolName, pkg, req.ExtraFiles, req.LocalDependencies, req.Local, loader)
	}
	return generate.Package(req, generate.Readable, sdk)
}
