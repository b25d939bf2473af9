"""Browser tests: a real `streamlit run app.py` server driven by Debian's Chromium via Playwright.

Without a browser the tests are skipped on a developer machine, but fail when CI=true.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
#: Process id of each running app server, by URL (for memory checks).
SERVER_PIDS: dict[str, int] = {}


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run, not skip)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """Debian's Chromium, or the one named by IE_CHROMIUM."""
    for candidate in (os.environ.get("IE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def server_env() -> dict[str, str]:
    """The environment the app server runs with: this one, plus ``scripts/server.env`` as ``start.sh`` reads it."""
    settings = {}
    for line in (ROOT / "scripts" / "server.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            settings[name] = value
    return settings | dict(os.environ)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(log_dir: Path) -> Iterator[str]:
    """Start `streamlit run app.py` on a free loopback port; yield its URL; stop it afterwards."""
    port = _free_port()
    log_path = log_dir / "streamlit.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "app.py",
                "--server.port", str(port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
            ],
            cwd=ROOT,
            env=server_env(),  # as scripts/start.sh
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    SERVER_PIDS[url] = proc.pid
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Streamlit server did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[str]:
    """One app server for the whole run."""
    with running_app(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture
def fresh_server(tmp_path) -> Iterator[str]:
    """A server no session has visited yet."""
    with running_app(tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed")
    path = chromium_path()
    with sync_playwright() as p:
        try:
            # Debian's Chromium; elsewhere, a browser from `playwright install chromium`.
            browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as exc:
            _missing(f"Chromium could not be started ({exc.__class__.__name__}); install Debian's chromium package")
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser context (its own Streamlit session) per test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def open_page(pg, server: str, path: str = "") -> None:
    """Go to a page of the app and wait until its script has finished."""
    pg.goto(f"{server}/{path}")
    wait_idle(pg)


def wait_idle(pg) -> None:
    """Wait for the app's script run to finish."""
    pg.wait_for_timeout(300)
    pg.wait_for_selector(IDLE, timeout=60_000)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
