#!/usr/bin/env bash
# What the TypeScript and Go SDK tests need, cached in ${XDG_CACHE_HOME:-~/.cache}/modelstudio-lora/ (run by
# `scripts/setup.sh --for-tests`):
#  - Node.js 22+ (the one on PATH, else Node.js 22 from the npm registry's node-linux-<arch> package) and the
#    pinned @pulumi/pulumi, typescript and @types/node of scripts/node-toolchain (npm ci);
#  - the Go build cache warmed with the Go SDK and the Automation API (the Go test then builds in seconds).
# Writes .state/sdk-toolchain.json: {"node": ..., "node_modules": ...} (a missing part is null).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/modelstudio-lora"
say() { printf '[setup] %s\n' "$*"; }
warn() { printf '[setup] %s; the tests that need it will be skipped\n' "$*" >&2; }
mkdir -p .state

# npm_cached NAME MESSAGE: installs the locked packages of scripts/NAME once (saying MESSAGE) into
# $CACHE_ROOT/NAME-<digest of its lock file> and sets $dir to that folder; fails when `npm ci` fails.
npm_cached() {
  dir="$CACHE_ROOT/$1-$(sha256sum "scripts/$1/package-lock.json" | cut -c1-12)"
  [ -d "$dir/node_modules" ] && return 0
  say "$2"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  cp "scripts/$1/package.json" "scripts/$1/package-lock.json" "$dir.tmp/"
  if (cd "$dir.tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  else
    rm -rf "$dir.tmp"
    return 1
  fi
}

# -- Node.js 22+ -----------------------------------------------------------------------------------------------
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
node=""
if command -v node >/dev/null && [ "$(node_major node)" -ge 22 ]; then
  node="$(command -v node)"
elif command -v npm >/dev/null; then
  # A failed install shows below as no Node.js 22.
  npm_cached node-runtime "installing Node.js 22 from the npm registry (the node on PATH is older)" || true
  found="$(find "$dir/node_modules" -maxdepth 3 -path '*/node-linux-*/bin/node' -type f 2>/dev/null | head -n1)"
  if [ -n "$found" ] && [ "$(node_major "$found")" -ge 22 ]; then node="$found"; else warn "no Node.js 22 for this machine"; fi
else
  warn "npm not found"
fi

# -- @pulumi/pulumi, typescript, @types/node -------------------------------------------------------------------
modules=""
if [ -n "$node" ] && command -v npm >/dev/null; then
  npm_cached node-toolchain "installing the TypeScript SDK toolchain (@pulumi/pulumi, typescript) from the npm registry" \
    || warn "npm ci of scripts/node-toolchain failed"
  [ -d "$dir/node_modules" ] && modules="$dir/node_modules"
fi

# -- Go SDK: compile it and the Automation API once, so the test's build is quick -------------------------------
if ! command -v go >/dev/null; then
  warn "Go not found: no Go SDK build"
else
  stamp="$CACHE_ROOT/go-sdk-warm-$(cat sdk/go.sum tests/e2e/sdk_programs/go/go.sum | sha256sum | cut -c1-12)"
  if [ ! -e "$stamp" ]; then
    say "compiling the Go SDK and the Automation API (first time only)"
    if (cd tests/e2e/sdk_programs/go && GOFLAGS=-mod=mod go build -o /dev/null ./...); then
      touch "$stamp"
    else
      warn "building the Go SDK test program failed"
    fi
  fi
fi

json() { if [ -n "$1" ]; then printf '"%s"' "$1"; else printf 'null'; fi; }
printf '{"node": %s, "node_modules": %s}\n' "$(json "$node")" "$(json "$modules")" \
  > .state/sdk-toolchain.json
