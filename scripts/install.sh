#!/usr/bin/env bash
# Install Imbalance Explorer: the one install script CI, the container and a fresh machine all run.
#   scripts/install.sh app   the app's Python packages in .venv (requirements.txt)
#   scripts/install.sh dev   the app's and the tests' packages (requirements-dev.txt)
# With --chromium it also installs Debian's chromium when none is there (the browser tests need it,
# and the app uses it to draw the figures ZIP; without it that one download explains itself).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh

what=${1:-app}
chromium=false
for arg in "${@:2}"; do
  case $arg in
    --chromium) chromium=true ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done
case $what in
  app) ensure_venv requirements.txt ;;
  dev) ensure_venv requirements-dev.txt ;;
  *) echo "usage: scripts/install.sh app|dev [--chromium]" >&2; exit 2 ;;
esac

if $chromium && [ -z "${IE_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium…"
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
