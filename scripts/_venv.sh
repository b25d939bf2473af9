# Sourced by start.sh and test.sh: make .venv with Python 3.11+ and install a requirements file into it.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_venv() {
  local requirements=$1
  local py=${PYTHON:-python3}
  if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Imbalance Explorer needs Python 3.11 or newer ($py is $("$py" --version 2>&1))." >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    if ! "$py" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      as_root apt-get update -qq
      as_root apt-get install -y -qq python3-venv
      "$py" -m venv .venv
    fi
  fi
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
}
