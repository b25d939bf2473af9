"""The production view: outcomes at another rate equal a reweighting of the test rows, probabilities moved to the
production rate are calibrated there, net benefit is its definition, and bad settings are refused clearly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.comparison.production import check_rate, check_volume, decision_curve, outcome, prior_shift, rate_note
from core.modelling.strategies import Strategy
from core.resampling.catalogue import SamplerConfig


@given(tp=st.integers(0, 60), fn=st.integers(0, 60), fp=st.integers(0, 400), tn=st.integers(1, 4000),
       rate=st.floats(0.0005, 0.5), costs=st.tuples(st.floats(0.1, 10), st.floats(0.1, 100)))  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_the_outcomes_at_a_rate_equal_the_test_rows_reweighted_to_it(tp, fn, fp, tn, rate, costs):
    if tp + fn == 0:
        return
    y = np.r_[np.ones(tp + fn), np.zeros(fp + tn)]
    flagged = np.r_[np.ones(tp), np.zeros(fn), np.ones(fp), np.zeros(tn)].astype(bool)
    prevalence = y.mean()
    w = np.where(y == 1, rate / prevalence, (1 - rate) / (1 - prevalence))  # each row's weight at the new rate
    per = 10_000 / w.sum()  # so the weighted rows stand for 10,000 cases scored
    o = outcome(np.array([[tn, fp], [fn, tp]]), rate=rate, cost_fp=costs[0], cost_fn=costs[1])
    caught, alarms = (w * (y == 1) * flagged).sum() * per, (w * (y == 0) * flagged).sum() * per
    missed = (w * (y == 1) * ~flagged).sum() * per
    assert o.caught[0] == pytest.approx(caught) and o.false_alarms[0] == pytest.approx(alarms)
    assert o.cost[0] == pytest.approx(costs[0] * alarms + costs[1] * missed)
    if caught + alarms > 0:
        assert o.precision[0] == pytest.approx(caught / (caught + alarms))
    kept_neg = (w * (y == 0) * ~flagged).sum() * per
    if kept_neg + missed > 0:
        assert o.npv[0] == pytest.approx(kept_neg / (kept_neg + missed))
    for name in ("caught", "false_alarms", "cost", "precision"):
        v, low, high = getattr(o, name)
        assert math.isnan(v) or low <= v <= high


def test_the_intervals_follow_a_brute_force_of_the_rates_posteriors():
    o = outcome(np.array([[3950, 40], [20, 30]]), rate=0.001, draws=200_000, random_state=1)
    rng = np.random.default_rng(7)
    tpr, fpr = rng.beta(30.5, 20.5, 200_000), rng.beta(40.5, 3950.5, 200_000)
    precision = tpr * 0.001 / (tpr * 0.001 + fpr * 0.999)
    assert o.precision[1:] == pytest.approx(tuple(np.quantile(precision, [0.025, 0.975])), rel=0.02)
    assert o.precision[2] - o.precision[1] > 0  # never of zero width
    assert o.caught[0] == pytest.approx(10_000 * 0.001 * 30 / 50)


def test_prior_shift_moves_probabilities_and_keeps_their_order():
    p = np.array([0.1, 0.5, 0.9])
    moved = prior_shift(p, trained_rate=0.5, rate=0.01)
    assert moved[1] == pytest.approx(0.01) and np.all(np.diff(moved) > 0)
    assert prior_shift(p, trained_rate=0.3, rate=0.3) == pytest.approx(p)


def test_prior_shift_repairs_a_model_trained_on_rows_rebalanced_to_half_and_half():
    """On the bundled fraud sample, SMOTE to 50 : 50 + logistic regression: the calibration error on the untouched
    test split falls to at most half once the probabilities are moved back to the data's rate."""
    from core.data.bundled import load_sample
    from core.data.prepared import prepare
    from core.data.split import make_split
    from core.modelling.fitting import evaluate

    prepared = prepare(load_sample("credit_card_fraud"), target=None, overrides={})
    split = make_split(prepared, test_size=0.25, random_state=0)
    ev = evaluate(Strategy(SamplerConfig("smote"), model="logreg"), split, plan=prepared.plan)
    y, p = ev.y_test, ev.proba[:, 1]
    rate = float((split.y_train == split.y_train.value_counts().idxmin()).mean())

    def ece(q: np.ndarray) -> float:  # expected calibration error over ten equal-count bins
        order = np.argsort(q)
        return sum(abs(q[b].mean() - y[b].mean()) * len(b) for b in np.array_split(order, 10)) / len(q)

    before, after = ece(p), ece(prior_shift(p, trained_rate=0.5, rate=rate))
    assert after <= before / 2, (before, after)


