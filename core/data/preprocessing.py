"""Preprocessing fit inside every pipeline: impute, scale and encode the feature columns.

Everything here is fit on training rows only (inside a pipeline, on each training fold). Numbers
stay float64 from the frame to the model: a float32 cast before scaling collapses large-valued
columns (Unix-time seconds spread over 1,000 s keep 9 distinct values in float32).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from core.data.roles import FeaturePlan

__all__ = ["categorical_as_text", "model_input", "preprocessor"]


def categorical_as_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
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

    ``categorical`` columns come as text (missing values kept, as in :func:`categorical_as_text`);
    every other column as float64, missing values (``None``, ``pd.NA``) as NaN.
    """
    text = set(categorical)
    out = {
        c: _as_text(frame[c].iloc[rows]).to_numpy()
        if c in text
        else frame[c].iloc[rows].to_numpy(np.float64, na_value=np.nan)
        for c in columns
    }
    return pd.DataFrame(out, columns=list(columns), copy=False)


def preprocessor(plan: FeaturePlan, *, ordinal: bool, max_categories: int | None = None) -> ColumnTransformer:
    """Impute (median) and standardise numeric columns; impute and encode categorical ones.

    Categorical columns are encoded as ordinal codes when ``ordinal`` (for SMOTENC and SMOTEN, which
    need one column per category feature), as one-hot columns otherwise. A numeric column with no
    value in the training rows is kept and filled with 0, so the columns never shift. With
    ``max_categories``, ordinal codes keep that many categories per column and group the rarest
    ones into one (histogram gradient boosting takes at most 255 per column). The output is
    a dense float64 array: numeric columns first, then the categorical ones.
    """
    numeric = Pipeline(
        [("impute", SimpleImputer(strategy="median", keep_empty_features=True)), ("scale", StandardScaler())]
    )
    encoder = (
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, max_categories=max_categories)
        if ordinal
        else OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    )
    categorical = Pipeline([("impute", SimpleImputer(strategy="most_frequent")), ("encode", encoder)])
    parts = []
    if plan.numeric:
        parts.append(("num", numeric, list(plan.numeric)))
    if plan.categorical:
        parts.append(("cat", categorical, list(plan.categorical)))
    return ColumnTransformer(parts, sparse_threshold=0.0, verbose_feature_names_out=False)
