"""Preprocessing inside the pipelines: float64 throughout, fit on training rows, the caller's data untouched."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score

from core.data.dataset import Dataset
from core.data.prepared import prepare
from core.data.preprocessing import categorical_as_text, model_input, preprocessor
from core.data.roles import FeaturePlan
from core.data.split import make_split
from core.modelling.evaluation import metrics
from core.modelling.fitting import evaluate
from core.modelling.strategies import ForestSettings, Strategy
from tests.unit.test_resampling import MIXED, split_of


def test_numbers_stay_float64_and_match_scikit_learns_own_steps():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(1e6, 3.0, size=(200, 3)), columns=["a", "b", "c"])
    X.iloc[::9, 1] = np.nan
    X["empty"] = np.nan  # no value in the training rows: kept, filled with 0
    plan = FeaturePlan(numeric=tuple(X.columns), categorical=(), dropped=())
    Z = preprocessor(plan, ordinal=False).fit_transform(X)
    assert Z.dtype == np.float64 and Z.shape == X.shape and not np.isnan(Z).any()
    filled = X["b"].fillna(X["b"].median())
    assert np.allclose(Z[:, 1], (filled - filled.mean()) / filled.std(ddof=0), rtol=0, atol=1e-12)
    assert np.all(Z[:, 3] == 0)


def test_a_timestamp_whose_signal_lives_in_its_last_digits_keeps_it():
    """Unix-time seconds spread over 1,000 s: float32 holds them to 128 s (9 distinct values), float64 exactly."""
    rng = np.random.default_rng(1)
    n = 2_000
    seconds = 1_700_000_000 + rng.integers(0, 1_000, n)
    y = (seconds % 1_000 >= 990).astype(int)  # the small class: the last 10 seconds of the window
    frame = pd.DataFrame({"timestamp": seconds, "noise": rng.normal(size=n), "label": y})
    assert len(np.unique(seconds.astype(np.float32))) <= 9
    prepared = prepare(Dataset.from_frame(frame, name="t.csv", origin="upload"), target="label", overrides={})
    assert prepared.plan.numeric == ("timestamp", "noise")
    split = make_split(prepared, test_size=0.3, random_state=0)
    Z = preprocessor(prepared.plan, ordinal=False).fit_transform(split.model_input(split.train_rows))
    assert len(np.unique(Z[:, 0])) == len(np.unique(seconds[split.train_rows]))  # no two times merged
    ev = evaluate(Strategy(forest=ForestSettings(n_estimators=20)), split, plan=prepared.plan)
    assert metrics(ev)["pr_auc"] == pytest.approx(1.0)
    truth = ev.y_test == ev.positive
    assert average_precision_score(truth, ev.proba[:, ev.positive]) == pytest.approx(1.0)


def test_preprocessing_never_changes_the_callers_frame():
    prepared, split = split_of(MIXED)
    X = categorical_as_text(split.X_train, list(prepared.plan.categorical))
    before = X.copy()
    for ordinal in (False, True):
        Z = preprocessor(prepared.plan, ordinal=ordinal).fit_transform(X)
        assert Z.dtype == np.float64
    pd.testing.assert_frame_equal(X, before)


def test_ordinal_encoding_gives_one_column_per_categorical_feature():
    prepared, split = split_of(MIXED)
    X = split.model_input(split.train_rows, categorical=prepared.plan.categorical)
    ordinal = preprocessor(prepared.plan, ordinal=True).fit_transform(X)
    one_hot = preprocessor(prepared.plan, ordinal=False).fit_transform(X)
    assert ordinal.shape == (len(X), len(prepared.plan.features))
    assert one_hot.shape[1] > ordinal.shape[1]


def test_model_input_gives_the_pipelines_what_the_rows_frame_gives_them():
    frame = pd.DataFrame(
        {
            "n": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
            "big": [1e300, -1e300, 0.5, np.nan, 2.0, 1 / 3],
            "flag": [True, False, True, True, False, False],
            "plan": ["a", None, "b", "a", 7, "b"],
        }
    )
    plan = FeaturePlan(numeric=("n", "big", "flag"), categorical=("plan",), dropped=())
    rows = np.array([5, 0, 2, 1, 3])
    given = model_input(frame, rows, columns=["n", "big", "flag", "plan"], categorical=["plan"])
    assert given.index.tolist() == [0, 1, 2, 3, 4]
    assert [given[c].dtype for c in ("n", "big", "flag")] == [np.float64] * 3
    assert given["big"].tolist()[:2] == [1 / 3, 1e300]  # no value clipped or rounded
    assert given["plan"].tolist()[:2] == ["b", "a"] and pd.isna(given["plan"][3])
    rows_frame = categorical_as_text(frame.iloc[rows].reset_index(drop=True), ["plan"])
    rows_frame["n"] = rows_frame["n"].astype("float64")
    for ordinal in (False, True):
        expected = preprocessor(plan, ordinal=ordinal).fit_transform(rows_frame)
        assert np.array_equal(preprocessor(plan, ordinal=ordinal).fit_transform(given), expected, equal_nan=True)
    assert frame["big"].iloc[0] == 1e300  # the data is untouched
