// Command pulumi-language-nodejs is a Node.js language host for the Pulumi engine built by scripts/setup.sh.
//
// It runs TypeScript and JavaScript programs through the entry script that ships inside the program's own
// @pulumi/pulumi npm package (`@pulumi/pulumi/cmd/run`, with its bundled ts-node for TypeScript), and installs
// dependencies with Pulumi's github.com/pulumi/pulumi/sdk/v3/nodejs/npm package (npm, yarn, pnpm or bun) and
// generates TypeScript SDKs with github.com/pulumi/pulumi/pkg/v3/codegen/nodejs.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "3.274.1"

func main() {
	tracing := flag.String("tracing", "", "emit tracing to a Zipkin-compatible endpoint")
	// Older engines pass these; the options now come from Pulumi.yaml through each request.
	flag.Bool("typescript", true, "ignored: read from the runtime options")
	flag.String("root", "", "ignored: read from the request")
	flag.String("tsconfig", "", "ignored: read from the runtime options")
	flag.String("nodeargs", "", "ignored: read from the runtime options")
	flag.String("packagemanager", "", "ignored: read from the runtime options")
	flag.Parse()
	logging.InitLogging(false, 0, false)

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
	host := &host{engineAddress: engine, tracing: *tracing}
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
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: "+format+"\n", args...)
	os.Exit(1)
}
