"""The one rule for what a paired difference says, decided on the bounds as they are shown, and the words that name
each metric's interval method (for the pages' captions).

A difference is "better" or "worse" only when its interval, rounded as it is shown (:data:`DIGITS` decimals, or
the digits a cost is shown at), excludes 0: a shown ``[+0.000, …]`` never reads "better". The intervals
themselves are made in :mod:`core.comparison.intervals`.
"""

from __future__ import annotations

import math
from enum import StrEnum

__all__ = ["DIGITS", "LOWER_IS_BETTER", "METHODS", "Verdict", "format_difference", "methods_caption", "verdict"]

#: The decimals a bound is shown (and judged) at.
DIGITS = 3

#: Metrics where a smaller value is better.
LOWER_IS_BETTER = frozenset({"brier", "cost"})

#: The interval method of each metric, in the words the page's caption uses.
METHODS: dict[str, str] = {
    "recall": "Jeffreys",
    "precision": "Jeffreys posterior of the per-class rates",
    "f1": "Jeffreys posterior of the per-class rates",
    "balanced_accuracy": "Jeffreys posterior of the per-class rates",
    "g_mean": "Jeffreys posterior of the per-class rates",
    "mcc": "Jeffreys posterior of the per-class rates",
    "macro_f1": "Jeffreys posterior of the per-class rates",
    "accuracy": "Jeffreys posterior of the per-class rates",
    "roc_auc": "Newcombe's score interval",
    "pr_auc": "Wilson over the cases",
    "brier": "a Bayesian bootstrap of each class's errors",
    "cost": "Jeffreys posterior of the per-class rates",
}


class Verdict(StrEnum):
    """What a paired difference says about a strategy against the baseline."""

    BETTER = "better"
    WORSE = "worse"
    UNCLEAR = "no clear difference"
    IDENTICAL = "identical"
    UNDEFINED = "undefined"


def _shown(x: float, digits: int = DIGITS) -> float:
    """``x`` as it is shown: rounded to ``digits`` decimals, with no negative zero."""
    return round(x, digits) + 0.0


def verdict(
    metric: str, difference: float, low: float, high: float, *, identical: bool = False, digits: int = DIGITS
) -> Verdict:
    """The one rule for what a paired difference (other minus baseline) says, decided on the shown bounds.

    ``identical``: the same decisions (or scores) on every row. "better" or "worse" only when the
    shown interval (``digits`` decimals, as :func:`format_difference` shows it) excludes 0 (a bound that
    rounds to 0 does not); a smaller value is better for the metrics in :data:`LOWER_IS_BETTER`.
    """
    if identical:
        return Verdict.IDENTICAL
    if any(math.isnan(x) for x in (difference, low, high)):
        return Verdict.UNDEFINED
    lo, hi = _shown(low, digits), _shown(high, digits)
    if lo <= 0 <= hi:
        return Verdict.UNCLEAR
    up = lo > 0
    return Verdict.BETTER if up != (metric in LOWER_IS_BETTER) else Verdict.WORSE


def format_difference(difference: float, low: float, high: float, *, digits: int = DIGITS) -> str:
    """A difference and its interval as they are judged: ``+0.120 [+0.050, +0.190]`` (``digits`` decimals, with
    thousands separated)."""
    return f"{_shown(difference, digits):+,.{digits}f} [{_shown(low, digits):+,.{digits}f}, {_shown(high, digits):+,.{digits}f}]"


def methods_caption(metrics: list[str]) -> str:
    """The methods behind the shown metrics' intervals, for a page's caption."""
    by_method: dict[str, list[str]] = {}
    names = {"recall": "recall", "precision": "precision", "f1": "F1", "balanced_accuracy": "balanced accuracy",
             "g_mean": "G-mean", "mcc": "MCC", "macro_f1": "macro F1", "accuracy": "accuracy", "roc_auc": "ROC-AUC",
             "pr_auc": "PR-AUC", "brier": "Brier score"}  # fmt: skip
    for m in metrics:
        if m in METHODS:
            by_method.setdefault(METHODS[m], []).append(names[m])
    parts = [f"{method} for {', '.join(ms)}" for method, ms in by_method.items()]
    return "95% intervals: " + "; ".join(parts) + "."
