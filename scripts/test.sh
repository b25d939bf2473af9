#!/usr/bin/env bash
# Install what the tests need (dev packages in .venv, Debian's Chromium) and run every test:
# lint, unit (core), app (AppTest) and e2e (Playwright + Chromium against a running server).
# Extra arguments go to pytest, e.g. `scripts/test.sh tests/unit -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev --chromium  # the same install script as the Dockerfile

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
