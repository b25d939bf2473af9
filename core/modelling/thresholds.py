"""Decision thresholds tuned by cross-validation on the training split, never on the test split.

The choice follows scikit-learn's ``TunedThresholdClassifierCV``: on each fold, the objective is
scored at 100 evenly spaced thresholds between the fold's lowest and highest score for the positive
class (code 1, the smaller class); the fold curves are interpolated onto 100 evenly spaced
thresholds between the lowest and highest over all folds and averaged; the threshold with the best
mean wins (the first of equals). A unit test holds :func:`tune` to ``TunedThresholdClassifierCV``'s
``best_threshold_`` on the same folds, so a change upstream shows.

The fold curves are counted here from each fold's held-out scores (one sort and cumulative counts),
rather than by refitting inside ``TunedThresholdClassifierCV``: the folds are then fitted once,
with progress shown and a way to stop, and the spread of the per-fold best thresholds can be shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import confusion_matrix, make_scorer

from core.errors import UserFacingError
from core.modelling.metrics import confusion_metrics
from core.modelling.strategies import THRESHOLDS, Threshold, TuningSettings

__all__ = [
    "N_THRESHOLDS",
    "OBJECTIVES",
    "TunedThreshold",
    "counts_at",
    "fold_curve",
    "objective_score",
    "scorer",
    "tune",
]

#: Thresholds scored per fold and on the common grid (``TunedThresholdClassifierCV``'s default).
N_THRESHOLDS = 100

#: Objectives a threshold can be tuned for, in words.
OBJECTIVES: dict[str, str] = {k: v for k, v in THRESHOLDS.items() if k != Threshold.FIXED}


def _from_counts(tp, fp, fn, tn, *, objective: str, settings: TuningSettings):
    """The objective from confusion counts (arrays broadcast); greater is better."""
    tp, fp, fn, tn = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (tp, fp, fn, tn)))
    if objective == "cost":
        if settings.rate is None:  # at the rows' own mix of cases
            return -(settings.cost_fp * fp + settings.cost_fn * fn) / (tp + fp + fn + tn)
        with np.errstate(divide="ignore", invalid="ignore"):
            false_alarms = np.where(fp + tn > 0, fp / (fp + tn), 0.0)
            misses = np.where(tp + fn > 0, fn / (tp + fn), 0.0)
        return -(settings.cost_fp * false_alarms * (1 - settings.rate) + settings.cost_fn * misses * settings.rate)
    if objective not in OBJECTIVES:
        raise ValueError(f"Unknown objective {objective!r}; choose one of {sorted(OBJECTIVES)}.")
    m = confusion_metrics(np.stack([tn, fp, fn, tp], axis=-1).reshape(*tp.shape, 2, 2))
    if objective in {"f1", "balanced_accuracy"}:
        return m[objective]
    precision = np.nan_to_num(m["precision"], nan=0.0)
    # Any threshold that reaches the precision floor beats every one that does not; below the
    # floor, more precision is better (so the nearest miss wins when no threshold reaches it).
    return np.where(precision >= settings.min_precision, m["recall"], precision - 1.0)


def objective_score(y_true, y_pred, *, objective: str, settings: TuningSettings) -> float:
    """The objective of predicted codes ``y_pred`` against true codes ``y_true`` (positive = 1); greater is better.

    "f1" is the positive class's F1 (0 when nothing is predicted or present), "balanced_accuracy" the
    mean recall of the two classes, "cost" minus the cost per case (``cost_fp`` per false alarm,
    ``cost_fn`` per missed case, at the cases' ``rate`` when one is set, see :class:`TuningSettings`), and "recall_at_precision" the recall where the precision is at
    least ``min_precision``, else the precision minus 1.
    """
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return float(_from_counts(tp, fp, fn, tn, objective=objective, settings=settings))


def scorer(objective: str, settings: TuningSettings):
    """The objective as a scikit-learn scorer (for ``TunedThresholdClassifierCV(scoring=...)``)."""
    return make_scorer(objective_score, objective=objective, settings=settings)


def counts_at(truth: np.ndarray, score: np.ndarray, thresholds: np.ndarray) -> tuple[np.ndarray, ...]:
    """Confusion counts ``(tp, fp, fn, tn)`` at each threshold, flagging rows whose score is ``>=`` it.

    As scikit-learn builds its curves: the scores are sorted once and the counts read off cumulative
    sums, so ``m`` thresholds over ``n`` rows cost ``O((n + m) log n)``, not ``O(n m)``.
    """
    truth = np.asarray(truth, dtype=bool)
    order = np.argsort(score, kind="stable")
    below = np.searchsorted(np.asarray(score)[order], thresholds, side="left")  # rows predicted negative
    fn = np.concatenate([[0], np.cumsum(truth[order])])[below]
    tp = int(truth.sum()) - fn
    fp = (len(truth) - below) - tp
    return tp, fp, fn, below - fn


def fold_curve(
    y: np.ndarray, score: np.ndarray, *, objective: str, settings: TuningSettings
) -> tuple[np.ndarray, np.ndarray]:
    """The objective at :data:`N_THRESHOLDS` thresholds spread evenly over the fold's scores: ``(thresholds, values)``.

    A row is predicted positive when its score is ``>=`` the threshold, as in scikit-learn. The counts
    at every threshold come from one sort, so a fold of ``n`` rows costs ``O(n log n)``.
    """
    score = np.asarray(score, dtype=float)
    thresholds = np.linspace(score.min(), score.max(), N_THRESHOLDS)
    tp, fp, fn, tn = counts_at(np.asarray(y) == 1, score, thresholds)
    return thresholds, _from_counts(tp, fp, fn, tn, objective=objective, settings=settings)


@dataclass(frozen=True)
class TunedThreshold:
    """A threshold chosen by cross-validation on the training split.

    ``threshold`` maximises ``mean`` (the objective averaged over folds at each ``grid`` threshold);
    ``best`` is that maximum. ``per_fold`` holds each fold's own best threshold: their spread says how
    firmly the data pins the choice. ``reached`` is False when the objective has a floor (recall at a
    minimum precision) that no threshold reached on average.
    """

    objective: str
    threshold: float
    best: float
    grid: np.ndarray
    mean: np.ndarray
    per_fold: np.ndarray
    reached: bool = True

    @property
    def label(self) -> str:
        """The objective in words."""
        return OBJECTIVES[self.objective]


def tune(folds: Sequence[tuple[np.ndarray, np.ndarray]], *, objective: str, settings: TuningSettings) -> TunedThreshold:
    """The threshold with the best objective averaged over ``folds`` of ``(true codes, positive-class scores)``.

    Each fold's rows must be held out from the model that scored them. Raises
    :class:`~core.errors.UserFacingError` when a fold's scores are all equal (no threshold to tune).
    """
    curves = [fold_curve(y, s, objective=objective, settings=settings) for y, s in folds]
    if any(np.isclose(t[0], t[-1]) for t, _ in curves):
        raise UserFacingError(
            "The model gives every held-out row of a training fold the same score, so no threshold can be tuned. "
            "Use the fixed threshold for this strategy."
        )
    low = min(t.min() for t, _ in curves)
    high = max(t.max() for t, _ in curves)
    grid = np.linspace(low, high, N_THRESHOLDS)
    mean = np.mean([np.interp(grid, t, v) for t, v in curves], axis=0)
    i = int(np.argmax(mean))
    per_fold = np.array([t[int(np.argmax(v))] for t, v in curves])
    reached = objective != "recall_at_precision" or mean[i] >= 0
    return TunedThreshold(objective, float(grid[i]), float(mean[i]), grid, mean, per_fold, bool(reached))
