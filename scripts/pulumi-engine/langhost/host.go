package main

import (
	"context"
	"io"
	"math/rand/v2"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"modelstudio.local/hostkit"
	"modelstudio.local/hostkit/generate"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// codegenDefaults are the runtime options written into generated projects (the conformance run sets them).
type codegenDefaults struct {
	typechecker string
	toolchain   string
}

// host implements the LanguageRuntime gRPC service for Python programs.
type host struct {
	hostkit.Base
	generate.Generator

	execScript   string
	codegen      codegenDefaults
	packageCache packageCache // the listings of installed packages, for GetRequiredPackages
}

func newHost(base hostkit.Base, execScript string, defaults codegenDefaults) *host {
	h := &host{Base: base, Generator: generator, execScript: execScript, codegen: defaults, packageCache: newPackageCache()}
	h.Packages = h.requiredPackages
	return h
}

// engineLog returns writers that show output as ephemeral engine messages (e.g. a virtualenv being created
// during a preview), or discards it when no engine is attached.
func (h *host) engineLog(ctx context.Context) (io.Writer, io.Writer, func()) {
	if h.EngineAddress == "" {
		return io.Discard, io.Discard, func() {}
	}
	conn, err := grpc.NewClient(h.EngineAddress,
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
