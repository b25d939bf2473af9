"""Errors on a numeric target where they matter: over every test row, in the rare range and in the common one.

Each part gets its MAE and RMSE, and the **median absolute error** with a 95 % interval: the
distribution-free interval of a median from the order statistics (the sign test, by SciPy's
``quantile_test``), which holds at least 95 % for any continuous error. A strategy's change against "no
handling" is the median of the paired differences in absolute error over the same test rows, with the
same kind of interval. Intervals for MAE and RMSE themselves are not given: on a heavy tail no interval
for a mean holds its claim (Student-t intervals held the rare range's MAE 76–91 % and its RMSE 21–48 %
of the time in the simulation with known truth in ``docs/benchmarks.md``, "Errors of a numeric
target", which also shows the medians' intervals at 95–99 %). Below :data:`MIN_ROWS` rows a part gets
no interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "MIN_ROWS",
    "PARTS",
    "ErrorEstimate",
    "NumberScores",
    "errors_table",
    "median_interval",
    "number_scores",
    "what_it_bought",
]

#: The parts of the test split errors are reported for.
PARTS: dict[str, str] = {"all": "all rows", "rare": "rare range", "common": "common range"}

#: The fewest rows a part needs for an interval.
MIN_ROWS = 10

Part = Literal["all", "rare", "common"]


@dataclass(frozen=True)
class ErrorEstimate:
    """A median (of absolute errors, or of their paired changes) on ``n`` rows and its 95 % interval (NaN bounds
    below :data:`MIN_ROWS`)."""

    value: float
    low: float
    high: float
    n: int

    @property
    def has_interval(self) -> bool:
        """Whether the interval is known."""
        return not math.isnan(self.low)

    @property
    def clear(self) -> bool:
        """Whether the interval excludes 0 (for a change: a clear rise or fall)."""
        return self.has_interval and (self.low > 0 or self.high < 0)


def median_interval(values: np.ndarray, *, level: float = 0.95) -> ErrorEstimate:
    """The median of ``values`` with its distribution-free interval (NaN bounds with fewer than :data:`MIN_ROWS`
    values)."""
    v = np.asarray(values, dtype=np.float64)
    if len(v) == 0:
        return ErrorEstimate(math.nan, math.nan, math.nan, 0)
    median = float(np.median(v))
    if len(v) < MIN_ROWS:
        return ErrorEstimate(median, math.nan, math.nan, len(v))
    from scipy import stats  # imported when first needed: a page that shows no errors loads no SciPy

    ci = stats.quantile_test(v, q=median, p=0.5).confidence_interval(confidence_level=level)
    return ErrorEstimate(median, float(ci.low), float(ci.high), len(v))


@dataclass(frozen=True)
class NumberScores:
    """A strategy's test-split errors by part (:data:`PARTS`): ``median[part]`` (an :class:`ErrorEstimate` of the
    absolute errors), ``mae[part]``, ``rmse[part]``; ``abs_errors`` kept for the paired changes."""

    name: str
    median: dict[str, ErrorEstimate]
    mae: dict[str, float]
    rmse: dict[str, float]
    abs_errors: np.ndarray
    rare: np.ndarray

    def rows(self, part: Part) -> np.ndarray:
        """Which test rows ``part`` holds."""
        return np.ones(len(self.rare), bool) if part == "all" else (self.rare if part == "rare" else ~self.rare)

    def change(self, base: NumberScores, part: Part) -> ErrorEstimate:
        """The median change in absolute error from ``base`` in ``part``, with its paired interval."""
        keep = self.rows(part)
        return median_interval(self.abs_errors[keep] - base.abs_errors[keep])


def number_scores(name: str, y_true: np.ndarray, y_pred: np.ndarray, *, rare: np.ndarray) -> NumberScores:
    """The errors of ``y_pred`` against ``y_true`` in every part of :data:`PARTS`; ``rare`` marks the rare
    range's rows."""
    err = np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)
    scores = NumberScores(name, {}, {}, {}, np.abs(err), np.asarray(rare, dtype=bool))
    for part in PARTS:
        e = err[scores.rows(part)]  # type: ignore[arg-type]
        scores.median[part] = median_interval(np.abs(e))
        scores.mae[part] = float(np.abs(e).mean()) if len(e) else math.nan
        scores.rmse[part] = float(np.sqrt((e**2).mean())) if len(e) else math.nan
    return scores


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.3g}"


def _signed(x: float) -> str:
    return ("+" if x > 0 else "-" if x < 0 else "") + _num(abs(x))


def _moved(change: ErrorEstimate, before: float, after: float) -> str:
    """How the error moved on a typical row, said as what it is: the median of the row-by-row changes (with its
    paired interval), then the change of the medians the chart shows, which is another number."""
    medians = f"the median absolute error went {_num(before)} → {_num(after)}"
    if not change.has_interval:
        return (f"changed: the median of its row-by-row changes is {_signed(change.value)} (too few rows for an "
                f"interval); {medians}")  # fmt: skip
    paired = f"the median of its row-by-row changes is {_signed(change.value)} [{_signed(change.low)}, {_signed(change.high)}]"
    if change.low == change.high == 0:
        return f"did not change ({medians})"
    if not change.clear:
        return f"shows no clear change: {paired}; {medians}"
    return f"{'fell' if change.value < 0 else 'rose'}: {paired}; {medians}"


def what_it_bought(scores: NumberScores, base: NumberScores) -> str:
    """One sentence on what ``scores``' strategy bought in the rare range and what it cost in the common range,
    against ``base`` (no handling): a change is called a rise or fall only where the paired 95 % interval of the
    median row-by-row change excludes 0; the medians and MAEs of both are given beside it."""
    parts = []
    for part, label in (("rare", "in the rare range"), ("common", "in the common range")):
        moved = _moved(scores.change(base, part), base.median[part].value, scores.median[part].value)
        parts.append(f"{label} the error {moved}, MAE {_num(base.mae[part])} → {_num(scores.mae[part])}")
    return f"{scores.name}: {parts[0]}; {parts[1]}."


def _cell(scores: NumberScores, part: str) -> str:
    e = scores.median[part]
    if e.n == 0:
        return "– (no rows)"
    if not e.has_interval:
        return f"{e.value:,.4g} (fewer than {MIN_ROWS} rows: no interval)"
    return f"{e.value:,.4g} [{e.low:,.4g}, {e.high:,.4g}]"


def errors_table(scores: list[NumberScores]):
    """The errors by range and strategy, as the pages and the report show them: the median absolute error with its
    interval, MAE and RMSE (rounded to cents), and the rows of each range."""
    import pandas as pd

    rows = []
    for part in ("rare", "common", "all"):
        for s in scores:
            rows.append({"range": PARTS[part], "strategy": s.name, "median |error| [95 %]": _cell(s, part),
                         "MAE": round(s.mae[part], 2), "RMSE": round(s.rmse[part], 2),
                         "rows": int(s.rows(part).sum())})  # fmt: skip
    return pd.DataFrame(rows)
