// Command pulumi-language-python is the Python language host for the Pulumi engine built by scripts/setup.sh.
//
// It is a thin layer over Pulumi's own libraries: github.com/pulumi/pulumi/sdk/v3/python/toolchain for the
// pip, poetry and uv virtual environments (install, run, list dependencies) and
// github.com/pulumi/pulumi/pkg/v3/codegen/python for program, project and SDK generation. Programs run
// through the pulumi-language-python-exec script shipped with the Pulumi SDK, installed next to this binary.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"modelstudio.local/hostkit"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "3.274.1"

// execScriptName is the SDK's entry script that connects a program to the engine.
const execScriptName = "pulumi-language-python-exec"

func main() {
	// Older engines pass these; the options now come from Pulumi.yaml through each request.
	flag.String("virtualenv", "", "ignored: read from the runtime options")
	flag.String("typechecker", "", "ignored: read from the runtime options")
	flag.String("toolchain", "", "ignored: read from the runtime options")
	hostkit.Serve("pulumi-language-python", version, func(base hostkit.Base) (pulumirpc.LanguageRuntimeServer, error) {
		execScript, err := findExecScript()
		if err != nil {
			return nil, err
		}
		return newHost(base, execScript, codegenDefaults{}), nil
	})
}

// findExecScript returns the SDK's exec script that scripts/setup.sh installs next to this executable.
func findExecScript() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot locate the language host executable: %w", err)
	}
	execScript := filepath.Join(filepath.Dir(self), execScriptName)
	if _, err := os.Stat(execScript); err != nil {
		return "", fmt.Errorf("missing %s next to the language host: %w (re-run scripts/setup.sh)", execScriptName, err)
	}
	return execScript, nil
}
