"""The curves stakeholders read: cumulative gains, lift, and what a review budget catches.

Rank the test rows by the strategy's score for the small class, highest first, and review the top
``k`` of them. The **gains** curve gives, for each share of rows reviewed, the share of the small
class caught; **lift** is that share divided by the share reviewed (how many times better than
reviewing at random). Rows with equal scores cannot be ordered, so a cut that falls inside a group
of tied rows takes the group's positives in proportion (the expected value when ties are broken at
random); between tie groups the curve is a straight line, as in scikit-learn's ROC curve.

A **review budget** of ``share`` reviews ``share × n`` test rows. Its interval comes from the same
stratified bootstrap replicates as every other interval in the app (:mod:`core.uncertainty`), so
two strategies' budgets can be compared replicate by replicate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.evaluation import Evaluation
from core.uncertainty import BLOCK, N_BOOT, interval, replicate_counts

__all__ = ["Budget", "Gains", "budget_row", "budget_table", "gains", "review_budget"]


@dataclass(frozen=True)
class Gains:
    """Cumulative gains of one strategy: ``reviewed`` and ``caught`` (shares, from 0 to 1) at each tie
    group's end, and the prevalence of the small class in the test split."""

    label: str
    reviewed: np.ndarray
    caught: np.ndarray
    prevalence: float

    @property
    def lift(self) -> np.ndarray:
        """Caught share over reviewed share (undefined at 0 reviewed: the first point is dropped)."""
        return self.caught[1:] / self.reviewed[1:]


def _groups(ev: Evaluation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row order by score (highest first), the start of each tie group in that order, and the truth."""
    score = ev.proba[:, ev.positive]
    order = np.argsort(-score, kind="stable")
    ranked = score[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    return order, starts, (ev.y_test == ev.positive)[order].astype(np.float64)


def gains(ev: Evaluation) -> Gains:
    """The cumulative gains curve of a binary evaluation (see the module docstring)."""
    _, starts, truth = _groups(ev)
    n, positives = len(truth), truth.sum()
    ends = np.r_[starts[1:], n]
    caught = np.cumsum(np.add.reduceat(truth, starts)) / max(positives, 1)
    return Gains(
        label=ev.name,
        reviewed=np.r_[0.0, ends / n],
        caught=np.r_[0.0, caught],
        prevalence=float(positives / n),
    )


@dataclass(frozen=True)
class Budget:
    """What reviewing the top ``share`` of the test rows by score gives.

    ``rows`` reviewed (``share × n``); ``caught`` small-class rows among them (expected, so possibly
    fractional when the cut splits tied rows) out of ``positives``; ``recall`` = caught / positives with
    its 95 % bootstrap interval ``recall_low``–``recall_high``; ``false_alarms`` = rows − caught;
    ``lift`` = recall / share.
    """

    share: float
    rows: float
    positives: int
    caught: float
    recall: float
    recall_low: float
    recall_high: float
    false_alarms: float
    lift: float


def _caught_at(weights: np.ndarray, truth: np.ndarray, starts: np.ndarray, cut: float) -> np.ndarray:
    """Positives among the first ``cut`` rows for each row of ``weights`` (rows in score order, tie groups
    starting at ``starts``): whole groups before the cut, and the cut group's positives pro rata.

    Only the groups up to the cut matter, so the first ``m`` are summed, ``m`` doubling until every row's
    cut falls within them: the same sums as over all groups (cumulative sums run left to right), at a
    fraction of the cost for a small review budget. Groups of one row are not summed at all.
    """
    n_groups = len(starts)
    m = min(n_groups, int(cut * 1.2) + 256)
    while True:
        end = int(starts[m]) if m < n_groups else weights.shape[1]
        part_w, part_t = weights[:, :end], truth[:end]
        singletons = end == m  # every group among the first m is one row
        w = part_w if singletons else np.add.reduceat(part_w, starts[:m], axis=1)
        cum_w = np.cumsum(w, axis=1)
        if m == n_groups or bool((cum_w[:, -1] >= cut - 1e-9).all()):
            break
        m = min(n_groups, 2 * m)
    p = part_w * part_t if singletons else np.add.reduceat(part_w * part_t, starts[:m], axis=1)
    cum_p = np.cumsum(p, axis=1)
    # the group where the cut falls: the first whose cumulative weight reaches the cut
    g = np.minimum((cum_w < cut - 1e-9).sum(axis=1), n_groups - 1)
    rows = np.arange(len(w))
    before_w = cum_w[rows, g] - w[rows, g]
    before_p = cum_p[rows, g] - p[rows, g]
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(w[rows, g] > 0, (cut - before_w) / w[rows, g], 0.0)
    return before_p + np.clip(part, 0.0, 1.0) * p[rows, g]


def review_budget(ev: Evaluation, *, share: float, n_boot: int = N_BOOT, random_state: int = 0) -> Budget:
    """Review the top ``share`` (0–1) of the test rows by score: caught, recall with its interval, false alarms."""
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share!r}")
    order, starts, truth = _groups(ev)
    n = len(truth)
    cut = share * n
    positives = int(truth.sum())
    caught = float(_caught_at(np.ones((1, n)), truth, starts, cut)[0])
    samples = []
    codes = ev.y_test[order]
    for block in range(-(-n_boot // BLOCK)):
        size = min(BLOCK, n_boot - block * BLOCK)
        # drawn in test-row order, as every other interval, then put in score order
        counts = replicate_counts(ev.y_test, block=block, size=size, random_state=random_state)[:, order]
        positives_b = (counts * (codes == ev.positive)).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            samples.append(_caught_at(counts, truth, starts, cut) / positives_b)
    low, high = interval(np.concatenate(samples))
    recall = caught / positives if positives else float("nan")
    return Budget(
        share=share, rows=cut, positives=positives, caught=caught, recall=recall, recall_low=low,
        recall_high=high, false_alarms=cut - caught, lift=recall / share,
    )  # fmt: skip


def budget_row(ev: Evaluation, *, share: float, random_state: int = 0) -> dict[str, object]:
    """One strategy's row of :func:`budget_table`."""
    b = review_budget(ev, share=share, random_state=random_state)
    return {
        "strategy": ev.name, "rows reviewed": b.rows, "caught": b.caught, "of": b.positives,
        "recall": b.recall, "recall low": b.recall_low, "recall high": b.recall_high,
        "false alarms": b.false_alarms, "lift": b.lift,
    }  # fmt: skip


def budget_table(evals: list[Evaluation], *, share: float, random_state: int = 0) -> pd.DataFrame:
    """One row per strategy: what reviewing the top ``share`` of the test rows catches (see :class:`Budget`)."""
    return pd.DataFrame([budget_row(ev, share=share, random_state=random_state) for ev in evals])
