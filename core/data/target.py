"""Guess and validate the target (class label) column."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from core.errors import TargetError

__all__ = [
    "MAX_CLASSES",
    "TargetCheck",
    "TargetGuess",
    "check_target",
    "guess_target",
    "is_number",
    "looks_continuous",
    "looks_like_target",
    "target_guess",
]

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


def is_number(series: pd.Series) -> bool:
    """The one rule for what kind of target a column is: numeric (not yes/no) and either continuous-looking
    (:func:`looks_continuous`) or with more distinct values than a class target may have (:data:`MAX_CLASSES`)
    makes it a **number**; anything else is **classes**."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return False
    return looks_continuous(series) or series.nunique(dropna=True) > MAX_CLASSES


def _plausible(series: pd.Series) -> bool:
    return 2 <= _n_classes(series) <= MAX_CLASSES and not looks_continuous(series)


#: Words that name an outcome, matched against a column name's words (``loan_approved`` -> "loan", "approved").
_OUTCOME_WORDS = frozenset(
    [
        "target",
        "label",
        "labels",
        "class",
        "classes",
        "outcome",
        "outcomes",
        "response",
        "result",
        "y",
        "churn",
        "churned",
        "fraud",
        "fraudulent",
        "default",
        "defaulted",
        "approve",
        "approved",
        "approval",
        "reject",
        "rejected",
        "denied",
        "deny",
        "accepted",
        "hired",
        "admit",
        "admitted",
        "survived",
        "died",
        "death",
        "dead",
        "readmitted",
        "converted",
        "conversion",
        "purchased",
        "clicked",
        "click",
        "spam",
        "bad",
        "good",
        "failure",
        "failed",
        "fail",
        "defect",
        "defective",
        "positive",
        "diagnosis",
        "disease",
        "malignant",
        "cancer",
        "sick",
        "status",
        "flag",
        "flagged",
        "won",
        "win",
        "lost",
        "attrition",
        "cancelled",
        "canceled",
        "left",
        "leave",
    ]
)
#: Value pairs that look like the two answers of an outcome (compared in lower case).
_OUTCOME_VALUES = (
    {"0", "1"}, {"0.0", "1.0"}, {"yes", "no"}, {"y", "n"}, {"true", "false"}, {"t", "f"}, {"pass", "fail"},
    {"good", "bad"}, {"positive", "negative"}, {"pos", "neg"}, {"approved", "denied"}, {"approved", "rejected"},
)  # fmt: skip


def _words(name: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)  # camelCase: isFraud -> is Fraud
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


@dataclass(frozen=True)
class TargetGuess:
    """The column guessed to hold the classes, and why, in words for the page."""

    column: str
    why: str


def target_guess(frame: pd.DataFrame) -> TargetGuess | None:
    """The column most likely to be the target, and why; ``None`` when no column could be one.

    A column with 2 to :data:`MAX_CLASSES` classes scores: a name like a label (``target``, ``churn``,
    ``is_fraud``) most; a name with an outcome word in it (``loan_approved``); two classes (an outcome is most
    often yes or no); values that look like the two answers of an outcome (0/1, yes/no, true/false, ...); and,
    last, being the last column. So a binary ``approve`` beats a last column ``education`` with seven levels.
    A number (:func:`is_number`) is a candidate only by its name (a label's, or an outcome word), so a column
    called ``target`` that holds amounts is guessed before a binary ``sex``, and an unnamed amount never is.
    """
    best: tuple[float, int, str, list[str]] | None = None
    columns = [str(c) for c in frame.columns]
    for i, name in enumerate(columns):
        series = frame[name]
        named = 100 if looks_like_target(name) else 50 if _words(name) & _OUTCOME_WORDS else 0
        why = {100: ["its name is a label's"], 50: ["its name names an outcome"], 0: []}[named]
        score = float(named)
        if series.iloc[:2_000].nunique(dropna=True) > MAX_CLASSES or not _plausible(series):  # the head first: fast
            if not (named and is_number(series)):
                continue
            why.append("it is a number")
        else:
            values = {str(v).strip().lower() for v in series.dropna().unique()}
            if len(values) == 2:
                score, why = score + 30, [*why, "it has two classes"]
                if any(values == pair for pair in _OUTCOME_VALUES):
                    score, why = score + 20, [*why, f"its values ({', '.join(sorted(values))}) answer yes or no"]
        if i == len(columns) - 1:
            score, why = score + 10, [*why, "it is the last column"]
        if best is None or (score, i) > (best[0], best[1]):
            best = (score, i, name, why)
    if best is None:
        return None
    _, _, name, why = best
    return TargetGuess(name, "; ".join(why) if why else f"it has {_n_classes(frame[name])} classes")


def guess_target(frame: pd.DataFrame) -> str | None:
    """The column :func:`target_guess` picks, or ``None``."""
    found = target_guess(frame)
    return None if found is None else found.column


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
    if is_number(values):
        sample = ", ".join(f"{v:g}" for v in values.drop_duplicates().head(3))
        raise TargetError(
            f"The column {target!r} is a number ({len(classes):,} distinct values such as {sample}), so it is no "
            "class target: explore it as a number, or make a rare class of it (for example its top 5 %); or pick a "
            "column with a few classes."
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
