"""A fitted strategy's scores on the untouched test split, and what the pages read off them.

:class:`Evaluation` holds the test split's probabilities (made by :mod:`core.modelling.fitting`); the read-offs
(metrics at a threshold, confusion matrices, ROC, PR and cost curves, calibration) are kept with it, so a
display-only change costs a look-up. The formulas themselves live in :mod:`core.modelling.metrics`.

Metrics are the ones that matter under imbalance: per-class precision, recall and F1, balanced
accuracy, G-mean, MCC, ROC-AUC, PR-AUC (average precision) and the Brier score. Accuracy is only
reported next to the majority-class baseline. For binary targets the "positive" class is the
smaller one, and a decision threshold and misclassification costs can be applied.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    auc,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from sklearn.preprocessing import label_binarize

from core.modelling.metrics import confusion_metrics
from core.modelling.strategies import Strategy
from core.modelling.thresholds import TunedThreshold, counts_at

__all__ = [
    "METRIC_LABELS",
    "CostCurve",
    "Curve",
    "Evaluation",
    "FoldScores",
    "HeldOut",
    "calibration",
    "confusion",
    "cost_curve",
    "keep_with",
    "metrics",
    "per_class_table",
    "pr_curves",
    "predict",
    "read_off",
    "roc_curves",
    "score",
]

#: Column names for the metrics table, in display order.
METRIC_LABELS: dict[str, str] = {
    "recall": "recall (small class)",
    "precision": "precision (small class)",
    "f1": "F1 (small class)",
    "balanced_accuracy": "balanced accuracy",
    "g_mean": "G-mean",
    "mcc": "MCC",
    "roc_auc": "ROC-AUC",
    "pr_auc": "PR-AUC",
    "brier": "Brier score",
    "accuracy": "accuracy",
    "baseline_accuracy": "majority baseline accuracy",
    "macro_f1": "macro F1",
}


@dataclass(frozen=True)
class HeldOut:
    """The cross-validation folds of one repeat pooled: each training row's true code, probabilities and
    decision (at the threshold tuned on the other folds, for a tuned threshold), in training-row order.

    Every strategy cross-validated on the same split holds the same rows in the same order, so two
    strategies' held-out predictions are paired row by row, as their test-split predictions are.
    """

    y: np.ndarray
    proba: np.ndarray
    pred: np.ndarray


@dataclass(frozen=True)
class FoldScores:
    """Training rows predicted by fits that did not see them, fold by fold: each fold's ``(positions in the training
    split, true codes, probabilities)``. ``per_repeat`` folds cover every training row once (repeated
    cross-validation covers them more than once); ``cross_validated`` says whether they are the
    cross-validation folds or the strategy's own tuning folds (:meth:`TuningSettings.folds_for`).

    Any threshold is tuned on these (:func:`core.modelling.tuned.at_tuned_threshold`), so a tuned threshold, at
    any costs, never fits the model again.
    """

    folds: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...] = field(repr=False)
    per_repeat: int
    cross_validated: bool


@dataclass(frozen=True)
class Evaluation:
    """A fitted strategy's scores on the test split (and on cross-validation folds when asked).

    ``classes`` are the class labels (as text) by code; codes follow the training class sizes,
    largest first, so in a binary problem code 1 is the smaller ("positive") class.

    ``threshold`` is the strategy's own decision threshold (binary): 0.5, or the one ``tuned`` by
    cross-validation on the training split. ``proba`` are the test-split probabilities the strategy
    outputs (after its calibration, if any); ``proba_uncalibrated`` those of the same pipeline
    before calibration. ``cv`` holds one row of metrics per cross-validation fold that could be
    scored, and ``cv_notes`` what the page should say about the folds (left out, or not run).
    ``held_out`` pools the first repeat's held-out predictions: every training row predicted once, by
    a fit that did not see it (see :class:`HeldOut`). ``oof`` keeps the fold fits' probabilities themselves
    (:class:`FoldScores`): every two-class evaluation has them, so a threshold can be tuned at any time.

    An evaluation is never changed once made. What is read off it (metrics, curves, confusion
    matrices at a threshold) is kept in ``memo`` by :func:`read_off`, so a page that redraws
    with the same settings does not compute it again; the values kept there are read-only.
    """

    name: str
    strategy: Strategy
    classes: tuple[str, ...]
    y_test: np.ndarray
    proba: np.ndarray
    notes: tuple[str, ...]
    seconds: float
    importance: pd.Series | None
    cv: pd.DataFrame | None
    threshold: float = 0.5
    tuned: TunedThreshold | None = None
    proba_uncalibrated: np.ndarray | None = None
    cv_notes: tuple[str, ...] = ()
    held_out: HeldOut | None = None
    oof: FoldScores | None = None
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def binary(self) -> bool:
        """True for two classes."""
        return len(self.classes) == 2

    @property
    def positive(self) -> int:
        """Code of the class treated as positive: the smallest class (binary)."""
        return len(self.classes) - 1

    @property
    def prevalence(self) -> float:
        """Share of the positive class in the test split: the PR curve's chance level."""
        return float(np.mean(self.y_test == self.positive))


