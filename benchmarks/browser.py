"""Page times in a real browser at 300k rows (Playwright + Debian's Chromium against `streamlit run`).

Measures: opening the app to the first chart visible; uploading a 300k x 30 Parquet file to its
distribution chart visible; pressing Train to the confusion matrices visible (two default strategies);
opening the Resample page to its SMOTE scatter visible. Alongside, the Streamlit server's resident
memory is sampled every 20 ms: idle after the first chart, and the highest while uploading, training
and resampling.

Usage: .venv/bin/python benchmarks/browser.py [--rows 300000]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
from playwright.sync_api import sync_playwright
from sklearn.datasets import make_classification

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM_ARGS, IDLE, SERVER_PIDS, chromium_path, running_app  # noqa: E402


class ServerMemory:
    """Samples a process's resident memory (MB) every 20 ms; ``peak()`` is the highest since the last ``mark()``."""

    def __init__(self, pid: int):
        self.status = Path(f"/proc/{pid}/status")
        self.high = 0.0
        self.stop = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def now(self) -> float:
        for line in self.status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def _watch(self) -> None:
        while not self.stop.is_set():
            self.high = max(self.high, self.now())
            time.sleep(0.02)

    def mark(self) -> float:
        self.high = self.now()
        return round(self.high)

    def peak(self) -> float:
        return round(max(self.high, self.now()))


def parquet_bytes(n: int) -> bytes:
    X, y = make_classification(
        n_samples=n, n_features=30, n_informative=12, n_redundant=6, weights=[0.998], random_state=0
    )
    frame = pd.DataFrame(X.astype("float32"), columns=[f"V{i}" for i in range(1, 31)])
    frame["Class"] = y
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    data = parquet_bytes(args.rows)
    out = {"rows": args.rows, "parquet_mb": round(len(data) / 2**20, 1)}
    memory: dict[str, float] = {}
    with running_app(Path("/tmp")) as url, sync_playwright() as p:
        server = ServerMemory(SERVER_PIDS[url])
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(900_000)
        start = time.perf_counter()
        page.goto(url)
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
        out["open_to_first_chart_s"] = round(time.perf_counter() - start, 2)
        page.wait_for_selector(IDLE)
        memory["idle_after_first_chart"] = server.mark()
        start = time.perf_counter()
        path = Path(tempfile.mkdtemp()) / "big.parquet"
        path.write_bytes(data)  # Playwright passes buffers only up to 50 MB
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        page.get_by_text("Loaded big.parquet").wait_for()
        page.locator('[data-testid="stPlotlyChart"] .xtick text').filter(has_text="1").first.wait_for()
        out["upload_to_distribution_s"] = round(time.perf_counter() - start, 2)
        memory["peak_upload"] = server.peak()
        page.get_by_role("link", name="Train & evaluate").first.click()
        page.wait_for_timeout(500)
        page.wait_for_selector(IDLE)
        memory["idle_with_data"] = server.mark()
        start = time.perf_counter()
        page.get_by_role("button", name="Train and evaluate").click()
        page.get_by_text("Confusion matrices").wait_for()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => (p.data || []).some(t => t.type === 'heatmap'))"
        )
        out["train_to_confusion_s"] = round(time.perf_counter() - start, 2)
        page.wait_for_selector(IDLE)
        memory["peak_training"] = server.peak()
        server.mark()
        start = time.perf_counter()
        page.get_by_role("link", name="Resample").first.click()
        page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator(".subplot.x2y2")).first.wait_for()
        out["resample_page_to_scatter_s"] = round(time.perf_counter() - start, 2)
        page.wait_for_selector(IDLE)
        memory["peak_resample_page"] = server.peak()
        memory["idle_at_end"] = server.mark()
        server.stop.set()
        browser.close()
    base = memory["idle_after_first_chart"]
    memory["peak_added_mb"] = round(max(memory[k] for k in memory if k.startswith("peak")) - base)
    memory["frame_mb"] = round(pd.read_parquet(io.BytesIO(data)).memory_usage(deep=True).sum() / 2**20, 1)
    memory["upload_mb"] = out["parquet_mb"]
    out["server_rss_mb"] = memory
    print(json.dumps(out))
    (ROOT / "benchmarks" / "browser_results.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
