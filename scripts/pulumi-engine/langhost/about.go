package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// About reports the interpreter the program runs with and the toolchain that manages it. The CLI asks on every
// preview, update and destroy (for the update's metadata), so with pip one Python process answers it all.
func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	opts := toolchain.PythonOptions{Toolchain: toolchain.Pip}
	if req.GetInfo() != nil {
		var err error
		if opts, err = pythonOptions(req.Info); err != nil {
			return nil, err
		}
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return nil, err
	}
	var info toolchain.Info
	if toolchainName(tc) == "pip" {
		info, err = pipAbout(ctx, tc)
	} else {
		info, err = tc.About(ctx) // poetry and uv know their own version
	}
	if err != nil {
		return nil, err
	}
	metadata := map[string]string{"toolchain": strings.ToLower(toolchainName(tc))}
	if info.ToolchainVersion.Major+info.ToolchainVersion.Minor+info.ToolchainVersion.Patch > 0 {
		metadata["toolchainVersion"] = info.ToolchainVersion.String()
	}
	if opts.Typechecker != toolchain.TypeCheckerNone {
		metadata["typechecker"] = strings.ToLower(toolchain.TypeCheckerName(opts.Typechecker))
	}
	return &pulumirpc.AboutResponse{
		Executable: info.PythonExecutable, Version: info.PythonVersion.String(), Metadata: metadata,
	}, nil
}

func toolchainName(tc toolchain.Toolchain) string {
	switch fmt.Sprintf("%T", tc) {
	case "*toolchain.uv":
		return "uv"
	case "*toolchain.poetry":
		return "poetry"
	default:
		return "pip"
	}
}

// aboutScript prints what `python -c "import sys; print(sys.executable)"`, `python --version` and
// `python -m pip --version` report (pip's __version__, without importing the rest of pip), null without pip.
const aboutScript = `
import json, sys
try:
    import pip
    pip_version = str(pip.__version__)
except Exception:
    pip_version = None
print(json.dumps({"executable": sys.executable, "version": sys.version.split()[0], "pip": pip_version}))
`

// pipAbout answers what the pip toolchain's About does (interpreter path, Python and pip versions) with one
// Python process instead of three, one of which imports all of pip.
func pipAbout(ctx context.Context, tc toolchain.Toolchain) (toolchain.Info, error) {
	cmd, err := tc.Command(ctx, "-c", aboutScript)
	if err != nil {
		return toolchain.Info{}, err
	}
	out, err := cmd.Output()
	if err != nil {
		return toolchain.Info{}, fmt.Errorf("failed to get python executable path: %w", err)
	}
	return parseAbout(out)
}

// parseAbout reads aboutScript's output; like the toolchain's About, versions it cannot parse are left zero.
func parseAbout(out []byte) (toolchain.Info, error) {
	var about struct {
		Executable string  `json:"executable"`
		Version    string  `json:"version"`
		Pip        *string `json:"pip"`
	}
	if err := json.Unmarshal(out, &about); err != nil {
		return toolchain.Info{}, fmt.Errorf("reading the Python interpreter's description %q: %w", out, err)
	}
	info := toolchain.Info{PythonExecutable: strings.TrimSpace(about.Executable)}
	if v, err := toolchain.ParsePythonVersion(about.Version); err == nil {
		info.PythonVersion = v
	}
	if about.Pip != nil {
		if v, err := toolchain.ParsePipVersion("pip " + *about.Pip); err == nil {
			info.ToolchainVersion = v
		}
	}
	return info, nil
}
