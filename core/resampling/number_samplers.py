"""Resampling and weighting for a skewed numeric target: SMOTER, SMOGN, random under-sampling, DenseWeight.

imbalanced-learn has no sampler for a numeric target, and the small packages that do (``smogn``,
``resreg``, ``ImbalancedLearningRegression``, ``denseweight``) are unmaintained since 2020–2024, so
this is a small implementation held by tests to the published definitions:

- **SMOTER** (Torgo, Ribeiro, Pfahringer & Branco 2013): a synthetic row lies at a random point on the
  line from a rare row to one of its ``k`` nearest rare neighbours; its target is the two targets
  weighted by the inverse of the new row's distance to each; a nominal feature takes one parent's value.
- **SMOGN** (Branco, Torgo & Ribeiro 2017): as SMOTER when the neighbour is closer than half the median
  distance from the rare row to its ``k`` neighbours; otherwise Gaussian noise around the rare row
  (``pert`` × each feature's and the target's standard deviation in the rare range), nominal features
  kept.
- Both use the papers' "balance" setting: the common range is randomly under-sampled and the rare range
  over-sampled until each holds half of the rows, so the training set keeps its size.
- **Random under-sampling** keeps every rare row and as many common rows, drawn at random.
- **DenseWeight** (Steininger, Kobs, Davidson, Krause & Hotho 2021): a row's weight is
  ``max(1 − α · p′(y), ε)`` normalised to mean 1, where ``p′`` is the target's Gaussian kernel density
  (Silverman's bandwidth) scaled to [0, 1] over the training rows.

The rare range is given, not guessed: rows with a target at or ``above`` (or ``below``) ``cut``. The
samplers follow imbalanced-learn's ``fit_resample`` contract, so they sit inside its ``Pipeline`` and
run on training rows only; they see the features after imputation and scaling, nominal features as
codes at ``categorical`` positions. Distances are Euclidean over the numeric features plus 1 for each
nominal feature that differs.

Each class declares its parameters' constraints (``_parameter_constraints``, scikit-learn's convention, checked
by ``_validate_params`` as imbalanced-learn's samplers check theirs), so a bad ``side`` or ``k_neighbors`` is
refused before any work; the common estimator checks run over all four (``tests/unit/test_estimator_checks.py``).
Outputs keep the input's kind: a DataFrame in gives a DataFrame out, a float32 array a float32 array.

This module imports only numpy, scipy and scikit-learn: the script the app writes carries its source.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy.signal import fftconvolve
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import get_tags

# The constraint objects imbalanced-learn's samplers validate with (a private scikit-learn module: the checks in
# tests/unit/test_number_samplers.py fail if it changes).
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, column_or_1d

__all__ = ["SMOGN", "SMOTER", "DenseWeightRegressor", "RareUnderSampler", "dense_weights", "rare_mask"]


def rare_mask(y, *, side: str, cut: float) -> np.ndarray:
    """True where ``y`` lies in the rare range: at or above ``cut`` (``side="above"``) or at or below it."""
    y = np.asarray(y, dtype=np.float64)
    if side not in ("above", "below"):
        raise ValueError(f"side must be 'above' or 'below', not {side!r}")
    return y >= cut if side == "above" else y <= cut


class _RangeSampler(BaseEstimator):
    """Shared parts: the rare range, the seed, and what :meth:`fit_resample` leaves behind.

    After ``fit_resample``: ``sample_indices_`` (positions of the kept original rows, in output order,
    before the synthetic ones), ``n_synthetic_`` and ``notes_`` (adjustments made, in words).
    """

    _parameter_constraints: ClassVar[dict] = {
        "side": [StrOptions({"above", "below"})],
        "cut": [Real],
        "categorical": ["array-like"],
        "random_state": [Interval(Integral, 0, None, closed="left"), None],
    }

    def __init__(self, *, side: str = "above", cut: float = 0.0, categorical=(), random_state: int = 0):
        self.side = side
        self.cut = cut
        self.categorical = categorical
        self.random_state = random_state

    def _inputs(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """Checked parameters, and ``X`` and ``y`` as float64 arrays (the input's kind is restored at the end)."""
        self._validate_params()
        self._frame = (X.columns, getattr(y, "name", None), isinstance(y, pd.DataFrame)) if isinstance(
            X, pd.DataFrame) else None  # fmt: skip
        self._dtype = np.asarray(X).dtype if np.asarray(X).dtype.kind == "f" else np.dtype(np.float64)
        return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64).ravel()

    def _rare(self, y: np.ndarray) -> np.ndarray:
        rare = rare_mask(y, side=self.side, cut=self.cut)
        if rare.sum() == 0 or rare.sum() == len(y):
            where = "no" if rare.sum() == 0 else "every"
            raise ValueError(
                f"{where} training row lies {self.side} {self.cut:g}, so there is no rare range to resample"
            )
        return rare

    def _common_rows(self, rng, common: np.ndarray, keep: int) -> np.ndarray:
        rows = np.flatnonzero(common)
        return rows if keep >= len(rows) else np.sort(rng.choice(rows, size=keep, replace=False))

    def _finish(self, X, y, kept, X_new=None, y_new=None):
        self.sample_indices_ = kept
        self.n_synthetic_ = 0 if y_new is None else len(y_new)
        if y_new is None or len(y_new) == 0:
            X_out, y_out = X[kept], y[kept]
        else:
            X_out, y_out = np.vstack([X[kept], X_new]), np.concatenate([y[kept], y_new])
        X_out = X_out.astype(self._dtype, copy=False)
        if self._frame is not None:  # a DataFrame in, a DataFrame out (as imbalanced-learn's samplers do)
            columns, name, framed = self._frame
            y_frame = pd.DataFrame({name if name is not None else 0: y_out}) if framed else pd.Series(y_out, name=name)
            return pd.DataFrame(X_out, columns=columns), y_frame
        return X_out, y_out


