#!/usr/bin/env bash
# Runs `pulumi up` of the example `local` stack against the embedded emulator and prints the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
pulumi stack select local --create --non-interactive >/dev/null
pulumi up --stack local --yes --non-interactive --diff
echo
pulumi stack output --stack local --json
echo
echo "Emulator state and logs: .state/emulator  (stop it with: make emulator-stop)"
