"""Fit strategies on the training split and measure them on the untouched test split.

Metrics are the ones that matter under imbalance: per-class precision, recall and F1, balanced
accuracy, G-mean, MCC, ROC-AUC, PR-AUC (average precision) and the Brier score. Accuracy is only
reported next to the majority-class baseline. For binary targets the "positive" class is the
smaller one, and a decision threshold and misclassification costs can be applied.
"""

from __future__ import annotations

import functools
import inspect
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from imblearn.metrics import geometric_mean_score
from imblearn.pipeline import Pipeline
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    auc,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    matthews_corrcoef,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from sklearn.preprocessing import label_binarize

from core.distribution import class_codes
from core.errors import UserFacingError
from core.models import Strategy, StrategyError, build_estimator, fit_notes, folds_for
from core.roles import FeaturePlan
from core.split import Split
from core.thresholds import TunedThreshold, counts_at, tune

__all__ = [
    "METRIC_LABELS",
    "CostCurve",
    "Curve",
    "Evaluation",
    "calibration",
    "confusion",
    "cost_curve",
    "evaluate",
    "kept",
    "metrics",
    "pad_columns",
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

Progress = Callable[[float, str], None]


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


def kept(ev: Evaluation, key: tuple, compute: Callable[[], object]) -> object:
    """``compute()``, kept in ``ev.memo`` under ``key`` (the :data:`MEMO_SIZE` latest): for results read off
    several evaluations at once (their bootstrap replicates), kept with the first. Shared by sessions, so
    read and written under the lock."""
    with _MEMO_LOCK:
        memo = ev.memo.setdefault("kept", OrderedDict())
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
    """The metrics of predicted codes: those that move with the decision threshold."""
    labels = np.arange(n_classes)
    out: dict[str, float] = {}
    pos = n_classes - 1
    if n_classes == 2:  # precision is undefined (NaN) when nothing is flagged; recall when nothing is positive
        p, r, f, _ = precision_recall_fscore_support(y, y_pred, labels=[pos], zero_division=np.nan)
        out["recall"], out["precision"], out["f1"] = float(r[0]), float(p[0]), float(f[0])
    out["balanced_accuracy"] = float(balanced_accuracy_score(y, y_pred))
    out["g_mean"] = float(geometric_mean_score(y, y_pred, labels=labels))
    out["mcc"] = float(matthews_corrcoef(y, y_pred))
    _, _, f_all, _ = precision_recall_fscore_support(y, y_pred, labels=labels, zero_division=0)
    out["macro_f1"] = float(np.mean(f_all))
    out["accuracy"] = float(accuracy_score(y, y_pred))
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


def _fit_predict(
    strategy: Strategy, X_fit: pd.DataFrame, y_fit: np.ndarray, X_eval: pd.DataFrame, *,
    plan: FeaturePlan, names: Mapping[int, str], on_trees: Callable[[int, int], None] | None = None,
    where: str = "on this data",
) -> tuple[object, np.ndarray, tuple[str, ...]]:  # fmt: skip
    """Fit the strategy's estimator on ``X_fit`` and return it, its probabilities for ``X_eval`` and its notes.

    The probabilities have a column per class code in ``names`` (zeros for a class the model never
    saw). A forest reports its progress through ``on_trees(grown, total)``, a fit parameter that the
    pipeline hands to its model. An error names the strategy and ``where`` it happened.
    """
    counts = {c: int((y_fit == c).sum()) for c in names}
    try:
        estimator, notes = build_estimator(strategy, plan=plan, counts=counts, names=names, n_rows=len(y_fit))
        model = _pipeline(estimator).named_steps["model"]
        fit_params = {}
        if on_trees is not None and "on_trees" in inspect.signature(model.fit).parameters:
            fit_params["model__on_trees"] = on_trees
        estimator.fit(X_fit, y_fit, **fit_params)
        proba = estimator.predict_proba(X_eval)
    except UserFacingError as exc:
        raise StrategyError(f"{strategy.name} could not be trained {where}: {exc}") from exc
    except (ValueError, RuntimeError) as exc:
        text = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else type(exc).__name__
        raise StrategyError(f"{strategy.name} could not be trained {where}: {text}. Try other settings.") from exc
    notes += fit_notes(_pipeline(estimator, fitted=True).named_steps["model"])
    return estimator, pad_columns(proba, estimator.classes_, n_classes=len(names)), notes


def _pipeline(estimator, *, fitted: bool = False) -> Pipeline:
    """The strategy's pipeline inside ``estimator`` (itself, or the one a calibration wraps)."""
    if isinstance(estimator, Pipeline):
        return estimator
    return estimator.calibrated_classifiers_[0].estimator if fitted else estimator.estimator


def pad_columns(proba: np.ndarray, classes: np.ndarray, *, n_classes: int) -> np.ndarray:
    """Probabilities with one column per class code ``0..n_classes-1``; a class the model never saw scores 0."""
    full = np.zeros((len(proba), n_classes))
    full[:, np.asarray(classes, dtype=int)] = proba
    return full


def evaluate(
    strategy: Strategy,
    split: Split,
    *,
    plan: FeaturePlan,
    cv_folds: int = 0,
    cv_repeats: int = 1,
    progress: Progress | None = None,
    fitted: Evaluation | None = None,
) -> Evaluation:
    """Fit ``strategy`` on the training split and score it on the test split.

    The test split is only ever predicted: the fit, the cross-validation, the threshold tuning and
    the calibration all use training rows alone.

    - With ``cv_folds >= 2``, stratified k-fold cross-validation (``cv_repeats`` times, reshuffled)
      runs on the training split; the pipeline, and so the resampling, is fit anew inside each
      training fold. A fold whose held-out part lacks a class is left out of every metric (and
      said so in ``cv_notes``); if a fold cannot be fitted, cross-validation is left out and the
      test-split result kept.
    - A tuned threshold (``strategy.threshold``) is chosen on held-out predictions of training folds
      (:func:`core.thresholds.tune`): the cross-validation folds when they run, else
      the strategy's tuning folds (:meth:`TuningSettings.folds_for`). Each cross-validation fold is then scored at the threshold
      tuned on the other folds of its repeat, so its own labels never choose its threshold.
    - ``fitted``, an evaluation of ``strategy.fitted_as`` on the same split, is reused for the
      full fit (a tuned threshold changes no model), so only the tuning folds are fitted.
    """
    report = progress or (lambda _f, _m: None)
    labels = list(split.counts("train"))
    code, names = class_codes(labels)
    if strategy.threshold != "fixed" and len(names) != 2:
        raise StrategyError(
            f"{strategy.name}: a tuned threshold decides between two classes; this target has {len(names)}. "
            "Use the fixed threshold."
        )
    X_train = split.model_input(split.train_rows, categorical=plan.categorical)
    y_train = split.y_train.map(code).to_numpy(dtype=int)
    y_test = split.y_test.map(code).to_numpy(dtype=int)
    cv = folds_for(cv_folds, repeats=cv_repeats, random_state=strategy.random_state) if cv_folds >= 2 else None
    tuning = None  # its own folds for a tuned threshold, used when cross-validation does not run
    if strategy.threshold != "fixed":
        tuning = folds_for(strategy.tuning.folds_for(len(y_train)), random_state=strategy.random_state)
    own_tuning = tuning.get_n_splits() if tuning is not None and cv is None else 0
    plan_fits = (cv.get_n_splits() if cv else 0) + own_tuning + (fitted is None)
    done = [0]

    def step(message: str) -> Callable[[int, int], None]:
        report(done[0] / plan_fits, f"{strategy.name}: {message}")
        at = done[0]
        return lambda grown, total: report(
            (at + grown / total) / plan_fits, f"{strategy.name}: {message}, {grown} of {total} trees"
        )

    def run_folds(splitter, purpose: str) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        out = []
        k = splitter.get_n_splits()
        for i, (fit_idx, val_idx) in enumerate(splitter.split(X_train, y_train)):
            where = f"in {purpose} fold {i + 1} of {k} (its training part has {len(fit_idx):,} rows)"
            on_trees = step(f"{purpose} fold {i + 1} of {k}")
            _, proba, _ = _fit_predict(
                strategy.fitted_as, X_train.iloc[fit_idx], y_train[fit_idx], X_train.iloc[val_idx], plan=plan,
                names=names, on_trees=on_trees if progress else None, where=where,
            )  # fmt: skip
            done[0] += 1
            out.append((val_idx, y_train[val_idx], proba))
        return out

    if fitted is not None:
        proba, notes, seconds = fitted.proba, fitted.notes, fitted.seconds
        importance, before = fitted.importance, fitted.proba_uncalibrated
    else:
        on_trees = step(f"training on {len(y_train):,} rows")
        X_test = split.model_input(split.test_rows, categorical=plan.categorical)
        start = time.perf_counter()
        estimator, proba, notes = _fit_predict(
            strategy.fitted_as, X_train, y_train, X_test, plan=plan, names=names,
            on_trees=on_trees if progress else None,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        done[0] += 1
        pipeline = _pipeline(estimator, fitted=True)
        before = None
        if pipeline is not estimator:  # calibrated: the same pipeline's probabilities before calibration
            before = pad_columns(pipeline.predict_proba(X_test), pipeline.classes_, n_classes=len(names))
        importance = _importance(pipeline)
    cv_notes: list[str] = []
    folds = None
    if cv is not None:
        try:
            folds = run_folds(cv, "cross-validation")
        except StrategyError as exc:
            cv_notes.append(f"{exc} Cross-validation is left out for this strategy; its test-split result is kept.")
    tuned = None
    if strategy.threshold != "fixed":
        tuned = _tune(strategy, folds if folds is not None else run_folds(tuning, "threshold-tuning"))
    threshold = tuned.threshold if tuned is not None else 0.5
    cv_frame = None
    if folds is not None:
        cv_frame, left_out = _cv_scores(strategy, folds, cv, names, threshold)
        cv_notes += left_out
    report(1.0, f"{strategy.name}: done in {seconds:.1f} s")
    return Evaluation(
        name=strategy.name, strategy=strategy, classes=tuple(names[i] for i in range(len(names))), y_test=y_test,
        proba=proba, notes=notes, seconds=seconds, importance=importance, cv=cv_frame, threshold=threshold,
        tuned=tuned, proba_uncalibrated=before, cv_notes=tuple(cv_notes),
    )  # fmt: skip


def _importance(pipeline: Pipeline) -> pd.Series | None:
    model = pipeline.named_steps["model"]
    if not hasattr(model, "feature_importances_"):
        return None
    names = pipeline.named_steps["prepare"].get_feature_names_out()
    return pd.Series(model.feature_importances_, index=names).sort_values(ascending=False)


def _tune(strategy: Strategy, folds) -> TunedThreshold:
    try:
        return tune([(y, p[:, 1]) for _, y, p in folds], objective=strategy.threshold, settings=strategy.tuning)
    except UserFacingError as exc:
        raise StrategyError(f"{strategy.name}: {exc}") from exc


def _cv_scores(strategy: Strategy, folds, splitter, names: Mapping[int, str], threshold: float):
    """One row of metrics per fold whose held-out part has every class, and notes on the folds left out.

    For a tuned threshold, each fold is scored at the threshold tuned on the other folds of its repeat.
    """
    k = splitter.get_n_splits() // getattr(splitter, "n_repeats", 1)
    rows, notes = [], []
    for i, (_, y, proba) in enumerate(folds):
        missing = [names[c] for c in names if not (y == c).any()]
        if missing:
            notes.append(
                f"Cross-validation fold {i + 1} has no rows of {', '.join(map(repr, missing))} in its held-out part, so it "
                "is left out of every cross-validation average (there are too few such rows for this many folds)."
            )
            continue
        t = threshold
        if strategy.threshold != "fixed":
            others = [f for j, f in enumerate(folds) if j // k == i // k and j != i]
            t = _tune(strategy, others).threshold if others else threshold
        rows.append(score(y, proba, threshold=t))
    return (pd.DataFrame(rows) if rows else None), notes
