"""A result too good to be true: a strategy near perfect on the untouched test split, and the columns its model leaned
on, so the user can check that none of them gives the answer away.

Real imbalanced data is rarely separable: a model that catches every case with no false alarm has usually been
handed the answer (a column recorded after the outcome). A strategy is **near perfect** when its MCC on the test
split is at least :data:`NEAR_PERFECT`, the lower bound of its 95 % interval at least :data:`SURELY` (so two lucky
test rows are not "too good"), and its ROC-AUC at least :data:`NEAR_PERFECT_AUC`. The thresholds were set by
``benchmarks/leak_check.py`` (``docs/benchmarks.md``, "Too good to be true"): no bundled sample's default
strategies reach them (breast cancer's come closest, MCC 0.944 and ROC-AUC 0.999), every one with a planted
complement column does. The columns named are those with the
largest share of the model's feature importance, each encoded column counted toward the column it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.comparison.compare import estimates
from core.modelling.evaluation import Evaluation, confusion

__all__ = ["NEAR_PERFECT", "NEAR_PERFECT_AUC", "SURELY", "TooGood", "leaned_on", "too_good"]

#: A test-split MCC and ROC-AUC at or above these, the MCC's interval starting at SURELY or above, is near perfect
#: (``docs/benchmarks.md``).
NEAR_PERFECT, SURELY, NEAR_PERFECT_AUC = 0.98, 0.9, 0.999
#: How many columns the warning names.
NAMED = 3


@dataclass(frozen=True)
class TooGood:
    """The first near-perfect strategy: its name, its MCC and ROC-AUC on the test split, its counts of the smallest
    class (``caught`` of ``cases``, with ``alarms`` false alarms), and the columns its model leaned on most, with
    their shares of its importance (none when the model reports no importance)."""

    strategy: str
    mcc: float
    roc_auc: float
    caught: int
    cases: int
    alarms: int
    label: str
    columns: tuple[tuple[str, float], ...]

    def sentence(self) -> str:
        """The warning, with its numbers."""
        text = (f"Too good to be true? {self.strategy} catches {self.caught} of {self.cases} {self.label!r} with "
                f"{self.alarms} false alarm{'s' * (self.alarms != 1)} on the untouched test split (MCC {self.mcc:.3f}, "
                f"ROC-AUC {self.roc_auc:.3f}). Real data is rarely this easy: check that no column was recorded after "
                "the outcome.")  # fmt: skip
        if self.columns:
            leaned = ", ".join(f"{c!r} ({share:.0%})" for c, share in self.columns)
            text += f" Its model leaned most on {leaned} of its feature importance."
        return text


def leaned_on(ev: Evaluation, *, columns: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """The :data:`NAMED` columns with the largest share of ``ev``'s feature importance: each encoded feature (a
    category's one-hot column) counted toward the column of ``columns`` it came from."""
    if ev.importance is None or float(ev.importance.sum()) <= 0:
        return ()
    by_column: dict[str, float] = {}
    for name, value in ev.importance.items():
        name = str(name)
        owner = name if name in columns else max((c for c in columns if name.startswith(f"{c}_")), key=len,
                                                 default=name)  # fmt: skip
        by_column[owner] = by_column.get(owner, 0.0) + float(value)
    total = sum(by_column.values())
    top = sorted(by_column.items(), key=lambda kv: -kv[1])[:NAMED]
    return tuple((c, v / total) for c, v in top)


def too_good(evals: list[Evaluation], *, columns: tuple[str, ...] = ()) -> TooGood | None:
    """The first strategy of ``evals`` whose test-split result is near perfect (see the module docstring), or None."""
    if not evals:
        return None
    for ev, est in zip(evals, estimates(evals), strict=True):
        mcc, auc = est["mcc"].value, est["roc_auc"].value
        if mcc >= NEAR_PERFECT and est["mcc"].low >= SURELY and auc >= NEAR_PERFECT_AUC:
            cm = confusion(ev)
            k = len(ev.classes) - 1  # the smallest class
            caught, cases = int(cm[k, k]), int(cm[k].sum())
            alarms = int(cm[:, k].sum()) - caught
            return TooGood(ev.name, mcc, auc, caught, cases, alarms, str(ev.classes[k]),
                           leaned_on(ev, columns=columns))  # fmt: skip
    return None
