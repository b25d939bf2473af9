"""Cumulative gains, lift and the review budget: ties taken pro rata, Jeffreys intervals as for recall."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.comparison.gains import gains, review_budget
from core.comparison.intervals import jeffreys
from core.modelling.evaluation import Evaluation
from core.modelling.strategies import Strategy


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
    b = review_budget(_ev([0.9, 0.8, 0.8, 0.1], [1, 0, 1, 0]), share=0.5)
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
    b = review_budget(_ev(scores, truth), share=share)
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
    b = review_budget(_ev(scores, truth), share=0.1)
    assert b.caught == truth[np.argsort(-scores)[:50]].sum()
    assert b.recall_low <= b.recall <= b.recall_high


def test_a_perfect_ranker_catches_everything_within_the_prevalence_and_the_interval_says_so():
    truth = np.r_[np.ones(20, int), np.zeros(180, int)]
    scores = np.r_[np.linspace(0.9, 0.99, 20), np.linspace(0.0, 0.5, 180)]
    b = review_budget(_ev(scores, truth), share=0.1)
    assert (b.recall, b.recall_high, b.false_alarms) == pytest.approx((1.0, 1.0, 0.0))
    assert b.recall_low == pytest.approx(jeffreys(20, 20)[0]) and b.recall_low < 0.95  # 20 of 20 is not certainty
    everything = review_budget(_ev(scores, truth), share=1.0)
    assert everything.recall == 1.0 and everything.lift == 1.0
    with pytest.raises(ValueError, match="share"):
        review_budget(_ev(scores, truth), share=0.0)
