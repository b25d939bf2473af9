"""2-D views of the training data before and after resampling, on the same axes.

PCA is fit on the original training rows and the same transform is applied to the resampled
rows. t-SNE cannot transform new points, so it embeds the shown original and synthetic rows
together once and both panels read that one embedding. "Two features" plots raw values. Large
data is thinned for display: every row of the smaller classes and every synthetic row is kept,
only the largest class is sampled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

from core.data.preprocessing import categorical_as_text, preprocessor
from core.data.roles import FeaturePlan
from core.resampling.resample import ResampleResult

__all__ = ["MAX_DISPLAY", "MAX_SYNTHETIC_DISPLAY", "TSNE_MAX", "Projection", "ViewMethod", "display_rows", "project"]

ViewMethod = Literal["pca", "tsne", "features"]
#: Original training rows drawn at most; above this the largest class is thinned (and the synthetic rows at
#: its rate), which keeps a redraw quick in a browser without a GPU (docs/benchmarks.md).
MAX_DISPLAY = 2_000
#: Synthetic rows drawn at most. They are thinned at the rate of the largest class, and never beyond this
#: (keeps the figure under ~2 MB).
MAX_SYNTHETIC_DISPLAY = 30_000
#: Points embedded by t-SNE at most (original and synthetic together).
TSNE_MAX = 2_000


@dataclass(frozen=True)
class Projection:
    """Coordinates for the two panels.

    ``before`` holds the shown training rows; ``after`` the shown rows of the resampled data
    (originals kept, duplicates, synthetic); ``removed`` the shown training rows the method
    dropped. Each frame has columns ``x``, ``y``, ``label``, ``provenance`` and ``row``.
    """

    before: pd.DataFrame
    after: pd.DataFrame
    removed: pd.DataFrame
    x_title: str
    y_title: str
    method: ViewMethod
    caption: str
    fitted_on: str


def display_rows(labels: pd.Series, *, budget: int, random_state: int) -> np.ndarray:
    """Positions of training rows to draw: all rows of every class but the largest, which is thinned.

    The largest class keeps at least 500 rows (or all it has). Returns sorted positions.
    """
    labels = labels.reset_index(drop=True)
    if len(labels) <= budget:
        return np.arange(len(labels))
    counts = labels.value_counts()
    largest = counts.index[0]
    others = np.flatnonzero((labels != largest).to_numpy())
    big = np.flatnonzero((labels == largest).to_numpy())
    keep_big = min(len(big), max(budget - len(others), 500))
    rng = np.random.default_rng(random_state)
    chosen = rng.choice(big, size=keep_big, replace=False)
    return np.sort(np.concatenate([others, chosen]))


def _view_encoder(plan: FeaturePlan) -> ColumnTransformer:
    """Impute, scale and one-hot encode for the 2-D views (the models' own preprocessing)."""
    return preprocessor(plan, ordinal=False)


def _as_text(frame: pd.DataFrame, plan: FeaturePlan) -> pd.DataFrame:
    return categorical_as_text(frame, list(plan.categorical))


def _training_input(result: ResampleResult, plan: FeaturePlan, rows: np.ndarray | None = None) -> pd.DataFrame:
    """The original training rows (or those at positions ``rows`` among them) as the encoder takes them."""
    split = result.split
    wanted = split.train_rows if rows is None else split.train_rows[rows]
    return split.model_input(wanted, categorical=list(plan.categorical))


def project(
    result: ResampleResult,
    *,
    plan: FeaturePlan,
    method: ViewMethod = "pca",
    features: tuple[str, str] | None = None,
    random_state: int = 0,
    budget: int = MAX_DISPLAY,
) -> Projection:
    """Compute the before/after coordinates for ``result``.

    Parameters
    ----------
    result : ResampleResult
        The resampling to show.
    plan : FeaturePlan
        Which columns are numeric and categorical.
    method : {"pca", "tsne", "features"}
        The 2-D view.
    features : (str, str), optional
        The two numeric columns for ``method="features"``.
    random_state : int
        Seed for thinning and t-SNE.
    budget : int
        Most original training rows to draw.
    """
    n_train = len(result.y_train)
    origin = result.origin
    source = np.where(origin >= 0, origin, 0)
    synthetic = origin < 0
    show_train = np.zeros(n_train, dtype=bool)
    show_train[display_rows(result.y_train, budget=budget, random_state=random_state)] = True
    show_synthetic = synthetic.copy()
    # Synthetic rows are thinned at the rate the largest class is, so the picture keeps the real proportions.
    largest = result.y_train.to_numpy() == result.y_train.value_counts().index[0]
    n_synthetic_shown = min(
        MAX_SYNTHETIC_DISPLAY, round(synthetic.sum() * show_train[largest].sum() / max(largest.sum(), 1))
    )
    if n_synthetic_shown < synthetic.sum():
        keep = np.random.default_rng(random_state).choice(
            np.flatnonzero(synthetic), size=n_synthetic_shown, replace=False
        )
        show_synthetic[:] = False
        show_synthetic[keep] = True
    fitted_on = (
        "The projection is fit on the original training rows and applied unchanged to the resampled rows, so both "
        "panels share their axes."
    )

    if method == "features":
        if not features or any(f not in plan.numeric for f in features):
            raise ValueError("choose two numeric features")
        fx, fy = features
        before_xy = result.split.take(result.split.train_rows, columns=[fx, fy]).to_numpy(dtype=float)
        after_xy = before_xy[source]  # kept and copied rows sit where their training row sits
        after_xy[synthetic] = np.nan
        syn_rows = np.flatnonzero(show_synthetic)  # only the synthetic rows shown are turned back into units
        if len(syn_rows):
            after_xy[syn_rows] = result.synthetic_frame(syn_rows, columns=[fx, fy]).to_numpy(dtype=float)
        x_title, y_title = fx, fy
        fitted_on = "Both panels plot the raw values of the two features on the same axes."
    elif method == "pca":
        encoder = _view_encoder(plan)
        Z_train = encoder.fit_transform(_training_input(result, plan))
        n_comp = min(2, Z_train.shape[1])
        pca = PCA(n_components=n_comp, random_state=random_state).fit(Z_train)
        before_xy = _pca_xy(pca, Z_train)
        del Z_train
        # Kept and copied rows sit where their training row sits; only the synthetic rows shown are projected.
        after_xy = before_xy[source]
        after_xy[synthetic] = np.nan
        syn_rows = np.flatnonzero(show_synthetic)
        if len(syn_rows):
            Z_syn = encoder.transform(_as_text(result.synthetic_frame(syn_rows), plan))
            after_xy[syn_rows] = _pca_xy(pca, Z_syn)
        ev = np.pad(pca.explained_variance_ratio_, (0, 2 - n_comp))
        x_title, y_title = f"PC1 ({ev[0]:.0%} of variance)", f"PC2 ({ev[1]:.0%} of variance)"
    else:
        _fit_tsne_budget(result, show_train, show_synthetic, random_state=random_state)
        encoder = _view_encoder(plan).fit(_training_input(result, plan))
        train_rows, syn_rows = np.flatnonzero(show_train), np.flatnonzero(show_synthetic)
        parts = [encoder.transform(_training_input(result, plan, train_rows))]
        if len(syn_rows):
            parts.append(encoder.transform(_as_text(result.synthetic_frame(syn_rows), plan)))
        Z = np.vstack(parts)
        perplexity = float(min(30, max(2, (len(Z) - 1) // 3)))
        emb = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=random_state).fit_transform(Z)
        before_xy = np.full((n_train, 2), np.nan)
        before_xy[train_rows] = emb[: len(train_rows)]
        after_xy = before_xy[source].copy()
        after_xy[synthetic] = np.nan
        after_xy[syn_rows] = emb[len(train_rows) :]
        x_title, y_title = "t-SNE 1", "t-SNE 2"
        fitted_on = (
            "t-SNE embeds the shown original and synthetic rows together, once (it cannot place new points "
            "afterwards), and both panels read that one embedding, so they share their axes."
        )

    show_after = np.where(synthetic, show_synthetic, show_train[source])
    removed_mask = np.zeros(n_train, dtype=bool)
    removed_mask[result.removed] = True
    before = _points(before_xy, show_train, result.y_train, np.full(n_train, "original"), np.arange(n_train))
    after = _points(after_xy, show_after, result.y_resampled, result.provenance, origin)
    removed = _points(
        before_xy, show_train & removed_mask, result.y_train, np.full(n_train, "removed"), np.arange(n_train)
    )
    caption = _caption(
        result,
        n_shown=len(before),
        thinned=bool(show_train.sum() < n_train),
        n_missing=int(show_train.sum()) - len(before),
        n_synthetic_shown=int((after["provenance"] == "synthetic").sum()),
    )
    return Projection(before, after, removed, x_title, y_title, method, caption, fitted_on)


def _points(
    xy: np.ndarray, mask: np.ndarray, labels: pd.Series, provenance: np.ndarray, rows: np.ndarray
) -> pd.DataFrame:
    """The shown points, as compact as the figure draws them: float32 coordinates, int32 rows and
    categorical labels and provenance (14 bytes a point rather than 40)."""
    return pd.DataFrame(
        {
            "x": xy[mask, 0].astype(np.float32),
            "y": xy[mask, 1].astype(np.float32),
            "label": pd.Categorical(labels.to_numpy()[mask]),
            "provenance": pd.Categorical(provenance)[mask],
            "row": np.asarray(rows)[mask].astype(np.int32),
        }
    ).dropna(subset=["x", "y"])


def _fit_tsne_budget(
    result: ResampleResult, show_train: np.ndarray, show_synthetic: np.ndarray, *, random_state: int
) -> None:
    """Thin the masks in place to at most TSNE_MAX points, keeping every row of the smaller classes."""
    total = int(show_train.sum() + show_synthetic.sum())
    if total <= TSNE_MAX:
        return
    rng = np.random.default_rng(random_state)
    labels = result.y_train.to_numpy()
    largest = result.y_train.value_counts().index[0]
    small = np.flatnonzero(show_train & (labels != largest))
    if len(small) > TSNE_MAX // 2:
        small = rng.choice(small, size=TSNE_MAX // 2, replace=False)
    big = np.flatnonzero(show_train & (labels == largest))
    syn = np.flatnonzero(show_synthetic)
    room = TSNE_MAX - len(small)
    n_big = min(len(big), int(room * len(big) / max(len(big) + len(syn), 1)))
    n_syn = min(len(syn), room - n_big)
    show_train[:] = False
    show_train[small] = True
    show_train[rng.choice(big, size=n_big, replace=False)] = True
    show_synthetic[:] = False
    show_synthetic[rng.choice(syn, size=n_syn, replace=False)] = True


def _pca_xy(pca: PCA, Z: np.ndarray) -> np.ndarray:
    """``pca.transform(Z)`` (padded to two columns, float64) without its centred copy of ``Z``.

    (Z - mean) @ C.T equals Z @ C.T - mean @ C.T; on large data the copy would be as big as ``Z``.
    """
    C = pca.components_.T.astype(Z.dtype, copy=False)
    return _pad((Z @ C - np.asarray(pca.mean_, dtype=Z.dtype) @ C).astype(np.float64))


def _pad(xy: np.ndarray) -> np.ndarray:
    return xy if xy.shape[1] == 2 else np.hstack([xy, np.zeros((len(xy), 2 - xy.shape[1]))])


def _caption(result: ResampleResult, *, n_shown: int, thinned: bool, n_missing: int, n_synthetic_shown: int) -> str:
    n_train = len(result.y_train)
    n_syn = int(result.is_synthetic.sum())
    text = f"Showing {n_shown:,} of {n_train:,} training rows"
    if n_syn:
        text += f" and {n_synthetic_shown:,} of {n_syn:,} synthetic rows"
    text += "."
    if thinned:
        largest = str(result.y_train.value_counts().index[0])
        text += (
            f" For speed, the largest class ({largest!r}) is thinned at random"
            + (", and the synthetic rows at the same rate, so the picture keeps the real proportions"
               if n_synthetic_shown < n_syn else "")
            + "; every row of the other classes is drawn."
        )  # fmt: skip
    elif n_synthetic_shown < n_syn:
        text += " For speed, the synthetic rows are thinned at random; every original row is drawn."
    if n_missing > 0:
        text += f" {n_missing:,} row(s) with a missing value in a plotted feature are left out."
    return text


def embed_training(
    X: pd.DataFrame, *, plan: FeaturePlan, features: tuple[str, str] | None = None, random_state: int = 0
) -> tuple[np.ndarray, str, str]:
    """2-D coordinates of rows ``X``: two raw numeric features, or PCA of all features (scaled, one-hot).

    Returns ``(xy, x_title, y_title)``; rows with a missing plotted value get NaN.
    """
    if features is not None:
        fx, fy = features
        return X[[fx, fy]].to_numpy(dtype=float), fx, fy
    Z = _view_encoder(plan).fit_transform(_as_text(X, plan))
    n_comp = min(2, Z.shape[1])
    pca = PCA(n_components=n_comp, random_state=random_state).fit(Z)
    ev = np.pad(pca.explained_variance_ratio_, (0, 2 - n_comp))
    return _pca_xy(pca, Z), f"PC1 ({ev[0]:.0%} of variance)", f"PC2 ({ev[1]:.0%} of variance)"
