"""Each interval method held to a reference, no zero-width interval from counts, and the one verdict rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.metrics import geometric_mean_score
from scipy import stats
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    roc_auc_score,
)

from core.comparison.intervals import (
    _ap_jackknife,
    _bounded_mean_draws,
    _delong_correlation,
    _newcombe,
    _wilson,
    difference_intervals,
    jeffreys,
    metric_intervals,
)
from core.comparison.verdicts import Verdict, format_difference, verdict
from core.modelling.metrics import average_precision, confusion_metrics, placements

COUNT_BASED = ("recall", "precision", "f1", "balanced_accuracy", "g_mean", "mcc", "accuracy", "macro_f1")


@given(n=st.integers(1, 400), share=st.floats(0, 1))
@settings(max_examples=60, deadline=None)
def test_jeffreys_is_the_beta_posterior_with_its_bounds_at_0_and_1_and_never_zero_width(n, share):
    k = round(share * n)
    low, high = jeffreys(k, n)
    a, b = k + 0.5, n - k + 0.5
    assert low == (0.0 if k == 0 else pytest.approx(stats.beta.ppf(0.025, a, b)))
    assert high == (1.0 if k == n else pytest.approx(stats.beta.ppf(0.975, a, b)))
    assert high - low > 0.0 and low <= k / n <= high


def test_six_of_six_and_none_of_six_read_as_the_issue_asks():
    assert jeffreys(6, 6)[0] == pytest.approx(0.67, abs=0.01) and jeffreys(6, 6)[1] == 1.0
    assert jeffreys(0, 6) == (0.0, pytest.approx(0.33, abs=0.01))
    assert math.isnan(jeffreys(0, 0)[0])


@given(n=st.integers(1, 300), share=st.floats(0, 1))
@settings(max_examples=60, deadline=None)
def test_wilson_matches_scipys_binomtest(n, share):
    k = round(share * n)
    ci = stats.binomtest(k, n).proportion_ci(method="wilson")
    assert _wilson(k / n, n, level=0.95) == (pytest.approx(ci.low, abs=1e-9), pytest.approx(ci.high, abs=1e-9))


@given(seed=st.integers(0, 10_000), n=st.integers(4, 300), k=st.sampled_from([2, 3, 4]))
@settings(max_examples=60, deadline=None)
def test_the_confusion_formulas_are_scikit_learns_and_imbalanced_learns(seed, n, k):
    rng = np.random.default_rng(seed)
    y, pred = rng.integers(0, k, n), rng.integers(0, k, n)
    cm = np.bincount(y * k + pred, minlength=k * k).reshape(k, k)
    got = confusion_metrics(cm)
    labels = np.arange(k)
    assert got["accuracy"] == pytest.approx(accuracy_score(y, pred))
    assert got["mcc"] == pytest.approx(matthews_corrcoef(y, pred), abs=1e-12)
    assert got["g_mean"] == pytest.approx(geometric_mean_score(y, pred, labels=labels), abs=1e-12)
    assert got["macro_f1"] == pytest.approx(f1_score(y, pred, labels=labels, average="macro", zero_division=0))
    if len(np.unique(y)) == k:
        assert got["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y, pred))
    if k == 2:
        assert got["recall"] == pytest.approx(recall_score(y, pred, zero_division=np.nan), nan_ok=True)
        assert got["precision"] == pytest.approx(precision_score(y, pred, zero_division=np.nan), nan_ok=True)
        assert got["f1"] == pytest.approx(f1_score(y, pred, zero_division=0))


def _binary(seed: int, n_pos: int, n_neg: int, *, strength: float = 1.0, decimals: int = 3):
    rng = np.random.default_rng(seed)
    y = np.r_[np.ones(n_pos, int), np.zeros(n_neg, int)]
    p = np.round(1 / (1 + np.exp(-(strength * (2 * y - 1) + rng.normal(0, 1, len(y))))), decimals)
    return y, np.column_stack([1 - p, p])


@given(seed=st.integers(0, 10_000), n_pos=st.integers(1, 40), strength=st.floats(0, 6), t=st.floats(0.05, 0.95))
@settings(max_examples=40, deadline=None)
def test_no_interval_made_from_counts_has_zero_width_and_every_one_holds_its_value(seed, n_pos, strength, t):
    y, proba = _binary(seed, n_pos, 20 * n_pos, strength=strength)
    pred = (proba[:, 1] >= t).astype(int)
    out = metric_intervals(y, proba, pred, random_state=seed)
    for name, e in out.items():
        if math.isnan(e.value):
            assert name == "precision" and not pred.any()
            continue
        assert e.low <= e.value <= e.high, name
        if name in COUNT_BASED or name in {"roc_auc", "pr_auc"}:
            assert e.high - e.low > 0, name
    assert (out["recall"].hits, out["recall"].of) == (int(pred[y == 1].sum()), n_pos)
    assert (out["recall"].low, out["recall"].high) == pytest.approx(jeffreys(out["recall"].hits, n_pos))


def test_a_perfect_split_of_six_cases_is_not_read_as_certain():
    y, proba = _binary(1, 6, 300, strength=9)
    pred = (proba[:, 1] >= 0.5).astype(int)
    assert pred[y == 1].all() and not pred[y == 0].any()  # 6 of 6 caught, no false alarm
    out = metric_intervals(y, proba, pred)
    for name in ("recall", "precision", "f1", "roc_auc", "pr_auc", "mcc", "balanced_accuracy"):
        assert out[name].value == pytest.approx(1.0) and out[name].high == 1.0 and out[name].low < 0.9, name


def test_placements_and_delong_follow_a_brute_force_over_every_pair():
    y, proba = _binary(4, 25, 60, decimals=1)  # ties on purpose
    s, pos = proba[:, 1], y == 1
    psi = (s[pos][:, None] > s[~pos][None, :]) + 0.5 * (s[pos][:, None] == s[~pos][None, :])
    v10, v01 = placements(pos, s)
    np.testing.assert_allclose(v10, psi.mean(axis=1))
    np.testing.assert_allclose(v01, psi.mean(axis=0))
    assert v10.mean() == pytest.approx(roc_auc_score(pos, s))
    # DeLong's correlation of two scorings, against the covariance of their pair kernels
    s2 = np.round(s + np.random.default_rng(0).normal(0, 0.2, len(s)), 1)
    psi2 = (s2[pos][:, None] > s2[~pos][None, :]) + 0.5 * (s2[pos][:, None] == s2[~pos][None, :])
    m, n = pos.sum(), (~pos).sum()

    def var_cov(a, b):
        return np.cov(a.mean(1), b.mean(1))[0, 1] / m + np.cov(a.mean(0), b.mean(0))[0, 1] / n

    expected = var_cov(psi, psi2) / math.sqrt(var_cov(psi, psi) * var_cov(psi2, psi2))
    assert _delong_correlation(pos, s, s2) == pytest.approx(expected)


@given(seed=st.integers(0, 10_000), decimals=st.sampled_from([1, 2, 6]))
@settings(max_examples=25, deadline=None)
def test_average_precision_left_one_out_follows_a_brute_force(seed, decimals):
    y, proba = _binary(seed, 12, 40, decimals=decimals)
    s, pos = proba[:, 1], y == 1
    cases, non_cases = _ap_jackknife(pos, s)
    brute = [average_precision_score(np.delete(y, i), np.delete(s, i)) for i in range(len(y))]
    np.testing.assert_allclose(cases, np.array(brute)[pos], atol=1e-12)
    np.testing.assert_allclose(non_cases, np.array(brute)[~pos], atol=1e-12)


@pytest.mark.parametrize(("theta", "m", "n"), [(0.5, 10, 40), (0.8, 30, 300), (0.95, 6, 500), (1.0, 6, 500)])
def test_newcombes_bounds_solve_the_score_equation_and_do_not_collapse_at_1(theta, m, n):
    low, high = _newcombe(theta, m, n, level=0.95)
    star, z = (m + n) / 2, stats.norm.ppf(0.975)

    def gap(t):
        var = t * (1 - t) / (m * n) * (1 + (star - 1) * ((1 - t) / (2 - t) + t / (1 + t)))
        return (theta - t) ** 2 - z * z * var

    assert low < theta and abs(gap(low)) < 1e-4
    assert high == 1.0 if theta == 1.0 else (high > theta and abs(gap(high)) < 1e-4)


@given(seed=st.integers(0, 10_000), decimals=st.sampled_from([1, 2, 6]))
@settings(max_examples=30, deadline=None)
def test_average_precision_is_scikit_learns(seed, decimals):
    y, proba = _binary(seed, 15, 80, decimals=decimals)
    assert average_precision(y == 1, proba[:, 1]) == pytest.approx(average_precision_score(y, proba[:, 1]))


def test_the_brier_mean_of_0_and_1_errors_is_the_jeffreys_posterior():
    values = np.r_[np.ones(3), np.zeros(9)]
    draws = _bounded_mean_draws(values, upper=1.0, size=200_000, rng=np.random.default_rng(0))
    assert np.quantile(draws, [0.025, 0.975]) == pytest.approx(jeffreys(3, 12), abs=0.005)


def test_differences_of_the_same_decisions_are_identical_and_swapping_flips_the_sign():
    y, proba = _binary(2, 20, 400)
    pred = (proba[:, 1] >= 0.5).astype(int)
    same = difference_intervals(y, (proba, pred), (proba.copy(), pred.copy()))
    assert all(v[3] for v in same.values()) and same["recall"][0] == 0.0
    _, other = _binary(3, 20, 400, strength=2)
    pred2 = (other[:, 1] >= 0.5).astype(int)
    ab = difference_intervals(y, (proba, pred), (other, pred2), random_state=1)
    ba = difference_intervals(y, (other, pred2), (proba, pred), random_state=1)
    for m in ("recall", "precision", "roc_auc", "brier"):
        assert ab[m][0] == pytest.approx(-ba[m][0]) and not ab[m][3]
        assert ab[m][1] <= ab[m][0] <= ab[m][2]
        assert ab[m][1] == pytest.approx(-ba[m][2], abs=0.02) and ab[m][2] == pytest.approx(-ba[m][1], abs=0.02)


@pytest.mark.parametrize(
    ("metric", "d", "low", "high", "identical", "expected"),
    [
        ("recall", 0.136, 0.0004, 0.293, False, Verdict.UNCLEAR),  # shown as +0.000: not "better"
        ("recall", 0.136, 0.0006, 0.293, False, Verdict.BETTER),  # shown as +0.001
        ("recall", -0.112, -0.245, -0.0004, False, Verdict.UNCLEAR),
        ("recall", -0.112, -0.245, -0.0006, False, Verdict.WORSE),
        ("brier", -0.02, -0.03, -0.01, False, Verdict.BETTER),  # lower is better
        ("brier", 0.02, 0.01, 0.03, False, Verdict.WORSE),
        ("recall", 0.0, 0.0, 0.0, True, Verdict.IDENTICAL),
        ("recall", 0.0, -0.01, 0.01, False, Verdict.UNCLEAR),  # a tie
        ("precision", float("nan"), float("nan"), float("nan"), False, Verdict.UNDEFINED),
    ],
)
def test_the_verdict_rule_decides_on_the_bounds_as_shown(metric, d, low, high, identical, expected):
    assert verdict(metric, d, low, high, identical=identical) is expected


def test_shown_differences_have_no_negative_zero_and_agree_with_the_word():
    assert format_difference(-0.00001, -0.0004, 0.2) == "+0.000 [+0.000, +0.200]"
    assert verdict("recall", -0.00001, -0.0004, 0.2) is Verdict.UNCLEAR


@settings(max_examples=60, deadline=None)
@given(
    n_cases=st.integers(1, 40), n_others=st.integers(1, 400), k=st.sampled_from([2, 3]),
    skill=st.floats(0.0, 1.0), seed=st.integers(0, 10_000),
)  # fmt: skip
def test_every_interval_lies_within_what_its_metric_can_take_and_holds_its_value(n_cases, n_others, k, skill, seed):
    """Brier in [0, 1] (or [0, 2] for several classes), MCC in [-1, 1], every rate and area in [0, 1], a cost from 0;
    a paired difference within what two such values can differ by. By construction, on any data."""
    from core.comparison.intervals import cost_interval, metric_range

    rng = np.random.default_rng(seed)
    y = np.r_[np.arange(k - 1).repeat(max(n_others // (k - 1), 1)), np.full(n_cases, k - 1)]
    logits = (rng.normal(size=(len(y), k)) + skill * 4 * np.eye(k)[y]) * (1 + 20 * skill)  # up to near-certain
    proba = np.exp(logits - logits.max(axis=1, keepdims=True))
    proba /= proba.sum(axis=1, keepdims=True)
    pred = proba.argmax(axis=1)
    for m, e in metric_intervals(y, proba, pred).items():
        lo, hi = metric_range(m, n_classes=k)
        if not math.isnan(e.value):
            assert lo <= e.low <= e.value <= e.high <= hi, (m, e)
    other = np.roll(proba, 1, axis=0)
    for m, (d, low, high, _) in difference_intervals(y, (proba, pred), (other, other.argmax(axis=1))).items():
        lo, hi = metric_range(m, n_classes=k)
        if not math.isnan(d):
            assert lo - hi <= low <= d <= high <= hi - lo, (m, d, low, high)
    if k == 2:
        c = cost_interval(y, pred, cost_fp=1.0, cost_fn=10.0, rate=0.01)
        assert 0 <= c.low <= c.value <= c.high


def test_a_near_perfect_brier_score_keeps_its_interval_above_zero():
    """The case a user saw as "0.001 [-0.001, 0.009]": over 300 rows of a class, a normal approximation of a mean
    of errors that are nearly all 0 stepped below 0; the interval now stops at 0."""
    y = np.r_[np.zeros(1_000, int), np.ones(10, int)]
    p = np.r_[np.full(999, 0.001), 0.9, np.full(10, 0.999)]
    e = metric_intervals(y, np.column_stack([1 - p, p]), (p >= 0.5).astype(int))["brier"]
    assert 0.0 <= e.low <= e.value <= e.high <= 1.0 and e.high > e.value
