#!/usr/bin/env bash
# Destroys the example `local` stack and stops the background emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
pulumi destroy --stack local --yes --non-interactive
.venv/bin/python -c "from pathlib import Path; from pulumi_modelstudio.settings.embedded_emulator import stop_emulator; stop_emulator(Path('.state/emulator'))"
