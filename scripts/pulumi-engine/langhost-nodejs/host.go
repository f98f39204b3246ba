package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"modelstudio.local/hostkit"
	"modelstudio.local/hostkit/generate"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// host implements the LanguageRuntime gRPC service for Node.js programs.
type host struct {
	hostkit.Base
	generate.Generator
}

// options are the runtime options of Pulumi.yaml that this host reads.
type options struct {
	typescript     bool
	tsconfig       string
	nodeargs       []string
	packagemanager npm.PackageManagerType
}

func readOptions(info *pulumirpc.ProgramInfo) options {
	opts := options{typescript: true, packagemanager: npm.AutoPackageManager}
	if info == nil || info.Options == nil {
		return opts
	}
	values := info.Options.AsMap()
	if v, ok := values["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := values["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := values["nodeargs"].(string); ok {
		opts.nodeargs = strings.Fields(v)
	}
	if v, ok := values["packagemanager"].(string); ok && v != "" {
		opts.packagemanager = npm.PackageManagerType(v)
	}
	return opts
}

// runScript finds @pulumi/pulumi/cmd/run in the node_modules folders above the program directory.
func runScript(programDir string) (string, error) {
	for dir := programDir; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run")
		if _, err := os.Stat(filepath.Join(candidate, "index.js")); err == nil {
			return candidate, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("@pulumi/pulumi is not installed for the program in %s: run `pulumi install` "+
				"(or `npm install`) in the project folder", programDir)
		}
	}
}

// Run executes the program with `node @pulumi/pulumi/cmd/run`, which connects it to the engine.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if refused, err := hostkit.Refusal(req, "Node.js"); refused != nil || err != nil {
		return refused, err
	}
	opts := readOptions(req.Info)
	script, err := runScript(req.Info.ProgramDirectory)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node is not on PATH: install Node.js 22 or newer"}, nil
	}
	config, err := hostkit.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	args := append(append([]string{}, opts.nodeargs...), script)
	args = append(args, h.runArgs(req)...)
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = req.Pwd
	cmd.Env = append(append(os.Environ(), config...), "PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript))
	if opts.tsconfig != "" {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return hostkit.RunProgram(cmd, "node", true), nil
}

func (h *host) runArgs(req *pulumirpc.RunRequest) []string {
	var args []string
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag+"="+value)
		}
	}
	add("monitor", req.MonitorAddress)
	add("engine", h.EngineAddress)
	add("organization", req.Organization)
	add("project", req.Project)
	add("root-directory", req.Info.RootDirectory)
	add("stack", req.Stack)
	add("pwd", req.Pwd)
	add("tracing", h.Tracing)
	if req.Parallel > 0 {
		add("parallel", strconv.Itoa(int(req.Parallel)))
	}
	if req.DryRun {
		args = append(args, "--dry-run")
	}
	entry := req.Info.EntryPoint
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.Args...)
}

type packageJSON struct {
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &p, nil
}

// requiredPackages reports the resource plugins of the program's direct dependencies (the `pulumi` key of their
// package.json in node_modules); unreadable ones are skipped.
func requiredPackages(_ context.Context, info *pulumirpc.ProgramInfo) ([]*pulumirpc.PackageDependency, error) {
	if info == nil {
		return nil, nil
	}
	root := info.ProgramDirectory
	program, err := readPackageJSON(filepath.Join(root, "package.json"))
	if err != nil {
		return nil, nil //nolint:nilerr // a program without a readable package.json needs no plugins
	}
	names := make([]string, 0, len(program.Dependencies)+len(program.DevDependencies))
	for name := range program.Dependencies {
		names = append(names, name)
	}
	for name := range program.DevDependencies {
		names = append(names, name)
	}
	sort.Strings(names)
	var packages []*pulumirpc.PackageDependency
	for _, name := range names {
		dep, err := readPackageJSON(filepath.Join(root, "node_modules", filepath.FromSlash(name), "package.json"))
		if err != nil || dep.Pulumi == nil || !dep.Pulumi.Resource || dep.Pulumi.Name == "" {
			continue
		}
		version := dep.Pulumi.Version
		if version != "" && !strings.HasPrefix(version, "v") {
			version = "v" + version
		}
		packages = append(packages, &pulumirpc.PackageDependency{
			Kind: "resource", Name: dep.Pulumi.Name, Version: version, Server: dep.Pulumi.Server,
		})
	}
	return packages, nil
}

// InstallDependencies installs the program's packages with its package manager (`pulumi install`, `pulumi new`).
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return hostkit.InstallDependencies(req, server, func(ctx context.Context, stdout, stderr io.Writer) error {
		opts := readOptions(req.Info)
		fmt.Fprintf(stdout, "Installing dependencies...\n\n")
		if _, err := npm.Install(ctx, opts.packagemanager, req.Info.ProgramDirectory, false, stdout, stderr); err != nil {
			return fmt.Errorf("installing the program's packages failed: %w", err)
		}
		fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
		return nil
	})
}
