"""The first visit to a fresh server: seconds until the first chart is drawn and until the page has settled.

Each repeat starts a new server as ``scripts/start.sh`` starts it (the same command as the browser
tests), opens the given page in Debian's Chromium and times, from the navigation: the server's
health endpoint answering (from the process start), the first plotly chart drawn (an SVG inside
``stPlotlyChart``), and the page settled (its script run ended, see ``benchmarks/browser.py``).

Usage: .venv/bin/python benchmarks/first_visit.py [--repeats 3] [--page ""]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.browser import RUN_OBSERVER, SETTLED  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, running_app  # noqa: E402

CHART = '[data-testid="stPlotlyChart"] .main-svg'
TARGET_FIRST_CHART = 3.0


def one(browser, page_path: str) -> dict[str, float]:
    started = time.perf_counter()
    with running_app(Path(tempfile.mkdtemp())) as url:
        up = time.perf_counter() - started
        page = browser.new_page(viewport={"width": 1440, "height": 1200})
        page.add_init_script(RUN_OBSERVER)
        t0 = time.perf_counter()
        page.goto(f"{url}/{page_path}")
        page.wait_for_selector(CHART, timeout=120_000)
        chart = time.perf_counter() - t0
        page.wait_for_function(SETTLED, arg=0, polling="raf", timeout=120_000)
        settled = time.perf_counter() - t0
        page.close()
    return {"server up": up, "first chart": chart, "settled": settled}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--page", default="", help='page path, e.g. "class_balance" (default: the Data page)')
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        runs = [one(browser, args.page) for _ in range(args.repeats)]
        browser.close()
    print(f"First visit to a fresh server, page '/{args.page}', {args.repeats} repeats (seconds):")
    print("| measure | " + " | ".join(f"run {i + 1}" for i in range(len(runs))) + " | median |")
    print("|---|" + "---|" * (len(runs) + 1))
    for key in runs[0]:
        values = [r[key] for r in runs]
        print(f"| {key} | " + " | ".join(f"{v:.2f}" for v in values) + f" | {statistics.median(values):.2f} |")
    met = statistics.median(r["first chart"] for r in runs) <= TARGET_FIRST_CHART
    print(f"first chart ≤ {TARGET_FIRST_CHART:g} s (median): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
