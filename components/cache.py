"""Cached wrappers around core calls, keyed by the run identity (:func:`core.data.split.run_identity`) and parameters.

Cached values are shared between sessions only when the key (a content fingerprint) is
equal, i.e. only for identical data; per-user state lives in ``st.session_state``. Cached objects
are never changed after they are made.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from components import shared_work, state
from core.comparison.production import Deployment
from core.data.bundled import load_sample
from core.data.dataset import Dataset
from core.data.prepared import PreparedData, prepare
from core.data.roles import ColumnInfo, detect_roles
from core.data.split import RunIdentity, Split, SplitSpec, make_split, run_identity
from core.errors import UserFacingError
from core.flights import Flight

if TYPE_CHECKING:  # the modelling modules load scikit-learn: imported where used (see core.data.split's docstring)
    from core.modelling.evaluation import Evaluation
    from core.modelling.strategies import Strategy
    from core.resampling.catalogue import SamplerConfig
    from core.resampling.projection import Projection
    from core.resampling.resample import ResampleResult
    from core.teaching.boundaries import Boundaries
    from core.teaching.diagnosis import Complexity, Kinds


@st.cache_data(show_spinner="Loading the sample…", max_entries=16)
def cached_sample(key: str) -> Dataset:
    """Load a bundled sample once per server; each session gets its own copy."""
    return load_sample(key)


@st.cache_data(show_spinner=False, max_entries=64)
def _roles(fingerprint: str, target: str | None, _frame) -> list[ColumnInfo]:
    return detect_roles(_frame, target=target)


def cached_roles(dataset: Dataset, target: str | None) -> list[ColumnInfo]:
    """Column roles of ``dataset`` with ``target`` left out, cached by content fingerprint."""
    return _roles(dataset.fingerprint, target, dataset.frame)


def current() -> PreparedData | None:
    """The session's dataset prepared with its target and column choices, or None."""
    ds = state.dataset()
    if ds is None:
        return None
    return prepare(ds, target=state.target(), overrides=state.overrides(), roles=cached_roles)


# The split and the resampled data are the largest things kept. They are cached as shared objects
# (``cache_resource``), not pickled copies: ``cache_data`` would keep a pickled copy and hand every
# rerun a new unpickled one, twice the data's memory for nothing. They are only ever read, and only
# identical data (the same content fingerprint and settings) ever shares one.
@st.cache_resource(show_spinner="Splitting into training and test rows…", max_entries=8)
def _split(key: RunIdentity, _prepared: PreparedData) -> Split:
    return make_split(_prepared, test_size=key.split.test_size, random_state=key.split.random_state)


def cached_split(prepared: PreparedData, spec: SplitSpec) -> Split:
    """The stratified split for this data, target, features and settings (made once, shared by pages)."""
    return _split(run_identity(prepared, spec), prepared)


@st.cache_resource(show_spinner=False, max_entries=16)
def _resample(key: RunIdentity, config: SamplerConfig, _split: Split, _plan) -> ResampleResult:
    from core.resampling.resample import resample

    return resample(_split, plan=_plan, config=config)


def cached_resample(prepared: PreparedData, split: Split, config: SamplerConfig) -> ResampleResult:
    """Resample the training split, cached by data fingerprint, split settings and method settings."""
    with st.spinner(f"Resampling {len(split.y_train):,} training rows…", show_time=True):
        return _resample(run_identity(prepared, split.spec), config, split, prepared.plan)


@st.cache_data(show_spinner=False, max_entries=8)
def _kinds(key: RunIdentity, _split: Split, _plan) -> Kinds:
    from core.teaching.diagnosis import row_kinds

    return row_kinds(_split, _plan)


def cached_kinds(prepared: PreparedData, split: Split) -> Kinds:
    """The kinds of the small classes' training rows, once per data, target, features and split."""
    return _kinds(run_identity(prepared, split.spec), split, prepared.plan)


@st.cache_data(show_spinner=False, max_entries=8)
def _complexity(key: RunIdentity, _split: Split, _plan) -> Complexity:
    from core.teaching.diagnosis import complexity

    return complexity(_split, _plan)


def cached_complexity(prepared: PreparedData, split: Split) -> Complexity:
    """The complexity measures of the training rows, once per data, target, features and split."""
    return _complexity(run_identity(prepared, split.spec), split, prepared.plan)


@st.cache_data(show_spinner=False, max_entries=32)
def _projection(
    key: RunIdentity, config: SamplerConfig, method: str, features, view_seed: int, _result: ResampleResult, _plan,
) -> Projection:  # fmt: skip
    from core.resampling.projection import project

    return project(_result, plan=_plan, method=method, features=features, random_state=view_seed)


