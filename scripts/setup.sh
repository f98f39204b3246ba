#!/usr/bin/env bash
# One-stop setup, idempotent and quick when already done:
#  1. the project virtualenv (.venv) with the package and its dev tools;
#  2. the Pulumi engine: an installed official `pulumi` (3.200+, with its Python language host) is preferred;
#     otherwise the CLI, the Python, Node.js and Go language hosts, the YAML converter and the dynamic-provider plugin
#     are built from the Go module proxy (Go 1.26+) and cached in ${XDG_CACHE_HOME:-~/.cache}/modelstudio-lora/pulumi-<version>/;
#  3. the SDKs generated from provider/schema.json with that engine (scripts/gen_sdks.py, when the schema or the
#     engine changed).
# With --for-tests it also installs what only the test suite needs: the PostgreSQL server of the team-mode test
# (Debian package `postgresql`, through apt-get when run as root) and the TypeScript and Go SDK toolchains
# (scripts/sdk-toolchain.sh). `make demo` never installs system packages.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
FOR_TESTS=""
for arg in "$@"; do
  case "$arg" in
    --for-tests) FOR_TESTS=1 ;;
    *) printf '[setup] error: unknown option %s (known: --for-tests)\n' "$arg" >&2; exit 2 ;;
  esac
done
ENGINE_SRC="$ROOT/scripts/pulumi-engine"
VERSION="$(cat "$ENGINE_SRC/VERSION")"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/modelstudio-lora"
CACHE="$CACHE_ROOT/pulumi-${VERSION}"
MIN_MINOR=200
GO_MIN_MINOR=26

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# -- 1. Python ----------------------------------------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is required (3.11 or newer)"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "Python 3.11 or newer is required"
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv
fi
stamp=".venv/.modelstudio-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing the package and its tools into .venv"
  mkdir -p .state
  if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e '.[dev]'; } \
      > .state/pip.log 2>&1; then
    cat .state/pip.log >&2
    die "installing Python packages failed (log above, also in .state/pip.log)"
  fi
  echo "$want" > "$stamp"
fi

# -- 2. PostgreSQL server, for the test suite only (the team-mode test starts one as a shared state backend) --
if [ -n "$FOR_TESTS" ] && ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing the PostgreSQL server for the team-mode test (Debian package postgresql)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || say "could not install postgresql; the team-mode test will be skipped"
  else
    say "PostgreSQL server not found; install the postgresql package to run the team-mode test"
  fi
fi

# -- 3. Pulumi engine ---------------------------------------------------------------------------------------
mkdir -p .state
reuse_existing() {
  local bin ver minor dir
  bin="$(command -v pulumi 2>/dev/null)" || return 1
  dir="$(cd "$(dirname "$bin")" && pwd -P)"
  case "$dir/" in "$(mkdir -p "$CACHE_ROOT" && cd "$CACHE_ROOT" && pwd -P)/"*) return 1 ;; esac  # one we built
  ver="$(pulumi version 2>/dev/null | sed 's/^v//')" || return 1
  minor="$(echo "$ver" | cut -d. -f2)"
  [ "$(echo "$ver" | cut -d. -f1)" = 3 ] && [ "${minor:-0}" -ge "$MIN_MINOR" ] 2>/dev/null || return 1
  [ -x "$dir/pulumi-language-python" ] || command -v pulumi-language-python >/dev/null || return 1
  say "using the official pulumi $ver already on PATH ($bin)"
  echo "$dir" > .state/engine-path
}

need_go() {
  command -v go >/dev/null \
    || die "Go 1.${GO_MIN_MINOR}+ is needed to build the Pulumi engine (no installed pulumi 3.${MIN_MINOR}+ found)"
  local minor
  minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
  [ "${minor:-0}" -ge "$GO_MIN_MINOR" ] 2>/dev/null \
    || die "Go 1.${GO_MIN_MINOR}+ is needed to build the Pulumi engine; found $(go env GOVERSION)"
}

