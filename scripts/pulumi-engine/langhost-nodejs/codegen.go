package main

import (
	"modelstudio.local/hostkit/generate"

	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// generator writes TypeScript SDKs (`pulumi package gen-sdk --language nodejs`) with Pulumi's
// pkg/v3/codegen/nodejs, recording pulumi-language-nodejs as their generator.
var generator = generate.Generator{Modes: generate.Readable, SDK: func(
	req *pulumirpc.GeneratePackageRequest, pkg *schema.Package, loader schema.ReferenceLoader,
) (map[string][]byte, error) {
	if err := pkg.ImportLanguages(map[string]schema.Language{"nodejs": nodejs.Importer}); err != nil {
		return nil, err
	}
	return nodejs.GeneratePackage("pulumi-language-nodejs", pkg, req.ExtraFiles, req.LocalDependencies, req.Local, loader)
}}
