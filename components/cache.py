"""Cached wrappers around core calls, keyed by data fingerprint and parameters.

Cached values are shared between sessions only when the key (a content fingerprint) is
equal, i.e. only for identical data; per-user state lives in ``st.session_state``. Cached objects
are never changed after they are made.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from components import state
from components.messages import show_message
from core.dataset import Dataset
from core.errors import UserFacingError
from core.prepared import PreparedData, prepare
from core.roles import ColumnInfo, detect_roles
from core.samples import load_sample
from core.split import Split, SplitSpec, make_split

if TYPE_CHECKING:  # the modelling modules load scikit-learn: imported where used (see core.split's docstring)
    from core.boundaries import Boundaries
    from core.diagnosis import Complexity, Kinds
    from core.evaluation import Evaluation
    from core.models import Strategy
    from core.projection import Projection
    from core.resampling import ResampleResult
    from core.samplers import SamplerConfig


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


def _plan_key(prepared: PreparedData) -> tuple:
    return (
        prepared.dataset.fingerprint,
        prepared.target,
        prepared.plan.numeric,
        prepared.plan.categorical,
    )


# The split and the resampled data are the largest things kept. They are cached as shared objects
# (``cache_resource``), not pickled copies: ``cache_data`` would keep a pickled copy and hand every
# rerun a new unpickled one, twice the data's memory for nothing. They are only ever read, and only
# identical data (the same content fingerprint and settings) ever shares one.
@st.cache_resource(show_spinner="Splitting into training and test rows…", max_entries=8)
def _split(key: tuple, test_size: float, seed: int, _prepared: PreparedData) -> Split:
    return make_split(_prepared, test_size=test_size, random_state=seed)


def cached_split(prepared: PreparedData, spec: SplitSpec) -> Split:
    """The stratified split for this data, target, features and settings (made once, shared by pages)."""
    return _split(_plan_key(prepared), spec.test_size, spec.random_state, prepared)


@st.cache_resource(show_spinner=False, max_entries=16)
def _resample(key: tuple, test_size: float, seed: int, config: SamplerConfig, _split: Split, _plan) -> ResampleResult:
    from core.resampling import resample

    return resample(_split, plan=_plan, config=config)


def cached_resample(prepared: PreparedData, split: Split, config: SamplerConfig) -> ResampleResult:
    """Resample the training split, cached by data fingerprint, split settings and method settings."""
    with st.spinner(f"Resampling {len(split.y_train):,} training rows…", show_time=True):
        return _resample(
            _plan_key(prepared), split.spec.test_size, split.spec.random_state, config, split, prepared.plan
        )


@st.cache_data(show_spinner=False, max_entries=8)
def _kinds(key: tuple, test_size: float, seed: int, _split: Split, _plan) -> Kinds:
    from core.diagnosis import row_kinds

    return row_kinds(_split, _plan)


def cached_kinds(prepared: PreparedData, split: Split) -> Kinds:
    """The kinds of the small classes' training rows, once per data, target, features and split."""
    return _kinds(_plan_key(prepared), split.spec.test_size, split.spec.random_state, split, prepared.plan)


@st.cache_data(show_spinner=False, max_entries=8)
def _complexity(key: tuple, test_size: float, seed: int, _split: Split, _plan) -> Complexity:
    from core.diagnosis import complexity

    return complexity(_split, _plan)


def cached_complexity(prepared: PreparedData, split: Split) -> Complexity:
    """The complexity measures of the training rows, once per data, target, features and split."""
    return _complexity(_plan_key(prepared), split.spec.test_size, split.spec.random_state, split, prepared.plan)


@st.cache_data(show_spinner=False, max_entries=32)
def _projection(
    key: tuple, test_size: float, seed: int, config: SamplerConfig, method: str, features, view_seed: int,
    _result: ResampleResult, _plan,
) -> Projection:  # fmt: skip
    from core.projection import project

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
        return _projection(
            _plan_key(prepared), split.spec.test_size, split.spec.random_state, config, method, features, 0,
            result, prepared.plan,
        )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=16)
def _embedding(key: tuple, test_size: float, seed: int, features, _split: Split, _plan):
    from core.projection import embed_training

    return embed_training(_split.X_train, plan=_plan, features=features)


def cached_embedding(
    prepared: PreparedData, split: Split, *, features: tuple[str, str] | None
) -> tuple[np.ndarray, str, str]:
    """2-D coordinates of the training rows (two features, or PCA), cached."""
    return _embedding(
        _plan_key(prepared), split.spec.test_size, split.spec.random_state, features, split, prepared.plan
    )


_STORE_SIZE = 64


