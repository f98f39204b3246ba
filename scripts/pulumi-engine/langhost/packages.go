package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// requiredPackages creates the virtual environment if it is missing, then reports the resource plugins the
// installed Pulumi packages need (from their pulumi-plugin.json, else from a `pulumi-<name>` package name).
func (h *host) requiredPackages(ctx context.Context, info *pulumirpc.ProgramInfo) ([]*pulumirpc.PackageDependency, error) {
	tc, _, err := resolve(info)
	if err != nil {
		return nil, err
	}
	stdout, stderr, done := h.engineLog(ctx)
	defer done()
	if err := tc.EnsureVenv(ctx, info.ProgramDirectory, false, true, stdout, stderr); err != nil {
		return nil, err
	}
	installed, err := installedPackages(ctx, tc, h.packageCache)
	if err != nil {
		return nil, err
	}
	var result []*pulumirpc.PackageDependency
	for _, p := range installed {
		if dep := p.dependency(); dep != nil {
			result = append(result, dep)
		}
	}
	return result, nil
}

// installedPackage is one distribution of the environment, with the pulumi-plugin.json it ships, if any.
type installedPackage struct {
	Name    string                   `json:"name"`
	Version string                   `json:"version"`
	Plugin  *plugin.PulumiPluginJSON `json:"plugin"`
}

// packagesWithoutPlugins are Pulumi libraries that need no resource plugin.
var packagesWithoutPlugins = map[string]bool{"pulumi": true, "pulumi-policy": true, "pulumi-esc-sdk": true}

func (p installedPackage) dependency() *pulumirpc.PackageDependency {
	name := strings.ReplaceAll(strings.ToLower(p.Name), "_", "-")
	if packagesWithoutPlugins[name] {
		return nil
	}
	if p.Plugin == nil && !strings.HasPrefix(name, "pulumi-") {
		return nil
	}
	dep := &pulumirpc.PackageDependency{Kind: "resource"}
	if p.Plugin != nil {
		if !p.Plugin.Resource {
			return nil
		}
		dep.Name, dep.Version, dep.Server = p.Plugin.Name, p.Plugin.Version, p.Plugin.Server
		if pz := p.Plugin.Parameterization; pz != nil {
			dep.Parameterization = &pulumirpc.PackageParameterization{Name: pz.Name, Version: pz.Version, Value: pz.Value}
		}
		if pz := p.Plugin.ExtensionParameterization; pz != nil {
			dep.Extension = &pulumirpc.PackageParameterization{Name: pz.Name, Version: pz.Version, Value: pz.Value}
		}
	}
	if dep.Name == "" {
		dep.Name = strings.TrimPrefix(name, "pulumi-")
	}
	if dep.Version == "" {
		v, err := pluginVersion(p.Version)
		if err != nil {
			return nil // e.g. a dev build whose plugin version cannot be derived
		}
		dep.Version = v
	}
	if !strings.HasPrefix(dep.Version, "v") {
		dep.Version = "v" + dep.Version
	}
	return dep
}

// listScript prints the installed distributions that may need a plugin (a pulumi-plugin.json in a top-level
// package, or a `pulumi-` name), and the modification times (ns, -1 when absent) of everything the answer was read
// from: the interpreter, the folders on sys.path and the site folders with their .pth files, and the plugin files
// and package folders it looked into. Times are taken before reading, so a change made meanwhile shows.
// Only a RECORD that names a pulumi-plugin.json is parsed, and only metadata that mentions pulumi.
const listScript = `
import importlib.metadata as md, importlib.util, json, os, pathlib, site, sys
watched = {}
def watch(path):
    path = os.path.abspath(path)
    if path not in watched:
        try:
            watched[path] = os.stat(path).st_mtime_ns
        except OSError:
            watched[path] = -1
def watch_folder(path):
    watch(path)
    try:
        with os.scandir(path or ".") as entries:
            for entry in entries:
                if entry.name.endswith(".pth"):
                    watch(entry.path)
    except OSError:
        pass
watch(sys.executable)
watch(os.path.join(sys.prefix, "pyvenv.cfg"))
site_folders = list(getattr(site, "getsitepackages", list)())
if getattr(site, "ENABLE_USER_SITE", False):
    site_folders.append(site.getusersitepackages())
for folder in sys.path + site_folders:
    watch_folder(folder)
def record_plugin(dist):
    record = dist.read_text("RECORD")
    if record and "pulumi-plugin.json" not in record:
        return None
    for f in dist.files or []:
        if f.name == "pulumi-plugin.json" and len(f.parts) == 2:
            path = pathlib.Path(f.locate())
            watch(path)
            return json.loads(path.read_text())
    return None
def may_be_pulumi(dist):
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    return not text or "pulumi" in text.lower()
def spec_plugin(name):
    try:
        spec = importlib.util.find_spec(name.replace("-", "_"))
    except (ImportError, ValueError):
        spec = None
    for loc in (spec.submodule_search_locations or []) if spec else []:
        watch(loc)
        candidate = pathlib.Path(loc, "pulumi-plugin.json")
        watch(candidate)
        if candidate.is_file():
            return json.loads(candidate.read_text())
    return None
out = []
for dist in md.distributions():
    plugin = record_plugin(dist)
    if plugin is None and not may_be_pulumi(dist):
        continue
    name = dist.metadata["Name"] or ""
    pulumi_named = name.lower().replace("_", "-").startswith("pulumi-")
    if plugin is None and pulumi_named:
        plugin = spec_plugin(name)
    if plugin is not None or pulumi_named:
        out.append({"name": name, "version": dist.version, "plugin": plugin})
print(json.dumps({"packages": out, "watch": watched}))
`

// packageListing is what listScript prints.
type packageListing struct {
	Packages []installedPackage `json:"packages"`
	Watch    map[string]int64   `json:"watch"` // path -> modification time in ns, -1 when absent
}

// installedPackages lists the environment's packages that may need a plugin, from the cache while nothing it
// was read from has changed, else with listScript.
func installedPackages(ctx context.Context, tc toolchain.Toolchain, cache packageCache) ([]installedPackage, error) {
	cmd, err := tc.Command(ctx, "-c", listScript)
	if err != nil {
		return nil, err
	}
	key, keyErr := newCacheKey(cmd)
	if keyErr == nil {
		if packages, ok := cache.load(key); ok {
			return packages, nil
		}
	}
	started := time.Now()
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if ok := asExit(err, &exit); ok {
			return nil, fmt.Errorf("listing installed Python packages failed: %s", strings.TrimSpace(string(exit.Stderr)))
		}
		return nil, fmt.Errorf("listing installed Python packages: %w", err)
	}
	var listing packageListing
	if err := json.Unmarshal(out, &listing); err != nil {
		return nil, fmt.Errorf("reading the installed Python packages: %w", err)
	}
	if keyErr == nil {
		cache.store(key, listing, started)
	}
	return listing.Packages, nil
}
