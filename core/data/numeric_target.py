"""A skewed numeric target: how skewed it is, where its rare range lies, and a rare class made from it.

A target such as a claim amount is imbalance of another kind: most rows are ordinary and the rows that
matter sit in a rare tail. :func:`describe_number` says where that tail starts by the box-plot rule
SMOGN uses by default for its relevance function (Branco, Torgo & Ribeiro 2017): values beyond the
whiskers, Q3 + 1.5 IQR above (or Q1 − 1.5 IQR below). :func:`make_class` turns the number into a rare
class and a common one at a threshold the user sets (a value, or a top or bottom share), so every page
that handles class targets handles it; the number itself leaves the features, since it would give the
class away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from core.data.target import MAX_CLASSES, TargetError, looks_continuous

__all__ = ["MIN_SIDE", "NumberSummary", "describe_number", "is_continuous_number", "make_class"]

#: The fewest rows either side of the threshold may hold: two per fold of a 5-fold split, and then some.
MIN_SIDE = 10


def _n(x: float) -> str:
    """A threshold as people write it: 1,296 or 14.5 or 0.0032."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def is_continuous_number(series: pd.Series) -> bool:
    """A numeric column that cannot be a class target: it looks continuous, or has more distinct values than
    a class target may have."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return False
    return looks_continuous(series) or series.nunique(dropna=True) > MAX_CLASSES


@dataclass(frozen=True)
class NumberSummary:
    """A numeric target at a glance: rows with a value, its skewness, the rare range by the box-plot rule
    (``above`` or ``below`` a ``cut``; None when no value lies beyond the whiskers) and its share."""

    n: int
    missing: int
    skewness: float
    side: Literal["above", "below"] | None
    cut: float | None
    share: float

    def sentence(self, name: str) -> str:
        """One plain sentence on where the rare range is and why it matters."""
        if self.side is None:
            return (f"No value of {name!r} lies beyond the box-plot whiskers, so no range of it is rare by that rule; "
                    "set a threshold to make a class.")  # fmt: skip
        return (f"{self.share:.1%} of rows hold values {self.side} {_n(self.cut)} (skewness {self.skewness:.1f}): "
                "a model fitted for the average error will be least accurate there.")  # fmt: skip


def describe_number(series: pd.Series) -> NumberSummary:
    """The summary of a numeric target (see :class:`NumberSummary`); the tail with more rows beyond its whisker
    is the rare range. Raises :class:`TargetError` for a column with no values or one value."""
    values = pd.to_numeric(series, errors="coerce").dropna().to_numpy(dtype=np.float64)
    if len(values) == 0:
        raise TargetError("The target has no numeric values. Pick a column that holds numbers or classes.")
    if np.ptp(values) == 0:
        raise TargetError(
            f"Every value of the target is {values[0]:g}: there is nothing to predict. Pick another column."
        )
    q1, q3 = np.quantile(values, [0.25, 0.75])
    high, low = q3 + 1.5 * (q3 - q1), q1 - 1.5 * (q3 - q1)
    n_high, n_low = int((values > high).sum()), int((values < low).sum())
    skew = float(pd.Series(values).skew())
    if n_high == n_low == 0:
        return NumberSummary(len(values), int(series.isna().sum()), skew, None, None, 0.0)
    side, cut, k = ("above", float(high), n_high) if n_high >= n_low else ("below", float(low), n_low)
    return NumberSummary(len(values), int(series.isna().sum()), skew, side, cut, k / len(values))


def make_class(
    frame: pd.DataFrame,
    *,
    target: str,
    name: str,
    value: float | None = None,
    top: float | None = None,
    bottom: float | None = None,
) -> tuple[pd.DataFrame, str, str]:
    """``frame`` with the numeric ``target`` replaced by a class column called ``name``: the rows at or above
    ``value`` (or the ``top`` share, or at or below the ``bottom`` share) are ``name``, the others "other".

    Give exactly one of ``value``, ``top`` and ``bottom`` (shares between 0 and 1). Rows without a value
    keep none. Returns the new frame, the class column's name and a sentence on where the class came
    from. Raises :class:`TargetError`, saying what to change, when the name is empty or taken, the
    threshold leaves either side with fewer than :data:`MIN_SIDE` rows, or the column is not a number.
    """
    if sum(x is not None for x in (value, top, bottom)) != 1:
        raise TargetError("Give one threshold: a value, a top share or a bottom share.")
    label = str(name).strip()
    if not label:
        raise TargetError("Name the rare class (for example 'large claim').")
    if label in frame.columns and label != target:
        raise TargetError(f"There is already a column {label!r}; name the class something else.")
    if label == "other":
        raise TargetError("'other' names the common class; give the rare one another name.")
    numbers = pd.to_numeric(frame[target], errors="coerce")
    known = numbers.dropna()
    if len(known) < 2 * MIN_SIDE:
        raise TargetError(
            f"{target!r} has {len(known):,} numeric values; at least {2 * MIN_SIDE} are needed to make a class."
        )
    for share in (top, bottom):
        if share is not None and not (0 < share < 1):
            raise TargetError(f"The share must be between 0 % and 100 % (it was {share:.0%}).")
    if value is not None and not math.isfinite(value):
        raise TargetError("The threshold must be a number.")
    if value is not None:
        rare, rule = numbers >= value, f"{target} ≥ {_n(value)}"
    elif top is not None:
        cut = float(known.quantile(1 - top))
        rare, rule = numbers >= cut, f"the top {top:.1%} of {target} ({target} ≥ {_n(cut)})"
    else:
        cut = float(known.quantile(bottom))
        rare, rule = numbers <= cut, f"the bottom {bottom:.1%} of {target} ({target} ≤ {_n(cut)})"
    n_rare, n_other = int(rare[numbers.notna()].sum()), int((~rare[numbers.notna()]).sum())
    if min(n_rare, n_other) < MIN_SIDE:
        raise TargetError(
            f"That threshold puts {n_rare:,} rows in {label!r} and {n_other:,} in 'other'; each side needs at least "
            f"{MIN_SIDE}. Move the threshold towards the middle."
        )
    classes = pd.Series(np.where(rare, label, "other"), index=frame.index, dtype=object).where(numbers.notna())
    out = frame.drop(columns=[target]).assign(**{label: classes})
    said = (f"{label!r} is {rule}: {n_rare:,} of {n_rare + n_other:,} rows; the number {target!r} itself is left out "
            "of the features, since it would give the class away.")  # fmt: skip
    return out, label, said
