//go:build tools

// Package tools pins the YAML plugins that scripts/setup.sh builds: the converter (for `pulumi convert --from
// yaml`) and the language host (for programs with `runtime: yaml`).
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-converter-yaml"
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
