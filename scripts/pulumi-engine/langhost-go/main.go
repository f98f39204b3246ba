// Command pulumi-language-go is a Go language host for the Pulumi engine built by scripts/setup.sh.
//
// It builds the program with `go build` (or runs the prebuilt binary of the `binary` runtime option) and runs it
// with the engine's addresses and the stack's configuration in the environment variables that
// github.com/pulumi/pulumi/sdk/v3/go/pulumi reads.
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
	flag.String("root", "", "ignored: read from the request")
	flag.String("binary", "", "ignored: read from the runtime options")
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
	fmt.Fprintf(os.Stderr, "pulumi-language-go: "+format+"\n", args...)
	os.Exit(1)
}
