package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// bailExitCode is what the run script exits with after printing a user-actionable error.
const bailExitCode = 32

// host implements the LanguageRuntime gRPC service for Node.js programs.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	engineAddress string
	tracing       string
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

func (h *host) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	if h.engineAddress != "" {
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
	if req.Info == nil {
		return nil, errors.New("the request carries no program info; this engine is too old for this language host")
	}
	if req.AttachDebugger {
		return &pulumirpc.RunResponse{Error: "--attach-debugger is not supported by this Node.js language host"}, nil
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
	config, err := json.Marshal(nonNil(req.Config))
	if err != nil {
		return nil, fmt.Errorf("serializing the stack configuration: %w", err)
	}
	secretKeys := req.ConfigSecretKeys
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing the secret configuration keys: %w", err)
	}
	args := append(append([]string{}, opts.nodeargs...), script)
	args = append(args, h.runArgs(req)...)
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = req.Pwd
	cmd.Env = append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secrets),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		_ = os.Stdout.Sync()
		_ = os.Stderr.Sync()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run node): %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *host) runArgs(req *pulumirpc.RunRequest) []string {
	var args []string
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag+"="+value)
		}
	}
	add("monitor", req.MonitorAddress)
	add("engine", h.engineAddress)
	add("organization", req.Organization)
	add("project", req.Project)
	add("root-directory", req.Info.RootDirectory)
	add("stack", req.Stack)
	add("pwd", req.Pwd)
	add("tracing", h.tracing)
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

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// GetRequiredPlugins reports the resource plugins of the installed packages (their package.json `pulumi` key).
func (h *host) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	packages := requiredPackages(req.Info)
	plugins := make([]*pulumirpc.PluginDependency, 0, len(packages))
	for _, p := range packages {
		plugins = append(plugins, &pulumirpc.PluginDependency{Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// GetRequiredPackages is GetRequiredPlugins for engines that ask for packages.
func (h *host) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{Packages: requiredPackages(req.Info)}, nil
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

// requiredPackages reads the program's direct dependencies from its node_modules; unreadable ones are skipped.
func requiredPackages(info *pulumirpc.ProgramInfo) []*pulumirpc.PackageDependency {
	if info == nil {
		return nil
	}
	root := info.ProgramDirectory
	program, err := readPackageJSON(filepath.Join(root, "package.json"))
	if err != nil {
		return nil
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
	return packages
}

// InstallDependencies installs the program's packages with its package manager (`pulumi install`, `pulumi new`).
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.IsTerminal)
	if err != nil {
		return err
	}
	defer closer.Close()
	opts := readOptions(req.Info)
	fmt.Fprintf(stdout, "Installing dependencies...\n\n")
	if _, err := npm.Install(server.Context(), opts.packagemanager, req.Info.ProgramDirectory, false, stdout, stderr); err != nil {
		return fmt.Errorf("installing the program's packages failed: %w", err)
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}
