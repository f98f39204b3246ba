package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"modelstudio.local/hostkit"
	"modelstudio.local/hostkit/generate"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// host implements the LanguageRuntime gRPC service for Go programs. It requires no plugins up front (its Base
// reports none): the engine loads each provider plugin when the program first uses it.
type host struct {
	hostkit.Base
	generate.Generator
}

// binary is the program's prebuilt executable (runtime option `binary`), or "" to build it.
func binary(info *pulumirpc.ProgramInfo) string {
	if info.Options == nil {
		return ""
	}
	value, _ := info.Options.AsMap()["binary"].(string)
	if value != "" && !filepath.IsAbs(value) {
		value = filepath.Join(info.RootDirectory, value)
	}
	return value
}

// Run builds the program (unless it is prebuilt) and runs it connected to the engine.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if refused, err := hostkit.Refusal(req, "Go"); refused != nil || err != nil {
		return refused, err
	}
	program := binary(req.Info)
	if program == "" {
		dir, err := os.MkdirTemp("", "pulumi-go-program-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		program = filepath.Join(dir, "program")
		build := exec.CommandContext(ctx, "go", "build", "-o", program, ".")
		build.Dir = req.Info.ProgramDirectory
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("go build of the program in %s failed (output above): %v",
				req.Info.ProgramDirectory, err)}, nil
		}
	}
	config, err := hostkit.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, program, req.Args...)
	cmd.Dir = req.Pwd
	cmd.Env = append(os.Environ(),
		"PULUMI_MONITOR="+req.MonitorAddress,
		"PULUMI_ENGINE="+h.EngineAddress,
		"PULUMI_ORGANIZATION="+req.Organization,
		"PULUMI_PROJECT="+req.Project,
		"PULUMI_STACK="+req.Stack,
		"PULUMI_ROOT_DIRECTORY="+req.Info.RootDirectory,
		"PULUMI_DRY_RUN="+strconv.FormatBool(req.DryRun),
		"PULUMI_PARALLEL="+strconv.Itoa(int(req.Parallel)),
	)
	cmd.Env = append(cmd.Env, config...)
	if h.Tracing != "" {
		cmd.Env = append(cmd.Env, "PULUMI_TRACING="+h.Tracing)
	}
	return hostkit.RunProgram(cmd, "", false), nil
}

// InstallDependencies runs `go mod tidy` in the program folder (`pulumi install`).
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return hostkit.InstallDependencies(req, server, func(ctx context.Context, stdout, stderr io.Writer) error {
		cmd := exec.CommandContext(ctx, "go", "mod", "tidy")
		cmd.Dir = req.Info.ProgramDirectory
		cmd.Stdout, cmd.Stderr = stdout, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go mod tidy in %s failed: %w", req.Info.ProgramDirectory, err)
		}
		return nil
	})
}
