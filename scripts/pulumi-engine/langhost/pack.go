package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/fsutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// Pack builds a wheel (else an sdist) of a Python package with the `build` frontend, in a throw-away virtual
// environment (made with uv when it is on PATH, else with venv and pip).
func (h *host) Pack(ctx context.Context, req *pulumirpc.PackRequest) (*pulumirpc.PackResponse, error) {
	tmp, err := os.MkdirTemp("", "pulumi-python-pack")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	venv := filepath.Join(tmp, ".venv")
	_, uvErr := exec.LookPath("uv")
	useUv := uvErr == nil
	if useUv {
		if err := run(ctx, nil, "", "uv", "venv", "--quiet", venv); err != nil {
			return nil, err
		}
		if err := run(ctx, toolchain.ActivateVirtualEnv(os.Environ(), venv), "", "uv", "pip", "install", "--quiet", "build"); err != nil {
			return nil, err
		}
	} else {
		python, err := toolchain.Command(ctx, "-m", "venv", venv)
		if err != nil {
			return nil, err
		}
		if err := run(ctx, nil, "", python.Path, python.Args[1:]...); err != nil {
			return nil, err
		}
		pip := toolchain.VirtualEnvCommand(venv, "python", "-m", "pip", "install", "--quiet", "build")
		if err := run(ctx, nil, "", pip.Path, pip.Args[1:]...); err != nil {
			return nil, err
		}
	}

	args := []string{"-m", "build", "--wheel", "--outdir", tmp}
	if useUv {
		args = append(args, "--installer", "uv")
	}
	build := toolchain.VirtualEnvCommand(venv, "python", args...)
	if err := run(ctx, toolchain.ActivateVirtualEnv(os.Environ(), venv), req.PackageDirectory, build.Path, build.Args[1:]...); err != nil {
		return nil, err
	}

	entries, err := os.ReadDir(tmp)
	if err != nil {
		return nil, err
	}
	var artifact string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".whl") {
			artifact = e.Name()
			break
		}
		if strings.HasSuffix(e.Name(), ".tar.gz") {
			artifact = e.Name()
		}
	}
	if artifact == "" {
		return nil, fmt.Errorf("building %s produced no wheel or sdist", req.PackageDirectory)
	}
	dst := filepath.Join(req.DestinationDirectory, artifact)
	if err := fsutil.CopyFile(dst, filepath.Join(tmp, artifact), nil); err != nil {
		return nil, fmt.Errorf("copying %s: %w", artifact, err)
	}
	return &pulumirpc.PackResponse{ArtifactPath: dst}, nil
}

// run executes a command and returns its combined output in the error when it fails.
func run(ctx context.Context, env []string, dir, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Dir = env, dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s failed: %w\n%s", strings.Join(cmd.Args, " "), err, out.String())
	}
	return nil
}
