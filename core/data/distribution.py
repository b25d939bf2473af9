"""Class counts, imbalance ratio and a plain-language severity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

__all__ = [
    "SEVERITY_THRESHOLDS",
    "ClassDistribution",
    "Severity",
    "class_codes",
    "class_distribution",
    "distribution_of_counts",
    "severity_for",
]


class Severity(StrEnum):
    """How imbalanced a dataset is, from its imbalance ratio (majority / minority)."""

    BALANCED = "balanced"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


#: Upper bounds (exclusive) of the imbalance ratio for each severity; severe has none.
SEVERITY_THRESHOLDS: tuple[tuple[Severity, float], ...] = (
    (Severity.BALANCED, 1.5),
    (Severity.MILD, 3.0),
    (Severity.MODERATE, 10.0),
    (Severity.SEVERE, float("inf")),
)


def severity_for(ratio: float) -> Severity:
    """Map an imbalance ratio (>= 1) to its :class:`Severity`."""
    for severity, upper in SEVERITY_THRESHOLDS:
        if ratio < upper:
            return severity
    return Severity.SEVERE


def thresholds_text() -> str:
    """The severity thresholds in words, for the page."""
    return (
        "Imbalance ratio = rows in the largest class ÷ rows in the smallest. "
        "Balanced: below 1.5. Mild: 1.5 to 3. Moderate: 3 to 10. Severe: 10 or more."
    )


@dataclass(frozen=True)
class ClassDistribution:
    """Counts per class, largest first, with the imbalance ratio and severity."""

    table: pd.DataFrame
    labels: tuple[object, ...]
    imbalance_ratio: float
    severity: Severity

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return len(self.labels)

    @property
    def n_rows(self) -> int:
        """Number of labelled rows."""
        return int(self.table["count"].sum())

    @property
    def majority(self) -> object:
        """The largest class."""
        return self.labels[0]

    @property
    def minority(self) -> object:
        """The smallest class."""
        return self.labels[-1]

    @property
    def minority_share(self) -> float:
        """Share of rows in the smallest class, between 0 and 1."""
        return float(self.table["count"].iloc[-1]) / self.n_rows

    @property
    def majority_share(self) -> float:
        """Share of rows in the largest class: the accuracy of always guessing it."""
        return float(self.table["count"].iloc[0]) / self.n_rows

    def summary(self, *, target: str) -> str:
        """A plain-language paragraph about the class mix."""
        counts = self.table["count"].to_numpy()
        maj, mino = str(self.majority), str(self.minority)
        if self.severity is Severity.BALANCED:
            mix = (
                " and ".join(f"{int(c):,}" for c in counts)
                if self.n_classes <= 4
                else f"{int(counts[-1]):,} to {int(counts[0]):,}"
            )
            text = (
                f"The classes of {target!r} are balanced ({mix} rows). Resampling has little to fix "
                "here, and accuracy is a fair first measure."
            )
        else:
            text = (
                f"The smallest class, {mino!r}, is {self.minority_share:.1%} of the rows "
                f"({int(counts[-1]):,} of {self.n_rows:,}); the largest, {maj!r}, has "
                f"{self.imbalance_ratio:,.1f} times as many. This is {self.severity.value} imbalance: "
                f"a model that always answers {maj!r} would be {self.majority_share:.1%} accurate "
                f"and never find a single {mino!r}, so accuracy alone says little here."
            )
        if counts[-1] < 10:
            text += f" With only {int(counts[-1])} row(s) in {mino!r}, every estimate about it will be noisy."
        return text


def class_distribution(y: pd.Series) -> ClassDistribution:
    """Count each class in ``y`` (missing labels ignored), largest first.

    Raises ``ValueError`` when ``y`` holds no labels.
    """
    return distribution_of_counts(y.dropna().value_counts(sort=False))


def distribution_of_counts(counts: pd.Series) -> ClassDistribution:
    """The distribution of classes given their row counts (index: class, value: rows), largest first.

    For counts made elsewhere, such as over every row of a file too large to load
    (:mod:`core.data.large_file`). Raises ``ValueError`` when there are none.
    """
    counts = counts[counts > 0]
    if counts.empty:
        raise ValueError("no labels to count")
    order = sorted(counts.index, key=lambda c: (-int(counts[c]), str(c)))
    counts = counts.reindex(order)
    total = int(counts.sum())
    table = pd.DataFrame(
        {
            "class": [str(c) for c in order],
            "count": counts.to_numpy(dtype=int),
            "percent": (counts.to_numpy(dtype=float) / total * 100),
        }
    )
    ratio = float(counts.iloc[0]) / float(counts.iloc[-1])
    return ClassDistribution(table=table, labels=tuple(order), imbalance_ratio=ratio, severity=severity_for(ratio))


def class_codes(labels: Sequence[object]) -> tuple[dict[object, int], dict[int, str]]:
    """Codes ``0..k-1`` for class ``labels`` in the order given, and each code's label as text.

    Given largest class first (as :meth:`pandas.Series.value_counts` and ``Split.counts`` list them),
    code 0 is the majority and, for two classes, code 1 the smaller ("positive") class.
    """
    return {label: i for i, label in enumerate(labels)}, {i: str(label) for i, label in enumerate(labels)}
