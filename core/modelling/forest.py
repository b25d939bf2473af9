"""A random forest for large imbalanced data: every tree on a capped sample that keeps the small classes.

scikit-learn's ``max_samples`` draws each tree's rows uniformly, so on rare classes every tree sees
only a handful of small-class rows and the forest ranks poorly (``docs/benchmarks.md``).

:class:`CappedForestClassifier` draws each tree's rows per class instead. Classes that fit in their
share of the budget are bootstrapped whole; larger classes are bootstrapped down to the rest of the
budget and their rows weighted up (class size / rows drawn) so that the tree chooses its splits on
the real class mix. When that keeps some class at a larger share than it has in the data, the
leaves' class probabilities are then counted on *all* training rows, so the forest's probabilities
keep the real class mix too: this is a way to train faster, not a way to
rebalance (class weights remain a separate choice). Where the data fit within the cap, each tree is
an ordinary bootstrap sample, as in scikit-learn's forest.

:class:`GrowingForestClassifier` is scikit-learn's own forest, grown a batch of trees at a time (with
its public ``warm_start``) when its ``fit`` is handed an ``on_trees`` callback, so a page can show
progress and stop between batches.

Both forests take ``on_trees(grown, total)`` as a fit parameter, so they are fitted inside the
imbalanced-learn ``Pipeline`` like any other model: ``pipeline.fit(X, y, model__on_trees=report)``.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["TREE_BATCH", "CappedForestClassifier", "GrowingForestClassifier", "per_tree_sample"]

_MAX_SEED = np.iinfo(np.int32).max
#: Trees grown between two calls of ``on_trees``.
TREE_BATCH = 25
OnTrees = Callable[[int, int], None]


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


def _grow(
    X, y, classes: _ClassRows, class_weight, settings: dict[str, Any], max_rows: int, seed: int, stop: threading.Event
):
    if stop.is_set():  # the fit was stopped after this tree was handed to a thread: grow nothing
        return None
    rng = np.random.RandomState(seed)
    idx, weight = _draw(classes, max_rows=max_rows, random_state=rng)
    tree = DecisionTreeClassifier(random_state=seed, **settings)
    tree.fit(X[idx], y[idx], sample_weight=weight if class_weight is None else weight * class_weight[idx])
    if len(y) <= max_rows or weight.max() <= 1.05 * weight.min():
        # Every class drawn at the same share (up to rounding the budget into whole rows): the tree's
        # own leaves are unbiased.
        return tree, None
    # Some class was kept at a larger share than it has: count the leaf probabilities on every training
    # row (with the class weights) instead of on the sample.
    n_nodes, n_classes = tree.tree_.node_count, len(classes.sizes)
    table = np.bincount(tree.apply(X) * n_classes + y, weights=class_weight, minlength=n_nodes * n_classes)
    table = table.reshape(n_nodes, n_classes).astype(float)
    table /= np.maximum(table.sum(axis=1, keepdims=True), 1e-300)
    return tree, table


def _proba_sum(trees, X: np.ndarray, n_classes: int) -> np.ndarray:
    """The trees' class probabilities for ``X``, summed."""
    out = np.zeros((X.shape[0], n_classes))
    for tree, table in trees:
        if table is None:
            out[:, tree.classes_.astype(int)] += tree.predict_proba(X)
        else:
            out += table[tree.apply(X)]
    return out


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
    recounted_leaves_ : bool
        Whether some tree's leaf probabilities were counted on all training rows.
    feature_importances_ : ndarray
        Mean decrease in impurity, averaged over the trees.
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
        self.random_state = random_state

    def fit(self, X, y, *, on_trees: OnTrees | None = None):
        """Grow the trees in parallel threads; ``on_trees(grown, total)`` after every :data:`TREE_BATCH`.

        ``on_trees`` may raise to stop: the trees being grown finish, no more are started, and the
        exception propagates (the forest is then not fitted). There are no sample weights: each tree's
        sample sets its own (see :func:`per_tree_sample`); weigh classes with ``class_weight``.
        """
        X, y = validate_data(self, X, y, dtype=np.float32, reset=True)
        if self.max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, got {self.max_rows}")
        check_classification_targets(y)
        classes, codes = np.unique(y, return_inverse=True)
        class_weight = None
        if self.class_weight is not None:
            weighting = "balanced" if self.class_weight == "balanced_subsample" else self.class_weight
            if isinstance(weighting, dict):
                weighting = {int(np.flatnonzero(classes == k)[0]): v for k, v in weighting.items() if k in classes}
            class_weight = compute_sample_weight(weighting, codes)
        seeds = np.random.RandomState(self.random_state).randint(_MAX_SEED, size=self.n_estimators)
        settings = {"criterion": self.criterion, "max_depth": self.max_depth,
                    "min_samples_leaf": self.min_samples_leaf, "max_features": self.max_features}  # fmt: skip
        rows = _ClassRows(codes)
        stop = threading.Event()
        # One parallel pass over all the trees, handed out in order as they finish: the threads never wait
        # for a batch's slowest tree, and closing the generator cancels the trees not yet started.
        results = Parallel(n_jobs=self.n_jobs, prefer="threads", return_as="generator")(
            delayed(_grow)(X, codes, rows, class_weight, settings, self.max_rows, int(s), stop) for s in seeds
        )
        trees: list[tuple[DecisionTreeClassifier, np.ndarray | None]] = []
        try:
            for tree in results:
                trees.append(tree)
                if on_trees is not None and (len(trees) % TREE_BATCH == 0 or len(trees) == self.n_estimators):
                    on_trees(len(trees), self.n_estimators)
        finally:
            stop.set()  # trees already handed to a thread (joblib dispatches ahead) then return at once
            results.close()
        self.classes_, self.n_rows_, self.trees_ = classes, len(codes), trees
        self.recounted_leaves_ = any(table is not None for _, table in trees)
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
        return _proba_sum(self.trees_, X, len(self.classes_)) / len(self.trees_)

    def predict(self, X) -> np.ndarray:
        """The most probable class."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class GrowingForestClassifier(RandomForestClassifier):
    """scikit-learn's :class:`~sklearn.ensemble.RandomForestClassifier` whose ``fit`` can report progress.

    With ``on_trees``, the forest grows :data:`TREE_BATCH` trees at a time through scikit-learn's
    public ``warm_start`` (which gives the same trees as growing them at once: each new tree's seed
    comes from the same stream) and calls ``on_trees(grown, total)`` after each batch; it may raise
    to stop. Without it, this is ``RandomForestClassifier.fit`` itself. Parameters are scikit-learn's.
    """

    def fit(self, X, y, sample_weight=None, *, on_trees: OnTrees | None = None):
        """Fit the forest (see the class docstring); ``n_estimators`` and ``warm_start`` end as they began."""
        if on_trees is None or self.warm_start or self.n_estimators <= TREE_BATCH:
            return super().fit(X, y, sample_weight=sample_weight)
        total = self.n_estimators
        try:
            with warnings.catch_warnings():  # scikit-learn warns against balanced presets with warm start when
                # later fits see other data; every fit here sees the same rows
                warnings.filterwarnings("ignore", message="class_weight presets", category=UserWarning)
                for grown in range(TREE_BATCH, total + TREE_BATCH, TREE_BATCH):
                    self.set_params(n_estimators=min(grown, total), warm_start=True)
                    super().fit(X, y, sample_weight=sample_weight)
                    on_trees(len(self.estimators_), total)
        finally:
            self.set_params(n_estimators=total, warm_start=False)
        return self
