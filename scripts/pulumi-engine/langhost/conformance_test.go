package main

// Pulumi's language conformance suite (pkg/v3/testing/pulumi-test-language) run against this language host.
// It only runs when PULUMI_CONFORMANCE=1 (scripts/conformance.sh, `make conformance` set it up); the suite
// generates SDKs and programs from PCL, installs them with the toolchain, runs them against the engine and
// checks the resulting state.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"modelstudio.local/hostkit"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/testing/pulumi-test-language/runner"
	"github.com/pulumi/pulumi/pkg/v3/testing/pulumi-test-language/tests"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	testingrpc "github.com/pulumi/pulumi/sdk/v3/proto/go/testing"
)

// variant is one way of generating the Python code under test.
type variant struct {
	name        string
	useTOML     bool   // pyproject.toml instead of setup.py in generated SDKs
	inputTypes  string // "", "classes" or "classes-and-dicts"
	typechecker string
	toolchain   string
}

var variants = map[string]variant{
	"default": {name: "default", typechecker: "mypy", toolchain: "uv"},
	"toml":    {name: "toml", useTOML: true, inputTypes: "classes-and-dicts", typechecker: "mypy", toolchain: "uv"},
}

// outOfScope names the tests this suite cannot run against any Python host of this setup, and why.
func outOfScope(name string, test tests.LanguageTest) string {
	if strings.HasPrefix(name, "internal-") {
		return "a self-test of the conformance harness, not of a language host"
	}
	if len(test.LanguageProviders) > 0 {
		return "needs resource providers written in Python, which each language keeps in its own test data " +
			"(not published in any Go module)"
	}
	for _, run := range test.Runs {
		if len(run.PolicyPacks) > 0 {
			return "needs hand-written Python policy packs, which each language keeps in its own test data " +
				"(not published in any Go module)"
		}
	}
	return ""
}

type result struct {
	Test    string `json:"test"`
	Variant string `json:"variant"`
	Outcome string `json:"outcome"` // passed, failed or skipped
	Reason  string `json:"reason,omitempty"`
}

func TestConformance(t *testing.T) {
	if os.Getenv("PULUMI_CONFORMANCE") != "1" {
		t.Skip("set PULUMI_CONFORMANCE=1 (make conformance) to run Pulumi's language conformance suite")
	}
	execScript := mustEnv(t, "CONFORMANCE_EXEC_SCRIPT")
	coreSDK := mustEnv(t, "CONFORMANCE_CORE_SDK")
	resultsPath := mustEnv(t, "CONFORMANCE_RESULTS")
	v, ok := variants[envOr("CONFORMANCE_VARIANT", "default")]
	if !ok {
		t.Fatalf("unknown CONFORMANCE_VARIANT; known: default, toml")
	}

	ctx := context.Background()
	server, err := runner.Start(ctx, tests.LanguageTestdata, tests.LanguageTests)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient(server.Address(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		rpcutil.GrpcChannelOptions())
	if err != nil {
		t.Fatal(err)
	}
	suite := testingrpc.NewLanguageTestClient(conn)
	engineAddress := server.Address() // the suite's server is also the engine the programs talk to

	stopHost := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stopHost,
		Init: func(srv *grpc.Server) error {
			defaults := codegenDefaults{typechecker: v.typechecker, toolchain: v.toolchain}
			base := hostkit.Base{EngineAddress: engineAddress, Version: version}
			pulumirpc.RegisterLanguageRuntimeServer(srv, newHost(base, execScript, defaults))
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { close(stopHost) })

	var info codegen.PackageInfo
	info.PyProject.Enabled = v.useTOML
	info.InputTypes = v.inputTypes
	languageInfo, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if keep := os.Getenv("CONFORMANCE_KEEP"); keep != "" {
		root = keep // leave the generated projects for inspection
	}
	prepared, err := suite.PrepareLanguageTests(ctx, &testingrpc.PrepareLanguageTestsRequest{
		LanguagePluginName:   "python",
		LanguagePluginTarget: fmt.Sprintf("127.0.0.1:%d", handle.Port),
		TemporaryDirectory:   root,
		SnapshotDirectory:    filepath.Join(root, "snapshots"),
		CoreSdkDirectory:     coreSDK,
		CoreSdkVersion:       strings.TrimPrefix(version, "v"),
		LanguageInfo:         string(languageInfo),
	})
	if err != nil {
		t.Fatal(err)
	}

	listed, err := suite.GetLanguageTests(ctx, &testingrpc.GetLanguageTestsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	selected := listed.Tests
	if only := os.Getenv("CONFORMANCE_ONLY"); only != "" {
		selected = nil
		for _, name := range listed.Tests {
			if strings.Contains(name, only) {
				selected = append(selected, name)
			}
		}
	}
	sort.Strings(selected)

	var mu sync.Mutex
	var results []result
	record := func(r result) {
		mu.Lock()
		defer mu.Unlock()
		results = append(results, r)
	}
	t.Cleanup(func() {
		sort.Slice(results, func(i, j int) bool { return results[i].Test < results[j].Test })
		data, err := json.MarshalIndent(results, "", "  ")
		if err == nil {
			err = os.WriteFile(resultsPath, append(data, '\n'), 0o600)
		}
		if err != nil {
			t.Errorf("writing %s: %v", resultsPath, err)
		}
	})

	t.Run(v.name, func(t *testing.T) {
		for _, name := range selected {
			t.Run(name, func(t *testing.T) {
				if reason := outOfScope(name, tests.LanguageTests[name]); reason != "" {
					record(result{Test: name, Variant: v.name, Outcome: "skipped", Reason: reason})
					t.Skip(reason)
				}
				t.Parallel()
				res, err := suite.RunLanguageTest(ctx, &testingrpc.RunLanguageTestRequest{
					Token: prepared.Token, Test: name,
				})
				if err != nil {
					record(result{Test: name, Variant: v.name, Outcome: "failed", Reason: firstLine(err.Error())})
					t.Fatal(err)
				}
				if !res.Success {
					reason := failureReason(res.Messages)
					record(result{Test: name, Variant: v.name, Outcome: "failed", Reason: reason})
					for _, m := range res.Messages {
						t.Log(m)
					}
					t.Logf("stdout:\n%s\nstderr:\n%s", tail(res.Stdout), tail(res.Stderr))
					t.Fail()
					return
				}
				record(result{Test: name, Variant: v.name, Outcome: "passed"})
			})
		}
	})
}

func mustEnv(t *testing.T, name string) string {
	value := os.Getenv(name)
	if value == "" {
		t.Fatalf("%s is not set (run scripts/conformance.sh)", name)
	}
	return value
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

// failureReason picks the error and message lines out of the suite's testify reports.
func failureReason(messages []string) string {
	var parts []string
	for _, m := range messages {
		for _, line := range strings.Split(m, "\n") {
			line = strings.TrimSpace(line)
			for _, key := range []string{"Error:", "Messages:"} {
				if rest, ok := strings.CutPrefix(line, key); ok && strings.TrimSpace(rest) != "" {
					parts = append(parts, strings.TrimSpace(rest))
				}
			}
		}
	}
	if len(parts) == 0 && len(messages) > 0 {
		return firstLine(messages[0])
	}
	return firstLine(strings.Join(parts, "; "))
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

func tail(s string) string {
	const keep = 4000
	if len(s) > keep {
		return "..." + s[len(s)-keep:]
	}
	return s
}
