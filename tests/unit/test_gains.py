"""Cumulative gains, lift and the review budget: ties taken pro rata, intervals from the shared bootstrap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.evaluation import Evaluation
from core.gains import gains, review_budget
from core.models import Strategy


def _ev(scores, truth) -> Evaluation:
    p = np.asarray(scores, dtype=float)
    return Evaluation(
        "s", Strategy(), ("no", "yes"), np.asarray(truth), np.column_stack([1 - p, p]), (), 0.0, None, None
    )


def test_gains_step_at_each_tie_group_and_lift_divides_by_the_share_reviewed():
    g = gains(_ev([0.9, 0.8, 0.8, 0.1], [1, 0, 1, 0]))
    assert g.reviewed.tolist() == [0.0, 0.25, 0.75, 1.0]
    assert g.caught.tolist() == [0.0, 0.5, 1.0, 1.0]
    assert g.lift.tolist() == pytest.approx([2.0, 4 / 3, 1.0])
    assert g.prevalence == 0.5


def test_a_cut_inside_tied_rows_takes_their_positives_pro_rata():
    b = review_budget(_ev([0.9, 0.8, 0.8, 0.1], [1, 0, 1, 0]), share=0.5, n_boot=200)
    assert (b.rows, b.caught, b.recall, b.false_alarms, b.lift) == pytest.approx((2.0, 1.5, 0.75, 0.5, 1.5))


@settings(max_examples=40, deadline=None)
@given(
    levels=st.lists(st.integers(0, 4), min_size=6, max_size=40),
    truth_seed=st.integers(0, 10_000),
    share=st.floats(0.05, 1.0),
)
def test_the_budget_is_the_expected_catch_when_ties_are_broken_at_random(levels, truth_seed, share):
    rng = np.random.default_rng(truth_seed)
    truth = rng.integers(0, 2, len(levels))
    truth[0] = 1  # at least one positive
    scores = np.asarray(levels) / 5.0
    b = review_budget(_ev(scores, truth), share=share, n_boot=100)
    k = share * len(truth)
    # The same expectation by brute force: many random tie-breaking orders, the cut row taken in part.
    total = 0.0
    draws = 3_000
    for _ in range(draws):
        order = np.lexsort((rng.random(len(truth)), -scores))
        ranked = truth[order]
        whole = int(np.floor(k + 1e-9))
        total += ranked[:whole].sum() + (k - whole) * (ranked[whole] if whole < len(truth) else 0)
    assert b.caught == pytest.approx(total / draws, abs=0.12 + 0.02 * len(truth) ** 0.5)


def test_without_ties_the_budget_counts_the_top_rows():
    rng = np.random.default_rng(3)
    scores, truth = rng.random(500), (rng.random(500) < 0.1).astype(int)
    b = review_budget(_ev(scores, truth), share=0.1, n_boot=200)
    assert b.caught == truth[np.argsort(-scores)[:50]].sum()
    assert b.recall_low <= b.recall <= b.recall_high


def test_a_perfect_ranker_catches_everything_within_the_prevalence_and_the_interval_says_so():
    truth = np.r_[np.ones(20, int), np.zeros(180, int)]
    scores = np.r_[np.linspace(0.9, 0.99, 20), np.linspace(0.0, 0.5, 180)]
    b = review_budget(_ev(scores, truth), share=0.1, n_boot=300)
    assert (b.recall, b.recall_low, b.recall_high, b.false_alarms) == pytest.approx((1.0, 1.0, 1.0, 0.0))
    everything = review_budget(_ev(scores, truth), share=1.0, n_boot=50)
    assert everything.recall == 1.0 and everything.lift == 1.0
    with pytest.raises(ValueError, match="share"):
        review_budget(_ev(scores, truth), share=0.0)


def _caught_at_every_group(weights, truth, starts, cut):
    """The sums over every group, as the function was first written: the reference for the truncated one."""
    w = np.add.reduceat(weights, starts, axis=1)
    p = np.add.reduceat(weights * truth, starts, axis=1)
    cum_w, cum_p = np.cumsum(w, axis=1), np.cumsum(p, axis=1)
    g = np.minimum((cum_w < cut - 1e-9).sum(axis=1), w.shape[1] - 1)
    rows = np.arange(len(w))
    before_w, before_p = cum_w[rows, g] - w[rows, g], cum_p[rows, g] - p[rows, g]
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(w[rows, g] > 0, (cut - before_w) / w[rows, g], 0.0)
    return before_p + np.clip(part, 0.0, 1.0) * p[rows, g]


@pytest.mark.parametrize("n", [1, 40, 3_000])
@pytest.mark.parametrize("levels", [3, 500, 10_000])  # many ties, some, none
@pytest.mark.parametrize("share", [0.001, 0.05, 0.5, 1.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_summing_only_up_to_the_cut_gives_the_same_numbers_as_every_group(n, levels, share, seed):
    from core.gains import _caught_at

    rng = np.random.default_rng(seed)
    scores = np.sort(rng.integers(0, levels, n))[::-1]  # score order, with ties when levels < n
    starts = np.flatnonzero(np.r_[True, scores[1:] != scores[:-1]])
    truth = (rng.random(n) < 0.1).astype(float)
    # replicates of very different weight, so some reach the cut far later than others
    weights = rng.poisson(rng.uniform(0.05, 3.0, size=(7, 1)), size=(7, n)).astype(float)
    cut = share * n
    np.testing.assert_array_equal(
        _caught_at(weights, truth, starts, cut), _caught_at_every_group(weights, truth, starts, cut)
    )
