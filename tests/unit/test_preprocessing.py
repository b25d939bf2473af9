"""Preprocessing inside the pipelines: float32, fit on training rows, the caller's data untouched."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler

from core.preprocessing import ColumnScaler, MedianImputer, categorical_as_text, model_input, preprocessor
from core.roles import FeaturePlan
from tests.unit.test_resampling import MIXED, split_of


@pytest.mark.filterwarnings("ignore:Skipping features without any observed values")
@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (25, 3), elements=st.one_of(st.floats(-1e6, 1e6, width=32), st.just(np.nan))))
def test_median_imputer_fills_like_scikit_learn_in_float32(X):
    out = MedianImputer().fit(X).transform(X)
    assert np.array_equal(MedianImputer().fit_transform(X), out)  # one pass gives the same as two
    assert out.dtype == np.float32 and not np.isnan(out).any()
    assert not np.shares_memory(out, X)
    if not np.isnan(X).any():
        assert np.array_equal(out, X.astype(np.float32))  # nothing missing: values unchanged
    kept = ~np.isnan(X).all(axis=0)
    if kept.any():
        theirs = SimpleImputer(strategy="median").fit_transform(X)  # drops the columns with no value
        assert np.allclose(out[:, kept], theirs, rtol=1e-5, atol=1e-2)
    assert np.all(out[:, ~kept] == 0)  # a column with no value is kept, filled with 0


def test_median_imputer_reads_frames_with_nullable_and_huge_values():
    frame = pd.DataFrame(
        {"n": pd.array([1, None, 3], dtype="Int64"), "b": [True, False, True], "big": [1e300, -1e300, 0.0]}
    )
    out = MedianImputer().fit(frame).transform(frame)
    assert out.dtype == np.float32 and np.isfinite(out).all()
    assert out[:, 0].tolist() == [1.0, 2.0, 3.0]
    assert out[0, 2] == np.finfo(np.float32).max and out[1, 2] == -np.finfo(np.float32).max


def test_preprocessing_is_float32_and_never_changes_the_callers_frame():
    prepared, split = split_of(MIXED)
    X = categorical_as_text(split.X_train, list(prepared.plan.categorical))
    before = X.copy()
    for ordinal in (False, True):
        Z = preprocessor(prepared.plan, ordinal=ordinal).fit_transform(X)
        assert Z.dtype == np.float32 and Z.flags["C_CONTIGUOUS"]
    pd.testing.assert_frame_equal(X, before)


def test_categorical_as_text_copies_only_when_there_is_something_to_change():
    prepared, split = split_of(MIXED)
    X = split.X_train
    assert categorical_as_text(X, []) is X
    text = categorical_as_text(X, list(prepared.plan.categorical))
    assert text is not X and all(isinstance(v, str) for v in text["plan"])


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float32, (30, 4), elements=st.floats(-1e5, 1e5, width=32)),
    st.sampled_from([np.float32, np.float64]),
)
def test_column_scaler_learns_what_standard_scaler_learns(X, dtype):
    X = X.astype(dtype)
    X[:, 0] = 3.5  # a constant column keeps scale 1
    ours, theirs = ColumnScaler().fit(X), StandardScaler().fit(X)
    assert np.allclose(ours.mean_, theirs.mean_, rtol=1e-6, atol=1e-6)
    assert np.allclose(ours.var_, theirs.var_, rtol=1e-5, atol=1e-4)
    assert np.array_equal(ours.scale_ == 1.0, theirs.scale_ == 1.0) and ours.scale_[0] == 1.0
    assert ours.n_samples_seen_ == theirs.n_samples_seen_ == 30
    assert np.allclose(ours.transform(X), theirs.transform(X), rtol=1e-4, atol=1e-4)
    assert np.allclose(ours.inverse_transform(ours.transform(X)), X, rtol=1e-4, atol=1e-1)


def test_column_scaler_scales_in_place_without_a_full_float64_copy():
    X = np.random.default_rng(0).normal(5, 2, size=(20_000, 50)).astype(np.float32)
    tracemalloc.start()
    out = ColumnScaler(copy=False).fit_transform(X)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert out is X or np.shares_memory(out, X)
    assert peak < X.nbytes / 4  # StandardScaler's fit alone takes twice the array (a float64 temporary)
    assert np.allclose(X.mean(axis=0), 0, atol=1e-3) and np.allclose(X.std(axis=0), 1, atol=1e-3)


def test_a_single_kind_of_column_is_output_without_a_stacked_copy():
    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.normal(size=(20_000, 20)), columns=[f"x{i}" for i in range(20)])
    X.iloc[::7, 3] = np.nan
    plan = FeaturePlan(numeric=tuple(X.columns), categorical=(), dropped=())
    preprocessor(plan, ordinal=False).fit_transform(X.head(100))  # first-call set-up is not the data's cost
    tracemalloc.start()
    Z = preprocessor(plan, ordinal=False).fit_transform(X)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert Z.dtype == np.float32 and Z.shape == X.shape and not np.isnan(Z).any()
    assert peak < 1.6 * Z.nbytes  # the imputer's float32 copy is the output (stacking would copy it again)
    prepared, split = split_of(MIXED)
    mixed = preprocessor(prepared.plan, ordinal=True).fit_transform(split.X_train)
    assert mixed.shape == (len(split.X_train), len(prepared.plan.features))  # two kinds are still stacked


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
    assert [given[c].dtype for c in ("n", "big", "flag")] == [np.float32] * 3
    assert given["plan"].tolist()[:2] == ["b", "a"] and pd.isna(given["plan"][3])
    rows_frame = categorical_as_text(frame.iloc[rows].reset_index(drop=True), ["plan"])
    for ordinal in (False, True):
        expected = preprocessor(plan, ordinal=ordinal).fit_transform(rows_frame)
        assert np.array_equal(preprocessor(plan, ordinal=ordinal).fit_transform(given), expected)
    assert frame["big"].iloc[0] == 1e300  # the data is untouched


def test_model_input_makes_no_float64_copy_of_the_rows():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(60_000, 20)), columns=[f"x{i}" for i in range(20)])
    rows = rng.permutation(60_000)[:50_000]
    columns = list(frame.columns)
    model_input(frame, rows[:100], columns=columns, categorical=[])  # first-call set-up is not the data's cost
    tracemalloc.start()
    given = model_input(frame, rows, columns=columns, categorical=[])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    float32_bytes = 50_000 * 20 * 4
    assert given.shape == (50_000, 20) and given.memory_usage(index=False).sum() == float32_bytes
    assert peak < 1.5 * float32_bytes  # taking the rows as one float64 frame first costs 2x this, then more
