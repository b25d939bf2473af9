"""Benchmark: the app's own code path against bare scikit-learn / imbalanced-learn, and its targets.

Prints a table and writes JSON. Sizes: 10k, 100k and 300k rows x 30 numeric features with about
0.2 % minority (like the credit-card fraud set). Not part of the test suite: timings vary by machine.

Usage:
    .venv/bin/python benchmarks/run.py                 # all sizes, writes benchmarks/results.json
    .venv/bin/python benchmarks/run.py --sizes 10000   # one size
    .venv/bin/python benchmarks/run.py --skip-default-forest   # skip the slow reference forest
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from imblearn.over_sampling import SMOTE  # noqa: E402
from imblearn.pipeline import Pipeline  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.metrics import average_precision_score, confusion_matrix, precision_recall_curve, roc_auc_score, roc_curve  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from core.data.dataset import Dataset  # noqa: E402
from core.data.loading import read_table  # noqa: E402
from core.data.prepared import prepare  # noqa: E402
from core.data.split import make_split  # noqa: E402
from core.modelling.evaluation import confusion, metrics, pr_curves, roc_curves  # noqa: E402
from core.modelling.fitting import evaluate  # noqa: E402
from core.modelling.strategies import ForestSettings, Strategy  # noqa: E402
from core.output.figures import resample_scatter_figure  # noqa: E402
from core.output.result_figures import curves_figure  # noqa: E402
from core.resampling.catalogue import SamplerConfig  # noqa: E402
from core.resampling.projection import project  # noqa: E402
from core.resampling.resample import resample  # noqa: E402
from tests.e2e.conftest import server_env  # noqa: E402

FOUR = [
    Strategy(),
    Strategy(weighting="balanced"),
    Strategy(SamplerConfig("smote")),
    Strategy(SamplerConfig("random_under")),
]


def make_csv(n: int, seed: int = 0) -> bytes:
    X, y = make_classification(
        n_samples=n, n_features=30, n_informative=12, n_redundant=6, weights=[0.998], flip_y=0.0005,
        class_sep=1.0, random_state=seed,
    )  # fmt: skip
    frame = pd.DataFrame(X.astype("float32"), columns=[f"V{i}" for i in range(1, 31)])
    frame["Class"] = y
    return frame.to_csv(index=False).encode()


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def app_path(data: bytes, strategy: Strategy):
    """What the pages do: read the upload, prepare, split, fit the strategy, metrics, curves, confusion."""
    table = read_table(data, filename="bench.csv")
    ds = Dataset.from_frame(table.frame, name="bench.csv", origin="upload")
    prepared = prepare(ds, target="Class", overrides={})
    split = make_split(prepared, test_size=0.2, random_state=42)
    ev = evaluate(strategy, split, plan=prepared.plan)
    m = metrics(ev)
    roc_curves(ev), pr_curves(ev), confusion(ev)
    return prepared, split, ev, m


def bare_path(data: bytes, *, max_samples: float | None):
    """The same work written directly against pandas, scikit-learn and imbalanced-learn."""
    frame = pd.read_csv(io.BytesIO(data))
    X, y = frame.drop(columns="Class"), frame["Class"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
    pipe = Pipeline(
        [
            ("prepare", ColumnTransformer([("num", Pipeline([("impute", SimpleImputer(strategy="median")),
                                                              ("scale", StandardScaler())]), list(X.columns))])),
            ("resample", SMOTE(random_state=0)),
            ("model", RandomForestClassifier(n_estimators=100, max_samples=max_samples, n_jobs=-1, random_state=0)),
        ]
    )  # fmt: skip
    pipe.fit(X_train, y_train)
    p = pipe.predict_proba(X_test)[:, 1]
    roc_curve(y_test, p), precision_recall_curve(y_test, p), confusion_matrix(y_test, p >= 0.5)
    return roc_auc_score(y_test, p), average_precision_score(y_test, p)


def rss_mb() -> float:
    """Resident memory of this process now (Linux)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _explore(upload: list[bytes], *, order: str, phase=lambda name: None):
    """What the pages do with an upload: load and split it, then train the four default strategies and
    draw SMOTE's before/after scatter on the Resample page, in either order.

    ``upload`` holds the file's bytes, which are let go once read, as the Data page's uploader does."""
    table = read_table(upload.pop(), filename="bench.csv")
    ds = Dataset.from_frame(table.frame, name="bench.csv", origin="upload")
    del table
    prepared = prepare(ds, target="Class", overrides={})
    split = make_split(prepared, test_size=0.2, random_state=42)
    phase("load and split")
    kept = []  # the pages keep what they computed: evaluations in the store, the resample result in the cache

    def train() -> None:
        kept.extend(evaluate(strategy, split, plan=prepared.plan) for strategy in FOUR)
        phase("train four strategies")

    def smote_page() -> None:
        result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
        projection = project(result, plan=prepared.plan, method="pca")
        resample_scatter_figure(projection, method=result.method,
                                class_order=[str(c) for c in result.counts("before")]).to_json()  # fmt: skip
        kept.extend([result, projection])
        phase("SMOTE on the Resample page")

    for step in (train, smote_page) if order == "train-first" else (smote_page, train):
        step()
    return prepared, kept


