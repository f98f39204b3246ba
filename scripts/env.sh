# Sourced by the make targets: puts the engine and .venv on PATH and picks local defaults.
# Values already set in the environment win.
_ms_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -f "$_ms_root/.state/engine-path" ]; then
  PATH="$(cat "$_ms_root/.state/engine-path"):$PATH"
fi
export PATH="$_ms_root/.venv/bin:$PATH"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$_ms_root/.state/backend}"
if [ -z "${PULUMI_CONFIG_PASSPHRASE+x}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE=""
fi
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$_ms_root/.state/backend"
unset _ms_root