def cached_projection(
    prepared: PreparedData,
    result: ResampleResult,
    split: Split,
    config: SamplerConfig,
    *,
    method: str,
    features: tuple[str, str] | None,
) -> Projection:
    """The 2-D before/after view, cached so changing a plot option does not resample again."""
    label = {"pca": "Projecting with PCA…", "tsne": "Embedding with t-SNE (about 10 s)…"}.get(method, "Plotting…")
    with st.spinner(label, show_time=True):
        return _projection(run_identity(prepared, split.spec), config, method, features, 0, result, prepared.plan)


@st.cache_data(show_spinner=False, max_entries=16)
def _embedding(key: RunIdentity, features, _split: Split, _plan):
    from core.resampling.projection import embed_training

    return embed_training(_split.X_train, plan=_plan, features=features)


def cached_embedding(
    prepared: PreparedData, split: Split, *, features: tuple[str, str] | None
) -> tuple[np.ndarray, str, str]:
    """2-D coordinates of the training rows (two features, or PCA), cached."""
    return _embedding(run_identity(prepared, split.spec), features, split, prepared.plan)


def cached_evaluations(
    prepared: PreparedData, split: Split, strategies: list[Strategy], *, cv_folds: int, cv_repeats: int = 1
) -> list[Evaluation | UserFacingError]:
    """Every strategy evaluated (:func:`core.modelling.training.train`: earlier results reused, the rest as one grid), with
    one progress bar and a Stop button (:func:`components.shared_work.wait_for`); kept in the server's store by the
    run identity and the strategy.

    Pressing "Stop training" (or changing any setting) interrupts at the next batch of trees (on a
    cluster: when the next fit ends).
    """
    from core.modelling.training import plan_training, train

    kept = shared_work.store("evaluations")
    identity = run_identity(prepared, split.spec)

    def stored(strategy: Strategy) -> Evaluation | None:
        return kept.get((identity, strategy, cv_folds, cv_repeats))

    def keep(strategy: Strategy, ev: Evaluation) -> None:
        kept.put((identity, strategy, cv_folds, cv_repeats), ev)

    known = {s: stored(s) for s in strategies}  # read once: an entry let go while waiting is not read back
    todo = plan_training(strategies, split, plan=prepared.plan, cv_folds=cv_folds, cv_repeats=cv_repeats,
                         stored=lambda s: known.get(s) or stored(s))  # fmt: skip
    if not todo.missing:
        return [known[s] for s in strategies]
    if not todo.to_fit:  # only thresholds to read off models already fitted: no fit, no queue
        return train(strategies, split, plan=prepared.plan, cv_folds=cv_folds, cv_repeats=cv_repeats, stored=stored,
                     keep=keep)  # fmt: skip
    runner, where = shared_work.fit_runner()
    missing = list(todo.missing)

    def work(flight: Flight) -> dict[Strategy, Evaluation | UserFacingError]:
        def fallback(exc: Exception) -> None:
            flight.notes.append(f"The Dask cluster stopped answering ({type(exc).__name__}: {exc}), so the models "
                                "are trained on this server.")  # fmt: skip

        out = train(missing, split, plan=prepared.plan, cv_folds=cv_folds, cv_repeats=cv_repeats, stored=stored,
                    keep=keep, progress=flight.report, runner=runner, on_fallback=fallback)  # fmt: skip
        return dict(zip(missing, out, strict=True))

    n = len(todo.to_fit)
    head = f"{n} model{'' if n == 1 else 's'} to fit" + (where or f", about {todo.seconds:,.0f} s")
    trained = shared_work.wait_for((identity, todo.missing, cv_folds, cv_repeats), work, head=head,
                                   stop_key=state.W_STOP, on_stop=state.mark_trained, seconds=todo.seconds)  # fmt: skip
    return [trained[s] if s in trained else known[s] for s in strategies]


@st.cache_data(show_spinner=False, max_entries=16)
def _leakage(key: tuple, _prepared: PreparedData):
    from core.teaching.lessons import leakage_demo

    y = _prepared.target_check.y
    X = _prepared.dataset.frame.loc[y.index, list(_prepared.plan.features)]
    return leakage_demo(X, y, plan=_prepared.plan, folds=3)


def cached_leakage(prepared: PreparedData):
    """The leakage demo (SMOTE + RF cross-validated the wrong and the right way), cached by data."""
    with st.spinner("Cross-validating SMOTE + RF two ways (about half a minute on 20,000 rows)…", show_time=True):
        return _leakage(run_identity(prepared), prepared)


