#!/usr/bin/env bash
# Install the app's requirements into .venv and start it on http://localhost:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
ensure_venv requirements.txt
# Threads share two heaps, so sessions and tree-growing workers do not each keep freed memory (core/memory.py).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec .venv/bin/python -m streamlit run app.py "$@"
