"""The diagnosis at the sizes we claim: kinds of small-class rows, complexity measures, decision regions.

Same data as ``benchmarks/run.py`` (``make_classification``, 30 numeric features, 0.2 % minority, read
through the app's upload path). Prints seconds per step and size; the page caches both by data
fingerprint, split and settings, so this is what the first look costs. Decision regions: each model fitted
four ways on the PCA plane (a 120 x 120 grid), seconds per model and per fit.

Usage: .venv/bin/python benchmarks/diagnosis.py [--sizes 10000 100000 300000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.run import make_csv  # noqa: E402
from core.data.dataset import Dataset  # noqa: E402
from core.data.loading import read_table  # noqa: E402
from core.data.prepared import prepare  # noqa: E402
from core.data.split import make_split  # noqa: E402
from core.teaching.boundaries import MODELS, boundaries  # noqa: E402
from core.teaching.diagnosis import complexity, row_kinds  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_PER_MODEL = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    args = parser.parse_args()
    regions = []
    print("| rows | small-class rows labelled | kinds (s) | measures (s), rows used | diagnosis (s) | ≤ 10 s |")
    print("|---|---|---|---|---|---|")
    for n in args.sizes:
        table = read_table(make_csv(n), filename="bench.csv")
        prepared = prepare(Dataset.from_frame(table.frame, name="bench.csv", origin="upload"), target="Class",
                           overrides={})  # fmt: skip
        split = make_split(prepared, test_size=0.2, random_state=42)
        t0 = time.perf_counter()
        kinds = row_kinds(split, prepared.plan)
        t1 = time.perf_counter()
        measures = complexity(split, prepared.plan)
        t2 = time.perf_counter()
        total = t2 - t0
        print(f"| {n:,} | {len(kinds.rows):,} | {t1 - t0:.2f} | {t2 - t1:.2f} ({measures.sample_rows:,}) | "
              f"{total:.2f} | {'met' if total <= TARGET_SECONDS else 'NOT met'} |", flush=True)  # fmt: skip
        regions.append((n, split, prepared))
    print("\n| rows | model | training rows used | regions, four fits (s) | per fit (s) | ≤ 5 s per model |")
    print("|---|---|---|---|---|---|")
    for n, split, prepared in regions:
        for model in MODELS:
            t0 = time.perf_counter()
            b = boundaries(split, prepared.plan, model=model)
            took = time.perf_counter() - t0
            print(f"| {n:,} | {model} | {b.train_rows:,} | {took:.2f} | {took / len(b.proba):.2f} | "
                  f"{'met' if took <= TARGET_PER_MODEL else 'NOT met'} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