@st.cache_resource
def _evaluation_store() -> tuple[OrderedDict, threading.Lock]:
    """Evaluations shared by every session, keyed by data fingerprint and settings (so only identical data
    and settings ever share one). A store rather than ``st.cache_data`` so training can report progress."""
    return OrderedDict(), threading.Lock()


_CLIENTS: dict[str, object] = {}
_CLIENTS_LOCK = threading.Lock()


def _dask_client(address: str):
    """One ``distributed.Client`` per scheduler address for the whole server (not ``st.cache_resource``: a Client
    is awaitable, which Streamlit's caches refuse); made again if it has closed."""
    from distributed import Client

    with _CLIENTS_LOCK:
        client = _CLIENTS.get(address)
        if client is None or client.status not in ("running", "connecting"):
            client = _CLIENTS[address] = Client(address, set_as_default=False, timeout="10s")
        return client


def fit_runner() -> tuple[object | None, str]:
    """Where the fits run: the Dask cluster named by ``IE_DASK_SCHEDULER`` (through joblib's "dask" backend),
    or this server. Returns the runner (``None`` for this server) and a phrase for the progress bar. A cluster
    that cannot be reached is said on the page, and the fits run here."""
    address = os.environ.get(state.DASK_SETTING, "").strip()
    if not address:
        return None, ""
    from core.evaluation import joblib_runner

    try:
        client = _dask_client(address)
    except (OSError, TimeoutError, ValueError) as exc:
        show_message("warning", f"The Dask cluster at {address} (IE_DASK_SCHEDULER) could not be reached ({exc}), so "
                     "the models are trained on this server.")  # fmt: skip
        return None, ""
    workers = len(client.scheduler_info().get("workers", {}))
    return joblib_runner(backend="dask", client=client), f" on the Dask cluster at {address} ({workers} workers)"


def cached_evaluations(
    prepared: PreparedData, split: Split, strategies: list[Strategy], *, cv_folds: int, cv_repeats: int = 1
) -> list[Evaluation | UserFacingError]:
    """Fit and score each strategy (reusing earlier results), all their fits as one grid, with one progress bar.

    A strategy that cannot be built yields its error in place of an evaluation. A strategy with a tuned
    threshold reuses the fit of the same strategy at the fixed threshold (the model is the same; only the
    tuning folds are fitted): such strategies run in a second wave, after their twins. The fits run where
    :func:`fit_runner` says. Pressing "Stop training" (or changing any setting) interrupts at the next
    batch of trees (on a cluster: when the next fit ends).
    """
    from core.evaluation import Evaluation, evaluate_many
    from core.models import estimate_seconds, fit_count

    store, lock = _evaluation_store()
    n_features, counts, n_rows = len(prepared.plan.features), split.counts("train"), len(split.y_train)

    def key(strategy: Strategy) -> tuple:
        return (_plan_key(prepared), split.spec, strategy, cv_folds, cv_repeats)

    def stored(strategy: Strategy) -> Evaluation | None:
        with lock:
            hit = store.get(key(strategy))
            if hit is not None:
                store.move_to_end(key(strategy))
        return hit

    results: dict[Strategy, Evaluation | UserFacingError | None] = {s: stored(s) for s in strategies}
    missing = [s for s in dict.fromkeys(strategies) if results[s] is None]
    if not missing:
        return [results[s] for s in strategies]
    first = [s for s in missing if s.threshold == "fixed" or s.fitted_as not in missing]
    waves = [first, [s for s in missing if s not in first]]

    def fits(s: Strategy) -> int:
        reused = s.threshold != "fixed" and (s.fitted_as in missing or stored(s.fitted_as) is not None)
        return fit_count(s, cv_folds=cv_folds, cv_repeats=cv_repeats, n_rows=n_rows) - reused

    total = sum(fits(s) for s in missing)
    eta = sum(estimate_seconds(s, counts=counts, n_features=n_features) * fits(s) for s in missing)
    runner, where = fit_runner()
    holder = st.empty()
    with holder.container():
        bar = st.progress(0.0, text="Preparing…")
        st.button("Stop training", key=state.W_STOP, on_click=state.mark_trained, args=(None,), icon=":material/stop:")
    head = f"{len(missing)} strateg{'y' if len(missing) == 1 else 'ies'}" + (where or f", about {eta:,.0f} s")
    done = 0.0
    for wave in waves:
        if not wave:
            continue
        share = sum(fits(s) for s in wave) / total

        def report(fraction: float, message: str, *, at: float = done, share: float = share) -> None:
            bar.progress(min(at + fraction * share, 1.0), text=f"{head}: {message}")

        fitted = {s.fitted_as: stored(s.fitted_as) for s in wave if s.threshold != "fixed"}
        reuse = {k: v for k, v in fitted.items() if v is not None}

        def run(runner, wave=wave, report=report, reuse=reuse):
            return evaluate_many(wave, split, plan=prepared.plan, cv_folds=cv_folds, cv_repeats=cv_repeats,
                                 progress=report, fitted=reuse, runner=runner)  # fmt: skip

        try:
            evals = run(runner)
        except Exception as exc:  # the cluster failed mid-run (Stop and reruns are BaseExceptions: they pass)
            if runner is None:
                raise
            show_message("warning", f"The Dask cluster stopped answering ({type(exc).__name__}: {exc}), so the "
                         "models are trained on this server.")  # fmt: skip
            runner = None
            evals = run(None)
        done += share
        for strategy, result in zip(wave, evals, strict=True):
            results[strategy] = result
            if isinstance(result, Evaluation):
                with lock:
                    store[key(strategy)] = result
                    while len(store) > _STORE_SIZE:
                        store.popitem(last=False)
    holder.empty()
    return [results[s] for s in strategies]


