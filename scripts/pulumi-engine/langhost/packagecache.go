package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// packageCache keeps each environment's package listing in a small JSON file under the user's cache folder
// ($XDG_CACHE_HOME/modelstudio-lora/python-packages). A listing is used while the same interpreter would start the
// same way (cacheKey) and every path it was read from keeps its modification time: installing, upgrading or
// removing a package (pip, uv, poetry, editable installs) adds, renames or removes entries of a site folder or of a
// package folder, which changes that folder's time. Any error makes it list again.
type packageCache struct {
	dir string // "" disables the cache
}

func newPackageCache() packageCache {
	base, err := os.UserCacheDir()
	if err != nil {
		return packageCache{}
	}
	return packageCache{dir: filepath.Join(base, "modelstudio-lora", "python-packages")}
}

// settleTime: a listing that read a path modified less than this before it started is not kept, since a change
// right after it could leave the same time (timestamps have a granularity, of seconds on some file systems).
const settleTime = 3 * time.Second

// cacheKey is what chooses the interpreter and its sys.path besides the files listScript watches.
type cacheKey struct {
	Python   string   `json:"python"`   // the command's path
	Resolved string   `json:"resolved"` // the same with symbolic links resolved
	Dir      string   `json:"dir"`      // the working directory, first on the sys.path of `python -c`
	Env      []string `json:"env"`      // the PYTHON* variables, the home folder and the locale, sorted
}

// keyVariables are the variables besides PYTHON* that change what the interpreter finds or how it reads files.
var keyVariables = map[string]bool{"HOME": true, "APPDATA": true, "USERPROFILE": true, "LANG": true, "LC_ALL": true, "LC_CTYPE": true}

func newCacheKey(cmd *exec.Cmd) (cacheKey, error) {
	resolved, err := filepath.EvalSymlinks(cmd.Path)
	if err != nil {
		return cacheKey{}, err
	}
	dir := cmd.Dir
	if dir == "" {
		if dir, err = os.Getwd(); err != nil {
			return cacheKey{}, err
		}
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return cacheKey{}, err
	}
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	var keyEnv []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "PYTHON") || keyVariables[name] {
			keyEnv = append(keyEnv, kv)
		}
	}
	slices.Sort(keyEnv)
	return cacheKey{Python: cmd.Path, Resolved: resolved, Dir: dir, Env: keyEnv}, nil
}

func (k cacheKey) equal(other cacheKey) bool {
	return k.Python == other.Python && k.Resolved == other.Resolved && k.Dir == other.Dir && slices.Equal(k.Env, other.Env)
}

// cacheEntry is one cache file.
type cacheEntry struct {
	Key      cacheKey           `json:"key"`
	Packages []installedPackage `json:"packages"`
	Watch    map[string]int64   `json:"watch"`
}

func (c packageCache) path(key cacheKey) string {
	data, _ := json.Marshal(key) // strings only: it cannot fail
	sum := sha256.Sum256(data)
	return filepath.Join(c.dir, hex.EncodeToString(sum[:16])+".json")
}

// load returns the cached listing for key while every watched path keeps its modification time.
func (c packageCache) load(key cacheKey) ([]installedPackage, bool) {
	if c.dir == "" {
		return nil, false
	}
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, false
	}
	var entry cacheEntry
	if json.Unmarshal(data, &entry) != nil || !entry.Key.equal(key) || len(entry.Watch) == 0 {
		return nil, false
	}
	for path, mtime := range entry.Watch {
		if modTime(path) != mtime {
			return nil, false
		}
	}
	return entry.Packages, true
}

// store keeps a listing made at started, unless a path it read had just changed; it writes a temporary file and
// renames it, so readers see the old listing or the new one, never a part.
func (c packageCache) store(key cacheKey, listing packageListing, started time.Time) {
	if c.dir == "" || len(listing.Watch) == 0 {
		return
	}
	settled := started.Add(-settleTime).UnixNano()
	for _, mtime := range listing.Watch {
		if mtime > settled {
			return
		}
	}
	data, err := json.Marshal(cacheEntry{Key: key, Packages: listing.Packages, Watch: listing.Watch})
	if err != nil || os.MkdirAll(c.dir, 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".listing-*")
	if err != nil {
		return
	}
	_, writeErr := tmp.Write(data)
	closeErr := tmp.Close()
	if writeErr != nil || closeErr != nil || os.Rename(tmp.Name(), c.path(key)) != nil {
		_ = os.Remove(tmp.Name())
	}
}

// modTime is a path's modification time in ns, following symbolic links as Python's os.stat does; -1 when it
// cannot be read (absent), as listScript records it.
func modTime(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return info.ModTime().UnixNano()
}
