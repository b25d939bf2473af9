"""Large data from the server's data folder, timed in Chromium until each page has finished running.

Generates a 6,000,000-row x 10-column Parquet file (8 numeric features, a 4-value category, a 0/1 target
with 0.13 % of class 1; about 390 MB), puts it alone in a data folder, starts the app on it as
``IE_DATA_DIR=... scripts/start.sh`` does, and times with Playwright and Debian's Chromium:

- opening the file on the Data page: counting every row (rows, missing values, classes) and drawing the
  working sample, until the page with the file's class counts has settled;
- the Class balance page drawn from the working sample;
- the Compare page's default comparison on the working sample, from scratch;
- the server's peak resident memory over all of it (sampled every 20 ms);
- then the same comparison on a second fresh server whose fits go to a local Dask cluster
  (``IE_DASK_SCHEDULER``; a scheduler and two single-threaded worker processes on loopback), and whether
  its leaderboard (the downloaded CSV) equals the first one.

``--engines`` instead measures the two ways to read a folder file whole-or-sampled, at CSV sizes up
to the upload cap, in fresh processes: pandas (the upload path, the whole file in memory) against
DuckDB (counts over every row, then a working sample). That is how ``ENGINE_MIN_BYTES`` was chosen.

Usage: .venv/bin/python benchmarks/large_data.py [--rows 6000000] [--no-dask] | --engines
Prints a table; numbers are copied into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.browser import RUN_OBSERVER, ServerMemory, go_to, timed  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, SERVER_PIDS, chromium_path, running_app  # noqa: E402

TARGETS = {"open: counts over all rows on the page": 5.0, "sample ready + Class balance drawn": 20.0,
           "Compare: default comparison": 90.0}  # fmt: skip
MEMORY_TARGET_MB = 3 * 1024


def make_parquet(rows: int, path: Path, *, seed: int = 0) -> None:
    """``rows`` rows in row groups of 500,000, written piece by piece (the generator never holds them all)."""
    rng = np.random.default_rng(seed)
    schema = None
    writer = None
    for start in range(0, rows, 500_000):
        n = min(500_000, rows - start)
        y = (rng.random(n) < 0.0013).astype(np.int64)
        cols = {f"x{j}": rng.normal(size=n) + y * (0.9 if j < 4 else 0.0) for j in range(8)}
        cols["type"] = np.array(["CASH_OUT", "PAYMENT", "TRANSFER", "DEBIT"])[rng.integers(0, 4, n)]
        cols["isFraud"] = y
        table = pa.table(cols)
        if writer is None:
            schema = table.schema
            writer = pq.ParquetWriter(path, schema)
        writer.write_table(table)
    writer.close()


def data_folder(rows: int) -> Path:
    folder = Path(tempfile.gettempdir()) / f"ie-bench-large-{rows}"
    folder.mkdir(exist_ok=True)
    path = folder / "transactions.parquet"
    if not path.exists():
        print(f"writing {rows:,} rows to {path}…", flush=True)
        make_parquet(rows, path)
    return folder


def _open_and_compare(browser, folder: Path, *, rows: int, times: dict, memory_out: dict | None, label: str) -> bytes:
    """On a fresh server: open the file, draw Class balance, run the default comparison; the leaderboard CSV."""
    with running_app(Path(tempfile.mkdtemp())) as url:
        memory = ServerMemory(SERVER_PIDS[url])
        page = browser.new_page(viewport={"width": 1440, "height": 2400})
        page.add_init_script(RUN_OBSERVER)
        page.set_default_timeout(120_000)
        timed(page, lambda: page.goto(url))
        idle = memory.mark()
        if memory_out is not None:
            counted: list[float] = []

            def open_file() -> None:
                t0 = time.perf_counter()
                page.get_by_role("button", name="Open this file").click()
                page.get_by_text("over every row of the file").first.wait_for()
                counted.append(round(time.perf_counter() - t0, 2))

            times["open: working sample ready, page drawn"] = timed(page, open_file)
            times["open: counts over all rows on the page"] = counted[0]
            assert page.get_by_text("Opened transactions.parquet").count(), "the file did not open"
            times["Class balance drawn from the sample"] = timed(page, lambda: go_to(page, "Class balance"))
            times["sample ready + Class balance drawn"] = round(
                times["open: working sample ready, page drawn"] + times["Class balance drawn from the sample"], 2
            )
        else:
            timed(page, lambda: page.get_by_role("button", name="Open this file").click())
        timed(page, lambda: go_to(page, "Compare & report"))
        times[f"Compare: default comparison{label}"] = timed(
            page, lambda: page.get_by_role("button", name="Run comparison").click()
        )
        with page.expect_download() as download:
            page.get_by_role("button", name="Leaderboard (CSV)").click()
        board = Path(download.value.path()).read_bytes()
        if memory_out is not None:
            memory_out.update(idle=idle, peak=memory.peak())
        memory.stop.set()
        page.close()
    return board


def browser_run(rows: int, *, dask: bool) -> None:
    from playwright.sync_api import sync_playwright

    folder = data_folder(rows)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    os.environ["IE_DATA_DIR"] = str(folder)
    times: dict[str, float] = {}
    memory: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        board = _open_and_compare(browser, folder, rows=rows, times=times, memory_out=memory, label="")
        same = None
        if dask:
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
                os.environ["IE_DASK_SCHEDULER"] = cluster.scheduler_address
                try:
                    remote = _open_and_compare(
                        browser, folder, rows=rows, times=times, memory_out=None, label=" through Dask"
                    )
                finally:
                    del os.environ["IE_DASK_SCHEDULER"]
            same = remote == board
        browser.close()
    print(f"\n{rows:,} rows x 10 columns, Parquet {size:,.0f} MB, 0.13 % class 1")
    print(f"{'step':<48}{'seconds':>9}{'target':>9}")
    for name, seconds in times.items():
        target = TARGETS.get(name)
        print(f"{name:<48}{seconds:>9.1f}{(f'{target:.0f}' if target else ''):>9}")
    print(f"{'server memory, idle after start (MB)':<48}{memory['idle']:>9,.0f}")
    print(f"{'server memory, peak (MB)':<48}{memory['peak']:>9,.0f}{MEMORY_TARGET_MB:>9,}")
    if same is not None:
        print(f"leaderboard through Dask equals this server's: {same}")


ENGINE_PROBE = """
import resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
engine, path = sys.argv[1], Path(sys.argv[2])
start = time.perf_counter()
if engine == "pandas":
    from core.data.loading import read_table
    frame = read_table(path.read_bytes(), filename=path.name).frame
    rows = len(frame)
