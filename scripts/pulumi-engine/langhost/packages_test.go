package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// installDist lays out a distribution as pip installs it: its package folder, with pulumiPlugin as
// pulumi-plugin.json unless "", and a dist-info folder whose RECORD lists the package's files.
func installDist(t *testing.T, site, name, version, pulumiPlugin string) {
	t.Helper()
	top := strings.ReplaceAll(name, "-", "_")
	info := filepath.Join(site, top+"-"+version+".dist-info")
	files := map[string]string{
		filepath.Join(info, "METADATA"):         "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n\nA package.\n",
		filepath.Join(site, top, "__init__.py"): "",
	}
	record := top + "/__init__.py,,\n" + top + "-" + version + ".dist-info/RECORD,,\n"
	if pulumiPlugin != "" {
		files[filepath.Join(site, top, "pulumi-plugin.json")] = pulumiPlugin
		record += top + "/pulumi-plugin.json,,\n"
	}
	files[filepath.Join(info, "RECORD")] = record
	writeFiles(t, files)
}

func writeFiles(t *testing.T, files map[string]string) {
	t.Helper()
	for path, content := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// settle dates everything under root back, as if it had been installed a while ago (so a listing is cached).
func settle(t *testing.T, root string, ago time.Duration) {
	t.Helper()
	past := time.Now().Add(-ago)
	err := filepath.WalkDir(root, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(path, past, past)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestInstalledPackagesFollowInstallsRemovalsAndEditableSources(t *testing.T) {
	if _, _, err := toolchain.CommandPath(); err != nil {
		t.Skip("no python on PATH")
	}
	root := t.TempDir()
	site, src := filepath.Join(root, "site"), filepath.Join(root, "src")
	installDist(t, site, "pulumi_aws", "6.1.0", `{"resource": true, "name": "aws", "version": "6.1.0"}`)
	installDist(t, site, "pulumi-random", "4.2.0", "")
	installDist(t, site, "modelstudio_lora", "0.1.0", `{"resource": true, "name": "modelstudio", "version": "0.1.0"}`)
	installDist(t, site, "requests", "2.32.0", "")
	// An editable install: the dist-info is installed, the package (with its pulumi-plugin.json) stays in src.
	installDist(t, site, "pulumi-edit", "0.5.0", "")
	if err := os.RemoveAll(filepath.Join(site, "pulumi_edit")); err != nil {
		t.Fatal(err)
	}
	editPlugin := filepath.Join(src, "pulumi_edit", "pulumi-plugin.json")
	writeFiles(t, map[string]string{
		filepath.Join(src, "pulumi_edit", "__init__.py"): "",
		editPlugin: `{"resource": true, "name": "edit", "version": "0.5.0"}`,
	})
	t.Setenv("PYTHONPATH", site+string(os.PathListSeparator)+src)
	t.Chdir(root)

	ctx := context.Background()
	tc, err := toolchain.ResolveToolchain(toolchain.PythonOptions{Toolchain: toolchain.Pip})
	if err != nil {
		t.Fatal(err)
	}
	cache := packageCache{dir: t.TempDir()}
	plugins := func() map[string]string {
		t.Helper()
		installed, err := installedPackages(ctx, tc, cache)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]string{}
		for _, p := range installed {
			if dep := p.dependency(); dep != nil {
				found[dep.Name] = dep.Version
			}
		}
		return found
	}
	expect := func(step string, want map[string]string) {
		t.Helper()
		got := plugins()
		for name, version := range want {
			if got[name] != version {
				t.Fatalf("%s: plugins %v, want %s at %q", step, got, name, version)
			}
		}
	}
	cached := func(step string) {
		t.Helper()
		cmd, err := tc.Command(ctx, "-c", listScript)
		if err != nil {
			t.Fatal(err)
		}
		key, err := newCacheKey(cmd)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := cache.load(key); !ok {
			t.Fatalf("%s: the listing was not cached", step)
		}
	}

	settle(t, root, time.Hour)
	expect("first listing", map[string]string{"aws": "v6.1.0", "random": "v4.2.0", "modelstudio": "v0.1.0", "edit": "v0.5.0"})
	cached("first listing")
	expect("cached listing", map[string]string{"aws": "v6.1.0", "random": "v4.2.0", "modelstudio": "v0.1.0", "edit": "v0.5.0"})

	installDist(t, site, "pulumi_gcp", "8.0.0", "")
	expect("after an install", map[string]string{"gcp": "v8.0.0", "aws": "v6.1.0"})

	settle(t, root, 50*time.Minute)
	expect("settled again", map[string]string{"gcp": "v8.0.0"})
	cached("settled again")
	for _, p := range []string{"pulumi_aws", "pulumi_aws-6.1.0.dist-info"} {
		if err := os.RemoveAll(filepath.Join(site, p)); err != nil {
			t.Fatal(err)
		}
	}
	expect("after a removal", map[string]string{"aws": "", "gcp": "v8.0.0"})

	settle(t, root, 40*time.Minute)
	expect("settled once more", map[string]string{"edit": "v0.5.0"})
	cached("settled once more")
	writeFiles(t, map[string]string{editPlugin: `{"resource": true, "name": "edit", "version": "0.6.0"}`})
	expect("after editing the editable package's plugin", map[string]string{"edit": "v0.6.0"})
}