#: Results kept per evaluation and function, the most recently used first (a slider's few positions).
MEMO_SIZE = 16
_MEMO_LOCK = threading.Lock()


def read_off(fn):
    """Keep ``fn(ev, **options)`` in ``ev.memo`` by its options (keyword-only), the :data:`MEMO_SIZE` latest.

    Used for what the pages read off an evaluation on every rerun: a display-only change then
    costs a dictionary look-up instead of scikit-learn's metrics over every test row again.
    """

    @functools.wraps(fn)
    def wrapper(ev: Evaluation, **options):
        key = tuple(sorted(options.items()))
        with _MEMO_LOCK:  # evaluations are shared by sessions, whose threads may read one at once
            memo = ev.memo.setdefault(fn.__name__, OrderedDict())
            if key in memo:
                memo.move_to_end(key)
                return memo[key]
        result = fn(ev, **options)
        if isinstance(result, np.ndarray):
            result.setflags(write=False)
        result = MappingProxyType(result) if isinstance(result, dict) else result
        with _MEMO_LOCK:
            memo[key] = result
            while len(memo) > MEMO_SIZE:
                memo.popitem(last=False)
        return result

    return wrapper


def keep_with(ev: Evaluation, key: tuple, compute: Callable[[], object]) -> object:
    """``compute()``, kept in ``ev.memo`` under ``key`` (the :data:`MEMO_SIZE` latest): for results read off
    several evaluations at once (their intervals and paired differences), kept with the first. Shared by sessions, so
    read and written under the lock."""
    with _MEMO_LOCK:
        memo = ev.memo.setdefault("keep_with", OrderedDict())
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    result = compute()
    with _MEMO_LOCK:
        memo[key] = result
        while len(memo) > MEMO_SIZE:
            memo.popitem(last=False)
    return result


def predict(proba: np.ndarray, *, threshold: float = 0.5) -> np.ndarray:
    """Class codes from probabilities: for two classes, positive (1) when its probability >= threshold."""
    if proba.shape[1] == 2:
        return (proba[:, 1] >= threshold).astype(int)
    return np.argmax(proba, axis=1)


def score(y: np.ndarray, proba: np.ndarray, *, threshold: float = 0.5) -> dict[str, float]:
    """Every metric for true codes ``y`` and class probabilities ``proba`` (columns = codes)."""
    return _at_threshold(y, predict(proba, threshold=threshold), n_classes=proba.shape[1]) | _ranking(y, proba)


