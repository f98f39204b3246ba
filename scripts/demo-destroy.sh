#!/usr/bin/env bash
# Destroys the example `local` stack and stops the background emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
pulumi destroy --stack local --yes --non-interactive
.venv/bin/modelstudio emulator --stop --data .state/emulator >/dev/null
