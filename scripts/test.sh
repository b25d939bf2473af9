#!/usr/bin/env bash
# Install what the tests need (dev packages in .venv, Debian's Chromium) and run every test:
# lint, unit (core), app (AppTest) and e2e (Playwright + Chromium against a running server).
# Extra arguments go to pytest, e.g. `scripts/test.sh tests/unit -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
ensure_venv requirements-dev.txt

if [ -z "${IE_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests…"
  as_root apt-get update -qq
  as_root apt-get install -y -qq chromium >/dev/null
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