def _at_threshold(y: np.ndarray, y_pred: np.ndarray, *, n_classes: int) -> dict[str, float]:
    """The metrics of predicted codes: those that move with the decision threshold (:func:`core.modelling.metrics.confusion_metrics`).

    Precision is undefined (NaN) when nothing is flagged, recall when nothing is positive.
    """
    cells = np.bincount(y * n_classes + y_pred, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
    out = {m: float(v) for m, v in confusion_metrics(cells).items()}
    out["baseline_accuracy"] = float(np.max(np.bincount(y, minlength=n_classes)) / len(y))
    return out


def _ranking(y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    """The metrics of the scores themselves (no threshold): ROC-AUC, PR-AUC and the Brier score."""
    n_classes = proba.shape[1]
    labels = np.arange(n_classes)
    pos = n_classes - 1
    if n_classes == 2:
        both = len(np.unique(y)) == 2
        return {
            "roc_auc": float(roc_auc_score(y == pos, proba[:, pos])) if both else float("nan"),
            "pr_auc": float(average_precision_score(y == pos, proba[:, pos])) if both else float("nan"),
            "brier": float(brier_score_loss(y == pos, proba[:, pos])),
        }
    onehot = label_binarize(y, classes=labels)
    ok = [c for c in labels if 0 < onehot[:, c].sum() < len(y)]
    return {
        "roc_auc": float(np.mean([roc_auc_score(onehot[:, c], proba[:, c]) for c in ok])) if ok else float("nan"),
        "pr_auc": float(np.mean([average_precision_score(onehot[:, c], proba[:, c]) for c in ok]))
        if ok
        else float("nan"),
        "brier": float(np.mean(np.sum((proba - onehot) ** 2, axis=1))),
    }


@read_off
def _ranking_of(ev: Evaluation) -> dict[str, float]:
    return _ranking(ev.y_test, ev.proba)


@read_off
def metrics(ev: Evaluation, *, threshold: float | None = None) -> dict[str, float]:
    """Metrics of an evaluation on the test split at ``threshold`` (default: the strategy's own).

    The scores' own metrics (ROC-AUC, PR-AUC, Brier) are computed once per evaluation.
    """
    threshold = ev.threshold if threshold is None else threshold
    n_classes = ev.proba.shape[1]
    return _at_threshold(ev.y_test, predict(ev.proba, threshold=threshold), n_classes=n_classes) | dict(_ranking_of(ev))


@read_off
def per_class_table(ev: Evaluation, *, threshold: float | None = None) -> pd.DataFrame:
    """Precision, recall, F1 and support per class, then the macro averages (default: at the strategy's threshold)."""
    labels = np.arange(len(ev.classes))
    y_pred = predict(ev.proba, threshold=ev.threshold if threshold is None else threshold)
    p, r, f, s = precision_recall_fscore_support(ev.y_test, y_pred, labels=labels, zero_division=0)
    table = pd.DataFrame({"class": list(ev.classes), "precision": p, "recall": r, "F1": f, "support": s})
    macro = pd.DataFrame(
        {
            "class": ["macro average"],
            "precision": [p.mean()],
            "recall": [r.mean()],
            "F1": [f.mean()],
            "support": [s.sum()],
        }
    )
    return pd.concat([table, macro], ignore_index=True)


@read_off
def confusion(ev: Evaluation, *, threshold: float | None = None, normalize: bool = False) -> np.ndarray:
    """Confusion matrix (rows = true class, columns = predicted), counts or row shares (default: the strategy's threshold)."""
    labels = np.arange(len(ev.classes))
    threshold = ev.threshold if threshold is None else threshold
    cm = confusion_matrix(ev.y_test, predict(ev.proba, threshold=threshold), labels=labels).astype(float)
    if normalize:
        rows = cm.sum(axis=1, keepdims=True)
        cm = np.divide(cm, rows, out=np.zeros_like(cm), where=rows > 0)
    return cm


@dataclass(frozen=True)
class Curve:
    """One ROC or PR curve."""

    label: str
    x: np.ndarray
    y: np.ndarray
    area: float


@read_off
def roc_curves(ev: Evaluation, *, per_class: bool = False) -> list[Curve]:
    """ROC curve of the positive class (binary), or one-vs-rest per class plus macro and micro averages."""
    if ev.binary and not per_class:
        fpr, tpr, _ = roc_curve(ev.y_test == ev.positive, ev.proba[:, ev.positive])
        return [Curve(ev.name, fpr, tpr, float(auc(fpr, tpr)))]
    onehot = label_binarize(ev.y_test, classes=np.arange(len(ev.classes)))
    if ev.binary:
        onehot = np.column_stack([1 - onehot[:, 0], onehot[:, 0]])
    curves, grid, tprs = [], np.linspace(0, 1, 201), []
    for c, label in enumerate(ev.classes):
        if 0 < onehot[:, c].sum() < len(onehot):
            fpr, tpr, _ = roc_curve(onehot[:, c], ev.proba[:, c])
            curves.append(Curve(label, fpr, tpr, float(auc(fpr, tpr))))
            tprs.append(np.interp(grid, fpr, tpr))
    if tprs:
        mean = np.mean(tprs, axis=0)
        curves.append(Curve("macro average", grid, mean, float(auc(grid, mean))))
        fpr, tpr, _ = roc_curve(onehot.ravel(), ev.proba.ravel())
        curves.append(Curve("micro average", fpr, tpr, float(auc(fpr, tpr))))
    return curves


@read_off
def pr_curves(ev: Evaluation, *, per_class: bool = False) -> list[Curve]:
    """Precision-recall curve(s); ``x`` is recall, ``y`` precision, ``area`` average precision."""
    if ev.binary and not per_class:
        truth = ev.y_test == ev.positive
        precision, recall, _ = precision_recall_curve(truth, ev.proba[:, ev.positive], drop_intermediate=True)
        return [Curve(ev.name, recall, precision, float(average_precision_score(truth, ev.proba[:, ev.positive])))]
    onehot = label_binarize(ev.y_test, classes=np.arange(len(ev.classes)))
    if ev.binary:
        onehot = np.column_stack([1 - onehot[:, 0], onehot[:, 0]])
    curves, aps = [], []
    for c, label in enumerate(ev.classes):
        if onehot[:, c].sum() > 0:
            precision, recall, _ = precision_recall_curve(onehot[:, c], ev.proba[:, c], drop_intermediate=True)
            ap = float(average_precision_score(onehot[:, c], ev.proba[:, c]))
            curves.append(Curve(label, recall, precision, ap))
            aps.append(ap)
    if aps:
        precision, recall, _ = precision_recall_curve(onehot.ravel(), ev.proba.ravel(), drop_intermediate=True)
        curves.append(
            Curve("micro average", recall, precision, float(average_precision_score(onehot, ev.proba, average="micro")))
        )
        curves.append(Curve("macro average (area only)", np.array([]), np.array([]), float(np.mean(aps))))
    return curves


@dataclass(frozen=True)
class CostCurve:
    """Total cost ``FP x cost_fp + FN x cost_fn`` on the test split against the decision threshold (binary).

    ``thresholds`` are increasing: 0, every distinct score of the positive class and one point above
    1 (predict nothing positive); ``costs[i]`` is the cost of predicting positive when the score is
    ``>= thresholds[i]``. The cost is a step function, constant between two listed thresholds, so
    the cost at any threshold ``t`` is the cost at the first listed threshold ``>= t``. ``best`` is
    the listed threshold (capped at 1) with the lowest cost, the one nearest 0.5 among ties.
    """

    thresholds: np.ndarray
    costs: np.ndarray
    best: float
    best_cost: float

    def at(self, threshold: float) -> float:
        """The total cost when predicting positive at scores ``>= threshold``."""
        return float(self.costs_at(np.asarray([threshold]))[0])

    def costs_at(self, thresholds: np.ndarray) -> np.ndarray:
        """:meth:`at` for many thresholds at once (one binary search each)."""
        return self.costs[np.searchsorted(self.thresholds, thresholds, side="left").clip(0, len(self.costs) - 1)]


@read_off
def cost_curve(ev: Evaluation, *, cost_fp: float, cost_fn: float) -> CostCurve:
    """The cost at every threshold where it changes, from one sort and cumulative counts.

    As scikit-learn builds its ROC and precision-recall curves: the scores are sorted once, and the
    false negatives (positives scored below a threshold) and false positives (negatives scored at
    or above it) at every distinct score are read off cumulative counts, so the whole curve costs
    ``O(n log n)`` for ``n`` test rows (a loop over thresholds that scans the rows is ``O(n^2)``).
    """
    p = ev.proba[:, ev.positive]
    thresholds = np.unique(np.concatenate([[0.0], p, [1.0 + 1e-9]]))
    _, fp, fn, _ = counts_at(ev.y_test == ev.positive, p, thresholds)
    costs = cost_fp * fp + cost_fn * fn
    ties = np.flatnonzero(costs == costs.min())
    i = ties[np.argmin(np.abs(thresholds[ties] - 0.5))]
    return CostCurve(thresholds, costs.astype(float), float(min(thresholds[i], 1.0)), float(costs[i]))


@read_off
def calibration(ev: Evaluation, *, bins: int = 10, before: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Reliability curve of the positive class: (mean predicted probability, observed share) per bin.

    With ``before``, of the probabilities before the strategy's calibration (it must have one).
    """
    proba = ev.proba_uncalibrated if before else ev.proba
    observed, predicted = calibration_curve(ev.y_test == ev.positive, proba[:, ev.positive], n_bins=bins,
                                            strategy="quantile")  # fmt: skip
    return predicted, observed
