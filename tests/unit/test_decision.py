"""The decision summary: counts that are the confusion matrices', a winner only beyond noise, costs that agree."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.comparison.compare import COST_LABEL, leaderboard
from core.comparison.decision import cost_column, decision_summary
from core.comparison.intervals import cost_difference, cost_interval
from core.data.bundled import load_sample
from core.data.prepared import prepare
from core.data.split import make_split
from core.modelling.evaluation import confusion
from core.modelling.fitting import evaluate
from core.modelling.strategies import ForestSettings, Strategy


@pytest.fixture(scope="module")
def evals():
    prepared = prepare(load_sample("credit_card_fraud"), target=None, overrides={})
    split = make_split(prepared, test_size=0.2, random_state=42)
    small = ForestSettings(n_estimators=30)
    ids = ["none:logreg:none", "smote:rf:none", "none:rf:none", "random_under:logreg:none"]
    return [evaluate(Strategy.from_id(i, forest=small), split, plan=prepared.plan) for i in ids]


def test_the_cost_per_case_is_the_priced_errors_over_the_rows_and_never_of_zero_width():
    rng = np.random.default_rng(3)
    y = np.r_[np.ones(12, int), np.zeros(900, int)]
    pred = np.where(y == 1, rng.random(len(y)) < 1.0, rng.random(len(y)) < 0.0).astype(int)  # no error at all
    e = cost_interval(y, pred, cost_fp=1, cost_fn=10)
    assert e.value == 0 and e.high > 0  # made from counts: 0 errors is not a certain 0
    pred = (rng.random(len(y)) < 0.1).astype(int)
    fp, fn = int(((pred == 1) & (y == 0)).sum()), int(((pred == 0) & (y == 1)).sum())
    e = cost_interval(y, pred, cost_fp=2, cost_fn=7)
    assert e.value == pytest.approx((2 * fp + 7 * fn) / len(y)) and e.low < e.value < e.high
    d, _, _, same = cost_difference(y, pred, pred, cost_fp=2, cost_fn=7)
    assert d == 0 and same


def test_the_summary_says_the_confusion_matrices_counts_and_names_a_winner_only_beyond_noise(evals):
    for cost_fp, cost_fn in ((1.0, 10.0), (1.0, 1.0), (5.0, 100.0)):
        d = decision_summary(evals, cost_fp=cost_fp, cost_fn=cost_fn)
        costs = [c[0] for c in cost_column(evals, cost_fp=cost_fp, cost_fn=cost_fn)]
        cheapest = evals[int(np.argmin(costs))]
        cm = confusion(cheapest)
        assert d.tied[0] == cheapest.name
        said = f"catches {int(cm[1, 1]):,} of {int(cm[1].sum()):,} 'fraud', with {int(cm[0, 1]):,} false alarm"
        assert said in d.lines[0] and f"{int(cm[0].sum()):,} 'legit'" in d.lines[0]
        best = evals.index(cheapest)
        pred_best = (cheapest.proba[:, 1] >= cheapest.threshold).astype(int)
        clear = []
        for j, ev in enumerate(evals):
            if j == best:
                continue
            other = (ev.proba[:, 1] >= ev.threshold).astype(int)
            _, low, _, _ = cost_difference(ev.y_test, pred_best, other, cost_fp=cost_fp, cost_fn=cost_fn)
            clear.append(round(low, 3) > 0)  # the other costs more, beyond noise (as shown)
        if all(clear):
            assert d.pick == cheapest.name and d.headline.startswith(f"Use {cheapest.name}")
        else:
            assert d.pick is None and d.headline.startswith("No clear winner")
            assert len(d.tied) == 1 + clear.count(False)


def test_the_leaderboards_cost_column_is_the_summarys(evals):
    table = leaderboard(evals, costs=(1.0, 10.0))
    summary = decision_summary(evals, cost_fp=1.0, cost_fn=10.0)
    best = table.loc[table[COST_LABEL].idxmin()]
    shown = re.search(r"([0-9.]+) per case \[([0-9.]+), ([0-9.]+)\]", summary.lines[0]).groups()
    assert list(shown) == [f"{best[c]:.3f}" for c in (COST_LABEL, f"{COST_LABEL} low", f"{COST_LABEL} high")]
    assert COST_LABEL not in leaderboard(evals)  # without costs, no column


def test_one_strategy_gets_its_counts_and_zero_costs_choose_nothing(evals):
    one = decision_summary(evals[:1], cost_fp=1.0, cost_fn=10.0)
    assert one.pick == evals[0].name and "catches" in one.headline
    free = decision_summary(evals, cost_fp=0.0, cost_fn=0.0)
    assert free.pick is None and "Both costs are 0" in free.headline


def test_each_strategy_has_a_plain_one_line_meaning():
    from core.comparison.compare import meaning
    from core.resampling.catalogue import get_spec

    smote = meaning(Strategy.from_id("smote:rf:none"))
    assert smote.startswith("Random forest; creates new rows") and get_spec("smote").summary[1:-1] in smote
    tuned = meaning(Strategy.from_id("none:hgb:balanced:f1:none"))
    assert "weigh more" in tuned and "tuned for the best F1" in tuned and tuned.endswith("on the rows as they are.")
