//go:build tools

// Package tools pins the YAML converter plugin that scripts/setup.sh builds for `pulumi convert --from yaml`.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-converter-yaml"
