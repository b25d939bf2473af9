"""The evaluation grid on a real Dask cluster (scheduler and worker processes on loopback), through joblib's
"dask" backend: the same fits, the same results, progress as each fit ends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster, get_task_stream

from core.modelling.fitting import evaluate_many, joblib_runner
from core.modelling.strategies import ForestSettings, Strategy
from core.resampling.catalogue import SamplerConfig
from tests.unit.test_resampling import BINARY, MIXED, split_of

STRATEGIES = [
    Strategy(SamplerConfig("random_over"), model="logreg"),
    Strategy(model="rf", weighting="balanced", forest=ForestSettings(n_estimators=20)),
    Strategy(SamplerConfig("smote"), model="logreg", threshold="f1"),
]


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.mark.parametrize("frame", [BINARY, MIXED], ids=["numeric", "mixed"])
def test_the_grid_on_a_cluster_gives_the_same_metrics(client, frame):
    prepared, split = split_of(frame)
    here = evaluate_many(STRATEGIES, split, plan=prepared.plan, cv_folds=3)
    seen: list[tuple[float, str]] = []
    with get_task_stream(client) as stream:
        there = evaluate_many(
            STRATEGIES, split, plan=prepared.plan, cv_folds=3, runner=joblib_runner(backend="dask", client=client),
            progress=lambda f, m: seen.append((f, m)),
        )  # fmt: skip
    fits = 3 * (1 + 3)  # every strategy: the full fit and three folds
    assert len(stream.data) >= fits  # they ran on the workers
    assert {t["worker"] for t in stream.data} <= set(client.scheduler_info()["workers"])
    assert seen[-1] == (1.0, seen[-1][1]) and f"({fits} of {fits} fits)" in seen[-1][1]
    for a, b in zip(here, there, strict=True):
        np.testing.assert_array_equal(a.proba, b.proba)
        pd.testing.assert_frame_equal(a.cv, b.cv)
        assert a.threshold == b.threshold and a.notes == b.notes


def test_a_fold_that_fails_on_the_cluster_is_said_and_the_test_split_result_kept(client):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.normal(size=100), "z": rng.normal(size=100), "y": ["a"] * 97 + ["b"] * 3})
    prepared, split = split_of(frame)
    smote = Strategy(SamplerConfig("smote"), forest=ForestSettings(n_estimators=20))
    (ev,) = evaluate_many([smote], split, plan=prepared.plan, cv_folds=5,
                          runner=joblib_runner(backend="dask", client=client))  # fmt: skip
    assert (
        ev.cv is None and "in cross-validation fold" in ev.cv_notes[0] and "test-split result is kept" in ev.cv_notes[0]
    )
    assert ev.proba.shape == (len(split.y_test), 2)
