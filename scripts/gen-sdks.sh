#!/usr/bin/env bash
# Generate the package's SDKs from provider/schema.json (see scripts/gen_sdks.py): `bash scripts/gen-sdks.sh
# [--if-stale] [python] [nodejs] [go]`.
set -euo pipefail
exec python3 "$(dirname "$0")/gen_sdks.py" "$@"
