"""The container follows Streamlit's conventions and installs with the very script CI runs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return [(ln.split(None, 1)[0].upper(), ln.split(None, 1)[1] if " " in ln else "") for ln in lines]


def test_dockerfile_runs_as_a_user_on_8501_with_a_health_check_on_all_addresses():
    steps = _instructions()
    kinds = [k for k, _ in steps]
    users = [arg for k, arg in steps if k == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert kinds.index("USER") > max(i for i, k in enumerate(kinds) if k == "RUN")  # nothing runs as root after
    assert ("EXPOSE", "8501") in steps
    (health,) = [arg for k, arg in steps if k == "HEALTHCHECK"]
    assert "/_stcore/health" in health and ":8501" in health
    (entry,) = [arg for k, arg in steps if k == "ENTRYPOINT"]
    assert "--server.address=0.0.0.0" in entry and "--server.port=8501" in entry
    env = " ".join(arg for k, arg in steps if k == "ENV")
    assert "STREAMLIT_SERVER_MAX_UPLOAD_SIZE=" in env


def test_the_image_and_ci_install_with_the_same_script():
    runs = " ".join(arg for k, arg in _instructions() if k == "RUN")
    assert re.search(r"scripts/install\.sh app --chromium", runs)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci
    assert "scripts/install.sh dev --chromium" in (ROOT / "scripts" / "test.sh").read_text()
    # the base image is the Debian release whose chromium the browser tests use
    (base,) = [arg for k, arg in _instructions() if k == "FROM"]
    assert "bookworm" in base


def test_xsrf_protection_stays_on_and_the_virtualenv_stays_out_of_the_build_context():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored


def _json_arg(steps: list[tuple[str, str]], kind: str) -> list[str]:
    import json

    (arg,) = [a for k, a in steps if k == kind]
    return json.loads(arg[arg.index("[") :])


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_images_own_start_command_serves_a_page_its_own_health_check_finds_healthy():
    """No container engine runs here, so the image's ENTRYPOINT and HEALTHCHECK are run as they are written (the
    port moved to a free one, the ENV lines applied): the check passes on the running server, fails without it."""
    import os
    import subprocess
    import time

    steps = _instructions()
    port = str(_free_port())
    start = [a.replace("8501", port) for a in _json_arg(steps, "ENTRYPOINT")]
    check = [a.replace("8501", port) for a in _json_arg(steps, "HEALTHCHECK")]
    check[0] = str(ROOT / ".venv" / "bin" / "python")  # the image's python3 is the one the app is installed in
    env = dict(os.environ)
    for arg in (a for k, a in steps if k == "ENV"):
        env |= dict(part.split("=", 1) for part in arg.split())
    env.pop("IE_CHROMIUM", None)
    server = subprocess.Popen(start, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, healthy = time.monotonic() + 60, False
        while time.monotonic() < deadline and not healthy:
            healthy = subprocess.run(check, capture_output=True, timeout=10).returncode == 0
            time.sleep(0.5)
        assert healthy, "the health check never passed against the image's own start command"
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert subprocess.run(check, capture_output=True, timeout=10).returncode != 0  # and it can fail
