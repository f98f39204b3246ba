// Package hostkit is what the language hosts built by scripts/setup.sh share: their startup, the RPCs that are the
// same for every language, and running a program for the engine.
package hostkit

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

// Serve runs a language host: it reads the command line the engine starts hosts with (`-tracing URL`, `-root`
// and the flags the host defined before calling it, then the engine's address), makes the host with newHost,
// serves it on a free port, which it prints on stdout, and returns when interrupted. name (for example
// pulumi-language-go) prefixes the errors it exits with; version is what GetPluginInfo reports.
func Serve(name, version string, newHost func(Base) (pulumirpc.LanguageRuntimeServer, error)) {
	tracing := flag.String("tracing", "", "emit tracing to a Zipkin-compatible endpoint")
	// Older engines pass it; the program's folders now come with each request.
	flag.String("root", "", "ignored: read from the request")
	flag.Parse()
	logging.InitLogging(false, 0, false)

	base := Base{Tracing: *tracing, Version: version}
	if args := flag.Args(); len(args) > 0 {
		base.EngineAddress = args[0]
	}
	host, err := newHost(base)
	if err != nil {
		fail(name, "%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		stop()
		close(cancel)
	}()
	if base.EngineAddress != "" {
		// Exit when the engine goes away (for example `pulumi` was killed), like Pulumi's own plugins.
		if err := rpcutil.Healthcheck(ctx, base.EngineAddress, 5*time.Second, func() { os.Exit(0) }); err != nil {
			fail(name, "could not start the engine health check: %v", err)
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fail(name, "could not start the language host: %v", err)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(name, "language host stopped: %v", err)
	}
}

func fail(name, format string, args ...any) {
	fmt.Fprintf(os.Stderr, name+": "+format+"\n", args...)
	os.Exit(1)
}
