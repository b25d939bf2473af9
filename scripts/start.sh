#!/usr/bin/env bash
# Install the app's requirements into .venv and start it on http://localhost:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
ensure_venv requirements.txt
exec .venv/bin/python -m streamlit run app.py "$@"
