package hostkit

import (
	"context"
	"fmt"
	"os"
	"time"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Base implements the RPCs that do not depend on the language (Handshake, GetPluginInfo and
// GetRequiredPackages); a host embeds it and implements the others.
type Base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	EngineAddress string // the engine's gRPC address, from the command line or the handshake
	Tracing       string // the Zipkin endpoint to send traces to, or ""
	Version       string // the host's version, for GetPluginInfo

	// Packages lists the packages a program needs (GetRequiredPackages); nil reports none.
	Packages func(ctx context.Context, info *pulumirpc.ProgramInfo) ([]*pulumirpc.PackageDependency, error)
}

// Handshake records the engine's address and exits within seconds when the engine is gone (for example `pulumi`
// was killed), so no host is left orphaned.
func (b *Base) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	b.EngineAddress = req.EngineAddress
	if b.EngineAddress != "" {
		gone := func() { os.Exit(0) }
		if err := rpcutil.Healthcheck(context.Background(), b.EngineAddress, 5*time.Second, gone); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// GetPluginInfo reports the host's version.
func (b *Base) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: b.Version}, nil
}

// GetRequiredPackages reports the packages the program needs. (The older GetRequiredPlugins is left
// unimplemented: engines ask for it only when a host does not answer this.)
func (b *Base) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	if b.Packages == nil {
		return &pulumirpc.GetRequiredPackagesResponse{}, nil
	}
	packages, err := b.Packages(ctx, req.Info)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}
