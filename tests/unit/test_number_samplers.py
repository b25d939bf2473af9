"""SMOTER, SMOGN, the under-sampler and DenseWeight held to their published definitions on hand-checked cases."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import gaussian_kde

from core.resampling.number_samplers import (
    SMOGN,
    SMOTER,
    RareUnderSampler,
    _silverman,
    dense_weights,
    rare_mask,
)


def _two_rare(n_common: int = 8):
    """Two rare rows, (0, 0) → 10 and (2, 0) → 20, and common rows far away with targets below 5."""
    X = np.vstack([[[0.0, 0.0], [2.0, 0.0]], np.column_stack([np.arange(n_common) + 50.0, np.ones(n_common)])])
    y = np.concatenate([[10.0, 20.0], np.linspace(0, 4, n_common)])
    return X, y


def test_smoter_puts_each_new_row_on_the_segment_and_weights_the_targets_by_inverse_distance():
    X, y = _two_rare()
    s = SMOTER(side="above", cut=10.0, k_neighbors=1, random_state=3)
    X_res, y_res = s.fit_resample(X, y)
    new_X, new_y = X_res[len(s.sample_indices_) :], y_res[len(s.sample_indices_) :]
    assert s.n_synthetic_ == len(new_y) == 3  # balance: 10 rows, half rare: 2 rare + 3 new; common cut to 5
    assert len(y_res) == len(y) and rare_mask(y_res, side="above", cut=10.0).sum() == 5
    assert np.all(new_X[:, 1] == 0) and np.all((new_X[:, 0] >= 0) & (new_X[:, 0] <= 2))
    # d1 = distance to (0,0) = x, d2 = distance to (2,0) = 2 - x: (d2·10 + d1·20)/(d1 + d2) = 10 + 5x
    np.testing.assert_allclose(new_y, 10 + 5 * new_X[:, 0])


def test_smoter_gives_a_nominal_feature_one_parents_value_and_keeps_every_rare_row():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=200), rng.integers(0, 4, 200).astype(float)])
    y = np.where(rng.random(200) < 0.1, 100 + rng.random(200), rng.random(200))
    s = SMOTER(side="above", cut=50.0, categorical=(1,), random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert set(np.flatnonzero(y >= 50)) <= set(s.sample_indices_)  # every rare row kept
    new = X_res[len(s.sample_indices_) :]
    assert set(np.unique(new[:, 1])) <= set(np.unique(X[y >= 50, 1]))  # codes copied, never blended
    assert np.all(new[:, 1] == np.round(new[:, 1]))
    assert np.all(y_res[len(s.sample_indices_) :] >= 100)  # between two rare targets


def test_smogn_interpolates_only_towards_neighbours_within_half_the_median_distance():
    # Rare rows on a line at 0, 1 and 10 (targets 100, 110, 200), k = 2. For the row at 0 the median distance
    # is 5.5, so the neighbour at 1 is close (SMOTER) and the one at 10 is far (noise around the seed).
    X = np.vstack([[[0.0], [1.0], [10.0]], np.full((7, 1), 500.0)])
    y = np.concatenate([[100.0, 110.0, 200.0], np.arange(7.0)])
    s = SMOGN(side="above", cut=50.0, k_neighbors=2, pert=0.02, random_state=1)
    X_res, y_res = s.fit_resample(X, y)
    new_X, new_y = X_res[len(s.sample_indices_) :, 0], y_res[len(s.sample_indices_) :]
    noise_x = 0.02 * X[:3, 0].std() * 6
    noise_y = 0.02 * y[:3].std() * 6
    for x, t in zip(new_X, new_y, strict=True):
        between = 0 <= x <= 1 and np.isclose(t, 100 + 10 * x)  # SMOTER between 0 and 1
        near_seed = any(abs(x - a) <= noise_x and abs(t - b) <= noise_y for a, b in zip(X[:3, 0], y[:3], strict=True))
        assert between or near_seed
    assert 0 < s.n_interpolated_ < s.n_synthetic_ or s.n_synthetic_ == 2


def test_smogn_with_one_neighbour_only_adds_noise():
    X, y = _two_rare()
    s = SMOGN(side="above", cut=10.0, k_neighbors=1, random_state=0)
    X_res, _ = s.fit_resample(X, y)
    assert s.n_interpolated_ == 0  # the only neighbour is never closer than half its own distance
    new = X_res[len(s.sample_indices_) :]
    assert np.all(np.min(np.abs(new[:, [0]] - np.array([[0.0, 2.0]])), axis=1) < 0.1)


def test_the_under_sampler_keeps_every_rare_row_and_as_many_original_common_rows():
    X, y = _two_rare(n_common=30)
    s = RareUnderSampler(side="above", cut=10.0, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert len(y_res) == 4 and s.n_synthetic_ == 0
    assert set(s.sample_indices_) >= {0, 1}
    np.testing.assert_array_equal(X_res, X[s.sample_indices_])


def test_a_sampler_says_so_when_no_row_or_too_few_rows_are_rare():
    X, y = _two_rare()
    with pytest.raises(ValueError, match="no training row lies above"):
        SMOTER(side="above", cut=1e6).fit_resample(X, y)
    with pytest.raises(ValueError, match="fewer than 2"):
        SMOTER(side="above", cut=15.0).fit_resample(X, y)
    s = SMOTER(side="above", cut=10.0, k_neighbors=5)
    s.fit_resample(X, y)
    assert "1 nearest rare" in s.notes_[0]  # k shrunk visibly, not silently


def test_dense_weights_follow_the_definition_with_the_exact_kernel_density():
    rng = np.random.default_rng(4)
    y = rng.lognormal(6, 0.8, 400)
    bw = _silverman(y)
    p = gaussian_kde(y, bw_method=bw / y.std(ddof=1))(y)
    scaled = (p - p.min()) / (p.max() - p.min())
    for alpha in (0.5, 1.0):
        expected = np.maximum(1 - alpha * scaled, 1e-6)
        expected /= expected.mean()
        np.testing.assert_allclose(dense_weights(y, alpha=alpha), expected, rtol=2e-3, atol=1e-4)
    np.testing.assert_allclose(dense_weights(y, alpha=0.0), 1.0)
    np.testing.assert_allclose(dense_weights(np.full(20, 3.0)), 1.0)
    w = dense_weights(y)
    assert w[np.argmax(y)] > w[np.argmin(np.abs(y - np.median(y)))]  # the rare large value weighs more


def test_bad_parameters_are_refused_before_any_work_by_the_declared_constraints():
    """scikit-learn's constraint objects (a private module, as imbalanced-learn uses it): this fails if they change."""
    import numpy as np
    import pytest
    from sklearn.linear_model import Ridge

    from core.resampling.number_samplers import SMOGN, SMOTER, DenseWeightRegressor, RareUnderSampler

    X, y = np.random.default_rng(0).normal(size=(50, 2)), np.arange(50.0)
    for bad, name in ((SMOTER(cut=40, k_neighbors=0), "k_neighbors"), (SMOGN(cut=40, pert=-1.0), "pert"),
                      (RareUnderSampler(side="middle", cut=40), "side"),
                      (RareUnderSampler(cut=40, random_state=-3), "random_state")):  # fmt: skip
        with pytest.raises(ValueError, match=f"'{name}' parameter of {type(bad).__name__} must be"):
            bad.fit_resample(X, y)
    with pytest.raises(ValueError, match="'alpha' parameter of DenseWeightRegressor must be"):
        DenseWeightRegressor(Ridge(), alpha=-1).fit(X, y)
