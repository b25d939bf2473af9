"""Screenshot every page of a running app with Debian's Chromium (for README and review).

Usage: python scripts/screenshot.py http://localhost:8501 OUT_DIR [page ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def main() -> None:
    base, out = sys.argv[1].rstrip("/"), Path(sys.argv[2])
    pages = sys.argv[3:] or [""]
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(
            viewport={"width": 1400, "height": int(sys.argv[0] and __import__("os").environ.get("SHOT_HEIGHT", "1000"))}
        )
        for name in pages:
            page.goto(f"{base}/{name}")
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_timeout(int(__import__("os").environ.get("SHOT_WAIT", "3000")))
            path = out / f"{name or 'home'}.png"
            page.screenshot(path=str(path), full_page=True)
            print(path)
        browser.close()


if __name__ == "__main__":
    main()
