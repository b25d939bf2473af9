"""Guess and validate the target (class label) column."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from core.errors import TargetError

__all__ = ["MAX_CLASSES", "TargetCheck", "check_target", "guess_target", "looks_continuous", "looks_like_target"]

#: Most classes the explorer handles; a column with more distinct values is not a target.
MAX_CLASSES = 20
_TARGET_NAME = re.compile(
    r"^(target|label|labels|class|classes|y|outcome|response|churn|churned|fraud|is_fraud|"
    r"default|defaulted|isfraud|is_churn|hired|diagnosis|survived|result|category|status)$",
    re.I,
)


def looks_like_target(name: str) -> bool:
    """True for a column named like a class label (``target``, ``class``, ``churn``, ``is_fraud``, ...)."""
    return bool(_TARGET_NAME.match(name.strip()))


def _n_classes(series: pd.Series) -> int:
    return int(series.nunique(dropna=True))


def looks_continuous(series: pd.Series) -> bool:
    """Numbers with more than ten distinct values, not all whole: a measurement rather than classes."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return False
    values = series.dropna()
    return bool(values.nunique() > 10 and not (values == values.round()).all())


def _plausible(series: pd.Series) -> bool:
    return 2 <= _n_classes(series) <= MAX_CLASSES and not looks_continuous(series)


def guess_target(frame: pd.DataFrame) -> str | None:
    """Guess which column holds the class label.

    A column named like a label (``target``, ``class``, ``churn``, ...) wins; then the last
    column with 2 to :data:`MAX_CLASSES` distinct values; ``None`` if no column fits.
    """
    columns = [str(c) for c in frame.columns]
    for name in columns:
        if looks_like_target(name) and _plausible(frame[name]):
            return name
    for name in reversed(columns):
        if _plausible(frame[name]):
            return name
    return None


@dataclass(frozen=True)
class TargetCheck:
    """A usable target: its labels (rows with no label removed) and what was adjusted."""

    column: str
    y: pd.Series
    n_missing: int
    notes: tuple[str, ...]


def check_target(frame: pd.DataFrame, *, target: str) -> TargetCheck:
    """Check that ``target`` can be a classification target and return its labels.

    Rows with no label are left out, and a note says how many. Raises
    :class:`~core.errors.TargetError` with a message saying what to do when the column has
    no values, a single class, continuous values or too many classes.
    """
    if target not in frame.columns:
        raise TargetError(f"There is no column {target!r} in this dataset. Pick the target from the list.")
    series = frame[target]
    n_missing = int(series.isna().sum())
    values = series.dropna()
    if values.empty:
        raise TargetError(f"The column {target!r} has no values. Pick the column that holds the classes.")
    classes = values.unique()
    if len(classes) < 2:
        raise TargetError(
            f"The column {target!r} has only one class ({str(classes[0])[:40]!r}), so there is no "
            "imbalance to study. Pick a column with at least two classes, or load data that has them."
        )
    if looks_continuous(values):
        sample = ", ".join(f"{v:g}" for v in values.drop_duplicates().head(3))
        raise TargetError(
            f"The column {target!r} looks continuous ({len(classes):,} distinct values such as {sample}), so it is "
            "no class target: explore it as a number, or make a rare class of it (for example its top 5 %); or pick "
            "a column with a few classes."
        )
    if len(classes) > MAX_CLASSES:
        raise TargetError(
            f"The column {target!r} has {len(classes):,} distinct values; the explorer handles up to "
            f"{MAX_CLASSES} classes. Pick a column with fewer classes, or group rare ones together in your file."
        )
    notes: list[str] = []
    if n_missing:
        notes.append(
            f"{n_missing:,} row(s) have no value in {target!r}; they are left out of the class "
            "counts and of every model. Fill them in your file to keep them."
        )
    y = values
    if y.dtype == object and len({type(v) for v in y}) > 1:
        y = y.astype(str)
        notes.append(f"The labels in {target!r} mix numbers and text; they are all treated as text.")
    return TargetCheck(column=target, y=y, n_missing=n_missing, notes=tuple(notes))
