package hostkit

import (
	"context"
	"os/exec"
	"slices"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func TestConfigEnvWritesEmptyJSONForMissingConfig(t *testing.T) {
	env, err := ConfigEnv(&pulumirpc.RunRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"PULUMI_CONFIG={}", "PULUMI_CONFIG_SECRET_KEYS=[]"}
	if !slices.Equal(env, want) {
		t.Fatalf("ConfigEnv() = %v, want %v", env, want)
	}
}

func TestRunProgramAnswersHowTheProgramEnded(t *testing.T) {
	cases := []struct {
		name     string
		cmd      *exec.Cmd
		launcher string
		bails    bool
		want     *pulumirpc.RunResponse
	}{
		{"success", exec.Command("sh", "-c", "exit 0"), "", false, &pulumirpc.RunResponse{}},
		{"bail", exec.Command("sh", "-c", "exit 32"), "node", true, &pulumirpc.RunResponse{Bail: true}},
		{"no bail", exec.Command("sh", "-c", "exit 32"), "", false,
			&pulumirpc.RunResponse{Error: "Program exited with non-zero exit code: 32"}},
		{"not started", exec.Command("/nonexistent/program"), "node", true,
			&pulumirpc.RunResponse{Error: "Problem executing program (could not run node): " +
				"fork/exec /nonexistent/program: no such file or directory"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := RunProgram(c.cmd, c.launcher, c.bails)
			if got.Bail != c.want.Bail || got.Error != c.want.Error {
				t.Fatalf("RunProgram() = %v, want %v", got, c.want)
			}
		})
	}
}

func TestBaseWithoutPackagesReportsNone(t *testing.T) {
	resp, err := (&Base{}).GetRequiredPackages(context.Background(), &pulumirpc.GetRequiredPackagesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Packages) != 0 {
		t.Fatalf("GetRequiredPackages() = %v, want none", resp.Packages)
	}
}
