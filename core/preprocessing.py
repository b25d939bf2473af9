"""Preprocessing fit inside every pipeline: impute, scale and encode the feature columns.

Everything here is fit on training rows only (inside a pipeline, on each training fold) and works in
float32, as the forests do, which halves the memory of every later step on large data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.utils.validation import check_is_fitted, validate_data

from core.roles import FeaturePlan

__all__ = ["ColumnScaler", "FeatureColumns", "MedianImputer", "categorical_as_text", "model_input", "preprocessor"]

_FLOAT32_MAX = float(np.finfo(np.float32).max)


def categorical_as_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Categorical columns as text (missing values kept), so encoders see one type per column.

    Without categorical columns the frame itself is returned (nothing to change, nothing copied).
    """
    if not columns:
        return frame
    out = frame.copy()
    for c in columns:
        out[c] = _as_text(out[c])
    return out


def _as_text(column: pd.Series) -> pd.Series:
    return column.map(lambda v: v if pd.isna(v) else str(v)).astype(object)


def model_input(
    frame: pd.DataFrame, rows: np.ndarray, *, columns: Sequence[str], categorical: Sequence[str]
) -> pd.DataFrame:
    """The rows at positions ``rows`` of ``frame``'s ``columns``, as the pipelines take them (indexed from 0).

    Each column is taken on its own: ``categorical`` ones as text (missing values kept, as in
    :func:`categorical_as_text`), the others as float32, which is what the pipelines turn them into
    first. So no float64 copy of all the rows is made: on large data that copy was the largest
    thing a training held.
    """
    text = set(categorical)
    out: dict[str, object] = {}
    with np.errstate(over="ignore"):  # beyond float32's range: clipped by the pipeline, as before
        for c in columns:
            part = frame[c].iloc[rows]
            out[c] = (
                _as_text(part).to_numpy()
                if c in text
                else part.to_numpy(np.float64, na_value=np.nan).astype(np.float32)
            )
    return pd.DataFrame(out, columns=list(columns), copy=False)  # the new columns, not a stacked copy of them


def _float32_copy(X) -> np.ndarray:
    """A new C-ordered float32 array of ``X``, built column by column from a frame (no float64 copy first).

    Values beyond float32's range are clipped to it rather than becoming infinite.
    """
    if isinstance(X, pd.DataFrame):
        out = np.empty(X.shape, dtype=np.float32)
        with np.errstate(over="ignore"):
            for j in range(X.shape[1]):
                out[:, j] = X.iloc[:, j].to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        with np.errstate(over="ignore"):
            out = np.array(X, dtype=np.float32, copy=True, order="C")
    np.clip(out, -_FLOAT32_MAX, _FLOAT32_MAX, out=out)  # NaN stays NaN
    return out


class MedianImputer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Fill missing numeric values with each column's training median, into a new float32 array.

    Does what ``SimpleImputer(strategy="median")`` does with a fraction of its memory (medians are
    taken one column at a time; the output is the only copy). A column with no value at all in the
    training rows is filled with 0 and kept, so the columns never shift.
    """

    def fit(self, X, y=None):
        """Learn each column's median."""
        self._learn(self._float32(X, reset=True))
        return self

    def transform(self, X) -> np.ndarray:
        """A float32 copy of ``X`` with the missing values filled."""
        check_is_fitted(self, "statistics_")
        return self._fill(self._float32(X, reset=False))

    def fit_transform(self, X, y=None, **fit_params) -> np.ndarray:
        """Learn the medians and fill ``X`` with them, copying it once."""
        X = self._float32(X, reset=True)
        self._learn(X)
        return self._fill(X)

    def _float32(self, X, *, reset: bool) -> np.ndarray:
        return validate_data(
            self, _float32_copy(X), dtype=np.float32, ensure_all_finite="allow-nan", copy=False, reset=reset
        )

    def _learn(self, X: np.ndarray) -> None:
        medians = np.zeros(X.shape[1])
        for j in range(X.shape[1]):
            column = X[:, j]
            present = column[~np.isnan(column)]
            if len(present):
                medians[j] = float(np.median(present))
        self.statistics_ = medians

    def _fill(self, X: np.ndarray) -> np.ndarray:
        for j in range(X.shape[1]):  # one column's mask at a time
            column = X[:, j]
            missing = np.isnan(column)
            if missing.any():
                column[missing] = self.statistics_[j]
        return X


class ColumnScaler(StandardScaler):
    """``StandardScaler`` whose fit takes each column's mean and variance in turn, in float64.

    scikit-learn's fit on float32 data builds a float64 temporary the size of the whole array (twice
    the data); this one needs one column's worth. Transform and inverse are StandardScaler's own.
    """

    def fit(self, X, y=None, sample_weight=None):
        """Learn each column's mean and standard deviation (NaN values ignored)."""
        if sample_weight is not None:
            return super().fit(X, y, sample_weight=sample_weight)
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_all_finite="allow-nan", reset=True)
        n_features = X.shape[1]
        mean, var = np.zeros(n_features), np.zeros(n_features)
        seen = np.zeros(n_features, dtype=np.int64)
        for j in range(n_features):
            column = X[:, j]
            present = column[~np.isnan(column)]
            seen[j] = len(present)
            if len(present):
                mean[j] = np.mean(present, dtype=np.float64)
                var[j] = np.mean(np.square(present - mean[j], dtype=np.float64))
        self.n_samples_seen_ = int(seen[0]) if np.all(seen == seen[0]) else seen
        self.mean_ = mean if self.with_mean else None
        self.var_ = var if self.with_std else None
        if self.with_std:
            eps = np.finfo(np.float64).eps  # as scikit-learn: a variance within rounding of 0 means constant
            constant = var <= seen * eps * var + (seen * mean * eps) ** 2
            scale = np.sqrt(var)
            scale[constant] = 1.0
            self.scale_ = scale
        else:
            self.scale_ = None
        return self


class FeatureColumns(ColumnTransformer):
    """``ColumnTransformer`` that hands back a single part's output as it is, instead of a stacked copy."""

    def _hstack(self, Xs, *, n_samples):
        if len(Xs) == 1 and isinstance(Xs[0], np.ndarray) and not self.sparse_output_:
            return Xs[0]
        return super()._hstack(Xs, n_samples=n_samples)


def preprocessor(plan: FeaturePlan, *, ordinal: bool) -> ColumnTransformer:
    """Impute and standardise numeric columns; impute and encode categorical ones (ordinal or one-hot).

    The output is float32: the numeric columns are copied once by the imputer, then scaled in place,
    and when there is only one kind of column that copy is the output.
    """
    numeric = Pipeline([("impute", MedianImputer()), ("scale", ColumnScaler(copy=False))])
    encoder = (
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, dtype=np.float32)
        if ordinal
        else OneHotEncoder(handle_unknown="ignore", sparse_output=False, dtype=np.float32)
    )
    categorical = Pipeline([("impute", SimpleImputer(strategy="most_frequent")), ("encode", encoder)])
    parts = []
    if plan.numeric:
        parts.append(("num", numeric, list(plan.numeric)))
    if plan.categorical:
        parts.append(("cat", categorical, list(plan.categorical)))
    return FeatureColumns(parts, sparse_threshold=0.0, verbose_feature_names_out=False)
