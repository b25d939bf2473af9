"""The grid of fits: every strategy's fits (the full fit, cross-validation and tuning folds) as jobs, run here or
on a Dask cluster, and turned into :class:`core.modelling.evaluation.Evaluation` values.

The test split is only ever predicted: each job fits one pipeline on training rows (all of them, or a
fold's) and predicts the rows it holds out. :func:`evaluate_many` plans the jobs of several strategies,
hands them to a runner (:func:`run_jobs` here, :func:`joblib_runner` elsewhere, with the same results)
and finishes each strategy's evaluation from its outcomes.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from imblearn.pipeline import Pipeline

from core.data.distribution import class_codes
from core.data.roles import FeaturePlan
from core.data.split import Split
from core.errors import UserFacingError
from core.modelling.evaluation import Evaluation, FoldScores
from core.modelling.strategies import Strategy, StrategyError, build_estimator, fit_notes, folds_for
from core.modelling.tuned import at_tuned_threshold, cv_scores

__all__ = [
    "FitData",
    "FitJob",
    "FitOutcome",
    "Progress",
    "Runner",
    "evaluate",
    "evaluate_many",
    "joblib_runner",
    "pad_columns",
    "run_fit",
    "run_jobs",
]

#: Reports progress: a fraction from 0 to 1 and a message.
Progress = Callable[[float, str], None]


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
    """One fitted model's jobs in the grid: its full fit, then its fold fits (cross-validation or tuning)."""

    strategy: Strategy
    jobs: list[FitJob]
    cv: object | None
    tuning: object | None


def _plan(strategy: Strategy, data: FitData, *, cv_folds: int, cv_repeats: int) -> _Planned:
    """The jobs of ``strategy`` (a fixed threshold): the full fit, then the cross-validation folds when they run,
    else, for two classes, the strategy's tuning folds (their scores tune any threshold later)."""
    y = data.y_train
    cv = folds_for(cv_folds, repeats=cv_repeats, random_state=strategy.random_state) if cv_folds >= 2 else None
    tuning = folds_for(strategy.tuning.folds_for(len(y)), random_state=strategy.random_state)
    jobs = [FitJob(strategy, "training")]
    if cv is not None:
        jobs += _fold_jobs(strategy, cv, data, "cross-validation")
    elif len(data.names) == 2:
        jobs += _fold_jobs(strategy, tuning, data, "threshold-tuning")
    return _Planned(strategy, jobs, cv, tuning)


def _fold_jobs(strategy: Strategy, splitter, data: FitData, purpose: str) -> list[FitJob]:
    k = splitter.get_n_splits()
    return [
        FitJob(strategy, purpose, i, k, fit, held_out)
        for i, (fit, held_out) in enumerate(splitter.split(data.X_train, data.y_train))
    ]


def _folds_of(jobs: list[FitJob], results, data: FitData) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]:
    for r in results:
        if isinstance(r, StrategyError):
            raise r
    return tuple((j.held_out, data.y_train[j.held_out], r.proba) for j, r in zip(jobs, results, strict=True))


def _finish(
    planned: _Planned, outcomes: list[FitOutcome | StrategyError], data: FitData, *, runner: Runner | None
) -> Evaluation:
    """The evaluation of a fixed-threshold strategy from its fits' outcomes (in the order of ``planned.jobs``)."""
    strategy, names = planned.strategy, data.names
    full, *fold_outcomes = outcomes
    if isinstance(full, StrategyError):
        raise full
    fold_jobs = planned.jobs[1:]
    cv_notes: list[str] = []
    oof = None
    if planned.cv is not None:
        try:
            k = planned.cv.get_n_splits() // getattr(planned.cv, "n_repeats", 1)
            oof = FoldScores(_folds_of(fold_jobs, fold_outcomes, data), k, True)
        except StrategyError as exc:
            cv_notes.append(f"{exc} Cross-validation is left out for this strategy; its test-split result is kept.")
            if len(names) == 2:  # the strategy's own tuning folds, fitted now, so thresholds can still be tuned
                fold_jobs = _fold_jobs(strategy, planned.tuning, data, "threshold-tuning")
                fold_outcomes = run_jobs(fold_jobs, data, runner=runner)
    if oof is None and len(names) == 2:
        try:
            oof = FoldScores(_folds_of(fold_jobs, fold_outcomes, data), len(fold_jobs), False)
        except StrategyError as exc:
            cv_notes.append(f"{exc} No threshold can be tuned for it; its result at 0.5 is kept.")
    cv_frame = held_out = None
    if oof is not None and oof.cross_validated:
        cv_frame, left_out, held_out = cv_scores(strategy, oof, names, threshold=0.5)
        cv_notes += left_out
    return Evaluation(
        name=strategy.name, strategy=strategy, classes=tuple(names[i] for i in range(len(names))),
        y_test=data.y_test, proba=full.proba, notes=full.notes, seconds=full.seconds, importance=full.importance,
        cv=cv_frame, proba_uncalibrated=full.before, cv_notes=tuple(cv_notes), held_out=held_out, oof=oof,
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
    """Fit and score every strategy, running all their fits (models × folds) as one grid.

    Each distinct model (a strategy at the fixed threshold, :attr:`Strategy.fitted_as`) is fitted once, with
    its fold fits; a tuned threshold is then read off its fold scores (:func:`at_tuned_threshold`).
    ``fitted`` maps a fixed-threshold strategy to an evaluation of it on the same split, which is reused
    whole. ``runner`` decides where the fits run (:func:`joblib_runner`); the results do not depend on it.
    A strategy that cannot be evaluated yields its :class:`StrategyError` in its place.
    """
    data = FitData.of(split, plan=plan)
    known: dict[Strategy, Evaluation | StrategyError] = {}
    for base, ev in (fitted or {}).items():
        if ev.strategy == base and base in {s.fitted_as for s in strategies}:
            known[base] = ev
    planned: list[_Planned] = []
    for base in dict.fromkeys(s.fitted_as for s in strategies):
        if base not in known:
            planned.append(_plan(base, data, cv_folds=cv_folds, cv_repeats=cv_repeats))
    jobs = [job for p in planned for job in p.jobs]
    outcomes = iter(run_jobs(jobs, data, runner=runner, progress=progress))
    for p in planned:
        mine = [next(outcomes) for _ in p.jobs]
        try:
            known[p.strategy] = _finish(p, mine, data, runner=runner)
        except StrategyError as exc:
            known[p.strategy] = exc
    out: list[Evaluation | StrategyError] = []
    for strategy in strategies:
        base = known[strategy.fitted_as]
        if isinstance(base, StrategyError) or not strategy.tunes_threshold:
            out.append(base)
            continue
        try:
            out.append(at_tuned_threshold(base, strategy))
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
    - For two classes, the held-out fold scores are kept (:class:`FoldScores`): the cross-validation
      folds when they run, else the strategy's tuning folds (:meth:`TuningSettings.folds_for`). A tuned
      threshold (``strategy.threshold``) is chosen on them (:func:`core.modelling.thresholds.tune`), and
      each cross-validation fold is then scored at the threshold tuned on the other folds of its repeat.
    - ``fitted``, an evaluation of ``strategy.fitted_as`` on the same split, is reused whole: a tuned
      threshold changes no model and needs no fit.
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