@st.cache_data(show_spinner=False, max_entries=4)
def _production_demo(key: RunIdentity, _prepared: PreparedData, _split: Split):
    from core.teaching.lessons import production_demo

    return production_demo(_prepared, _split)


def cached_production_demo(prepared: PreparedData, split: Split):
    """The Lesson's production step on the current data and split (two logistic regressions), cached by run identity."""
    return _production_demo(run_identity(prepared, split.spec), prepared, split)


@st.cache_data(show_spinner=False, max_entries=8)
def _threshold_demo(key: RunIdentity, cost_fp: float, cost_fn: float, _prepared: PreparedData, _split: Split):
    from core.teaching.lessons import threshold_demo

    return threshold_demo(_prepared, _split, cost_fp=cost_fp, cost_fn=cost_fn)


def cached_threshold_demo(prepared: PreparedData, split: Split, *, cost_fp: float, cost_fn: float):
    """The Lesson's "rebalance, or move the threshold?" step on the current data, split and costs, cached."""
    return _threshold_demo(run_identity(prepared, split.spec), cost_fp, cost_fn, prepared, split)


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_number_demo():
    """The Lesson's skewed-numbers step on the bundled claims sample (two gradient boosting fits, one per server)."""
    from core.data.prepared import prepare
    from core.teaching.lessons import skewed_number_demo

    dataset = cached_sample("insurance_claims")
    prepared = prepare(dataset, target=dataset.default_target, overrides={})
    return dataset.default_target, skewed_number_demo(dataset.frame, target=dataset.default_target,
                                                      plan=prepared.plan)  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=8)
def cached_sweep(ratios: tuple[float, ...], class_sep: float, seed: int):
    """The ratio sweep on generated data (about 15 s the first time), cached by its settings."""
    from core.teaching.lessons import ratio_sweep

    return ratio_sweep(ratios, class_sep=class_sep, random_state=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def _script(
    key: tuple, source: str, strategies: tuple[Strategy, ...], folds: int, repeats: int, deployment, _prepared, _split
) -> str:
    from core.output.script import script

    return script(list(strategies), prepared=_prepared, split=_split, cv_folds=folds, cv_repeats=repeats,
                  deployment=deployment)  # fmt: skip


def cached_script(
    prepared: PreparedData,
    split: Split,
    strategies: list[Strategy],
    *,
    cv_folds: int,
    cv_repeats: int,
    deployment: Deployment | None = None,
) -> str:
    """The generated script for these strategies (:func:`core.output.script.script`), written once per data, split,
    settings and production setting, so a rerun that only changes the display does not write it again."""
    key = (run_identity(prepared, split.spec), prepared.dataset.name)
    return _script(key, repr(prepared.dataset.source), tuple(strategies), cv_folds, cv_repeats, deployment,
                   prepared, split)  # fmt: skip


def _digest(*arrays: np.ndarray) -> str:
    h = hashlib.blake2b(digest_size=16)
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


@st.cache_data(show_spinner=False, max_entries=256)
def _budget_row(key: tuple, share: float, _ev: Evaluation) -> dict:
    from core.comparison.gains import budget_row

    return budget_row(_ev, share=share)


def cached_budget(evals: list[Evaluation], *, share: float):
    """What reviewing the top ``share`` of the test rows catches, per strategy (a display option: kept per
    strategy's scores and share, so the Train page reuses what Compare worked out; never retrains)."""
    import pandas as pd

    return pd.DataFrame([_budget_row((ev.name, _digest(ev.y_test, ev.proba)), share, ev) for ev in evals])


@st.cache_data(show_spinner=False, max_entries=16)
def _boundaries(key: RunIdentity, model: str, features, _split: Split, _plan) -> Boundaries:
    from core.teaching.boundaries import boundaries

    return boundaries(_split, _plan, model=model, features=features)


def cached_boundaries(prepared: PreparedData, split: Split, *, model: str, features) -> Boundaries:
    """Decision regions of ``model`` four ways on the plane, once per data, split, model and plane."""
    with st.spinner("Fitting the model four ways on the plane…", show_time=True):
        return _boundaries(run_identity(prepared, split.spec), model, features, split, prepared.plan)


@st.cache_resource(show_spinner=False, max_entries=4)
def generated_split(class_sep: float, *, ratio: float = 20.0, n_rows: int = 3_000) -> tuple[PreparedData, Split]:
    """A generated dataset (4 features, seed 0) prepared and split as any data, for the Lesson."""
    from core.data.generated import generate

    prepared = prepare(
        generate(n_rows=n_rows, n_features=4, ratio=ratio, class_sep=class_sep, random_state=0), target="label",
        overrides={},
    )  # fmt: skip
    return prepared, make_split(prepared, test_size=0.25, random_state=0)