@st.cache_data(show_spinner=False, max_entries=16)
def _leakage(key: tuple, _prepared: PreparedData):
    from core.lessons import leakage_demo

    y = _prepared.target_check.y
    X = _prepared.dataset.frame.loc[y.index, list(_prepared.plan.features)]
    return leakage_demo(X, y, plan=_prepared.plan, folds=3)


def cached_leakage(prepared: PreparedData):
    """The leakage demo (SMOTE + RF cross-validated the wrong and the right way), cached by data."""
    with st.spinner("Cross-validating SMOTE + RF two ways (about half a minute on 20,000 rows)…", show_time=True):
        return _leakage(_plan_key(prepared), prepared)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_sweep(ratios: tuple[float, ...], class_sep: float, seed: int):
    """The ratio sweep on generated data (about 15 s the first time), cached by its settings."""
    from core.lessons import ratio_sweep

    return ratio_sweep(ratios, class_sep=class_sep, random_state=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def _script(
    key: tuple, source: str, strategies: tuple[Strategy, ...], folds: int, repeats: int, _prepared, _split
) -> str:
    from core.script import script

    return script(list(strategies), prepared=_prepared, split=_split, cv_folds=folds, cv_repeats=repeats)


def cached_script(
    prepared: PreparedData, split: Split, strategies: list[Strategy], *, cv_folds: int, cv_repeats: int
) -> str:
    """The generated script for these strategies (:func:`core.script.script`), written once per data, split and
    settings, so a rerun that only changes the display does not write it again."""
    key = (*_plan_key(prepared), prepared.dataset.name, split.spec)
    return _script(key, repr(prepared.dataset.source), tuple(strategies), cv_folds, cv_repeats, prepared, split)


def _digest(*arrays: np.ndarray) -> str:
    h = hashlib.blake2b(digest_size=16)
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


@st.cache_data(show_spinner=False, max_entries=256)
def _budget_row(key: tuple, share: float, _ev: Evaluation) -> dict:
    from core.gains import budget_row

    return budget_row(_ev, share=share)


def cached_budget(evals: list[Evaluation], *, share: float):
    """What reviewing the top ``share`` of the test rows catches, per strategy (a display option: kept per
    strategy's scores and share, so the Train page reuses what Compare worked out; never retrains)."""
    import pandas as pd

    return pd.DataFrame([_budget_row((ev.name, _digest(ev.y_test, ev.proba)), share, ev) for ev in evals])


@st.cache_data(show_spinner=False, max_entries=16)
def _boundaries(key: tuple, test_size: float, seed: int, model: str, features, _split: Split, _plan) -> Boundaries:
    from core.boundaries import boundaries

    return boundaries(_split, _plan, model=model, features=features)


def cached_boundaries(prepared: PreparedData, split: Split, *, model: str, features) -> Boundaries:
    """Decision regions of ``model`` four ways on the plane, once per data, split, model and plane."""
    with st.spinner("Fitting the model four ways on the plane…", show_time=True):
        return _boundaries(
            _plan_key(prepared), split.spec.test_size, split.spec.random_state, model, features, split, prepared.plan
        )


@st.cache_resource(show_spinner=False, max_entries=4)
def generated_split(class_sep: float, *, ratio: float = 20.0, n_rows: int = 3_000) -> tuple[PreparedData, Split]:
    """A generated dataset (4 features, seed 0) prepared and split as any data, for the Lesson."""
    from core.generated_data import generate

    prepared = prepare(
        generate(n_rows=n_rows, n_features=4, ratio=ratio, class_sep=class_sep, random_state=0), target="label",
        overrides={},
    )  # fmt: skip
    return prepared, make_split(prepared, test_size=0.25, random_state=0)
