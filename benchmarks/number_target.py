"""A skewed numeric target at 100,000 rows: each strategy's time, the distribution view, and what users feel.

Part 1 (no browser): 100,000 rows of the bundled claims generator (``sample_data/make_samples.py``) split as
the app splits them; the time of the target-distribution view's work (summary and figure), of each
strategy fitted and predicted with each model family (histogram gradient boosting for all seven; the
random forest and the ridge for no handling and SMOGN), and of the errors with their intervals.

Part 2 (Chromium, a fresh server as ``scripts/start.sh`` starts it): the CSV uploaded, the numeric target
chosen, the Class balance, Train (the five default strategies) and Resample pages, and every display-only
toggle, timed to the settled page as ``benchmarks/browser.py`` times them.

Usage: .venv/bin/python benchmarks/number_target.py [--rows 100000] [--no-browser]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "sample_data")]

from make_samples import insurance_claims  # noqa: E402

from benchmarks.browser import RUN_OBSERVER, _Printed, go_to, open_choice, timed  # noqa: E402
from core.comparison.number_errors import number_scores  # noqa: E402
from core.data.dataset import Dataset  # noqa: E402
from core.data.numeric_target import box_plot_range, describe_number, number_split, number_target  # noqa: E402
from core.data.prepared import prepare  # noqa: E402
from core.modelling.number_models import NUMBER_STRATEGIES, fit_number_strategy  # noqa: E402
from core.output.number_figures import number_histogram_figure  # noqa: E402


def core_times(frame) -> None:
    prepared = prepare(Dataset.from_frame(frame, name="claims", origin="upload"), target="claim_amount", overrides={})
    start = time.perf_counter()
    summary = describe_number(frame["claim_amount"])
    number_histogram_figure(frame["claim_amount"].to_numpy(), name="claim_amount", cut=summary.cut,
                            side=summary.side, log=True)  # fmt: skip
    print(f"distribution view (summary and figure): {time.perf_counter() - start:.2f} s\n")
    _, whole = number_target(frame["claim_amount"])
    split = number_split(frame, target="claim_amount", features=prepared.plan.features, rare=whole, test_size=0.2,
                         random_state=42)  # fmt: skip
    rare = box_plot_range(split.y_train.to_numpy())
    print(
        f"| model | strategy | fit + predict (s) | training rows (synthetic) | {len(split.y_test):,} test rows: errors (s) |"
    )
    print("|---|---|---:|---:|---:|")
    runs = [("hgb", s) for s in NUMBER_STRATEGIES] + [(m, s) for m in ("rf", "linear") for s in ("none", "smogn")]
    for model, strategy in runs:
        fit = fit_number_strategy(split, plan=prepared.plan, strategy=strategy, model=model, rare=rare, random_state=0)
        start = time.perf_counter()
        number_scores(fit.name, split.y_test.to_numpy(), fit.y_pred, rare=rare.mask(split.y_test))
        scored = time.perf_counter() - start
        print(f"| {model} | {fit.name} | {fit.seconds:.2f} | {fit.n_train:,} ({fit.n_synthetic:,}) | {scored:.3f} |")


def browser_times(frame) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, running_app

    path = Path(tempfile.mkdtemp()) / "claims.csv"
    frame.to_csv(path, index=False)
    times: dict[str, float] = _Printed()
    with sync_playwright() as p, running_app(Path(tempfile.mkdtemp())) as url:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 2400})
        page.add_init_script(RUN_OBSERVER)
        page.set_default_timeout(120_000)
        timed(page, lambda: page.goto(url))
        upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        times["load: upload the CSV"] = timed(page, lambda: upload.set_input_files(str(path)))
        item = open_choice(page, "Target column (what to predict)", "claim_amount")
        times["work: Data, choose the numeric target (distribution view)"] = timed(page, item.click)
        times["display: Data, log scale"] = timed(page, lambda: page.get_by_text("Log scale", exact=True).click())
        times["work: Class balance (distribution view)"] = timed(page, lambda: go_to(page, "Class balance"))
        timed(page, lambda: go_to(page, "Train & evaluate"))
        times["work: Train, the five default strategies"] = timed(
            page, lambda: page.get_by_role("button", name="Train and evaluate").click()
        )
        times["display: Train, log axes"] = timed(page, lambda: page.get_by_text("Log axes", exact=True).click())
        times["work: Resample, SMOGN"] = timed(page, lambda: go_to(page, "Resample"))
        times["display: Resample, log scale"] = timed(page, lambda: page.get_by_text("Log scale", exact=True).click())
        times["work: Resample, SMOTER"] = timed(page, lambda: page.get_by_text("SMOTER", exact=True).click())
        times["revisit: Train & evaluate"] = timed(page, lambda: go_to(page, "Train & evaluate"))
        browser.close()
    return dict(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    frame = insurance_claims(np.random.default_rng(2034), n=args.rows)
    print(f"{args.rows:,} rows\n")
    core_times(frame)
    if not args.no_browser:
        print()
        browser_times(frame)


if __name__ == "__main__":
    main()
