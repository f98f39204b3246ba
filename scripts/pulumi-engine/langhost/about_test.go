package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

func TestParseAboutReadsVersionsAsTheToolchainDoes(t *testing.T) {
	cases := []struct {
		name, out, executable, python, pip string
	}{
		{"full", `{"executable": "/venv/bin/python", "version": "3.11.7", "pip": "26.3"}`,
			"/venv/bin/python", "3.11.7", "26.3.0"},
		{"no pip", `{"executable": "/usr/bin/python3", "version": "3.12.1", "pip": null}`,
			"/usr/bin/python3", "3.12.1", "0.0.0"},
		{"pre-releases", `{"executable": "/p", "version": "3.14.0rc1", "pip": "25.1.dev0"}`,
			"/p", "3.14.0-rc.1", "25.1.0"},
		{"unreadable versions", `{"executable": " /p\n", "version": "unknown", "pip": "main"}`,
			"/p", "0.0.0", "0.0.0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info, err := parseAbout([]byte(c.out))
			if err != nil {
				t.Fatal(err)
			}
			if info.PythonExecutable != c.executable || info.PythonVersion.String() != c.python ||
				info.ToolchainVersion.String() != c.pip {
				t.Fatalf("parseAbout() = %q %s %s, want %q %s %s", info.PythonExecutable, info.PythonVersion,
					info.ToolchainVersion, c.executable, c.python, c.pip)
			}
		})
	}
}

func TestParseAboutRejectsOutputThatIsNotJSON(t *testing.T) {
	if _, err := parseAbout([]byte("Python 3.11.7\n")); err == nil {
		t.Fatal("parseAbout() accepted text that is not JSON")
	}
}

func TestPipAboutAnswersWhatThePipToolchainAnswers(t *testing.T) {
	python, _, err := toolchain.CommandPath()
	if err != nil {
		t.Skip("no python on PATH")
	}
	root := t.TempDir()
	if out, err := exec.Command(python, "-m", "venv", "--without-pip", filepath.Join(root, "venv")).CombinedOutput(); err != nil {
		t.Fatalf("creating a virtualenv: %v\n%s", err, out)
	}
	for name, opts := range map[string]toolchain.PythonOptions{
		"ambient python":         {Toolchain: toolchain.Pip},
		"virtualenv without pip": {Toolchain: toolchain.Pip, Root: root, Virtualenv: "venv"},
	} {
		t.Run(name, func(t *testing.T) {
			tc, err := toolchain.ResolveToolchain(opts)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			want, err := tc.About(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pipAbout(ctx, tc)
			if err != nil {
				t.Fatal(err)
			}
			if got.PythonExecutable != want.PythonExecutable || !got.PythonVersion.Equals(want.PythonVersion) ||
				!got.ToolchainVersion.Equals(want.ToolchainVersion) {
				t.Fatalf("pipAbout() = %+v, the toolchain's About = %+v", got, want)
			}
		})
	}
}
