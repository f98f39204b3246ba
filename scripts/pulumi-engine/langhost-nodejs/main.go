// Command pulumi-language-nodejs is a Node.js language host for the Pulumi engine built by scripts/setup.sh.
//
// It runs TypeScript and JavaScript programs through the entry script that ships inside the program's own
// @pulumi/pulumi npm package (`@pulumi/pulumi/cmd/run`, with its bundled ts-node for TypeScript), and installs
// dependencies with Pulumi's github.com/pulumi/pulumi/sdk/v3/nodejs/npm package (npm, yarn, pnpm or bun) and
// generates TypeScript SDKs with github.com/pulumi/pulumi/pkg/v3/codegen/nodejs.
package main

import (
	"flag"

	"modelstudio.local/hostkit"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "3.274.1"

func main() {
	// Older engines pass these; the options now come from Pulumi.yaml through each request.
	flag.Bool("typescript", true, "ignored: read from the runtime options")
	flag.String("tsconfig", "", "ignored: read from the runtime options")
	flag.String("nodeargs", "", "ignored: read from the runtime options")
	flag.String("packagemanager", "", "ignored: read from the runtime options")
	hostkit.Serve("pulumi-language-nodejs", version, func(base hostkit.Base) (pulumirpc.LanguageRuntimeServer, error) {
		base.Packages = requiredPackages
		return &host{Base: base, Generator: generator}, nil
	})
}
