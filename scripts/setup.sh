#!/usr/bin/env bash
# One-stop setup, idempotent and quick when already done:
#  1. the project virtualenv (.venv) with the package and its dev tools;
#  2. the Pulumi engine: an existing recent `pulumi` with a Python language host is reused, otherwise the CLI,
#     the Python language host and the dynamic-provider plugin are built from the Go module proxy and cached in
#     ${XDG_CACHE_HOME:-~/.cache}/modelstudio-lora/pulumi-<version>/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ENGINE_SRC="$ROOT/scripts/pulumi-engine"
VERSION="$(cat "$ENGINE_SRC/VERSION")"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/modelstudio-lora/pulumi-${VERSION}"
MIN_MINOR=200

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

# -- 2. PostgreSQL server (the team-mode test starts one as a shared state backend) -------------------------
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing the PostgreSQL server (Debian package postgresql)"
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
  ver="$(pulumi version 2>/dev/null | sed 's/^v//')" || return 1
  minor="$(echo "$ver" | cut -d. -f2)"
  [ "$(echo "$ver" | cut -d. -f1)" = 3 ] && [ "${minor:-0}" -ge "$MIN_MINOR" ] 2>/dev/null || return 1
  dir="$(dirname "$bin")"
  [ -x "$dir/pulumi-language-python" ] || command -v pulumi-language-python >/dev/null || return 1
  [ "$dir" = "$CACHE" ] && return 1
  say "using the pulumi $ver already on PATH ($bin)"
  echo "$dir" > .state/engine-path
}

build_engine() {
  command -v go >/dev/null || die "Go 1.24+ is needed to build the Pulumi engine (no pulumi with a Python host found)"
  mkdir -p "$CACHE"
  local ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${VERSION}"
  if [ ! -x "$CACHE/pulumi" ]; then
    say "building the Pulumi CLI ${VERSION} from the Go module proxy (first time only, a few minutes)"
    local work; work="$(mktemp -d)"
    cp "$ENGINE_SRC/cli/go.mod" "$ENGINE_SRC/cli/go.sum" "$work/"
    (cd "$work" && GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$CACHE/pulumi.tmp" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) || die "building the Pulumi CLI failed"
    mv "$CACHE/pulumi.tmp" "$CACHE/pulumi"
    rm -rf "$work"
  fi
  if [ ! -x "$CACHE/pulumi-language-python" ] || [ "$ENGINE_SRC/langhost/main.go" -nt "$CACHE/pulumi-language-python" ]; then
    say "building the Python language host"
    (cd "$ENGINE_SRC/langhost" && go build -trimpath -ldflags "-s -w -X main.version=${VERSION#v}" \
      -o "$CACHE/pulumi-language-python.tmp" .) || die "building the Python language host failed"
    mv "$CACHE/pulumi-language-python.tmp" "$CACHE/pulumi-language-python"
  fi
  if [ ! -f "$CACHE/pulumi-language-python-exec" ]; then
    local sdk
    sdk="$(cd "$ENGINE_SRC/langhost" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
    cp "$sdk/python/cmd/pulumi-language-python-exec" "$CACHE/pulumi-language-python-exec"
    chmod 0755 "$CACHE/pulumi-language-python-exec"
  fi
  install -m 0755 "$ENGINE_SRC/pulumi-resource-pulumi-python" "$CACHE/pulumi-resource-pulumi-python"
  echo "$CACHE" > .state/engine-path
}

if [ -n "${MODELSTUDIO_FORCE_ENGINE_BUILD:-}" ] || ! reuse_existing; then
  build_engine
fi
ENGINE_DIR="$(cat .state/engine-path)"
say "pulumi $("$ENGINE_DIR/pulumi" version) ready in $ENGINE_DIR"