def memory_child(path: Path, order: str) -> dict:
    """In a fresh process: what the pages do with an uploaded CSV, watching resident memory every 5 ms.

    The process is started with the app server's allocator settings (``scripts/server.env``), and the same steps are run
    once on a 2,000-row file first, so the libraries' one-off set-up (lazy imports, thread pools,
    BLAS buffers, plotly's validators) is not charged to the data. The baseline is then the process
    with the uploaded bytes held (as Streamlit holds an upload until the Data page has read it); the
    peak is the highest resident memory while loading, splitting, training the four default
    strategies and drawing the SMOTE scatter, in the given order. ``before_upload_mb`` is the
    process before the bytes arrived, for the stricter figure that also charges the file itself.
    """
    _explore([make_csv(2_000, seed=1)], order=order)
    gc.collect()
    before_upload = rss_mb()
    upload = [path.read_bytes()]
    peak, stop = [0.0], threading.Event()

    def watch() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.005)

    baseline = rss_mb()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    phases: dict[str, int] = {}

    def phase(name: str) -> None:  # the highest memory so far, above the baseline
        phases[name] = round(max(peak[0], rss_mb()) - baseline, 1)

    prepared, _kept = _explore(upload, order=order, phase=phase)
    stop.set()
    watcher.join()
    frame_mb = prepared.dataset.frame.memory_usage(deep=True).sum() / 2**20
    return {"before_upload_mb": round(before_upload, 1), "baseline_mb": round(baseline, 1), "peak_mb": round(peak[0], 1),
            "frame_mb": round(frame_mb, 2), "peak_added_by_phase_mb": phases}  # fmt: skip


def _over_before_upload(m: dict) -> float:
    return m["peak_mb"] - m["before_upload_mb"]


