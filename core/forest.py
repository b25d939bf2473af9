"""A random forest for large imbalanced data: every tree on a capped sample that keeps the small classes.

scikit-learn's ``max_samples`` draws each tree's rows uniformly. On 240,000 rows with 0.2 % minority
and 20,000 rows per tree, every tree then sees about 40 minority rows and the forest ranks poorly
(ROC-AUC 0.72 against 0.80 for the full forest, see ``docs/benchmarks.md``).

:class:`CappedForestClassifier` draws each tree's rows per class instead. Classes that fit in their
share of the budget are bootstrapped whole; larger classes are bootstrapped down to the rest of the
budget and their rows weighted up (class size / rows drawn) so that the tree chooses its splits on
the real class mix. When that keeps some class at a larger share than it has in the data, the
leaves' class probabilities are then counted on *all* training rows, so the forest's probabilities
keep the real class mix too: this is a way to train faster, not a way to
rebalance (class weights remain a separate choice). Where the data fit within the cap, each tree is
an ordinary bootstrap sample, as in scikit-learn's forest.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["CappedForestClassifier", "per_tree_sample"]

_MAX_SEED = np.iinfo(np.int32).max


def per_tree_sample(
    y: np.ndarray, *, max_rows: int, random_state: np.random.RandomState
) -> tuple[np.ndarray, np.ndarray]:
    """Row indices (drawn with replacement) and weights for one tree, at most ``max_rows`` rows.

    ``y`` holds class codes ``0..k-1``. Without a cap to apply this is a plain bootstrap of
    ``len(y)`` rows, all weighted 1. Otherwise the budget is shared out smallest class first: a class
    that fits in an equal share of what is left is drawn at its own size; the rest share the remainder
    and their rows weigh ``class size / rows drawn``, so each class weighs as much as it has rows.
    """
    return _draw(_ClassRows(y), max_rows=max_rows, random_state=random_state)


class _ClassRows:
    """The rows of each class, found once per fit rather than once per tree."""

    def __init__(self, y: np.ndarray):
        self.n = len(y)
        self.sizes = np.bincount(y)
        self.present = np.flatnonzero(self.sizes)
        order = np.argsort(y, kind="stable")
        starts = np.concatenate([[0], np.cumsum(self.sizes)])
        self.rows = [order[starts[c] : starts[c + 1]] for c in range(len(self.sizes))]


def _draw(classes: _ClassRows, *, max_rows: int, random_state: np.random.RandomState):
    n, sizes, present = classes.n, classes.sizes, classes.present
    if n <= max_rows:
        return random_state.randint(0, n, n), np.ones(n)
    budget, left = max_rows, len(present)
    draws = np.zeros(len(sizes), dtype=int)
    for c in present[np.argsort(sizes[present], kind="stable")]:
        draws[c] = max(1, min(int(sizes[c]), budget // left))
        budget -= draws[c]
        left -= 1
    idx, weight = [], []
    for c in present:
        rows = classes.rows[c]
        idx.append(rows[random_state.randint(0, len(rows), draws[c])])
        weight.append(np.full(draws[c], sizes[c] / draws[c]))
    return np.concatenate(idx), np.concatenate(weight)


def _grow(X, y, classes: _ClassRows, class_weight, settings: dict[str, Any], max_rows: int, seed: int):
    rng = np.random.RandomState(seed)
    idx, weight = _draw(classes, max_rows=max_rows, random_state=rng)
    row_weight = np.ones(len(y)) if class_weight is None else class_weight
    tree = DecisionTreeClassifier(random_state=seed, **settings)
    tree.fit(X[idx], y[idx], sample_weight=weight * row_weight[idx])
    if len(y) <= max_rows or weight.max() <= 1.05 * weight.min():
        # Every class drawn at the same share (up to rounding the budget into whole rows): the tree's
        # own leaves are unbiased.
        return tree, None
    # Some class was kept at a larger share than it has: count the leaf probabilities on every training
    # row (with the class weights) instead of on the sample.
    n_nodes, n_classes = tree.tree_.node_count, len(classes.sizes)
    table = np.bincount(tree.apply(X) * n_classes + y, weights=row_weight, minlength=n_nodes * n_classes)
    table = table.reshape(n_nodes, n_classes)
    table /= np.maximum(table.sum(axis=1, keepdims=True), 1e-300)
    return tree, table


class CappedForestClassifier(ClassifierMixin, BaseEstimator):
    """A random forest whose trees each grow on at most ``max_rows`` rows, keeping small classes whole.

    Parameters
    ----------
    n_estimators : int
        Number of trees.
    max_rows : int
        Rows each tree is grown on, at most (see :func:`per_tree_sample`).
    max_depth, min_samples_leaf, max_features, criterion
        As in scikit-learn's ``RandomForestClassifier``.
    class_weight : None, "balanced", "balanced_subsample" or dict
        As in scikit-learn's forest. Each tree's sample keeps every class at its real weight, so
        "balanced_subsample" gives the same weights as "balanced".
    n_jobs : int
        Trees grown in parallel threads (-1: all cores).
    warm_start : bool
        Keep the trees grown so far and add trees up to ``n_estimators``; growing in batches gives
        the same forest as growing it at once.
    random_state : int or None
        Seed of the per-tree seeds.

    Attributes
    ----------
    classes_ : ndarray
        Class labels.
    n_rows_ : int
        Training rows seen by the last ``fit``.
    trees_ : list of (DecisionTreeClassifier, ndarray or None)
        Each tree with its leaf probability table (``None``: the tree's own leaves, when its sample
        kept every class at its real share).
    """

    def __init__(
        self,
        n_estimators: int = 100,
        *,
        max_rows: int = 20_000,
        max_depth: int | None = None,
        min_samples_leaf: int = 1,
        max_features: str | float | None = "sqrt",
        criterion: str = "gini",
        class_weight: Any = None,
        n_jobs: int | None = None,
        warm_start: bool = False,
        random_state: int | None = None,
    ):
        self.n_estimators = n_estimators
        self.max_rows = max_rows
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.criterion = criterion
        self.class_weight = class_weight
        self.n_jobs = n_jobs
        self.warm_start = warm_start
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Grow the trees (only the missing ones with ``warm_start``)."""
        if sample_weight is not None:
            raise ValueError("CappedForestClassifier does not take sample weights; use class_weight")
        X, y = validate_data(self, X, y, dtype=np.float32, reset=not (self.warm_start and hasattr(self, "trees_")))
        if self.max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, got {self.max_rows}")
        classes, codes = np.unique(y, return_inverse=True)
        self.n_rows_ = len(codes)
        if self.warm_start and hasattr(self, "trees_"):
            if not np.array_equal(classes, self.classes_):
                raise ValueError("warm_start needs the same classes as the first fit")
        else:
            self.classes_, self.trees_ = classes, []
        class_weight = None
        if self.class_weight is not None:
            weighting = "balanced" if self.class_weight == "balanced_subsample" else self.class_weight
            if isinstance(weighting, dict):
                weighting = {int(np.flatnonzero(classes == k)[0]): v for k, v in weighting.items() if k in classes}
            class_weight = compute_sample_weight(weighting, codes)
        seeds = np.random.RandomState(self.random_state).randint(_MAX_SEED, size=self.n_estimators)
        settings = {
            "criterion": self.criterion,
            "max_depth": self.max_depth,
            "min_samples_leaf": self.min_samples_leaf,
            "max_features": self.max_features,
        }
        new = seeds[len(self.trees_) :]
        rows = _ClassRows(codes)
        self.trees_ = self.trees_[: self.n_estimators] + Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_grow)(X, codes, rows, class_weight, settings, self.max_rows, int(s)) for s in new
        )
        return self

    @property
    def estimators_(self) -> list[DecisionTreeClassifier]:
        """The fitted trees."""
        check_is_fitted(self, "trees_")
        return [tree for tree, _ in self.trees_]

    @property
    def feature_importances_(self) -> np.ndarray:
        """Mean decrease in impurity, averaged over the trees."""
        return np.mean([tree.feature_importances_ for tree in self.estimators_], axis=0)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, averaged over the trees (columns follow ``classes_``)."""
        check_is_fitted(self, "trees_")
        X = validate_data(self, X, dtype=np.float32, reset=False)
        out = np.zeros((X.shape[0], len(self.classes_)))
        for tree, table in self.trees_:
            if table is None:
                out[:, tree.classes_.astype(int)] += tree.predict_proba(X)
            else:
                out += table[tree.apply(X)]
        return out / len(self.trees_)

    def predict(self, X) -> np.ndarray:
        """The most probable class."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
