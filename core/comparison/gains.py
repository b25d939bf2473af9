"""The curves stakeholders read: cumulative gains, lift, and what a review budget catches.

Rank the test rows by the strategy's score for the small class, highest first, and review the top
``k`` of them. The **gains** curve gives, for each share of rows reviewed, the share of the small
class caught; **lift** is that share divided by the share reviewed (how many times better than
reviewing at random). Rows with equal scores cannot be ordered, so a cut that falls inside a group
of tied rows takes the group's positives in proportion (the expected value when ties are broken at
random); between tie groups the curve is a straight line, as in scikit-learn's ROC curve.

A **review budget** of ``share`` reviews ``share × n`` test rows; the share of the cases it catches has
Jeffreys' interval, as recall does (:mod:`core.comparison.intervals`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.comparison.intervals import jeffreys
from core.modelling.evaluation import Evaluation

__all__ = [
    "Budget",
    "Gains",
    "budget_row",
    "budget_shown",
    "budget_table",
    "gains",
    "review_budget",
]


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
    its 95 % Jeffreys interval ``recall_low``–``recall_high``; ``false_alarms`` = rows − caught;
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


def _caught_at(truth: np.ndarray, starts: np.ndarray, cut: float) -> float:
    """Positives among the first ``cut`` rows (rows in score order, tie groups starting at ``starts``): whole
    groups before the cut, and the cut group's positives pro rata (the expected count under random tie-breaks)."""
    ends = np.r_[starts[1:], len(truth)]
    g = int(np.searchsorted(ends, cut - 1e-9, side="left"))  # the group where the cut falls
    g = min(g, len(starts) - 1)
    before = float(truth[: starts[g]].sum())
    size = ends[g] - starts[g]
    return before + float(truth[starts[g] : ends[g]].sum()) * min(max((cut - starts[g]) / size, 0.0), 1.0)


def review_budget(ev: Evaluation, *, share: float) -> Budget:
    """Review the top ``share`` (0–1) of the test rows by score: caught, recall with its interval, false alarms.

    The interval is Jeffreys' for caught out of the cases (:func:`core.comparison.intervals.jeffreys`), as for recall.
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share!r}")
    _, starts, truth = _groups(ev)
    n = len(truth)
    cut = share * n
    positives = int(truth.sum())
    caught = _caught_at(truth, starts, cut)
    low, high = jeffreys(caught, positives)
    recall = caught / positives if positives else float("nan")
    return Budget(
        share=share, rows=cut, positives=positives, caught=caught, recall=recall, recall_low=low,
        recall_high=high, false_alarms=cut - caught, lift=recall / share,
    )  # fmt: skip


def budget_row(ev: Evaluation, *, share: float) -> dict[str, object]:
    """One strategy's row of :func:`budget_table`."""
    b = review_budget(ev, share=share)
    return {
        "strategy": ev.name, "rows reviewed": b.rows, "caught": b.caught, "of": b.positives,
        "recall": b.recall, "recall low": b.recall_low, "recall high": b.recall_high,
        "false alarms": b.false_alarms, "lift": b.lift,
    }  # fmt: skip


def budget_table(evals: list[Evaluation], *, share: float) -> pd.DataFrame:
    """One row per strategy: what reviewing the top ``share`` of the test rows catches (see :class:`Budget`)."""
    return pd.DataFrame([budget_row(ev, share=share) for ev in evals])


def budget_shown(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`budget_table` for reading, one row per strategy in whole cases (rows with equal scores are counted
    in proportion, so the counts behind it can be fractional): the rows reviewed, the cases caught of the
    cases, the share caught with its 95 % Jeffreys interval, the false alarms and the lift."""

    def whole(x: float) -> str:
        return f"{math.floor(x + 0.5):,}"

    return pd.DataFrame({
        "strategy": table["strategy"],
        "rows reviewed": [whole(x) for x in table["rows reviewed"]],
        "cases caught": [f"{whole(c)} of {n:,}" for c, n in zip(table["caught"], table["of"], strict=True)],
        "share caught": [f"{r:.0%} [{lo:.0%}, {hi:.0%}]" for r, lo, hi in
                         zip(table["recall"], table["recall low"], table["recall high"], strict=True)],
        "false alarms": [whole(x) for x in table["false alarms"]],
        "lift": [f"{x:.1f}" for x in table["lift"]],
    })  # fmt: skip
