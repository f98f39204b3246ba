# Sourced by the make targets: puts the engine and .venv on PATH and picks local defaults.
# Values already set in the environment win.
_ms_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -f "$_ms_root/.state/engine-path" ]; then
  PATH="$(cat "$_ms_root/.state/engine-path"):$PATH"
fi
export PATH="$_ms_root/.venv/bin:$PATH"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$_ms_root/.state/backend}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$_ms_root/.state/backend"
unset _ms_root

# Secrets: only the `local` stack (embedded emulator, demo data) has an empty passphrase, so the demo needs no
# setup. Every other stack asks for your passphrase, or uses PULUMI_CONFIG_PASSPHRASE(_FILE) or the secrets
# provider you chose (`pulumi stack init --secrets-provider ...`).
_ms_stack_of() {
  # The stack a `pulumi` command line works on: --stack/-s, `stack init|select|rm NAME`, else the selected one.
  local prev="" arg
  for arg in "$@"; do
    case "$prev" in -s | --stack) printf '%s\n' "$arg"; return ;; esac
    case "$arg" in --stack=*) printf '%s\n' "${arg#--stack=}"; return ;; esac
    prev="$arg"
  done
  if [ "${1:-}" = stack ]; then
    case "${2:-}" in
      init | select | rm)
        prev=""
        for arg in "${@:3}"; do
          case "$prev" in --secrets-provider | --copy-config-from | --teams | --cwd | -C) prev=""; continue ;; esac
          case "$arg" in -*) ;; *) printf '%s\n' "$arg"; return ;; esac
          prev="$arg"
        done
        ;;
    esac
  fi
  command pulumi stack --show-name 2>/dev/null
}

pulumi() {
  if [ -z "${PULUMI_CONFIG_PASSPHRASE+x}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ] \
    && [ "$(_ms_stack_of "$@")" = local ]; then
    PULUMI_CONFIG_PASSPHRASE="" command pulumi "$@"
  else
    command pulumi "$@"
  fi
}
