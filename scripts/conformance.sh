#!/usr/bin/env bash
# Runs Pulumi's language conformance suite (pkg/v3/testing/pulumi-test-language) against the Python language
# host that scripts/setup.sh builds, and prints passed/total with each failing or skipped test and its reason.
# Usage: scripts/conformance.sh [VARIANT] [NAME-FILTER]   (VARIANT: default | toml; results in .state/conformance/)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source scripts/env.sh
VARIANT="${1:-default}"
HOST="$ROOT/scripts/pulumi-engine/langhost"
OUT="$ROOT/.state/conformance"
mkdir -p "$OUT"
command -v uv >/dev/null || { echo "uv is not on PATH (it comes with the dev extras: run make setup)" >&2; exit 1; }

sdk="$(cd "$HOST" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
# The suite builds the core SDK wheel from source; the module cache is read-only, so build from a copy.
cp -r "$sdk/python" "$work/core-sdk"
chmod -R u+w "$work/core-sdk"

# Upstream compares generated code with snapshots kept next to the official host, which no Go module publishes:
# PULUMI_ACCEPT=1 writes them instead, so generated code is checked by installing, type-checking and running it.
export PULUMI_ACCEPT=1
started=$SECONDS
status=0
(cd "$HOST" && PULUMI_CONFORMANCE=1 CONFORMANCE_VARIANT="$VARIANT" CONFORMANCE_ONLY="${2:-}" \
  CONFORMANCE_EXEC_SCRIPT="$sdk/python/cmd/pulumi-language-python-exec" CONFORMANCE_CORE_SDK="$work/core-sdk" \
  CONFORMANCE_RESULTS="$OUT/$VARIANT.json" TMPDIR="$work" \
  GOFLAGS=-mod=mod go test -count=1 -run TestConformance -parallel 2 -timeout 3h . >"$OUT/$VARIANT.log" 2>&1) \
  || status=$?
python3 - "$OUT/$VARIANT.json" "$((SECONDS - started))" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
ran = [r for r in results if r["outcome"] != "skipped"]
passed = [r for r in ran if r["outcome"] == "passed"]
print(f"conformance ({results[0]['variant'] if results else '?'}): {len(passed)}/{len(ran)} passed, "
      f"{len(results) - len(ran)} out of scope, {sys.argv[2]} s")
for r in results:
    if r["outcome"] != "passed":
        print(f"  {r['outcome']:8} {r['test']}: {r.get('reason', '')}")
PY
echo "full log: $OUT/$VARIANT.log"
exit "$status"