def measure_memory(data: bytes, *, runs: int = 2) -> dict:
    """Run :func:`memory_child` in a fresh Python process per page order (so nothing measured before counts),
    ``runs`` times each, keeping each order's highest peak (resident memory varies by a few hundred kB)."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        path.write_bytes(data)
        for order in ("train-first", "resample-first"):
            measured = []
            for _ in range(runs):
                run = subprocess.run([sys.executable, __file__, "--memory-child", str(path), "--order", order],
                                     check=True, capture_output=True, text=True, env=server_env())  # fmt: skip
                measured.append(json.loads(run.stdout.strip().splitlines()[-1]))
            out[order] = max(measured, key=_over_before_upload)
            out[order]["peak_over_before_upload_runs_mb"] = [round(_over_before_upload(m), 1) for m in measured]
    return out


def bench(n: int, *, default_forest: bool) -> dict:
    data = make_csv(n)
    row: dict = {"rows": n, "csv_mb": round(len(data) / 2**20, 1)}
    smote_rf = Strategy(SamplerConfig("smote"))
    # One-off set-up (lazy imports, thread pools) is charged to neither path; 6,000 rows give SMOTE its neighbours.
    warm_up = make_csv(6_000, seed=1)
    app_path(warm_up, smote_rf), bare_path(warm_up, max_samples=None)
    (prepared, split, _ev, m), t_app = timed(lambda: app_path(data, smote_rf))
    n_after = 2 * int((split.y_train == 0).sum())
    per_tree = smote_rf.forest.rows_per_tree(n_after)  # the same rows per tree as the app's forest
    share = None if per_tree == n_after else per_tree / n_after
    (bare_auc, _bare_ap), t_bare = timed(lambda: bare_path(data, max_samples=share))
    # Best of three runs each, alternating, as times on a shared machine vary by 10-20 % between runs.
    app_runs, bare_runs = [t_app], [t_bare]
    for _ in range(2):
        app_runs.append(timed(lambda: app_path(data, smote_rf))[1])
        bare_runs.append(timed(lambda: bare_path(data, max_samples=share))[1])
    t_app, t_bare = min(app_runs), min(bare_runs)
    row.update(app_s=round(t_app, 2), bare_s=round(t_bare, 2), app_over_bare=round(t_app / t_bare, 3),
               app_runs_s=[round(t, 2) for t in app_runs], bare_runs_s=[round(t, 2) for t in bare_runs],
               app_roc_auc=round(m["roc_auc"], 4), bare_roc_auc=round(bare_auc, 4))  # fmt: skip
    evals, t_four = timed(lambda: [evaluate(s, split, plan=prepared.plan) for s in FOUR])
    row["four_strategies_s"] = round(t_four, 1)
    row["four_roc_auc"] = {e.name: round(metrics(e)["roc_auc"], 4) for e in evals}
    row["four_pr_auc"] = {e.name: round(metrics(e)["pr_auc"], 4) for e in evals}
    row["four_fit_s"] = {e.name: round(e.seconds, 1) for e in evals}
    if default_forest:
        exact = Strategy(forest=ForestSettings(max_rows_per_tree=None))
        ev_exact, t_exact = timed(lambda: evaluate(exact, split, plan=prepared.plan))
        row["sklearn_default_forest_s"] = round(t_exact, 1)
        row["sklearn_default_forest_roc_auc"] = round(metrics(ev_exact)["roc_auc"], 4)
        row["sklearn_default_forest_pr_auc"] = round(metrics(ev_exact)["pr_auc"], 4)
    # Display-only rerun: the pages reuse the evaluation; a display option only rebuilds a figure.
    _, t_display = timed(lambda: curves_figure([roc_curves(e)[0] for e in evals], kind="roc"))
    row["display_rerun_s"] = round(t_display, 3)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    proj = project(result, plan=prepared.plan, method="pca")
    scatter = resample_scatter_figure(proj, method=result.method, class_order=[str(c) for c in result.counts("before")])
    curves = curves_figure([pr_curves(e)[0] for e in evals], kind="pr", prevalence=evals[0].prevalence)
    row["scatter_mb"] = round(len(scatter.to_json()) / 2**20, 2)
    row["curves_mb"] = round(len(curves.to_json()) / 2**20, 2)
    by_order = measure_memory(data)
    worst = max(by_order.values(), key=_over_before_upload)
    row["frame_mb"] = worst["frame_mb"]
    row["baseline_rss_mb"] = worst["baseline_mb"]
    row["peak_rss_mb"] = worst["peak_mb"]
    row["peak_added_mb"] = round(worst["peak_mb"] - worst["baseline_mb"], 1)
    row["peak_added_over_frame"] = round(row["peak_added_mb"] / worst["frame_mb"], 2)
    row["peak_over_before_upload_mb"] = round(_over_before_upload(worst), 1)
    row["peak_over_before_upload_over_frame"] = round(row["peak_over_before_upload_mb"] / worst["frame_mb"], 2)
    row["peak_added_by_phase_mb"] = {order: m["peak_added_by_phase_mb"] for order, m in by_order.items()}
    row["peak_over_before_upload_runs_mb"] = {o: m["peak_over_before_upload_runs_mb"] for o, m in by_order.items()}
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--skip-default-forest", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--memory-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--order", default="train-first", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        print(json.dumps(memory_child(args.memory_child, args.order)))
        return
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    rows = []
    for n in args.sizes:
        row = bench(n, default_forest=not args.skip_default_forest)
        rows.append(row)
        print(json.dumps(row), flush=True)
    cols = ["rows", "app_s", "bare_s", "app_over_bare", "four_strategies_s", "display_rerun_s", "scatter_mb",
            "curves_mb", "frame_mb", "peak_rss_mb", "peak_added_over_frame", "peak_over_before_upload_over_frame"]  # fmt: skip
    print()
    print(pd.DataFrame(rows)[cols].to_string(index=False))
    args.out.write_text(json.dumps({"machine": machine, "results": rows}, indent=2))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
