"""Decision regions for teaching: one model, four ways of handling the imbalance, on the same plane.

A decision region can only be drawn for a model that sees two coordinates, so each model here is
trained on the plane itself: two chosen numeric features (standardised), or the first two principal
components of all features (numbers standardised, categories one-hot encoded; fitted on the
training rows). The four fits differ only in how they handle the imbalance: none, balanced class
weights, SMOTE, random under-sampling (both inside an imbalanced-learn pipeline, so only training
rows are resampled). Each model's probability for the smallest class is evaluated on a regular
grid; the test rows are drawn on top with their real labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.data.distribution import class_codes
from core.data.roles import FeaturePlan
from core.data.split import Split
from core.teaching.diagnosis import stratified_sample

__all__ = ["HANDLING", "MODELS", "Boundaries", "boundaries"]

#: The ways of handling the imbalance, in the order drawn.
HANDLING = ("no handling", "class weights", "SMOTE", "under-sampling")
#: The models a teacher can pick.
MODELS = {
    "logistic": "Logistic regression",
    "forest": "Random forest (50 trees)",
    "knn": "k nearest neighbours (k = 15)",
}
#: Training rows the plane's models see at most (every row of the small classes up to half of it): enough for
#: two coordinates, and what keeps a change of model interactive at 300k rows (docs/benchmarks.md).
MAX_TRAIN = 10_000
#: Grid points per axis of the four heatmaps and their 0.5 contours, drawn smoothed: the finest grid that
#: keeps a change of model interactive in the browser (docs/benchmarks.md, the diagnosis).
GRID = 120
#: Test rows drawn at most (every row of the small classes, then a sample of the largest).
MAX_TEST_SHOWN = 3_000


@dataclass(frozen=True)
class Boundaries:
    """Everything the side-by-side picture needs.

    ``xs``, ``ys``: the grid axes; ``proba[h]``: the smallest class's probability on the grid
    (``len(ys) × len(xs)``) for handling ``h`` of :data:`HANDLING`; ``test``: shown test rows (x, y,
    label); ``train_rows``: training rows the models saw; ``x_title``, ``y_title``: the plane's axes.
    """

    xs: np.ndarray
    ys: np.ndarray
    proba: dict[str, np.ndarray]
    test: pd.DataFrame
    train_rows: int
    test_rows: int
    x_title: str
    y_title: str
    positive: str
    model: str


def _classifier(model: str, *, weighted: bool, random_state: int):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier

    weight = "balanced" if weighted else None
    if model == "logistic":
        return LogisticRegression(class_weight=weight, max_iter=1000)
    if model == "forest":
        return RandomForestClassifier(
            n_estimators=50, min_samples_leaf=5, class_weight=weight, n_jobs=-1, random_state=random_state
        )
    if model == "knn":
        if weighted:
            return None  # k-NN takes no class weights
        return KNeighborsClassifier(n_neighbors=15)
    raise ValueError(f"unknown model {model!r}; choose from {sorted(MODELS)}")


def _plane(split: Split, plan: FeaturePlan, features: tuple[str, str] | None, train: np.ndarray):
    """Training and test rows on the plane, the transform fitted on the training rows only."""
    from sklearn.decomposition import PCA
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from core.data.preprocessing import preprocessor

    if features is None:
        encode = make_pipeline(preprocessor(plan, ordinal=False), PCA(n_components=2, random_state=0))
        cats = list(plan.categorical)
        Z_train = encode.fit_transform(split.model_input(split.train_rows[train], categorical=cats))
        Z_test = encode.transform(split.model_input(split.test_rows, categorical=cats))
        ev = encode[-1].explained_variance_ratio_
        return Z_train, Z_test, f"PC1 ({ev[0]:.0%} of variance)", f"PC2 ({ev[1]:.0%} of variance)"
    cols = list(features)
    scale = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    Z_train = scale.fit_transform(split.take(split.train_rows[train], columns=cols).astype("float64"))
    Z_test = scale.transform(split.take(split.test_rows, columns=cols).astype("float64"))
    return Z_train, Z_test, f"{features[0]} (standardised)", f"{features[1]} (standardised)"


def boundaries(
    split: Split,
    plan: FeaturePlan,
    *,
    model: str = "logistic",
    features: tuple[str, str] | None = None,
    grid: int = GRID,
    random_state: int = 0,
) -> Boundaries:
    """Fit ``model`` on the plane four ways (see :data:`HANDLING`) and evaluate each on a ``grid × grid`` grid.

    ``features`` names two numeric columns; ``None`` uses the PCA plane of all features. Binary and
    multi-class targets both work; the picture shows the smallest class's probability. Handling that
    a model cannot take (class weights for k-NN) is left out of ``proba``, not replaced.
    """
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import make_pipeline
    from imblearn.under_sampling import RandomUnderSampler

    classes = list(split.counts("train"))
    code_of, _ = class_codes(classes)
    codes = split.y_train.map(code_of).to_numpy(dtype=np.int64)
    train = stratified_sample(codes, size=MAX_TRAIN, min_per_class=MAX_TRAIN // 2, random_state=random_state)
    Z_train, Z_test, x_title, y_title = _plane(split, plan, features, train)
    y = codes[train]
    lo, hi = np.nanmin(np.vstack([Z_train, Z_test]), axis=0), np.nanmax(np.vstack([Z_train, Z_test]), axis=0)
    pad = (hi - lo) * 0.05 + 1e-9
    xs, ys = np.linspace(lo[0] - pad[0], hi[0] + pad[0], grid), np.linspace(lo[1] - pad[1], hi[1] + pad[1], grid)
    points = np.column_stack([np.repeat(xs[None, :], grid, axis=0).ravel(), np.repeat(ys, grid)])
    positive = len(classes) - 1
    smallest = int(np.bincount(y, minlength=len(classes))[positive])
    k = max(1, min(5, smallest - 1))
    fits = {
        "no handling": _classifier(model, weighted=False, random_state=random_state),
        "class weights": _classifier(model, weighted=True, random_state=random_state),
        "SMOTE": make_pipeline(SMOTE(k_neighbors=k, random_state=random_state),
                               _classifier(model, weighted=False, random_state=random_state)) if smallest > 1 else None,
        "under-sampling": make_pipeline(RandomUnderSampler(random_state=random_state),
                                        _classifier(model, weighted=False, random_state=random_state)),
    }  # fmt: skip
    proba = {}
    for name, estimator in fits.items():
        if estimator is None:
            continue
        estimator.fit(Z_train, y)
        proba[name] = estimator.predict_proba(points)[:, positive].reshape(grid, grid)
    test_codes = split.y_test.map(code_of).to_numpy(dtype=np.int64)
    shown = stratified_sample(test_codes, size=MAX_TEST_SHOWN, min_per_class=MAX_TEST_SHOWN, random_state=random_state)
    test = pd.DataFrame(
        {"x": Z_test[shown, 0], "y": Z_test[shown, 1], "label": split.y_test.iloc[shown].astype(str).to_numpy()}
    )
    return Boundaries(
        xs=xs, ys=ys, proba=proba, test=test, train_rows=len(train), test_rows=len(test_codes),
        x_title=x_title, y_title=y_title, positive=str(classes[positive]), model=model,
    )  # fmt: skip
