package hostkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// ErrNoInfo answers a request without program info, which only engines too old for these hosts send.
var ErrNoInfo = errors.New("the request carries no program info; this engine is too old for this language host")

// Refusal answers a run request this host cannot serve, or returns nil and no error when it can: a request
// without program info (an engine too old for this host) or one that asks to attach a debugger.
func Refusal(req *pulumirpc.RunRequest, language string) (*pulumirpc.RunResponse, error) {
	if req.Info == nil {
		return nil, ErrNoInfo
	}
	if req.AttachDebugger {
		return &pulumirpc.RunResponse{Error: "--attach-debugger is not supported by this " + language +
			" language host; run the program with an installed official pulumi to debug it"}, nil
	}
	return nil, nil
}

// BailExitCode is what a program exits with after printing a user-actionable error.
const BailExitCode = 32

// ConfigEnv returns the PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS variables of a run: the stack's
// configuration and the keys of its secrets, as JSON.
func ConfigEnv(req *pulumirpc.RunRequest) ([]string, error) {
	configMap := req.Config
	if configMap == nil {
		configMap = map[string]string{}
	}
	config, err := json.Marshal(configMap)
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
	return []string{"PULUMI_CONFIG=" + string(config), "PULUMI_CONFIG_SECRET_KEYS=" + string(secrets)}, nil
}

// RunProgram runs a program with the host's stdout and stderr and answers Run with how it ended: with Bail when
// bails and it exited with BailExitCode, else with its exit code, or with why it could not start (through
// launcher, such as node, when not "").
func RunProgram(cmd *exec.Cmd, launcher string, bails bool) *pulumirpc.RunResponse {
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if bails && exit.ExitCode() == BailExitCode {
			return &pulumirpc.RunResponse{Bail: true}
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}
	}
	if launcher != "" {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run %s): %v", launcher, err)}
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program: %v", err)}
}

// InstallDependencies runs install with writers that stream its output to the engine (`pulumi install`).
func InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
	install func(ctx context.Context, stdout, stderr io.Writer) error,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.IsTerminal)
	if err != nil {
		return err
	}
	defer closer.Close()
	if err := install(server.Context(), stdout, stderr); err != nil {
		return err
	}
	return closer.Close()
}
