"""The lesson's generator, accuracy paradox and leakage demo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.data.generated import class_sizes, generate
from core.data.prepared import prepare
from core.teaching.lessons import leakage_demo, majority_baseline


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
    from core.teaching.lessons import ratio_sweep, sweep_summary

    table = ratio_sweep((1, 50), n_rows=1200, n_features=5)
    assert table["ratio"].tolist() == [1.0] * 4 + [50.0] * 4
    assert table["strategy"].tolist()[:4] == ["RF", "RF, balanced weights", "SMOTE + RF", "RandomUnderSampler + RF"]
    assert table[["recall", "PR-AUC"]].stack().between(0, 1).all()
    for m in ("recall", "precision", "PR-AUC"):
        ok = table[m].notna()
        assert (table.loc[ok, f"{m} low"] <= table.loc[ok, m]).all() and (
            table.loc[ok, m] <= table.loc[ok, f"{m} high"]
        ).all()
    lines = sweep_summary(table)
    rf = table[table["strategy"] == "RF"]
    assert lines[0].startswith(f"RF: recall {rf['recall'].iloc[0]:.2f} at 1 : 1, {rf['recall'].iloc[1]:.2f} at 50 : 1 ")
    assert lines[-1].startswith(f"At 50 : 1 the test split holds {int(rf['cases'].iloc[1])} rows of the small class")
    _check_sentences(table, lines)


def _table(pr_auc, *, precision=(0.9, 0.9, 0.4, 0.3), cases=(50, 50, 5, 5), widths=0.05):
    t = pd.DataFrame({"ratio": [1.0, 1.0, 10.0, 10.0], "strategy": ["A", "B", "A", "B"], "cases": list(cases),
                      "caught": [45, 40, 2, 3], "recall": [0.9, 0.8, 0.4, 0.6], "precision": list(precision),
                      "PR-AUC": list(pr_auc)})  # fmt: skip
    for m in ("recall", "precision", "PR-AUC"):
        t[f"{m} low"], t[f"{m} high"] = t[m] - widths, t[m] + widths
    return t


def _check_sentences(table: pd.DataFrame, lines: list[str]) -> None:
    """Every claim of the summary, checked against its table."""
    lo, hi = table["ratio"].min(), table["ratio"].max()
    first, last = table[table["ratio"] == lo].set_index("strategy"), table[table["ratio"] == hi].set_index("strategy")
    change = last["PR-AUC"] - first["PR-AUC"]
    trend = next(line for line in lines if line.startswith("PR-AUC fell"))
    if "fell for every strategy" in trend:
        assert (change < 0).all()
    elif "fell for no strategy" in trend:
        assert (change >= 0).all()
    else:
        assert f"fell for {(change < 0).sum()} of the {len(change)}" in trend
        for name in change[change > 0].index:
            assert name in trend.split("(it rose for ")[1]
    if "ranks cases best" in trend:
        leader = trend.split(f"at {hi:g} : 1 ")[1].split(" ranks")[0]
        others = last.drop(index=leader)
        assert (last.loc[leader, "PR-AUC low"] > others["PR-AUC high"]).all()
    else:
        assert "no strategy ranks cases clearly best" in trend
    assert all("nan" not in line for line in lines)


def test_sweep_summary_says_when_pr_auc_does_not_fall_and_names_no_winner_within_noise():
    from core.teaching.lessons import sweep_summary

    table = _table([0.9, 0.5, 0.6, 0.7], widths=0.2)
    lines = sweep_summary(table)
    assert lines[2].startswith("PR-AUC fell for 1 of the 2 strategies from 1 : 1 to 10 : 1 (it rose for B)")
    assert "no strategy ranks cases clearly best: with 5 rows" in lines[2]
    _check_sentences(table, lines)
    # separated intervals name the leader; nothing flagged reads "–", never "nan"
    table = _table([0.9, 0.5, 0.2, 0.7], precision=(0.9, 0.9, float("nan"), 0.3))
    lines = sweep_summary(table)
    assert "at 10 : 1 B ranks cases best" in lines[2] and "precision –" in lines[0]
    _check_sentences(table, lines)
    table = _table([0.9, 0.8, 0.6, 0.7])
    assert sweep_summary(table)[2].startswith("PR-AUC fell for every strategy")
    _check_sentences(table, sweep_summary(table))


def test_the_production_step_says_what_its_numbers_show():
    from core.data.bundled import load_sample
    from core.data.prepared import prepare
    from core.data.split import make_split
    from core.teaching.lessons import production_demo

    prepared = prepare(load_sample("credit_card_fraud"), target=None, overrides={})
    demo = production_demo(prepared, make_split(prepared, test_size=0.2, random_state=42))
    a, b = demo.at_data, demo.at_production
    assert demo.production_rate == pytest.approx(demo.data_rate / 10)
    assert a.recall == b.recall and a.false_alarm_rate == b.false_alarm_rate  # the rates carry over
    assert b.precision[0] < a.precision[0]  # precision does not
    assert demo.smote_mean > 2 * demo.data_rate and demo.error_corrected <= demo.error / 2
    precision_line, smote_line = demo.sentences()
    assert f"falls from {a.precision[0]:.1%} to {b.precision[0]:.1%}" in precision_line
    assert f"from {demo.error:.3f} to {demo.error_corrected:.3f}" in smote_line


def test_rebalance_or_move_the_threshold_says_only_what_its_table_shows():
    """Step 4: every number in its sentences is a cell of its table, or the paired interval of the effect."""
    import re

    from core.data.bundled import load_sample
    from core.data.prepared import prepare
    from core.data.split import make_split
    from core.teaching.lessons import threshold_demo

    prepared = prepare(load_sample("customer_churn"), target=None, overrides={})
    demo = threshold_demo(prepared, make_split(prepared, test_size=0.2, random_state=42), cost_fp=1.0, cost_fn=5.0)
    table = demo.table.set_index("strategy")
    assert list(table.index) == ["HGB at 0.50", "HGB, threshold moved", "SMOTE + HGB at 0.50",
                                 "SMOTE + HGB, threshold moved"]  # fmt: skip
    assert table.loc["HGB at 0.50", "threshold"] == "0.50" and table.loc["HGB, threshold moved", "threshold"] != "0.50"
    cells = " ".join(str(v) for v in demo.table.to_numpy().ravel())
    moved, smote, effect, calibration = demo.sentences()
    for sentence in (moved, smote, calibration):
        for number in re.findall(r"\d[\d,]*\.?\d*%?", sentence.replace("10,000", "")):
            assert number in cells or number == f"{demo.rate:.2%}", (number, sentence)
    assert effect.startswith("What resampling bought beyond moving the threshold: SMOTE + HGB at ")
    bounds = re.search(r"\[([+-][\d,]*\d), ([+-][\d,]*\d)\]", effect).groups()
    low, high = (float(x.replace(",", "")) for x in bounds)
    assert ("no clear difference" in effect) == (low <= 0 <= high)
