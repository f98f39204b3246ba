// Command pulumi-language-go is a Go language host for the Pulumi engine built by scripts/setup.sh.
//
// It builds the program with `go build` (or runs the prebuilt binary of the `binary` runtime option) and runs it
// with the engine's addresses and the stack's configuration in the environment variables that
// github.com/pulumi/pulumi/sdk/v3/go/pulumi reads.
package main

import (
	"flag"

	"modelstudio.local/hostkit"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "3.274.1"

func main() {
	// Older engines pass it; the option now comes from Pulumi.yaml through each request.
	flag.String("binary", "", "ignored: read from the runtime options")
	hostkit.Serve("pulumi-language-go", version, func(base hostkit.Base) (pulumirpc.LanguageRuntimeServer, error) {
		return &host{Base: base, Generator: generator}, nil
	})
}
