"""Column roles (what a column looks like) and treatments (what the app does with it).

A role is detected from the data; the treatment follows from the role and the user
can override it. Only columns treated as ``numeric`` or ``categorical`` become features.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd

__all__ = [
    "ColumnInfo",
    "FeaturePlan",
    "Role",
    "Treatment",
    "apply_overrides",
    "detect_roles",
    "feature_plan",
    "missing_summary",
]

#: Above this many distinct values a text column is not one-hot encoded by default.
MAX_CATEGORIES = 50
_ID_NAME = re.compile(r"(^|[_\s-])(id|uuid|guid|key|index|row|record)$|^id[_\s-]|^(id|idx|index)$", re.I)


class Role(StrEnum):
    """What a column looks like."""

    NUMERIC = "numeric"
    CATEGORICAL = "categorical"
    ID = "ID-like"
    TEXT = "free text"
    DATETIME = "datetime"
    CONSTANT = "constant"


class Treatment(StrEnum):
    """What the app does with a column."""

    NUMERIC = "use as number"
    CATEGORICAL = "encode as category"
    DROP = "drop"


@dataclass(frozen=True)
class ColumnInfo:
    """One column's detected role, its treatment and a few facts shown in the roles table."""

    name: str
    dtype: str
    role: Role
    treatment: Treatment
    reason: str
    n_missing: int
    n_unique: int
    example: str
    detected: Treatment | None = None

    @property
    def overridden(self) -> bool:
        """True when the user changed the treatment from the detected one."""
        return self.detected is not None and self.treatment is not self.detected