def test_net_benefit_is_its_definition_by_hand():
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 1])
    s = np.array([0.9, 0.4, 0.8, 0.1, 0.2, 0.3, 0.05, 0.6, 0.15, 0.7])
    curve = decision_curve(y, s, rate=0.3, thresholds=np.array([0.5]))
    tp, fp, n = 2, 2, 10  # flagged at 0.5: 0.9, 0.8, 0.6, 0.7 -> cases 0.9, 0.7
    assert curve["net_benefit"][0] == pytest.approx(tp / n - fp / n * 0.5 / 0.5)
    assert curve["everyone"][0] == pytest.approx(0.3 - 0.7)


@pytest.mark.parametrize(("value", "says"), [(0, "above 0 %"), (100, "below 100 %"), (150, "below 100 %"),
                                             ("abc", "must be a number"), (float("nan"), "above 0 %")])  # fmt: skip
def test_a_rate_of_0_100_or_not_a_number_is_refused_with_the_reason(value, says):
    with pytest.raises(ValueError, match=says):
        check_rate(value)


def test_a_volume_below_1_is_refused_and_a_far_rate_is_noted():
    with pytest.raises(ValueError, match="at least 1"):
        check_volume(0.5)
    assert check_volume(250) == 250 and check_rate(0.1) == pytest.approx(0.001)
    assert rate_note(0.001, 0.011) is None
    assert "more than 100 times lower" in rate_note(0.00001, 0.011)


@settings(max_examples=60, deadline=None)
@given(
    p=st.lists(st.floats(0, 1), min_size=1, max_size=30),
    trained=st.floats(0.01, 0.99),
    rate=st.floats(1e-5, 0.99),
)
def test_the_correction_the_script_and_model_lines_carry_is_the_apps(p, trained, rate):
    from core.output.python_source import AT_RATE_SOURCE

    space: dict = {"np": np}
    exec(AT_RATE_SOURCE, space)
    with np.errstate(divide="ignore", invalid="ignore"):
        carried = space["at_rate"](np.array(p), trained, rate)
    expected = prior_shift(np.array(p), trained_rate=trained, rate=rate)
    np.testing.assert_allclose(carried, expected, rtol=1e-12, atol=1e-15)


@settings(max_examples=40, deadline=None)
@given(
    p=st.lists(st.floats(0, 1), min_size=2, max_size=40),
    t=st.floats(0.01, 0.99),
    trained=st.floats(0.05, 0.95),
    rate=st.floats(1e-4, 0.5),
)
def test_the_threshold_on_the_production_scale_flags_the_same_rows(p, t, trained, rate):
    from core.comparison.production import threshold_sentence

    p = np.array(p)
    moved_t = float(prior_shift(np.array([t]), trained_rate=trained, rate=rate)[0])
    np.testing.assert_array_equal(p >= t, prior_shift(p, trained_rate=trained, rate=rate) >= moved_t)
    sentence = threshold_sentence("SMOTE + RF", threshold=t, tuned=None, trained=trained, rate=rate, label="'x'")
    if abs(trained - rate) <= 0.1 * rate:
        assert sentence is None
    else:
        assert f"{moved_t:.2%}" in sentence and f"{t:.2f}" in sentence
