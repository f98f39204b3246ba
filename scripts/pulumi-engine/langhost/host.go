package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// codegenDefaults are the runtime options written into generated projects (the conformance run sets them).
type codegenDefaults struct {
	typechecker string
	toolchain   string
}

// host implements the LanguageRuntime gRPC service.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	execScript    string
	engineAddress string
	tracing       string
	codegen       codegenDefaults
}

func newHost(execScript, engineAddress, tracing string, defaults codegenDefaults) *host {
	return &host{execScript: execScript, engineAddress: engineAddress, tracing: tracing, codegen: defaults}
}

func (h *host) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	if h.engineAddress != "" {
		// Exit within seconds when the engine is gone (for example `pulumi` was killed): no orphaned hosts.
		gone := func() { os.Exit(0) }
		if err := rpcutil.Healthcheck(context.Background(), h.engineAddress, 5*time.Second, gone); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// engineLog returns writers that show output as ephemeral engine messages (e.g. a virtualenv being created
// during a preview), or discards it when no engine is attached.
func (h *host) engineLog(ctx context.Context) (io.Writer, io.Writer, func()) {
	if h.engineAddress == "" {
		return io.Discard, io.Discard, func() {}
	}
	conn, err := grpc.NewClient(h.engineAddress,
		grpc.WithTransportCredentials(insecure.NewCredentials()), rpcutil.GrpcChannelOptions())
	if err != nil {
		return io.Discard, io.Discard, func() {}
	}
	client := pulumirpc.NewEngineClient(conn)
	stream := rand.Int32() //nolint:gosec // a display stream id, not a secret
	info := &engineWriter{ctx: ctx, client: client, stream: stream, severity: pulumirpc.LogSeverity_INFO}
	errs := &engineWriter{ctx: ctx, client: client, stream: stream, severity: pulumirpc.LogSeverity_ERROR}
	return info, errs, func() { _ = conn.Close() }
}

type engineWriter struct {
	ctx      context.Context
	client   pulumirpc.EngineClient
	stream   int32
	severity pulumirpc.LogSeverity
}

func (w *engineWriter) Write(p []byte) (int, error) {
	_, err := w.client.Log(w.ctx, &pulumirpc.LogRequest{
		Message:   strings.ToValidUTF8(string(p), "\uFFFD"),
		Ephemeral: true,
		StreamId:  w.stream,
		Severity:  w.severity,
	})
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// streamWriter turns writes into messages on a server stream.
type streamWriter struct{ send func([]byte) error }

func (w *streamWriter) Write(p []byte) (int, error) {
	b := make([]byte, len(p))
	copy(b, p)
	if err := w.send(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

var errNoInfo = errors.New("the request carries no program info; this engine is too old for this language host")
