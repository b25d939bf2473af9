"""Does the leak check cry wolf, and does it catch real leaks? (`core.data.leakage`, `core.comparison.too_good`)

Clean data: every bundled sample and generated data (1 : 10 and 1 : 100; class separation 0.5, 1 and 2; three
seeds; 8 features): how many feature columns reach the suspect threshold (false alarms), and the highest
out-of-fold ROC-AUC of a single column.

Planted leaks, added to each two-class bundled sample and to the generated data: an exact copy of the target
(0/1), its complement (1 − target), noisy copies (1 %, 5 %, 10 % of labels flipped), a post-outcome code (three
values for the cases, two for the rest, drawn at random within each class), a post-outcome date (missing for
every non-case) and a post-outcome amount (cases drawn from 5–10, the rest 0–6, overlapping): how often each
is named a suspect.

After training: the two default strategies of Train (RF, SMOTE + RF; 100 trees) on each two-class bundled
sample, as it is and with a complement column added: how often the "too good to be true" rule fires.

    .venv/bin/python benchmarks/leak_check.py     # about 3 minutes on 2 cores
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.comparison.too_good import too_good
from core.data.bundled import load_sample
from core.data.dataset import Dataset
from core.data.generated import generate
from core.data.leakage import LEAK_AUC, LEAK_AUC_FEW, MAX_VALUES, leak_suspects
from core.data.prepared import prepare
from core.data.split import make_split
from core.modelling.fitting import evaluate_many
from core.modelling.strategies import Strategy
from core.resampling.catalogue import SamplerConfig

SAMPLES = ("credit_card_fraud", "customer_churn", "product_defects", "breast_cancer", "resume_screening")


def clean_sets():
    for key in SAMPLES:
        ds = load_sample(key)
        yield ds.name.split(" (")[0], prepare(ds, target=None, overrides={})
    for ratio in (10, 100):
        for sep in (0.5, 1.0, 2.0):
            for seed in (1, 2, 3):
                ds = generate(n_rows=5_000, n_features=8, ratio=ratio, class_sep=sep, random_state=seed)
                yield f"generated 1:{ratio} sep {sep} seed {seed}", prepare(ds, target="label", overrides={})


def plant(prepared, rng: np.random.Generator) -> tuple[pd.DataFrame, list[str]]:
    """The frame with the planted leak columns added (two classes), and their names."""
    y = prepared.target_check.y
    small = y.value_counts().index[-1]
    case = (y == small).to_numpy()
    frame = prepared.dataset.frame.loc[y.index].copy()
    n = len(frame)
    flip = lambda share: np.where(rng.random(n) < share, ~case, case).astype(int)  # noqa: E731
    frame["leak_copy"] = case.astype(int)
    frame["leak_complement"] = 1 - case.astype(int)
    frame["leak_noisy_1"], frame["leak_noisy_5"], frame["leak_noisy_10"] = flip(0.01), flip(0.05), flip(0.10)
    frame["leak_code"] = np.where(case, rng.choice(["approved", "accepted", "withdrawn"], n),
                                  rng.choice(["denied", "incomplete"], n))  # fmt: skip
    frame["leak_date"] = np.where(case, rng.integers(1, 400, n), np.nan)
    frame["leak_amount"] = np.where(case, rng.uniform(5, 10, n), rng.uniform(0, 6, n))
    names = [c for c in frame.columns if str(c).startswith("leak_")]
    return frame, names


def main() -> None:
    started = time.perf_counter()
    print("### Clean data: columns named suspects (false alarms)\n")
    print("| data | feature columns | suspects | highest single-column ROC-AUC |")
    print("|---|---:|---:|---:|")
    false_alarms = columns = 0
    hits: dict[str, list[bool]] = defaultdict(list)
    from core.data.leakage import FOLDS, column_auc

    for name, prepared in clean_sets():
        y = prepared.target_check.y
        found = leak_suspects(prepared.dataset.frame, y, columns=prepared.plan.features)
        codes = pd.factorize(y.astype(str), sort=True)[0]
        folds = np.random.default_rng(0).permutation(len(codes)) % FOLDS
        part = prepared.dataset.frame.loc[y.index]
        top = max(column_auc(part[c], codes, folds=folds) for c in prepared.plan.features)
        false_alarms += len(found)
        columns += len(prepared.plan.features)
        if not name.startswith("generated") or name.endswith("seed 1"):
            print(f"| {name} | {len(prepared.plan.features)} | {len(found)} | {top:.3f} |")
        if prepared.distribution.n_classes == 2:
            frame, planted = plant(prepared, np.random.default_rng(7))
            mixed = prepare(Dataset.from_frame(frame, name="planted", origin="upload"), target=prepared.target,
                            overrides={})  # fmt: skip
            named = {s.column for s in leak_suspects(mixed.dataset.frame, mixed.target_check.y,
                                                      columns=mixed.plan.features)}  # fmt: skip
            for column in planted:
                hits[column].append(column in named)
            false_alarms_planted = named - set(planted)
            assert not false_alarms_planted, false_alarms_planted
    print(
        f"\nIn all: {false_alarms} of {columns} clean feature columns named suspects (thresholds {LEAK_AUC}, and "
        f"{LEAK_AUC_FEW} for a column of at most {MAX_VALUES} values).\n"
    )
    print("### Planted leaks: how often each is named\n")
    print("| planted column | named | of |")
    print("|---|---:|---:|")
    for column, found in hits.items():
        print(f"| {column.removeprefix('leak_')} | {sum(found)} | {len(found)} |")
    print("\n### After training: the two default strategies, too good to be true?\n")
    print("| data | as it is: highest MCC / ROC-AUC | fires | with a complement column: fires |")
    print("|---|---:|---:|---:|")
    for key in ("credit_card_fraud", "customer_churn", "breast_cancer", "resume_screening"):
        prepared = prepare(load_sample(key), target=None, overrides={})
        row = []
        for leaky in (False, True):
            data = prepared
            if leaky:
                frame = prepared.dataset.frame.copy()
                y = prepared.target_check.y
                frame.loc[y.index, "leak_complement"] = (y != y.value_counts().index[-1]).astype(int)
                data = prepare(Dataset.from_frame(frame, name="planted", origin="upload"), target=prepared.target,
                               overrides={})  # fmt: skip
            split = make_split(data, test_size=0.2, random_state=42)
            evals = evaluate_many([Strategy(), Strategy(SamplerConfig("smote"))], split, plan=data.plan)
            evals = [e for e in evals if hasattr(e, "proba")]
            warning = too_good(evals)
            if not leaky:
                from core.comparison.compare import estimates

                best = max(estimates(evals), key=lambda m: m["mcc"].value)
                row.append(f"{best['mcc'].value:.3f} / {best['roc_auc'].value:.3f}")
            row.append("yes" if warning else "no")
        print(f"| {prepared.dataset.name.split(' (')[0]} | {row[0]} | {row[1]} | {row[2]} |")
    rng = np.random.default_rng(0)
    wide = pd.DataFrame(rng.normal(size=(20_000, 100)), columns=[f"x{i}" for i in range(100)])
    y = pd.Series(np.where(rng.random(20_000) < 0.01, "case", "other"))
    tick = time.perf_counter()
    leak_suspects(wide, y, columns=tuple(wide.columns))
    print(f"\nThe check on 20,000 rows x 100 numeric columns: {time.perf_counter() - tick:.2f} s.")
    print(f"({time.perf_counter() - started:,.0f} s in all)")


if __name__ == "__main__":
    main()
