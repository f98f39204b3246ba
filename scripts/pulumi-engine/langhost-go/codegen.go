package main

import (
	"errors"

	"modelstudio.local/hostkit/generate"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// generator writes Go SDKs (`pulumi package gen-sdk --language go`) with Pulumi's pkg/v3/codegen/go, recording
// pulumi-language-go as their generator.
var generator = generate.Generator{Modes: generate.Readable, SDK: func(
	req *pulumirpc.GeneratePackageRequest, pkg *schema.Package, _ schema.ReferenceLoader,
) (map[string][]byte, error) {
	if len(req.ExtraFiles) > 0 {
		return nil, errors.New("overlays are not supported for Go")
	}
	return gogen.GeneratePackage("pulumi-language-go", pkg, req.LocalDependencies)
}}
