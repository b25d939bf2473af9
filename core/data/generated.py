"""Generate a synthetic classification dataset with a chosen imbalance, for teaching."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

from core.data.dataset import Dataset, Source

__all__ = ["class_sizes", "generate"]


def class_sizes(n_rows: int, *, ratio: float, n_classes: int = 2) -> list[int]:
    """Rows per class, largest first, so that largest / smallest is ``ratio`` and the sizes fall geometrically.

    Every class gets at least 2 rows; the sizes add up to ``n_rows``.
    """
    if n_classes < 2 or ratio < 1 or n_rows < 2 * n_classes:
        raise ValueError("need ratio >= 1, at least two classes and two rows per class")
    weights = ratio ** (-np.arange(n_classes) / (n_classes - 1))
    sizes = np.maximum(np.round(weights / weights.sum() * n_rows).astype(int), 2)
    sizes[0] += n_rows - sizes.sum()
    return sizes.tolist()


def generate(
    *,
    n_rows: int = 5_000,
    n_features: int = 8,
    ratio: float = 20.0,
    n_classes: int = 2,
    class_sep: float = 1.0,
    label_noise: float = 0.0,
    random_state: int = 0,
) -> Dataset:
    """A dataset of ``n_rows`` with ``n_features`` numeric features and class sizes from :func:`class_sizes`.

    ``label_noise`` is the share of rows whose label is replaced by a random class (so counts may
    drift by about that share). The same arguments always give the same data.
    """
    sizes = class_sizes(n_rows, ratio=ratio, n_classes=n_classes)
    informative = max(2, min(n_features, int(np.ceil(np.log2(2 * n_classes))) + 1, n_features))
    X, y = make_classification(
        n_samples=n_rows, n_features=n_features, n_informative=informative, n_redundant=0,
        n_classes=n_classes, n_clusters_per_class=1, weights=[s / n_rows for s in sizes], flip_y=0,
        class_sep=class_sep, random_state=random_state,
    )  # fmt: skip
    rng = np.random.default_rng(random_state)
    # make_classification rounds class sizes; set them exactly by relabelling rows of the largest class.
    y = _exact_sizes(X, y, sizes, rng)
    if label_noise > 0:
        flip = rng.random(n_rows) < label_noise
        y[flip] = rng.integers(0, n_classes, int(flip.sum()))
    names = ["majority"] + (["minority"] if n_classes == 2 else [f"class {i}" for i in range(1, n_classes)])
    frame = pd.DataFrame(X.round(4), columns=[f"x{i}" for i in range(1, n_features + 1)])
    frame["label"] = np.asarray(names, dtype=object)[y]
    title = f"Generated ({n_rows:,} rows, ratio {ratio:g} : 1, {n_classes} classes, seed {random_state})"
    source = Source(f"generated_{n_rows}_rows_seed_{random_state}.csv", "generated")
    return Dataset.from_frame(frame, name=title, origin="sample", details="made by the lesson's generator",
                              default_target="label", source=source)  # fmt: skip


def _exact_sizes(X: np.ndarray, y: np.ndarray, sizes: list[int], rng: np.random.Generator) -> np.ndarray:
    y = y.copy()
    for c, want in enumerate(sizes):
        have = np.flatnonzero(y == c)
        if len(have) > want:
            y[rng.choice(have, size=len(have) - want, replace=False)] = 0 if c else -1
    spare = np.flatnonzero(y == -1)
    for c, want in enumerate(sizes[1:], start=1):
        need = want - int((y == c).sum())
        if need > 0:
            pool = np.flatnonzero(y == 0)
            y[rng.choice(pool, size=need, replace=False)] = c
    y[spare] = 0
    return y
