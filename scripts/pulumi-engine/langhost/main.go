// Command pulumi-language-python is the Python language host for the Pulumi engine built by scripts/setup.sh.
//
// It is a thin layer over Pulumi's own libraries: github.com/pulumi/pulumi/sdk/v3/python/toolchain for the
// pip, poetry and uv virtual environments (install, run, list dependencies) and
// github.com/pulumi/pulumi/pkg/v3/codegen/python for program, project and SDK generation. Programs run
// through the pulumi-language-python-exec script shipped with the Pulumi SDK, installed next to this binary.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "3.274.1"

// execScriptName is the SDK's entry script that connects a program to the engine.
const execScriptName = "pulumi-language-python-exec"

func main() {
	tracing := flag.String("tracing", "", "emit tracing to a Zipkin-compatible endpoint")
	// Older engines pass these; the options now come from Pulumi.yaml through each request.
	flag.String("virtualenv", "", "ignored: read from the runtime options")
	flag.String("root", "", "ignored: read from the request")
	flag.String("typechecker", "", "ignored: read from the runtime options")
	flag.String("toolchain", "", "ignored: read from the runtime options")
	flag.Parse()
	logging.InitLogging(false, 0, false)

	self, err := os.Executable()
	if err != nil {
		fail("cannot locate the language host executable: %v", err)
	}
	execScript := filepath.Join(filepath.Dir(self), execScriptName)
	if _, err := os.Stat(execScript); err != nil {
		fail("missing %s next to the language host: %v (re-run scripts/setup.sh)", execScriptName, err)
	}

	var engine string
	if args := flag.Args(); len(args) > 0 {
		engine = args[0]
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		stop()
		close(cancel)
	}()
	if engine != "" {
		// Exit when the engine goes away (for example `pulumi` was killed), like Pulumi's own plugins.
		if err := rpcutil.Healthcheck(ctx, engine, 5*time.Second, func() { os.Exit(0) }); err != nil {
			fail("could not start the engine health check: %v", err)
		}
	}

	host := newHost(execScript, engine, *tracing, codegenDefaults{})
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fail("could not start the language host: %v", err)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail("language host stopped: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: "+format+"\n", args...)
	os.Exit(1)
}
