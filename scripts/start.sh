#!/usr/bin/env bash
# Install the app's requirements into .venv and start it on http://localhost:8501 (arguments go to streamlit run).
set -euo pipefail
cd "$(dirname "$0")/.."
# IE_INSTALLED=1 skips the install (the container image has it already, and may have no network).
[ "${IE_INSTALLED:-}" = 1 ] || bash scripts/install.sh app
# The allocator settings in scripts/server.env, unless already set.
while IFS='=' read -r name value; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [ -z "${!name:-}" ] && export "$name=$value"
done < scripts/server.env
exec .venv/bin/python -m streamlit run app.py "$@"
