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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from imblearn.pipeline import Pipeline
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

from core.distribution import class_codes
from core.errors import UserFacingError
from core.metrics import confusion_metrics
from core.models import Strategy, StrategyError, build_estimator, fit_notes, folds_for
from core.roles import FeaturePlan
from core.split import Split
from core.thresholds import TunedThreshold, counts_at, tune

__all__ = [
    "METRIC_LABELS",
    "CostCurve",
    "Curve",
    "Evaluation",
    "HeldOut",
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
    a fit that did not see it (see :class:`HeldOut`).

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
    """The metrics of predicted codes: those that move with the decision threshold (:func:`core.metrics.confusion_metrics`).

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


@dataclass(frozen=True)
class FitJob:
    """One fit of the evaluation grid (strategies × folds).

    ``strategy`` is fitted on the training rows at positions ``fit`` and asked for the probabilities of
    training rows ``held_out`` (a cross-validation or tuning fold); with ``fit=None`` it is fitted on every
    training row and asked about the test split.
    """

    strategy: Strategy
    purpose: str  # "training", "cross-validation" or "threshold-tuning"
    fold: int = 0
    folds: int = 1
    fit: np.ndarray | None = field(default=None, repr=False, compare=False)
    held_out: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        """What the progress bar says while it runs."""
        if self.fit is None:
            return f"{self.strategy.name}: training"
        return f"{self.strategy.name}: {self.purpose} fold {self.fold + 1} of {self.folds}"


@dataclass(frozen=True)
class FitData:
    """What every fit on one split shares: the model input of the training and test rows, their class codes,
    the feature plan and the class names by code. Sent to a cluster once, not once per fit."""

    X_train: pd.DataFrame = field(repr=False)
    y_train: np.ndarray = field(repr=False)
    X_test: pd.DataFrame = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    plan: FeaturePlan
    names: Mapping[int, str]

    @classmethod
    def of(cls, split: Split, *, plan: FeaturePlan) -> FitData:
        """The shared data of ``split``; class codes follow the training class sizes, largest first."""
        code, names = class_codes(list(split.counts("train")))
        return cls(
            split.model_input(split.train_rows, categorical=plan.categorical),
            split.y_train.map(code).to_numpy(dtype=int),
            split.model_input(split.test_rows, categorical=plan.categorical),
            split.y_test.map(code).to_numpy(dtype=int),
            plan, dict(names),
        )  # fmt: skip


@dataclass(frozen=True)
class FitOutcome:
    """A fit's probabilities (one column per class code) and notes; for a full fit also its time, feature
    importance and, when calibrated, the probabilities before calibration."""

    proba: np.ndarray = field(repr=False)
    notes: tuple[str, ...]
    seconds: float = 0.0
    importance: pd.Series | None = field(default=None, repr=False)
    before: np.ndarray | None = field(default=None, repr=False)


#: ``runner(jobs, data)`` runs :func:`run_fit` for every job, anywhere, and yields ``(index, outcome)`` as each ends.
Runner = Callable[[list[FitJob], FitData], Iterator[tuple[int, "FitOutcome | StrategyError"]]]


def run_fit(
    job: FitJob, data: FitData, *, on_trees: Callable[[int, int], None] | None = None
) -> FitOutcome | StrategyError:
    """Run one fit; a :class:`StrategyError` is returned, not raised, so one failed fold does not stop the grid."""
    try:
        if job.fit is None:
            start = time.perf_counter()
            estimator, proba, notes = _fit_predict(
                job.strategy.fitted_as, data.X_train, data.y_train, data.X_test, plan=data.plan, names=data.names,
                on_trees=on_trees,
            )  # fmt: skip
            seconds = time.perf_counter() - start
            pipeline = _pipeline(estimator, fitted=True)
            before = None
            if pipeline is not estimator:  # calibrated: the same pipeline's probabilities before calibration
                before = pad_columns(pipeline.predict_proba(data.X_test), pipeline.classes_, n_classes=len(data.names))
            return FitOutcome(proba, notes, seconds, _importance(pipeline), before)
        where = f"in {job.purpose} fold {job.fold + 1} of {job.folds} (its training part has {len(job.fit):,} rows)"
        _, proba, notes = _fit_predict(
            job.strategy.fitted_as, data.X_train.iloc[job.fit], data.y_train[job.fit], data.X_train.iloc[job.held_out],
            plan=data.plan, names=data.names, on_trees=on_trees, where=where,
        )  # fmt: skip
        return FitOutcome(proba, notes)
    except StrategyError as exc:
        return exc


def _indexed_fit(i: int, job: FitJob, data: FitData) -> tuple[int, FitOutcome | StrategyError]:
    return i, run_fit(job, data)


def joblib_runner(**config: object) -> Runner:
    """A :data:`Runner` that hands the fits to joblib under ``joblib.parallel_config(**config)``.

    ``joblib_runner(backend="dask", client=client)`` sends them to the Dask cluster of a
    ``distributed.Client``: the shared :class:`FitData` is scattered to the workers once, and outcomes
    come back as each fit ends. The fits and their results are the same as in this process.
    """

    def run(jobs: list[FitJob], data: FitData) -> Iterator[tuple[int, FitOutcome | StrategyError]]:
        from joblib import Parallel, delayed, parallel_config

        options = dict(config)
        if options.get("backend") == "dask":
            options.setdefault("scatter", [data])
        with parallel_config(**options):
            yield from Parallel(return_as="generator_unordered")(
                delayed(_indexed_fit)(i, job, data) for i, job in enumerate(jobs)
            )

    return run


def run_jobs(
    jobs: list[FitJob], data: FitData, *, runner: Runner | None = None, progress: Progress | None = None
) -> list[FitOutcome | StrategyError]:
    """Every job's outcome, in order. Without ``runner`` the fits run here one after another, a forest
    reporting its trees as they grow; with one, progress moves as each fit ends."""
    report = progress or (lambda _f, _m: None)
    out: list[FitOutcome | StrategyError | None] = [None] * len(jobs)
    n = max(len(jobs), 1)
    if runner is None:
        for i, job in enumerate(jobs):
            report(i / n, job.label)

            def on_trees(grown: int, total: int, i: int = i, job: FitJob = job) -> None:
                report((i + grown / total) / n, f"{job.label}, {grown} of {total} trees")

            out[i] = run_fit(job, data, on_trees=on_trees if progress else None)
        return out  # type: ignore[return-value]
    report(0.0, f"{len(jobs)} fits sent to the cluster")
    for done, (i, outcome) in enumerate(runner(jobs, data), start=1):
        out[i] = outcome
        report(done / n, f"{jobs[i].label} done ({done} of {len(jobs)} fits)")
    return out  # type: ignore[return-value]


@dataclass
class _Planned:
    """One strategy's jobs in the grid and what its evaluation reuses."""

    strategy: Strategy
    jobs: list[FitJob]
    cv: object | None
    tuning: object | None
    fitted: Evaluation | None


def _plan(strategy: Strategy, data: FitData, *, cv_folds: int, cv_repeats: int, fitted: Evaluation | None) -> _Planned:
    if strategy.threshold != "fixed" and len(data.names) != 2:
        raise StrategyError(
            f"{strategy.name}: a tuned threshold decides between two classes; this target has {len(data.names)}. "
            "Use the fixed threshold."
        )
    y = data.y_train
    cv = folds_for(cv_folds, repeats=cv_repeats, random_state=strategy.random_state) if cv_folds >= 2 else None
    tuning = None  # its own folds for a tuned threshold, used when cross-validation does not run
    if strategy.threshold != "fixed":
        tuning = folds_for(strategy.tuning.folds_for(len(y)), random_state=strategy.random_state)
    jobs = [] if fitted is not None else [FitJob(strategy, "training")]
    if cv is not None:
        jobs += _fold_jobs(strategy, cv, data, "cross-validation")
    elif tuning is not None:
        jobs += _fold_jobs(strategy, tuning, data, "threshold-tuning")
    return _Planned(strategy, jobs, cv, tuning, fitted)


def _fold_jobs(strategy: Strategy, splitter, data: FitData, purpose: str) -> list[FitJob]:
    k = splitter.get_n_splits()
    return [
        FitJob(strategy, purpose, i, k, fit, held_out)
        for i, (fit, held_out) in enumerate(splitter.split(data.X_train, data.y_train))
    ]


def _finish(
    planned: _Planned, outcomes: list[FitOutcome | StrategyError], data: FitData, *, runner: Runner | None
) -> Evaluation:
    """The strategy's evaluation from its fits' outcomes (in the order of ``planned.jobs``)."""
    strategy, names = planned.strategy, data.names
    outcomes = list(outcomes)
    if planned.fitted is not None:
        f = planned.fitted
        full = FitOutcome(f.proba, f.notes, f.seconds, f.importance, f.proba_uncalibrated)
    else:
        full = outcomes.pop(0)
        if isinstance(full, StrategyError):
            raise full

    def folds_of(jobs: list[FitJob], results) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        for r in results:
            if isinstance(r, StrategyError):
                raise r
        return [(j.held_out, data.y_train[j.held_out], r.proba) for j, r in zip(jobs, results, strict=True)]

    fold_jobs = planned.jobs[len(planned.jobs) - len(outcomes) :]
    cv_notes: list[str] = []
    folds = None
    if planned.cv is not None:
        try:
            folds = folds_of(fold_jobs, outcomes)
        except StrategyError as exc:
            cv_notes.append(f"{exc} Cross-validation is left out for this strategy; its test-split result is kept.")
    tuned = None
    if strategy.threshold != "fixed":
        if folds is not None:
            tuning_folds = folds
        elif planned.cv is None:
            tuning_folds = folds_of(fold_jobs, outcomes)
        else:  # cross-validation failed: the strategy's own tuning folds, fitted now
            jobs = _fold_jobs(strategy, planned.tuning, data, "threshold-tuning")
            tuning_folds = folds_of(jobs, run_jobs(jobs, data, runner=runner))
        tuned = _tune(strategy, tuning_folds)
    threshold = tuned.threshold if tuned is not None else 0.5
    cv_frame = held_out = None
    if folds is not None:
        cv_frame, left_out, held_out = _cv_scores(strategy, folds, planned.cv, names, threshold)
        cv_notes += left_out
    return Evaluation(
        name=strategy.name, strategy=strategy, classes=tuple(names[i] for i in range(len(names))),
        y_test=data.y_test, proba=full.proba, notes=full.notes,
        seconds=full.seconds, importance=full.importance, cv=cv_frame, threshold=threshold, tuned=tuned,
        proba_uncalibrated=full.before, cv_notes=tuple(cv_notes), held_out=held_out,
    )  # fmt: skip


def evaluate_many(
    strategies: list[Strategy],
    split: Split,
    *,
    plan: FeaturePlan,
    cv_folds: int = 0,
    cv_repeats: int = 1,
    progress: Progress | None = None,
    fitted: Mapping[Strategy, Evaluation] | None = None,
    runner: Runner | None = None,
) -> list[Evaluation | StrategyError]:
    """Fit and score every strategy, running all their fits (strategies × folds) as one grid.

    Each strategy is evaluated as :func:`evaluate` says; ``fitted`` maps a strategy to an evaluation of
    it (at the fixed threshold) on the same split, whose full fit is reused. ``runner`` decides where the
    fits run (:func:`joblib_runner`); the results do not depend on it. A strategy that cannot be
    evaluated yields its :class:`StrategyError` in its place.
    """
    data = FitData.of(split, plan=plan)
    planned: list[_Planned | StrategyError] = []
    for strategy in strategies:
        try:
            planned.append(_plan(strategy, data, cv_folds=cv_folds, cv_repeats=cv_repeats,
                                 fitted=(fitted or {}).get(strategy.fitted_as) if strategy.threshold != "fixed" else None))  # fmt: skip
        except StrategyError as exc:
            planned.append(exc)
    jobs = [job for p in planned if isinstance(p, _Planned) for job in p.jobs]
    outcomes = iter(run_jobs(jobs, data, runner=runner, progress=progress))
    out: list[Evaluation | StrategyError] = []
    for p in planned:
        if isinstance(p, StrategyError):
            out.append(p)
            continue
        mine = [next(outcomes) for _ in p.jobs]
        try:
            out.append(_finish(p, mine, data, runner=runner))
        except StrategyError as exc:
            out.append(exc)
    return out


def evaluate(
    strategy: Strategy,
    split: Split,
    *,
    plan: FeaturePlan,
    cv_folds: int = 0,
    cv_repeats: int = 1,
    progress: Progress | None = None,
    fitted: Evaluation | None = None,
    runner: Runner | None = None,
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
    - ``runner`` runs the fits elsewhere (:func:`joblib_runner`), with the same results.

    Raises :class:`StrategyError` when the strategy cannot be trained.
    """
    reuse = {strategy.fitted_as: fitted} if fitted is not None else None
    (result,) = evaluate_many([strategy], split, plan=plan, cv_folds=cv_folds, cv_repeats=cv_repeats,
                              progress=progress, fitted=reuse, runner=runner)  # fmt: skip
    if isinstance(result, StrategyError):
        raise result
    if progress is not None:
        progress(1.0, f"{strategy.name}: done in {result.seconds:.1f} s")
    return result


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
    """One row of metrics per fold whose held-out part has every class, notes on the folds left out, and the
    first repeat's held-out predictions pooled (:class:`HeldOut`).

    For a tuned threshold, each fold is scored at the threshold tuned on the other folds of its repeat.
    """
    k = splitter.get_n_splits() // getattr(splitter, "n_repeats", 1)
    rows, notes, pooled = [], [], []
    for i, (held, y, proba) in enumerate(folds):
        t = threshold
        if strategy.threshold != "fixed":
            others = [f for j, f in enumerate(folds) if j // k == i // k and j != i]
            t = _tune(strategy, others).threshold if others else threshold
        if i < k:
            pooled.append((held, y, proba, predict(proba, threshold=t)))
        missing = [names[c] for c in names if not (y == c).any()]
        if missing:
            notes.append(
                f"Cross-validation fold {i + 1} has no rows of {', '.join(map(repr, missing))} in its held-out part, so it "
                "is left out of every cross-validation average (there are too few such rows for this many folds)."
            )
            continue
        rows.append(score(y, proba, threshold=t))
    order = np.argsort(np.concatenate([p[0] for p in pooled]), kind="stable")
    held_out = HeldOut(*(np.concatenate([p[j] for p in pooled])[order] for j in (1, 2, 3)))
    return (pd.DataFrame(rows) if rows else None), notes, held_out
