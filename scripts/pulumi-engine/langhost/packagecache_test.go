package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
)

// settledTree makes a folder with a file and a missing path, all last changed an hour ago, and a listing that
// watches the three of them.
func settledTree(t *testing.T) (string, packageListing) {
	t.Helper()
	dir := t.TempDir()
	site := filepath.Join(dir, "site-packages")
	file := filepath.Join(site, "pulumi_aws", "pulumi-plugin.json")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(`{"resource": true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour)
	for _, p := range []string{file, filepath.Dir(file), site} {
		if err := os.Chtimes(p, past, past); err != nil {
			t.Fatal(err)
		}
	}
	missing := filepath.Join(dir, "user-site")
	listing := packageListing{
		Packages: []installedPackage{{Name: "pulumi_aws", Version: "6.1.0", Plugin: &plugin.PulumiPluginJSON{
			Resource: true, Name: "terraform-provider", Version: "0.8.0", Server: "https://example.com",
			Parameterization: &plugin.PulumiParameterizationJSON{Name: "aws", Version: "6.1.0", Value: []byte("v")},
		}}},
		Watch: map[string]int64{site: modTime(site), file: modTime(file), missing: -1},
	}
	return site, listing
}

var testKey = cacheKey{Python: "/venv/bin/python", Resolved: "/usr/bin/python3.11", Dir: "/project",
	Env: []string{"HOME=/root"}}

func storedCache(t *testing.T, listing packageListing) packageCache {
	t.Helper()
	cache := packageCache{dir: filepath.Join(t.TempDir(), "python-packages")}
	cache.store(testKey, listing, time.Now())
	return cache
}

func TestPackageCacheReturnsTheStoredListing(t *testing.T) {
	_, listing := settledTree(t)
	cache := storedCache(t, listing)
	got, ok := cache.load(testKey)
	if !ok {
		t.Fatal("load() missed a listing whose files did not change")
	}
	if !reflect.DeepEqual(got, listing.Packages) ||
		!reflect.DeepEqual(got[0].dependency(), listing.Packages[0].dependency()) {
		t.Fatalf("load() = %+v, want %+v", got, listing.Packages)
	}
	entries, err := os.ReadDir(cache.dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("cache folder holds %v (%v), want the one listing and no temporary file", entries, err)
	}
}

func TestPackageCacheMissesOnceAWatchedPathChanges(t *testing.T) {
	cases := map[string]func(t *testing.T, site string){
		"package installed": func(t *testing.T, site string) {
			if err := os.Mkdir(filepath.Join(site, "pulumi_gcp-8.0.0.dist-info"), 0o755); err != nil {
				t.Fatal(err)
			}
		},
		"plugin file rewritten": func(t *testing.T, site string) {
			file := filepath.Join(site, "pulumi_aws", "pulumi-plugin.json")
			if err := os.WriteFile(file, []byte(`{"resource": false}`), 0o644); err != nil {
				t.Fatal(err)
			}
		},
		"absent folder created": func(t *testing.T, site string) {
			if err := os.Mkdir(filepath.Join(filepath.Dir(site), "user-site"), 0o755); err != nil {
				t.Fatal(err)
			}
		},
		"site folder removed": func(t *testing.T, site string) {
			if err := os.RemoveAll(site); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			site, listing := settledTree(t)
			cache := storedCache(t, listing)
			change(t, site)
			if _, ok := cache.load(testKey); ok {
				t.Fatal("load() returned a listing made before the change")
			}
		})
	}
}

func TestPackageCacheMissesForAnotherInterpreterOrEnvironment(t *testing.T) {
	_, listing := settledTree(t)
	cache := storedCache(t, listing)
	others := []cacheKey{
		{Python: "/other/bin/python", Resolved: testKey.Resolved, Dir: testKey.Dir, Env: testKey.Env},
		{Python: testKey.Python, Resolved: "/usr/bin/python3.12", Dir: testKey.Dir, Env: testKey.Env},
		{Python: testKey.Python, Resolved: testKey.Resolved, Dir: "/elsewhere", Env: testKey.Env},
		{Python: testKey.Python, Resolved: testKey.Resolved, Dir: testKey.Dir, Env: []string{"HOME=/root", "PYTHONPATH=/x"}},
	}
	for _, key := range others {
		if _, ok := cache.load(key); ok {
			t.Fatalf("load(%+v) returned the listing stored for %+v", key, testKey)
		}
	}
}

func TestPackageCacheKeepsNoListingOfJustChangedFiles(t *testing.T) {
	site, listing := settledTree(t)
	listing.Watch[site] = time.Now().UnixNano()
	cache := storedCache(t, listing)
	if _, err := os.Stat(cache.dir); !os.IsNotExist(err) {
		t.Fatal("store() kept a listing that read a folder changed just now")
	}
}

func TestPackageCacheIgnoresAnUnreadableFile(t *testing.T) {
	_, listing := settledTree(t)
	cache := storedCache(t, listing)
	if err := os.WriteFile(cache.path(testKey), []byte(`{"key": {`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := cache.load(testKey); ok {
		t.Fatal("load() accepted a truncated cache file")
	}
	if _, ok := (packageCache{}).load(testKey); ok {
		t.Fatal("a cache without a folder returned a listing")
	}
}

func TestCacheKeyHoldsThePythonVariablesOnly(t *testing.T) {
	dir := t.TempDir()
	python, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python)
	cmd.Dir = dir
	cmd.Env = []string{"PYTHONPATH=/x", "PATH=/bin", "HOME=/home/me", "VIRTUAL_ENV=/venv", "PYTHONHOME=/py"}
	key, err := newCacheKey(cmd)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"HOME=/home/me", "PYTHONHOME=/py", "PYTHONPATH=/x"}
	if key.Python != python || key.Dir != dir || !reflect.DeepEqual(key.Env, want) {
		t.Fatalf("newCacheKey() = %+v, want python %s, dir %s, env %v", key, python, dir, want)
	}
}
