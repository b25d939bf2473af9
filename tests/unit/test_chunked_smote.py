"""ChunkedSMOTE: imbalanced-learn's SMOTE, the same rows, built in place a block at a time."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.combine import SMOTETomek
from imblearn.over_sampling import SMOTE
from scipy import sparse

import core.resampling.chunked_smote
from core.resampling.chunked_smote import ChunkedSMOTE


def _data(seed: int, n: int, sizes: tuple[int, ...], dtype) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(len(sizes)), sizes)
    X = (rng.normal(size=(len(y), n)) + y[:, None]).astype(dtype)
    return X, y


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    sizes=st.sampled_from([(200, 12), (300, 40, 9), (90, 30, 30, 6)]),
    k=st.integers(1, 5),
    dtype=st.sampled_from([np.float32, np.float64]),
    chunk=st.sampled_from([1, 7, 64, 100_000]),
)
def test_the_same_rows_as_imbalanced_learns_smote(seed, sizes, k, dtype, chunk):
    X, y = _data(seed, 4, sizes, dtype)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(core.resampling.chunked_smote, "CHUNK_ROWS", chunk)
        ours_X, ours_y = ChunkedSMOTE(k_neighbors=k, random_state=seed).fit_resample(X, y)
    theirs_X, theirs_y = SMOTE(k_neighbors=k, random_state=seed).fit_resample(X, y)
    assert ours_X.dtype == theirs_X.dtype == dtype
    assert np.array_equal(ours_X, theirs_X) and np.array_equal(ours_y, theirs_y)


def test_a_sampling_strategy_and_sparse_input_match_too():
    X, y = _data(3, 5, (400, 50, 20), np.float64)
    strategy = {1: 120, 2: 60}
    a = ChunkedSMOTE(sampling_strategy=strategy, random_state=1).fit_resample(X, y)
    b = SMOTE(sampling_strategy=strategy, random_state=1).fit_resample(X, y)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    a = ChunkedSMOTE(random_state=1).fit_resample(sparse.csr_matrix(X), y)
    b = SMOTE(random_state=1).fit_resample(sparse.csr_matrix(X), y)
    assert (a[0] != b[0]).nnz == 0 and np.array_equal(a[1], b[1])


def test_inside_smote_tomek_it_gives_the_same_result():
    X, y = _data(5, 3, (300, 30), np.float64)
    a = SMOTETomek(smote=ChunkedSMOTE(random_state=0), random_state=0).fit_resample(X, y)
    b = SMOTETomek(smote=SMOTE(random_state=0), random_state=0).fit_resample(X, y)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


@pytest.mark.parametrize("sampler", [SMOTE, ChunkedSMOTE])
def test_memory_beyond_the_output_is_a_small_part_of_it(sampler):
    X, y = _data(0, 30, (60_000, 300), np.float32)
    sampler(random_state=0).fit_resample(*_data(1, 30, (450, 50), np.float32))  # first-call set-up aside
    tracemalloc.start()
    X_res, _ = sampler(random_state=0).fit_resample(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    extra = (peak - X_res.nbytes) / X_res.nbytes
    if sampler is ChunkedSMOTE:
        assert extra < 0.5  # the output, the labels and one block's temporaries
    else:
        assert extra > 1.0  # what it replaces: a copy of the input, float64 rows, then a stacked copy


def test_imbalanced_learn_still_builds_the_rows_through_our_hook():
    """Fails when an imbalanced-learn release stops calling ``_generate_samples`` from ``_make_samples``
    (the memory saving would be gone), or changes either private signature we rely on."""
    X, y = _data(2, 4, (500, 40), np.float64)
    sampler = ChunkedSMOTE(random_state=0)
    calls = []
    original = ChunkedSMOTE._generate_samples

    def spy(self, *args, **kwargs):
        calls.append(self._into is not None)
        return original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ChunkedSMOTE, "_generate_samples", spy)
        sampler.fit_resample(X, y)
    assert calls == [True]  # called once for the one small class, writing into the output


def test_rows_built_without_our_hook_are_still_smotes_rows():
    """Simulates a release whose ``_make_samples`` no longer calls the hook: the output must not hold
    uninitialised rows."""
    X, y = _data(4, 4, (500, 40), np.float64)

    with pytest.MonkeyPatch.context() as patch:
        sampler = ChunkedSMOTE(random_state=0)
        real = SMOTE._make_samples

        def bypass(self, X, y_dtype, y_type, nn_data, nn_num, n_samples, step_size=1.0, y=None):
            into, self._into = self._into, None  # the hook sees nothing to write into
            try:
                return real(self, X, y_dtype, y_type, nn_data, nn_num, n_samples, step_size, y)
            finally:
                self._into = into

        patch.setattr(ChunkedSMOTE, "_make_samples", bypass)
        ours = sampler.fit_resample(X, y)
    theirs = SMOTE(random_state=0).fit_resample(X, y)
    assert np.array_equal(ours[0], theirs[0]) and np.array_equal(ours[1], theirs[1])