else:
    from core.data.large_file import draw_sample, scan_table
    scan = scan_table(path, kind="CSV")
    frame, _ = draw_sample(scan, entry=path.name, target="isFraud", budget=200_000)
    rows = len(frame)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, rows)
"""


def engines() -> None:
    """pandas against DuckDB on CSV files of growing size, each in a fresh process (time, peak memory)."""
    folder = Path(tempfile.mkdtemp())
    probe = folder / "probe.py"
    probe.write_text(ENGINE_PROBE.format(root=str(ROOT)))
    print(
        f"{'CSV MB':>7}{'rows':>11}{'pandas s':>10}{'pandas MB':>11}{'DuckDB s':>10}{'DuckDB MB':>11}{'DuckDB rows':>13}"
    )
    for rows in (100_000, 250_000, 500_000, 1_000_000, 2_000_000):
        path = folder / f"t{rows}.csv"
        pq_path = folder / "t.parquet"
        make_parquet(rows, pq_path, seed=1)
        import pandas as pd

        pd.read_parquet(pq_path).to_csv(path, index=False)
        mb = path.stat().st_size / 2**20
        out = []
        for engine in ("pandas", "duckdb"):
            res = subprocess.run([sys.executable, str(probe), engine, str(path)], capture_output=True, text=True,
                                 check=True)  # fmt: skip
            out.append([float(v) for v in res.stdout.split()])
        (ps, pm, _), (ds, dm, dr) = out
        print(f"{mb:>7.0f}{rows:>11,}{ps:>10.1f}{pm:>11,.0f}{ds:>10.1f}{dm:>11,.0f}{int(dr):>13,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=6_000_000)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--engines", action="store_true")
    args = parser.parse_args()
    if args.engines:
        engines()
    else:
        started = time.perf_counter()
        browser_run(args.rows, dask=not args.no_dask)
        print(f"(benchmark took {time.perf_counter() - started:,.0f} s)")


if __name__ == "__main__":
    main()