@dataclass(frozen=True)
class FeaturePlan:
    """The columns that feed a model, by how they are prepared."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    dropped: tuple[str, ...]

    @property
    def features(self) -> tuple[str, ...]:
        """All feature columns, numeric first."""
        return self.numeric + self.categorical

    @property
    def categorical_positions(self) -> list[int]:
        """Positions of the categorical columns among the prepared features (they follow the numeric ones)."""
        return list(range(len(self.numeric), len(self.features)))

    @property
    def kind(self) -> str:
        """``"numeric"``, ``"categorical"``, ``"mixed"`` or ``"none"``."""
        if self.numeric and self.categorical:
            return "mixed"
        if self.numeric:
            return "numeric"
        if self.categorical:
            return "categorical"
        return "none"


def _example(series: pd.Series) -> str:
    values = series.dropna()
    return "" if values.empty else str(values.iloc[0])[:40]


def _looks_like_dates(values: pd.Series) -> bool:
    sample = values.dropna().astype(str).head(200)
    if sample.empty or not sample.str.contains(r"\d", regex=True).all():
        return False
    if sample.str.fullmatch(r"[+-]?\d+(\.\d+)?").all():
        return False  # plain numbers stored as text
    if not sample.str.contains(r"\d[-/.:]\d|\d{4}", regex=True).all():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return bool(parsed.notna().mean() >= 0.9)


def _classify(name: str, series: pd.Series) -> tuple[Role, Treatment, str]:
    values = series.dropna()
    n = len(values)
    n_unique = int(values.nunique())
    if n_unique <= 1:
        what = "no values" if n == 0 else "the same value in every row"
        return Role.CONSTANT, Treatment.DROP, f"has {what}; it cannot tell classes apart"
    if pd.api.types.is_bool_dtype(series):
        return Role.CATEGORICAL, Treatment.CATEGORICAL, "yes/no values"
    if pd.api.types.is_datetime64_any_dtype(series) or isinstance(series.dtype, pd.PeriodDtype):
        return Role.DATETIME, Treatment.DROP, "dates are not used as features"
    unique_share = n_unique / max(n, 1)
    if pd.api.types.is_numeric_dtype(series):
        is_integer = pd.api.types.is_integer_dtype(series) or bool((values == values.round()).all())
        if is_integer and unique_share == 1.0 and n > 20 and (_ID_NAME.search(name) or values.is_monotonic_increasing):
            return Role.ID, Treatment.DROP, "a different value in every row, like a row number"
        return Role.NUMERIC, Treatment.NUMERIC, "numbers"
    as_text = values.astype(str)
    if _looks_like_dates(as_text):
        return Role.DATETIME, Treatment.DROP, "dates are not used as features"
    mean_words = float(as_text.str.split().str.len().mean())
    mean_len = float(as_text.str.len().mean())
    if mean_words >= 4 or mean_len >= 40:
        return Role.TEXT, Treatment.DROP, "sentences; free text is not used as a feature"
    if n > 20 and unique_share >= 0.9:
        return Role.ID, Treatment.DROP, "a different value in (almost) every row, like an identifier"
    if n_unique > MAX_CATEGORIES:
        return (
            Role.CATEGORICAL,
            Treatment.DROP,
            f"{n_unique:,} categories, too many to encode one column each",
        )
    return Role.CATEGORICAL, Treatment.CATEGORICAL, f"{n_unique:,} categories"


def detect_roles(frame: pd.DataFrame, *, target: str | None = None) -> list[ColumnInfo]:
    """Detect each non-target column's role and default treatment.

    Parameters
    ----------
    frame : DataFrame
        The dataset.
    target : str, optional
        The target column, which is left out.
    """
    infos = []
    for name in frame.columns:
        if name == target:
            continue
        series = frame[name]
        role, treatment, reason = _classify(str(name), series)
        infos.append(
            ColumnInfo(
                name=str(name),
                dtype=str(series.dtype),
                role=role,
                treatment=treatment,
                reason=reason,
                n_missing=int(series.isna().sum()),
                n_unique=int(series.nunique(dropna=True)),
                example=_example(series),
                detected=treatment,
            )
        )
    return infos


def apply_overrides(
    infos: list[ColumnInfo],
    overrides: dict[str, Treatment],
    *,
    frame: pd.DataFrame,
) -> tuple[list[ColumnInfo], dict[str, str]]:
    """Apply the user's treatment choices, refusing any that cannot work.

    Returns the updated infos and, for each refused override, the column name mapped to a
    message saying why. A column can be used as a number only if all its values are numbers.
    """
    out: list[ColumnInfo] = []
    problems: dict[str, str] = {}
    for info in infos:
        wanted = overrides.get(info.name)
        if wanted is None or wanted == info.treatment:
            out.append(info)
            continue
        wanted = Treatment(wanted)
        if wanted is Treatment.NUMERIC and not pd.api.types.is_numeric_dtype(frame[info.name]):
            values = frame[info.name].dropna()
            converted = pd.to_numeric(values, errors="coerce")
            bad = values[converted.isna()]
            if len(bad):
                problems[info.name] = (
                    f"{info.name!r} cannot be used as a number: {len(bad):,} value(s) such as "
                    f"{str(bad.iloc[0])[:30]!r} are not numbers. Encode it as a category or drop it."
                )
                out.append(info)
                continue
        out.append(replace(info, treatment=wanted))
    return out, problems


def feature_plan(infos: list[ColumnInfo]) -> FeaturePlan:
    """Split columns into numeric features, categorical features and dropped columns."""
    return FeaturePlan(
        numeric=tuple(i.name for i in infos if i.treatment is Treatment.NUMERIC),
        categorical=tuple(i.name for i in infos if i.treatment is Treatment.CATEGORICAL),
        dropped=tuple(i.name for i in infos if i.treatment is Treatment.DROP),
    )


def missing_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-column missing-value counts and shares, most-missing first."""
    n = max(len(frame), 1)
    counts = frame.isna().sum()
    out = pd.DataFrame(
        {
            "column": [str(c) for c in frame.columns],
            "type": [str(t) for t in frame.dtypes],
            "missing": counts.to_numpy(dtype=int),
            "missing %": (counts.to_numpy(dtype=float) / n * 100).round(1),
        }
    )
    return out.sort_values(["missing", "column"], ascending=[False, True], kind="stable").reset_index(drop=True)
