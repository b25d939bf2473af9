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

from core.data.split import Split, SplitError, SplitSpec
from core.data.target import TargetError

__all__ = [
    "MIN_NUMBER_ROWS", "MIN_SIDE", "NumberSummary", "RareRange", "box_plot_range", "describe_number",
    "make_class", "number_split", "number_target",
]  # fmt: skip

#: The fewest rows either side of the threshold may hold: two per fold of a 5-fold split, and then some.
MIN_SIDE = 10


def _n(x: float) -> str:
    """A threshold as people write it: 1,296 or 14.5 or 0.0032."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


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
    rule: Literal["box-plot", "threshold"] = "box-plot"

    def words(self) -> str:
        """The rare range's threshold as written beside it: "≥ 1,088" ("" when there is none)."""
        return "" if self.side is None else f"{'≥' if self.side == 'above' else '≤'} {_n(self.cut)}"

    def sentence(self, name: str) -> str:
        """One plain sentence on where the rare range is and why it matters."""
        if self.side is None:
            return (f"No value of {name!r} lies beyond the box-plot whiskers, so no range of it is rare by that rule; "
                    "set a threshold to make a class.")  # fmt: skip
        where = "at or above" if self.side == "above" else "at or below"
        found = "your threshold" if self.rule == "threshold" else f"the box-plot rule on all {self.n:,} rows"
        return (f"{self.share:.1%} of the {self.n:,} rows hold values {where} {_n(self.cut)} ({found}; skewness "
                f"{self.skewness:.1f}): a model fitted for the average error will be least accurate there.")  # fmt: skip


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
    skew = float(pd.Series(values).skew())
    found = box_plot_range(values)
    if found is None:
        return NumberSummary(len(values), int(series.isna().sum()), skew, None, None, 0.0)
    share = float(found.mask(values).mean())
    return NumberSummary(len(values), int(series.isna().sum()), skew, found.side, found.cut, share)


@dataclass(frozen=True)
class RareRange:
    """The rare range of a numeric target: values at or ``above`` (or ``below``) ``cut``, found by ``rule``
    (``"box-plot"`` or ``"threshold"``, one the user set)."""

    side: Literal["above", "below"]
    cut: float
    rule: Literal["box-plot", "threshold"] = "box-plot"

    def mask(self, values: np.ndarray | pd.Series) -> np.ndarray:
        """True for the values in the range."""
        v = np.asarray(values, dtype=np.float64)
        return v >= self.cut if self.side == "above" else v <= self.cut

    def words(self, name: str) -> str:
        """The range as people write it: "claim_amount ≥ 4,210"."""
        return f"{name} {'≥' if self.side == 'above' else '≤'} {_n(self.cut)}"

    def found_on(self, rows: int, where: str = "training rows") -> str:
        """Where its cut comes from, to say beside it: the user's threshold, or the box-plot rule on ``rows``."""
        return "your threshold" if self.rule == "threshold" else f"the box-plot rule on the {rows:,} {where}"


def box_plot_range(values: np.ndarray) -> RareRange | None:
    """The rare range by the box-plot rule: beyond the whisker (Q3 + 1.5 IQR, or Q1 − 1.5 IQR) that has more
    values beyond it; None when no value lies beyond either whisker."""
    q1, q3 = np.quantile(values, [0.25, 0.75])
    high, low = q3 + 1.5 * (q3 - q1), q1 - 1.5 * (q3 - q1)
    n_high, n_low = int((values >= high).sum()), int((values <= low).sum())
    if q3 == q1 or n_high == n_low == 0:
        return None
    return RareRange("above", float(high)) if n_high >= n_low else RareRange("below", float(low))


#: The fewest rows with a value a numeric target needs to be explored as a number.
MIN_NUMBER_ROWS = 50


def number_target(series: pd.Series, *, rare: RareRange | None = None) -> tuple[pd.Series, RareRange]:
    """The numeric values of a target to be explored as a number (rows without a value dropped), and its rare
    range (``rare``, or the box-plot rule's). Raises :class:`TargetError`, saying what to change, when the
    target is constant, has fewer than :data:`MIN_NUMBER_ROWS` values, or the range leaves fewer than
    :data:`MIN_SIDE` rows on either side."""
    values = pd.to_numeric(series, errors="coerce")
    known = values.dropna()
    if len(known) < MIN_NUMBER_ROWS:
        raise TargetError(
            f"{series.name!r} has a value in {len(known):,} of {len(values):,} rows; at least {MIN_NUMBER_ROWS} are "
            "needed to learn it as a number. Pick another target, or fill in the missing values."
        )
    if known.nunique() == 1:
        raise TargetError(f"Every value of {series.name!r} is {known.iloc[0]:g}: there is nothing to predict.")
    found = rare or box_plot_range(known.to_numpy(np.float64))
    if found is None:
        raise TargetError(
            f"No value of {series.name!r} lies beyond the box-plot whiskers, so no row is rare by that rule. Set "
            "the rare range yourself (a threshold above or below which values are rare)."
        )
    n_rare = int(found.mask(known).sum())
    if min(n_rare, len(known) - n_rare) < MIN_SIDE:
        raise TargetError(
            f"The rare range {found.words(str(series.name))} holds {n_rare:,} of {len(known):,} rows; it and the rest "
            f"each need at least {MIN_SIDE}. Move the threshold towards the middle."
        )
    return known, found


def number_split(frame: pd.DataFrame, *, target: str, features: tuple[str, ...], rare: RareRange,
                 test_size: float, random_state: int) -> Split:  # fmt: skip
    """The train/test split for a numeric target: stratified by the target's deciles with the rare range a
    stratum of its own, so the test split keeps the real share of rare values. Rows without a value are
    left out. Raises :class:`~core.data.split.SplitError` when the test share is out of range."""
    if not features:
        raise SplitError("Choose at least one feature column on the Data page.")
    if not 0.05 <= test_size <= 0.5:
        raise SplitError("The test share must be between 5 % and 50 % of the rows.")
    known = pd.to_numeric(frame[target], errors="coerce").dropna()
    rows = frame.index.get_indexer(known.index)
    strata = pd.qcut(known.rank(method="first"), 10, labels=False).to_numpy()
    strata = np.where(rare.mask(known), -1, strata)
    from sklearn.model_selection import train_test_split  # imported late: loading a page needs no scikit-learn

    train_rows, test_rows = train_test_split(rows, test_size=test_size, stratify=strata, random_state=random_state)
    y = known.to_numpy(np.float64)
    where = pd.Series(np.arange(len(rows)), index=rows)
    return Split(
        frame=frame, columns=features, train_rows=np.asarray(train_rows, dtype=np.intp),
        test_rows=np.asarray(test_rows, dtype=np.intp),
        y_train=pd.Series(y[where[train_rows].to_numpy()], name=target),
        y_test=pd.Series(y[where[test_rows].to_numpy()], name=target),
        spec=SplitSpec(test_size=test_size, random_state=random_state),
    )  # fmt: skip


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
        rare, rule = (
            numbers >= cut,
            f"the top {top:.1%} of {target} over all {len(known):,} rows ({target} ≥ {_n(cut)})",
        )
    else:
        cut = float(known.quantile(bottom))
        rare, rule = (
            numbers <= cut,
            f"the bottom {bottom:.1%} of {target} over all {len(known):,} rows ({target} ≤ {_n(cut)})",
        )
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