# go_build MODULE_DIR OUTPUT PACKAGE [LDFLAGS]: a reproducible build in a scratch copy of a pinned module, next to
# copies of the sibling modules its go.mod replaces requirements with (`replace ... => ../hostkit`).
go_build() {
  local work dep; work="$(mktemp -d)"
  mkdir "$work/main"
  cp "$1"/go.mod "$1"/go.sum "$work/main/"
  find "$1" -maxdepth 1 -name '*.go' ! -name '*_test.go' -exec cp {} "$work/main/" \;
  for dep in $(sed -n 's#^replace [^ ]* => \.\./\([A-Za-z0-9._-]*\)$#\1#p' "$1/go.mod"); do
    mkdir "$work/$dep"
    (cd "$(dirname "$1")/$dep" && find . -type f \( -name go.mod -o -name '*.go' \) ! -name '*_test.go' \
      -exec cp --parents {} "$work/$dep/" \;)
  done
  if [ -f "$1/patches.tsv" ]; then
    patch_modules "$1" "$work" || { rm -rf "$work"; die "patching the modules of $1 failed"; }
  fi
  (cd "$work/main" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w ${4:-}" \
    -o "$2.tmp" "$3") || { rm -rf "$work"; die "building $(basename "$2") failed"; }
  mv "$2.tmp" "$2"  # the go build above wrote $2.tmp
  rm -rf "$work"
}

# patch_modules MODULE_DIR WORK: for each line of MODULE_DIR/patches.tsv (module, file in that module, replacement
# under MODULE_DIR), a writable copy of the pinned module in WORK (one per module) with the file replaced, which
# WORK/main's go.mod then uses (`replace MODULE => ../patched-N`).
patch_modules() {
  local module file replacement dir copy n=0
  local -A copies=()
  while IFS=$'\t' read -r module file replacement; do
    case "$module" in '' | '#'*) continue ;; esac
    copy="${copies[$module]:-}"
    if [ -z "$copy" ]; then
      dir="$(cd "$2/main" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' "$module")" && [ -n "$dir" ] || return 1
      n=$((n + 1))
      copy="patched-$n"
      cp -r "$dir" "$2/$copy" && chmod -R u+w "$2/$copy"
      (cd "$2/main" && go mod edit -replace "$module=../$copy") || return 1
      copies[$module]="$copy"
    fi
    [ -f "$2/$copy/$file" ] || { printf '[setup] %s has no %s to replace\n' "$module" "$file" >&2; return 1; }
    cp "$1/$replacement" "$2/$copy/$file"
  done < "$1/patches.tsv"
}

