"""Page times in a real browser at 300k rows (Playwright + Debian's Chromium against `streamlit run`).

Measures: opening the app to the first chart visible; uploading a 300k x 30 Parquet file to its
distribution chart visible; pressing Train to the confusion matrices visible (two default strategies).

Usage: .venv/bin/python benchmarks/browser.py [--rows 300000]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from playwright.sync_api import sync_playwright
from sklearn.datasets import make_classification

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM_ARGS, IDLE, chromium_path, running_app  # noqa: E402


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
    with running_app(Path("/tmp")) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(900_000)
        start = time.perf_counter()
        page.goto(url)
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
        out["open_to_first_chart_s"] = round(time.perf_counter() - start, 2)
        page.wait_for_selector(IDLE)
        start = time.perf_counter()
        path = Path(tempfile.mkdtemp()) / "big.parquet"
        path.write_bytes(data)  # Playwright passes buffers only up to 50 MB
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        page.get_by_text("Loaded big.parquet").wait_for()
        page.locator('[data-testid="stPlotlyChart"] .xtick text').filter(has_text="1").first.wait_for()
        out["upload_to_distribution_s"] = round(time.perf_counter() - start, 2)
        page.get_by_role("link", name="Train & evaluate").first.click()
        page.wait_for_timeout(500)
        page.wait_for_selector(IDLE)
        start = time.perf_counter()
        page.get_by_role("button", name="Train and evaluate").click()
        page.get_by_text("Confusion matrices").wait_for()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => (p.data || []).some(t => t.type === 'heatmap'))"
        )
        out["train_to_confusion_s"] = round(time.perf_counter() - start, 2)
        browser.close()
    print(json.dumps(out))
    (ROOT / "benchmarks" / "browser_results.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