class RareUnderSampler(_RangeSampler):
    """Random under-sampling of the common range: every rare row, and as many common rows drawn at random."""

    def fit_resample(self, X, y):
        X, y = self._inputs(X, y)
        rng = np.random.default_rng(self.random_state)
        rare = self._rare(y)
        self.notes_ = ()
        kept = np.sort(np.concatenate([np.flatnonzero(rare), self._common_rows(rng, ~rare, int(rare.sum()))]))
        return self._finish(X, y, kept)


class SMOTER(_RangeSampler):
    """SMOTE for regression (Torgo et al. 2013), with the "balance" setting: see the module's docstring."""

    _parameter_constraints: ClassVar[dict] = {
        **_RangeSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, side: str = "above", cut: float = 0.0, k_neighbors: int = 5, categorical=(),
                 random_state: int = 0):  # fmt: skip
        super().__init__(side=side, cut=cut, categorical=categorical, random_state=random_state)
        self.k_neighbors = k_neighbors

    def _space(self, X: np.ndarray) -> np.ndarray:
        """The rows where Euclidean distance is the module's distance: numeric features as they are, each
        nominal feature one-hot with 1/√2 per column, so a differing category adds exactly 1."""
        nominal = list(self.categorical)
        numeric = np.delete(X, nominal, axis=1)
        parts = [numeric] + [(X[:, [j]] == np.unique(X[:, j])[None, :]) / np.sqrt(2.0) for j in nominal]
        return np.hstack(parts)

    def _neighbours(self, X_rare: np.ndarray):
        k = min(self.k_neighbors, len(X_rare) - 1)
        if k < 1:
            raise ValueError("the rare range holds fewer than 2 training rows, too few to interpolate between")
        notes = ()
        if k < self.k_neighbors:
            notes = (f"The rare range holds {len(X_rare)} training rows, so each uses its {k} nearest rare "
                     f"neighbours instead of {self.k_neighbors}.",)  # fmt: skip
        space = self._space(X_rare)
        dist, idx = NearestNeighbors(n_neighbors=k + 1).fit(space).kneighbors(space)
        return space, dist[:, 1:], idx[:, 1:], notes

    def _interpolate(self, rng, X_rare, y_rare, space, seeds, partners):
        """SMOTER's new rows between ``seeds`` and ``partners`` (positions among the rare rows)."""
        u = rng.random(len(seeds))[:, None]
        X_new = X_rare[seeds] + u * (X_rare[partners] - X_rare[seeds])
        for j in self.categorical:
            pick = rng.random(len(seeds)) < 0.5
            X_new[:, j] = np.where(pick, X_rare[seeds, j], X_rare[partners, j])
        # The target: the parents' targets weighted by the inverse of the new row's distance to each.
        new_space = self._space(np.vstack([X_new, X_rare]))[: len(seeds)]
        d1 = np.linalg.norm(new_space - space[seeds], axis=1)
        d2 = np.linalg.norm(new_space - space[partners], axis=1)
        total = d1 + d2
        with np.errstate(invalid="ignore", divide="ignore"):
            y_new = np.where(total > 0, (d2 * y_rare[seeds] + d1 * y_rare[partners]) / total,
                             (y_rare[seeds] + y_rare[partners]) / 2)  # fmt: skip
        return X_new, y_new

    def _seeds(self, rng, n_rare: int, n_new: int) -> np.ndarray:
        """Each rare row seeds ``n_new // n_rare`` new rows, and a random ``n_new % n_rare`` of them one more."""
        return np.concatenate([np.repeat(np.arange(n_rare), n_new // n_rare),
                               np.sort(rng.choice(n_rare, size=n_new % n_rare, replace=False))])  # fmt: skip

    def _plan(self, X, y):
        X, y = self._inputs(X, y)
        rng = np.random.default_rng(self.random_state)
        rare = self._rare(y)
        half = len(y) // 2
        rare_rows = np.flatnonzero(rare)
        n_new = max(half - len(rare_rows), 0)
        kept = np.sort(np.concatenate([rare_rows, self._common_rows(rng, ~rare, len(y) - len(rare_rows) - n_new)]))
        return X, y, rng, rare_rows, kept, n_new

    def fit_resample(self, X, y):
        X, y, rng, rare_rows, kept, n_new = self._plan(X, y)
        X_rare, y_rare = X[rare_rows], y[rare_rows]
        space, _, idx, self.notes_ = self._neighbours(X_rare)
        seeds = self._seeds(rng, len(rare_rows), n_new)
        partners = idx[seeds, rng.integers(idx.shape[1], size=len(seeds))]
        X_new, y_new = self._interpolate(rng, X_rare, y_rare, space, seeds, partners)
        return self._finish(X, y, kept, X_new, y_new)


class SMOGN(SMOTER):
    """SMOTER with Gaussian noise (Branco et al. 2017), with the "balance" setting: see the module's docstring.

    ``pert`` scales the noise: the standard deviation of each numeric feature, and of the target, over
    the rare range (0.02 is the ``smogn`` package's default).
    """

    _parameter_constraints: ClassVar[dict] = {
        **SMOTER._parameter_constraints,
        "pert": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, side: str = "above", cut: float = 0.0, k_neighbors: int = 5, pert: float = 0.02,
                 categorical=(), random_state: int = 0):  # fmt: skip
        super().__init__(side=side, cut=cut, k_neighbors=k_neighbors, categorical=categorical,
                         random_state=random_state)  # fmt: skip
        self.pert = pert

    def fit_resample(self, X, y):
        X, y, rng, rare_rows, kept, n_new = self._plan(X, y)
        X_rare, y_rare = X[rare_rows], y[rare_rows]
        space, dist, idx, self.notes_ = self._neighbours(X_rare)
        seeds = self._seeds(rng, len(rare_rows), n_new)
        pick = rng.integers(idx.shape[1], size=len(seeds))
        partners = idx[seeds, pick]
        # The safe distance: half the median distance from the seed to its k neighbours.
        safe = np.median(dist, axis=1)[seeds] / 2
        close = dist[seeds, pick] < safe
        X_new = np.empty((len(seeds), X.shape[1]))
        y_new = np.empty(len(seeds))
        if close.any():
            X_new[close], y_new[close] = self._interpolate(rng, X_rare, y_rare, space, seeds[close], partners[close])
        far = ~close
        if far.any():
            sd = X_rare.std(axis=0)
            sd[list(self.categorical)] = 0.0  # nominal features keep the seed's value
            X_new[far] = X_rare[seeds[far]] + rng.normal(size=(int(far.sum()), X.shape[1])) * (self.pert * sd)
            y_new[far] = y_rare[seeds[far]] + rng.normal(size=int(far.sum())) * (self.pert * y_rare.std())
        self.n_interpolated_ = int(close.sum())
        return self._finish(X, y, kept, X_new, y_new)


def _silverman(y: np.ndarray) -> float:
    """Silverman's rule of thumb, 0.9 · min(sd, IQR / 1.349) · n^(−1/5) (as KDEpy, which denseweight uses)."""
    sd = y.std(ddof=1)
    iqr = np.subtract(*np.quantile(y, [0.75, 0.25]))
    spread = min(sd, iqr / 1.349) if iqr > 0 else sd
    return 0.9 * spread * len(y) ** -0.2


def _density(y: np.ndarray, bandwidth: float) -> np.ndarray:
    """The Gaussian kernel density of ``y`` at each ``y``, on a fine grid (linear binning, FFT convolution),
    with at least 4 grid points per bandwidth; at most 2**20 points."""
    low, high = y.min() - 5 * bandwidth, y.max() + 5 * bandwidth
    n_grid = int(min(max(4096, np.ceil((high - low) / bandwidth * 4)), 2**20))
    step = (high - low) / (n_grid - 1)
    pos = (y - low) / step
    left = np.floor(pos).astype(np.int64)
    frac = pos - left
    counts = np.bincount(left, 1 - frac, minlength=n_grid) + np.bincount(left + 1, frac, minlength=n_grid + 1)[:n_grid]
    half = int(np.ceil(5 * bandwidth / step))
    offsets = np.arange(-half, half + 1) * step
    kernel = np.exp(-0.5 * (offsets / bandwidth) ** 2) / (bandwidth * np.sqrt(2 * np.pi))
    grid_density = np.maximum(fftconvolve(counts, kernel, mode="same"), 0) / len(y)
    return np.interp(y, low + step * np.arange(n_grid), grid_density)


def dense_weights(y, *, alpha: float = 1.0, epsilon: float = 1e-6) -> np.ndarray:
    """DenseWeight's sample weights for targets ``y`` (see the module's docstring); mean 1.

    ``alpha`` = 0 gives every row weight 1; at ``alpha`` = 1 the densest value gets ``epsilon`` before
    normalising. A constant target gets weight 1 everywhere.
    """
    y = np.asarray(y, dtype=np.float64)
    if alpha < 0:
        raise ValueError("alpha must be at least 0")
    bandwidth = _silverman(y) if len(y) > 1 else 0.0
    if not bandwidth > 0:
        return np.ones(len(y))
    p = _density(y, bandwidth)
    spread = p.max() - p.min()
    scaled = (p - p.min()) / spread if spread > 0 else np.zeros(len(y))
    w = np.maximum(1 - alpha * scaled, epsilon)
    return w / w.mean()


class DenseWeightRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """``estimator`` fitted with DenseWeight's sample weights of the training targets (to the last step of a
    pipeline); predictions are the estimator's."""

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict"])],
        "alpha": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, estimator, *, alpha: float = 1.0):
        self.estimator = estimator
        self.alpha = alpha

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = get_tags(self.estimator).input_tags.sparse  # what the wrapped estimator takes
        return tags

    def fit(self, X, y):
        self._validate_params()
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        y = column_or_1d(y, warn=True)
        weights = dense_weights(y, alpha=self.alpha)
        est = clone(self.estimator)
        name = est.steps[-1][0] if hasattr(est, "steps") else None
        est.fit(X, y, **({f"{name}__sample_weight": weights} if name else {"sample_weight": weights}))
        self.estimator_ = est
        for seen in ("n_features_in_", "feature_names_in_"):  # what the wrapped estimator saw, as a meta-estimator says
            if hasattr(est, seen):
                setattr(self, seen, getattr(est, seen))
        return self

    def predict(self, X):
        check_is_fitted(self)
        return self.estimator_.predict(X)
