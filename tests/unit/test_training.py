"""The training path without Streamlit: what is known is reused, tuned strategies are read off their models, a failing
runner falls back to this process, and a stop passes through with nothing half-made kept."""

from __future__ import annotations

import numpy as np
import pytest

from core.modelling.evaluation import Evaluation
from core.modelling.fitting import _indexed_fit
from core.modelling.strategies import Strategy, TuningSettings
from core.modelling.training import plan_training, train
from tests.unit.test_resampling import BINARY, split_of

TUNING = TuningSettings(folds=3)
FIXED = Strategy(model="logreg", tuning=TUNING)
TUNED = Strategy.from_id("none:logreg:none:f1:none", tuning=TUNING)
WEIGHTED = Strategy(model="logreg", weighting="balanced", tuning=TUNING)


class Store(dict):
    """A dict with the two calls :func:`train` takes, counting what it is handed."""

    def stored(self, s: Strategy) -> Evaluation | None:
        return self.get(s)

    def keep(self, s: Strategy, ev: Evaluation) -> None:
        self[s] = ev


def counting_runner(log: list):
    """A runner (as :func:`core.modelling.fitting.joblib_runner` is one) that fits here and logs every job it is given."""

    def run(jobs, data):
        for i, job in enumerate(jobs):
            log.append((job.strategy, job.purpose))
            yield _indexed_fit(i, job, data)

    return run


@pytest.fixture(scope="module")
def data():
    return split_of(BINARY)


def test_a_tuned_strategy_is_read_off_its_models_fold_fits_and_fits_nothing_of_its_own(data):
    prepared, split = data
    store, log = Store(), []
    todo = plan_training([TUNED, FIXED], split, plan=prepared.plan, cv_folds=0, cv_repeats=1, stored=store.stored)
    assert todo.to_fit == (FIXED,) and todo.fits == {FIXED: 4}  # the model, then its three tuning folds
    out = train([TUNED, FIXED], split, plan=prepared.plan, cv_folds=0, stored=store.stored, keep=store.keep,
                runner=counting_runner(log))  # fmt: skip
    assert [ev.strategy for ev in out] == [TUNED, FIXED] and set(store) == {TUNED, FIXED}
    assert log.count((FIXED, "training")) == 1 and log.count((FIXED, "threshold-tuning")) == 3
    assert all(s == FIXED for s, _ in log)  # the tuned strategy fits nothing of its own
    np.testing.assert_array_equal(out[0].proba, out[1].proba)  # the same model, another threshold
    assert out[0].oof is out[1].oof and out[1].threshold == 0.5 != out[0].threshold


def test_a_tuned_strategy_alone_fits_its_model_once_and_keeps_it_for_later(data):
    prepared, split = data
    store, log = Store(), []
    train([TUNED], split, plan=prepared.plan, cv_folds=0, stored=store.stored, keep=store.keep,
          runner=counting_runner(log))  # fmt: skip
    assert set(store) == {TUNED, FIXED} and log.count((FIXED, "training")) == 1
    again = []
    train([FIXED, Strategy.from_id("none:logreg:none:balanced_accuracy:none", tuning=TUNING)], split,
          plan=prepared.plan, cv_folds=0, stored=store.stored, keep=store.keep, runner=counting_runner(again))  # fmt: skip
    assert again == []  # another threshold of a known model: no fit at all


def test_what_is_stored_is_not_trained_again(data):
    prepared, split = data
    store, log = Store(), []
    train([FIXED], split, plan=prepared.plan, cv_folds=0, stored=store.stored, keep=store.keep)
    first = store[FIXED]
    out = train([FIXED, TUNED, WEIGHTED], split, plan=prepared.plan, cv_folds=0, stored=store.stored,
                keep=store.keep, runner=counting_runner(log))  # fmt: skip
    assert out[0] is first and {s for s, _ in log} == {WEIGHTED}  # the tuned one is read off the stored model


def test_a_runner_that_fails_mid_run_is_reported_and_the_fits_run_here(data):
    prepared, split = data
    store, said = Store(), []

    def broken(jobs, data):
        yield _indexed_fit(0, jobs[0], data)
        raise ConnectionError("scheduler went away")

    out = train([FIXED, WEIGHTED], split, plan=prepared.plan, cv_folds=3, stored=store.stored, keep=store.keep,
                runner=broken, on_fallback=said.append)  # fmt: skip
    assert [type(e) for e in said] == [ConnectionError]
    assert all(isinstance(ev, Evaluation) and ev.cv is not None for ev in out)
    # the same numbers as a run that never left this process
    again = train([FIXED, WEIGHTED], split, plan=prepared.plan, cv_folds=3, stored=Store().stored, keep=Store().keep)
    for a, b in zip(out, again, strict=True):
        np.testing.assert_array_equal(a.proba, b.proba)


class Stopped(BaseException):
    """What a page's Stop button raises from inside the progress callback (not an ``Exception``)."""


def test_a_stop_passes_through_without_falling_back_and_keeps_nothing_half_made(data):
    prepared, split = data
    store, said, log = Store(), [], []

    def progress(fraction: float, message: str) -> None:
        if fraction > 0.3:
            raise Stopped

    with pytest.raises(Stopped):
        train([FIXED, WEIGHTED], split, plan=prepared.plan, cv_folds=3, stored=store.stored, keep=store.keep,
              progress=progress, runner=counting_runner(log), on_fallback=said.append)  # fmt: skip
    assert not said and not store


def test_progress_runs_from_zero_to_one(data):
    prepared, split = data
    seen: list[float] = []
    train([TUNED, FIXED], split, plan=prepared.plan, cv_folds=0, stored=Store().stored, keep=Store().keep,
          progress=lambda f, _m: seen.append(f))  # fmt: skip
    assert seen == sorted(seen) and seen[0] == 0.0 and seen[-1] == 1.0
