#!/usr/bin/env bash
# Install the app's requirements into .venv and start it on http://localhost:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
ensure_venv requirements.txt
# The allocator settings in scripts/server.env, unless already set.
while IFS='=' read -r name value; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [ -z "${!name:-}" ] && export "$name=$value"
done < scripts/server.env
exec .venv/bin/python -m streamlit run app.py "$@"