# cli_digest: the CLI's pinned modules and the source files its build replaces, for the name of its cache folder.
cli_digest() {
  (cd "$ENGINE_SRC/cli" && cat go.mod go.sum patches.tsv patches/*) | sha256sum | cut -c1-12
}

# hostkit_sources: the module the language hosts share (scripts/pulumi-engine/hostkit), for the digests of their
# cache folders, so that a change to it rebuilds them.
hostkit_sources() {
  (cd "$ENGINE_SRC" && find hostkit -type f \( -name go.mod -o -name '*.go' \) ! -name '*_test.go' | sort | xargs cat)
}

build_engine() {
  need_go
  mkdir -p "$CACHE"
  local started=$SECONDS
  local cli_sum cli
  cli_sum="$(cli_digest)"
  cli="$CACHE/cli-$cli_sum/pulumi"
  if [ ! -x "$cli" ]; then
    say "building the Pulumi CLI ${VERSION} from the Go module proxy (first time only, a few minutes)"
    mkdir -p "$(dirname "$cli")"
    go_build "$ENGINE_SRC/cli" "$cli" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${VERSION}"
  fi
  local yaml_version converter
  yaml_version="$(sed -n 's#^require github.com/pulumi/pulumi-yaml \(v[0-9.]*\)$#\1#p' "$ENGINE_SRC/converter-yaml/go.mod")"
  converter="$CACHE/pulumi-converter-yaml-${yaml_version}"
  if [ ! -x "$converter" ]; then
    say "building the YAML converter ${yaml_version} (for pulumi convert --from yaml)"
    go_build "$ENGINE_SRC/converter-yaml" "$converter" github.com/pulumi/pulumi-yaml/cmd/pulumi-converter-yaml
  fi
  # The language host and the plugins that sit next to the CLI live in a folder named after their sources, so
  # checkouts of different versions share the cache without overwriting each other's host.
  local digest dir
  digest="$( (cd "$ENGINE_SRC" && find VERSION pulumi-resource-pulumi-python langhost -maxdepth 1 -type f \
    \( -name VERSION -o -name 'pulumi-resource-*' -o -name go.mod -o -name '*.go' \) ! -name '*_test.go' \
    | sort | xargs cat; hostkit_sources; echo "$cli_sum") | sha256sum | cut -c1-12)"
  dir="$CACHE/engine-$digest"
  if [ ! -x "$dir/pulumi-language-python" ]; then
    say "building the Python language host"
    local stage="$dir.tmp.$$"
    rm -rf "$stage" && mkdir -p "$stage"
    go_build "$ENGINE_SRC/langhost" "$stage/pulumi-language-python" . "-X main.version=${VERSION#v}"
    local sdk
    sdk="$(cd "$ENGINE_SRC/langhost" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
    install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$stage/pulumi-language-python-exec"
    install -m 0755 "$ENGINE_SRC/pulumi-resource-pulumi-python" "$stage/pulumi-resource-pulumi-python"
    # The CLI finds its bundled language host next to its own executable: a hard link keeps one copy on disk.
    ln "$cli" "$stage/pulumi" 2>/dev/null || cp "$cli" "$stage/pulumi"
    mv -T "$stage" "$dir" 2>/dev/null || rm -rf "$stage"  # another checkout may have finished the same one first
  fi
  # The Node.js and Go language hosts (scripts/pulumi-engine/langhost-nodejs, langhost-go), for `pulumi up` of
  # TypeScript and Go projects; the CLI finds them next to itself.
  local lang lang_dir
  for lang in nodejs go; do
    lang_dir="$CACHE/$lang-host-$( (cd "$ENGINE_SRC/langhost-$lang" && cat go.mod go.sum ./*.go; hostkit_sources) \
      | sha256sum | cut -c1-12)"
    if [ ! -x "$lang_dir/pulumi-language-$lang" ]; then
      say "building the $lang language host"
      mkdir -p "$lang_dir"
      go_build "$ENGINE_SRC/langhost-$lang" "$lang_dir/pulumi-language-$lang" . "-X main.version=${VERSION#v}"
    fi
    if ! cmp -s "$lang_dir/pulumi-language-$lang" "$dir/pulumi-language-$lang"; then
      ln -f "$lang_dir/pulumi-language-$lang" "$dir/pulumi-language-$lang" 2>/dev/null \
        || cp -f "$lang_dir/pulumi-language-$lang" "$dir/pulumi-language-$lang"
    fi
  done
  # The YAML language host (programs with `runtime: yaml`) sits next to the CLI, where it looks for it first.
  local yaml_host="$CACHE/pulumi-language-yaml-${yaml_version}"
  if [ ! -x "$yaml_host" ]; then
    say "building the YAML language host ${yaml_version} (for programs with runtime: yaml)"
    go_build "$ENGINE_SRC/converter-yaml" "$yaml_host" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
  fi
  if [ ! -x "$dir/pulumi-language-yaml" ]; then
    ln "$yaml_host" "$dir/pulumi-language-yaml.tmp.$$" 2>/dev/null || cp "$yaml_host" "$dir/pulumi-language-yaml.tmp.$$"
    mv "$dir/pulumi-language-yaml.tmp.$$" "$dir/pulumi-language-yaml"
  fi
  # Converter plugins are looked up in the plugin cache (a copy on PATH works too, but with a warning each time).
  if [ ! -x "${PULUMI_HOME:-$HOME/.pulumi}/plugins/converter-yaml-${yaml_version}/pulumi-converter-yaml" ]; then
    say "installing the YAML converter ${yaml_version} into the Pulumi plugin cache"
    PULUMI_SKIP_UPDATE_CHECK=true "$dir/pulumi" plugin install converter yaml "$yaml_version" --file "$converter" \
      >.state/plugin-install.log 2>&1 || { cat .state/plugin-install.log >&2; die "installing the YAML converter failed"; }
  fi
  if [ $((SECONDS - started)) -gt 1 ]; then
    say "engine build took $((SECONDS - started)) s"
  fi
  echo "$dir" > .state/engine-path
}

if [ -n "${MODELSTUDIO_FORCE_ENGINE_BUILD:-}" ] || ! reuse_existing; then
  build_engine
fi
ENGINE_DIR="$(cat .state/engine-path)"
say "pulumi $("$ENGINE_DIR/pulumi" version) ready in $ENGINE_DIR"

# -- 4. The SDKs generated from provider/schema.json: the typed Python classes (modelstudio_lora, which the
# editable install above serves from provider/) and the TypeScript and Go SDKs (sdk/nodejs, sdk/go) -----------
python3 scripts/gen_sdks.py --if-stale python | sed 's/^\[gen-sdks\]/[setup]/' \
  || die "generating the typed Python classes failed (message above)"
python3 scripts/gen_sdks.py --if-stale nodejs go | sed 's/^\[gen-sdks\]/[setup]/' \
  || say "the TypeScript and Go SDKs were not generated (message above); the tests that need them will fail"

# Byte-compile the package the editable install serves from provider/ (pip compiles only what it copies): every
# `pulumi` command starts Python processes that import it, and where bytecode is not written at import
# (PYTHONDONTWRITEBYTECODE) each of them would compile it again. Files already compiled are skipped.
.venv/bin/python -m compileall -q -j 0 provider stacks policy bench > /dev/null || say "byte-compiling provider/ failed"

# -- 5. TypeScript and Go SDK toolchains, for the test suite only (scripts/sdk-toolchain.sh) --------------------
if [ -n "$FOR_TESTS" ]; then
  bash "$ROOT/scripts/sdk-toolchain.sh"
fi
