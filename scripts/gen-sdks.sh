#!/usr/bin/env bash
# Regenerate the TypeScript and Go SDKs (sdk/nodejs, sdk/go) from provider/schema.json with Pulumi's code
# generators, or with --check list the SDK files that differ from what the schema generates (exit 1 then).
# The generator (scripts/pulumi-engine/sdkgen) is built with Go the first time and cached.
# --build-only builds it and prints its path.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SRC="$ROOT/scripts/pulumi-engine/sdkgen"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/modelstudio-lora"
mode=""
for arg in "$@"; do
  case "$arg" in
    --check | --build-only) mode="$arg" ;;
    *) printf '[gen-sdks] error: unknown option %s (known: --check, --build-only)\n' "$arg" >&2; exit 2 ;;
  esac
done
digest="$(cd "$SRC" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-12)"
bin="$CACHE_ROOT/sdkgen-$digest/sdkgen"
if [ ! -x "$bin" ]; then
  command -v go >/dev/null || { echo "[gen-sdks] error: Go 1.26+ is needed to build the SDK generator" >&2; exit 1; }
  echo "[gen-sdks] building the SDK generator (first time only)" >&2
  mkdir -p "$(dirname "$bin")"
  (cd "$SRC" && GOFLAGS=-mod=mod go build -trimpath -o "$bin.tmp" .) \
    || { echo "[gen-sdks] error: building the SDK generator failed" >&2; exit 1; }
  mv "$bin.tmp" "$bin"
fi
case "$mode" in
  --build-only) echo "$bin" ;;
  --check) cd "$ROOT" && "$bin" -schema provider/schema.json -out sdk -check ;;
  *) cd "$ROOT" && "$bin" -schema provider/schema.json -out sdk && echo "[gen-sdks] wrote sdk/nodejs and sdk/go" ;;
esac
