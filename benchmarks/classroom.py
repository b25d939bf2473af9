"""A classroom on one server: N browser sessions press "Train and evaluate" together.

Each scenario starts a fresh server as the tests start it (the settings of ``scripts/start.sh``), opens
N Chromium sessions on the bundled fraud sample, goes to Train & evaluate and presses the button in
every session within a second. It times each session from its press to the settled page (the scores
shown, the script run ended), reads the server's CPU seconds (user + system, every thread) and its peak
resident memory, and compares them with one session alone:

- ``same``: every session with the default strategies (identical work: computed once, shared);
- ``different``: session i sets the model seed to i (the same amount of work, all different).

Usage: .venv/bin/python benchmarks/classroom.py [--sessions 10 30] [--different 10]
Prints one table and writes benchmarks/classroom_results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.browser import ServerMemory  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, SERVER_PIDS, chromium_path, running_app  # noqa: E402

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its threads so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def scenario(browser, n: int, *, different: bool) -> dict:
    """One fresh server, ``n`` sessions pressing Train together; their times, the CPU and the peak memory."""
    with running_app(Path(tempfile.mkdtemp())) as url:
        pid = SERVER_PIDS[url]
        memory = ServerMemory(pid)
        contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(n)]
        try:
            pages = [c.new_page() for c in contexts]
            for i, page in enumerate(pages):
                page.goto(url)
                page.wait_for_selector(IDLE, timeout=300_000)
                page.get_by_role("link", name="Train & evaluate").first.click()
                page.wait_for_timeout(500)
                page.wait_for_selector(IDLE, timeout=300_000)
                if different:
                    box = page.get_by_role("spinbutton", name="Model seed")
                    box.fill(str(i + 1))
                    box.press("Enter")
                    page.wait_for_timeout(500)
                    page.wait_for_selector(IDLE, timeout=300_000)
            idle_mb = memory.mark()
            cpu0 = cpu_seconds(pid)
            told = [False] * n
            starts = []
            for page in pages:
                starts.append(time.monotonic())
                page.get_by_role("button", name="Train and evaluate").click(no_wait_after=True)
            times: list[float | None] = [None] * n
            deadline = time.monotonic() + 1_800
            while None in times and time.monotonic() < deadline:
                for i, page in enumerate(pages):
                    if times[i] is not None:
                        continue
                    if page.get_by_text("Waiting for").count() or page.get_by_text("shared with").count():
                        told[i] = True
                    if (
                        page.get_by_role("heading", name="Scores on the test split").count()
                        and page.locator(IDLE).count()
                    ):
                        times[i] = round(time.monotonic() - starts[i], 1)
                time.sleep(0.2)
            cpu = round(cpu_seconds(pid) - cpu0, 1)
            peak = round(memory.peak() - idle_mb)
            errors = sum(p.locator('[data-testid="stException"]').count() for p in pages)
        finally:
            for c in contexts:
                c.close()
            memory.stop.set()
    done = [t for t in times if t is not None]
    return {"sessions": n, "work": "different" if different else "same", "cpu_s": cpu,
            "slowest_s": max(done) if done else None, "fastest_s": min(done) if done else None,
            "finished": len(done), "told_their_place": sum(told), "exceptions": errors,
            "peak_above_idle_mb": peak}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=[10, 30])
    parser.add_argument("--different", type=int, default=10)
    parser.add_argument("--out", default="benchmarks/classroom_results.json")
    args = parser.parse_args()
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        one = scenario(browser, 1, different=False)
        rows.append(one)
        for n in args.sessions:
            rows.append(scenario(browser, n, different=False))
        if args.different:
            rows.append(scenario(browser, args.different, different=True))
        browser.close()
    Path(args.out).write_text(json.dumps(rows, indent=1))
    print("| sessions | work | slowest (s) | fastest (s) | vs one alone | server CPU (s) | CPU vs one | told | "
          "finished | exceptions | peak above idle (MB) |")  # fmt: skip
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        slow = r["slowest_s"] or float("nan")
        print(f"| {r['sessions']} | {r['work']} | {slow} | {r['fastest_s']} | {slow / one['slowest_s']:.2f}× | "
              f"{r['cpu_s']} | {r['cpu_s'] / one['cpu_s']:.2f}× | {r['told_their_place']} | {r['finished']} | "
              f"{r['exceptions']} | {r['peak_above_idle_mb']} |")  # fmt: skip


if __name__ == "__main__":
    main()
