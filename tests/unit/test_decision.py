"""The decision summary: fair rivals (every model at a threshold tuned for the costs at the rate), counts that are the
confusion matrices', a winner only beyond noise, and costs that agree with the production table and the leaderboard."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV

from core.comparison.compare import COST_LABEL, leaderboard
from core.comparison.decision import called, cost_column, decision_summary, effects, fair_rivals, fair_twin
from core.comparison.intervals import cost_difference, cost_interval
from core.comparison.production import Deployment, outcome, people
from core.comparison.verdicts import Verdict, verdict
from core.data.bundled import load_sample
from core.data.prepared import prepare
from core.data.split import make_split
from core.modelling import fitting
from core.modelling.evaluation import confusion, predict
from core.modelling.fitting import FitData, evaluate, evaluate_many
from core.modelling.strategies import ForestSettings, Strategy, build_estimator, folds_for

IDS = ["none:logreg:none", "smote:rf:none", "none:rf:none:f1:none", "random_under:logreg:none"]


@pytest.fixture(scope="module")
def fitted():
    prepared = prepare(load_sample("credit_card_fraud"), target=None, overrides={})
    split = make_split(prepared, test_size=0.2, random_state=42)
    small = ForestSettings(n_estimators=30)
    evals = evaluate_many([Strategy.from_id(i, forest=small) for i in IDS], split, plan=prepared.plan)
    return prepared, split, evals


@pytest.fixture(scope="module")
def evals(fitted):
    return fitted[2]


def test_the_cost_per_case_is_the_priced_errors_over_the_rows_and_never_of_zero_width():
    rng = np.random.default_rng(3)
    y = np.r_[np.ones(12, int), np.zeros(900, int)]
    e = cost_interval(y, y.copy(), cost_fp=1, cost_fn=10)
    assert e.value == 0 and e.high > 0  # made from counts: 0 errors is not a certain 0
    pred = (rng.random(len(y)) < 0.1).astype(int)
    fp, fn = int(((pred == 1) & (y == 0)).sum()), int(((pred == 0) & (y == 1)).sum())
    e = cost_interval(y, pred, cost_fp=2, cost_fn=7)
    assert e.value == pytest.approx((2 * fp + 7 * fn) / len(y)) and e.low < e.value < e.high
    # at a production rate: the false-alarm and miss rates carry over, the mix is the rate's
    at = cost_interval(y, pred, cost_fp=2, cost_fn=7, rate=0.001)
    assert at.value == pytest.approx(2 * fp / 900 * 0.999 + 7 * fn / 12 * 0.001) and at.low < at.value < at.high
    d, _, _, same = cost_difference(y, pred, pred, cost_fp=2, cost_fn=7, rate=0.001)
    assert d == 0 and same


def test_every_rival_is_its_model_at_the_threshold_tuned_for_the_costs_at_the_rate_and_nothing_is_fitted(
    fitted, monkeypatch
):
    prepared, split, evals = fitted
    monkeypatch.setattr(fitting, "run_fit", lambda *a, **k: pytest.fail("a tuned threshold must not fit"))
    setting = Deployment(rate=0.002, cost_fp=5.0, cost_fn=500.0)
    rivals = fair_rivals(evals, setting)
    # one per model: "RF, threshold for F1" and a plain RF would share one; here the forest appears once
    assert [r.name for r in rivals] == [fair_twin(ev.strategy, setting).name for ev in evals]
    for ev, rival in zip(evals, rivals, strict=True):
        assert rival.strategy.threshold == "cost" and rival.strategy.tuning.rate == 0.002
        np.testing.assert_array_equal(rival.proba, ev.proba)  # the same model, another threshold
    # the threshold is scikit-learn's TunedThresholdClassifierCV's on the same folds, with the cost at the rate
    monkeypatch.undo()
    data = FitData.of(split, plan=prepared.plan)

    def minus_cost(y_true, y_pred):
        tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
        return -(5.0 * fp / (fp + tn) * (1 - 0.002) + 500.0 * fn / (fn + tp) * 0.002)

    strategy = evals[0].strategy
    model, _ = build_estimator(strategy, plan=prepared.plan, counts=dict(enumerate(np.bincount(data.y_train))),
                               names=data.names, n_rows=len(data.y_train))  # fmt: skip
    folds = folds_for(strategy.tuning.folds_for(len(data.y_train)), random_state=strategy.random_state)
    reference = TunedThresholdClassifierCV(model, scoring=make_scorer(minus_cost), cv=folds)
    reference.fit(data.X_train, data.y_train)
    assert rivals[0].threshold == pytest.approx(reference.best_threshold_, abs=1e-12)


def test_the_decision_names_a_rival_only_when_it_beats_every_other_and_doing_nothing_beyond_noise(evals):
    for setting in (Deployment(rate=0.01085), Deployment(rate=0.01, cost_fp=1.0, cost_fn=1.0),
                    Deployment(rate=0.001, per=50_000, unit="a day", cost_fp=5.0, cost_fn=500.0)):  # fmt: skip
        d = decision_summary(evals, setting)
        rivals = fair_rivals(evals, setting)
        costs = [outcome(confusion(r), rate=setting.rate, per=setting.per, cost_fp=setting.cost_fp,
                         cost_fn=setting.cost_fn).cost for r in rivals]  # fmt: skip
        best = rivals[int(np.argmin([c[0] for c in costs]))]
        assert d.tied[0] == best.name and d.rivals == tuple(rivals)
        nothing = setting.cost_fn * setting.rate * setting.per
        digits = 0 if nothing >= 100 else 1 if nothing >= 10 else 2
        pred = predict(best.proba, threshold=best.threshold)
        beaten = []
        for r in rivals:
            if r is best:
                continue
            d_, low, high, same = cost_difference(best.y_test, pred, predict(r.proba, threshold=r.threshold),
                                                  cost_fp=setting.cost_fp, cost_fn=setting.cost_fn, rate=setting.rate)  # fmt: skip
            beaten.append(verdict("cost", d_ * setting.per, low * setting.per, high * setting.per, identical=same,
                                  digits=digits) == Verdict.WORSE)  # fmt: skip
        o = costs[rivals.index(best)]
        saves = round(nothing - o[2], digits) > 0
        if all(beaten) and saves:
            assert d.pick == best.name and d.headline.startswith(f"Use {called(best)}")
        else:
            assert d.pick is None and d.headline.startswith("No ")


def test_the_decisions_costs_and_counts_are_the_production_tables_and_the_confusion_matrices(evals):
    setting = Deployment(rate=0.001, per=50_000, unit="a day", cost_fp=5.0, cost_fn=500.0)
    d = decision_summary(evals, setting)
    assert "25,000 a day: every 'fraud' is missed" in d.lines[0]  # doing nothing: 500 x 0.1 % x 50,000
    rows = d.table.set_index("model and threshold")
    assert list(rows.index) == [
        called(r)
        for r in sorted(
            d.rivals, key=lambda r: outcome(confusion(r), rate=0.001, per=50_000, cost_fp=5.0, cost_fn=500.0).cost[0]
        )
    ]  # cheapest first
    for r in d.rivals:
        o = outcome(confusion(r), rate=0.001, per=50_000, cost_fp=5.0, cost_fn=500.0)
        row = rows.loc[called(r)]
        assert row["cost"] == f"{o.cost[0]:,.0f} [{o.cost[1]:,.0f}, {o.cost[2]:,.0f}]"
        assert row["caught"] == f"{people(o.caught[0])} of 50"
        cm = confusion(r)
        assert row["test split: caught"] == f"{int(cm[1, 1])} of 43"
        assert row["test split: false alarms"] == f"{int(cm[0, 1]):,} of {int(cm[0].sum()):,}"
    assert "a day" in d.basis and "0.100% 'fraud'" in d.basis and "a missed 'fraud' 500" in d.basis


def test_what_resampling_bought_beyond_moving_the_threshold_follows_its_paired_interval(evals):
    setting = Deployment(rate=0.01085)
    found = effects(evals, setting)
    kinds = [e.kind for e in found]
    assert kinds[0] == "moving the threshold"  # the baseline at 0.5 against itself tuned for the costs
    assert "resampling" in kinds and "another model" in kinds
    for e in found:
        text = e.sentence(setting.unit)
        low, high = (float(x.replace(",", "")) for x in re.search(r"\[([+-][\d,]+), ([+-][\d,]+)\]", text).groups())
        if "no clear difference" in text:
            assert low <= 0 <= high
        elif " saved" in text:
            assert high < 0
        elif "cost more" in text:
            assert low > 0


def test_the_leaderboards_cost_column_is_at_the_production_rate(evals):
    table = leaderboard(evals, costs=(1.0, 10.0), rate=0.002)
    expected = cost_column(evals, cost_fp=1.0, cost_fn=10.0, rate=0.002)
    assert table[COST_LABEL].tolist() == pytest.approx([c[0] for c in expected])
    assert COST_LABEL not in leaderboard(evals)  # without costs, no column


def test_one_model_gets_its_counts_and_zero_costs_choose_nothing(evals):
    one = decision_summary(evals[:1], Deployment(rate=0.01))
    assert one.pick == one.rivals[0].name and "caught" in one.headline
    free = decision_summary(evals, Deployment(rate=0.01, cost_fp=0.0, cost_fn=0.0))
    assert free.pick is None and "Both costs are 0" in free.headline


def test_expected_counts_are_whole_people():
    assert [people(x) for x in (2.3, 9_947.6, 0.4, 0.0, float("nan"))] == [
        "about 2", "about 9,948", "fewer than 1", "none", "–"
    ]  # fmt: skip


def test_on_the_fraud_sample_the_default_pair_is_not_called_for_smote_beyond_noise():
    """Train's first press: RF and SMOTE + RF, 100 trees. At thresholds tuned for the default costs, SMOTE + RF is not
    named cheaper than every other strategy unless it beats the forest's own cost-tuned threshold."""
    prepared = prepare(load_sample("credit_card_fraud"), target=None, overrides={})
    split = make_split(prepared, test_size=0.2, random_state=42)
    evals = evaluate_many([Strategy(), Strategy.from_id("smote:rf:none")], split, plan=prepared.plan)
    setting = Deployment(rate=prepared.distribution.table["percent"].iloc[-1] / 100)
    d = decision_summary(evals, setting)
    plain_rf, smote_rf = d.rivals
    assert plain_rf.threshold < 0.5 and plain_rf.strategy.fitted_as == Strategy()
    if d.pick == smote_rf.name:
        pred = predict(smote_rf.proba, threshold=smote_rf.threshold)
        _, low, _high, _ = cost_difference(smote_rf.y_test, pred, predict(plain_rf.proba, threshold=plain_rf.threshold),
                                          cost_fp=1.0, cost_fn=10.0, rate=setting.rate)  # fmt: skip
        assert round(low * setting.per) > 0
    else:
        assert d.pick is None and plain_rf.name in d.tied


def test_each_strategy_has_a_plain_one_line_meaning():
    from core.comparison.compare import meaning
    from core.resampling.catalogue import get_spec

    smote = meaning(Strategy.from_id("smote:rf:none"))
    assert smote.startswith("Random forest; creates new rows") and get_spec("smote").summary[1:-1] in smote
    tuned = meaning(Strategy.from_id("none:hgb:balanced:f1:none"))
    assert "weigh more" in tuned and "tuned for the best F1" in tuned and tuned.endswith("on the rows as they are.")


def test_a_single_evaluation_read_off_reuses_the_models_fit(fitted):
    prepared, split, evals = fitted
    again = evaluate(evals[0].strategy, split, plan=prepared.plan, fitted=evals[0])
    assert again is evals[0]
