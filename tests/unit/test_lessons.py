"""The lesson's generator, accuracy paradox and leakage demo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.generated_data import class_sizes, generate
from core.lessons import leakage_demo, majority_baseline
from core.prepared import prepare


@pytest.mark.parametrize(("n", "ratio", "k"), [(1000, 100, 2), (1000, 1, 2), (2000, 10, 4), (600, 1000, 3)])
def test_generator_gives_the_requested_class_counts(n, ratio, k):
    sizes = class_sizes(n, ratio=ratio, n_classes=k)
    assert sum(sizes) == n and min(sizes) >= 2 and sizes == sorted(sizes, reverse=True)
    if sizes[-1] > 2:
        assert sizes[0] / sizes[-1] == pytest.approx(ratio, rel=0.1)
    ds = generate(n_rows=n, ratio=ratio, n_classes=k, n_features=5, random_state=3)
    counts = ds.frame["label"].value_counts().tolist()
    assert counts == sizes
    assert ds.frame.shape == (n, 6) and ds.default_target == "label"


def test_generator_is_reproducible_by_seed():
    a = generate(n_rows=500, ratio=20, random_state=7).frame
    assert a.equals(generate(n_rows=500, ratio=20, random_state=7).frame)
    assert not a.equals(generate(n_rows=500, ratio=20, random_state=8).frame)


def test_label_noise_flips_some_labels():
    clean = generate(n_rows=2000, ratio=5, random_state=1).frame["label"]
    noisy = generate(n_rows=2000, ratio=5, random_state=1, label_noise=0.2).frame["label"]
    changed = (clean != noisy).mean()
    assert 0.05 < changed < 0.2  # a random class is drawn for 20 %, about half of them keep their label


def test_the_accuracy_paradox_on_fixed_labels():
    m = majority_baseline(pd.Series(["ok"] * 98 + ["fraud"] * 2))
    assert m["accuracy"] == pytest.approx(0.98)
    assert m["recall"] == 0.0 and m["balanced_accuracy"] == 0.5 and m["mcc"] == 0.0


def test_resampling_before_the_split_looks_better_than_it_is():
    ds = generate(n_rows=1500, ratio=30, n_features=6, class_sep=0.6, label_noise=0.02, random_state=0)
    prepared = prepare(ds, target=None, overrides={})
    X = ds.frame[list(prepared.plan.features)]
    result = leakage_demo(X, prepared.target_check.y, plan=prepared.plan, folds=3)
    assert result.method == "SMOTE"
    for key in ("recall", "pr_auc", "f1"):
        assert result.wrong[key] > result.right[key] + 0.1, key
    assert np.isfinite(list(result.right.values())).all()


def test_ratio_sweep_covers_every_ratio_and_strategy_and_its_summary_follows_the_numbers():
    from core.lessons import ratio_sweep, sweep_summary

    table = ratio_sweep((1, 50), n_rows=1200, n_features=5)
    assert table["ratio"].tolist() == [1.0] * 4 + [50.0] * 4
    assert table["strategy"].tolist()[:4] == ["RF", "RF, balanced weights", "SMOTE + RF", "RandomUnderSampler + RF"]
    assert table[["recall", "precision", "PR-AUC"]].stack().between(0, 1).all()
    lines = sweep_summary(table, n_rows=1200)
    rf = table[table["strategy"] == "RF"]
    assert lines[0] == (
        f"RF: recall {rf['recall'].iloc[0]:.2f} at 1 : 1, {rf['recall'].iloc[1]:.2f} at 50 : 1 "
        f"(precision {rf['precision'].iloc[1]:.2f}, PR-AUC {rf['PR-AUC'].iloc[1]:.2f})."
    )
    assert lines[-1].startswith("At 50 : 1 the test split holds about 6 row(s)")


def test_sweep_summary_says_when_pr_auc_does_not_fall():
    from core.lessons import sweep_summary

    table = pd.DataFrame(
        {"ratio": [1.0, 1.0, 10.0, 10.0], "strategy": ["A", "B", "A", "B"], "recall": [0.9, 0.8, 0.5, 0.7],
         "precision": [0.9, 0.9, 0.4, 0.3], "PR-AUC": [0.9, 0.5, 0.6, 0.7]}
    )  # fmt: skip
    lines = sweep_summary(table, n_rows=1000)
    assert lines[2].startswith("PR-AUC did not fall for every strategy; at 10 : 1 the best ranking was B (0.70)")
