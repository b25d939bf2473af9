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

:class:`StreamedForestClassifier` is scikit-learn's own forest, for data within the cap, with the
same way of scoring rows as the trees grow and letting each batch of trees go.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from core.memory import release_freed_memory

__all__ = ["CappedForestClassifier", "StreamedForestClassifier", "per_tree_sample"]

_MAX_SEED = np.iinfo(np.int32).max
_NOT_KEPT = "The trees were not kept (fit_predict_proba); call fit to predict new rows."


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


def _grow_and_score(X_eval: np.ndarray, total: np.ndarray, lock: threading.Lock, *grow_args) -> tuple[np.ndarray, bool]:
    """Grow a tree, add its class probabilities for ``X_eval`` to ``total`` and let it go.

    Returns what the forest keeps of it: its feature importances and whether its leaves were recounted.
    """
    tree, table = _grow(*grow_args)
    part = _proba_sum([(tree, table)], X_eval, total.shape[1])
    with lock:
        total += part
    return tree.feature_importances_, table is not None


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
    n_trees_ : int
        Trees grown.
    trees_ : list of (DecisionTreeClassifier, ndarray or None)
        Each tree with its leaf probability table (``None``: the tree's own leaves, when its sample
        kept every class at its real share). Empty after :meth:`fit_predict_proba`.
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
        keep = self.warm_start and hasattr(self, "trees_") and len(self.trees_) == self.n_trees_
        X, codes = self._start(X, y, warm=keep)
        grown = self.trees_[: self.n_estimators] if keep else []
        self._reset()
        for batch in [grown, *self._batches(X, codes, start=len(grown), size=self.n_estimators, job=_grow)]:
            self._add([(tree.feature_importances_, table is not None) for tree, table in batch])
            self.trees_ += batch
        return self

    def fit_predict_proba(
        self, X, y, X_eval, *, batch: int = 25, on_trees: Callable[[int, int], None] | None = None
    ) -> np.ndarray:
        """Grow the forest and return its class probabilities for ``X_eval``, without keeping the trees.

        Each tree adds its probabilities for ``X_eval`` to a running sum as soon as it has grown and
        is then let go, so memory holds the trees being grown rather than the whole forest (12 MB of
        trees for SMOTE + RF on 100,000 rows). The result equals ``fit(X, y).predict_proba(X_eval)``
        up to the order of the sum. Afterwards the model knows ``classes_``, ``n_rows_``,
        ``feature_importances_`` and ``recounted_leaves_`` but has no trees to predict with.
        ``on_trees(grown, total)`` is called after every ``batch`` trees.
        """
        X, codes = self._start(X, y, warm=False)
        X_eval = validate_data(self, X_eval, dtype=np.float32, reset=False)
        self._reset()
        total = np.zeros((X_eval.shape[0], len(self.classes_)))
        job = functools.partial(_grow_and_score, X_eval, total, threading.Lock())
        with contextlib.closing(self._batches(X, codes, start=0, size=batch, job=job)) as batches:
            for summaries in batches:
                self._add(summaries)
                release_freed_memory()  # the trees' memory, freed in the worker threads' heaps
                if on_trees is not None:  # may raise to stop training: no more trees are started
                    on_trees(self.n_trees_, self.n_estimators)
        return total / max(self.n_trees_, 1)

    def _start(self, X, y, *, warm: bool):
        X, y = validate_data(self, X, y, dtype=np.float32, reset=not warm)
        if self.max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, got {self.max_rows}")
        classes, codes = np.unique(y, return_inverse=True)
        if warm and not np.array_equal(classes, self.classes_):
            raise ValueError("warm_start needs the same classes as the first fit")
        self.classes_, self.n_rows_ = classes, len(codes)
        return X, codes

    def _reset(self) -> None:
        self.trees_: list[tuple[DecisionTreeClassifier, np.ndarray | None]] = []
        self.n_trees_ = 0
        self.recounted_leaves_ = False
        self._importance_sum = np.zeros(self.n_features_in_)

    def _add(self, summaries: list[tuple[np.ndarray, bool]]) -> None:
        """Count trees into the forest's summary from their (feature importances, leaves recounted)."""
        self.n_trees_ += len(summaries)
        for importances, recounted in summaries:
            self._importance_sum += importances
            self.recounted_leaves_ |= recounted

    def _batches(self, X, codes, *, start: int, size: int, job: Callable):
        """Trees ``start`` to ``n_estimators``, ``size`` at a time: the list of what ``job`` (:func:`_grow` or
        a function that calls it) returns for each, run in parallel threads. Stopping early (the caller
        raises between batches) lets the trees being grown finish and starts no more."""
        class_weight = None
        if self.class_weight is not None:
            weighting = "balanced" if self.class_weight == "balanced_subsample" else self.class_weight
            if isinstance(weighting, dict):
                weighting = {
                    int(np.flatnonzero(self.classes_ == k)[0]): v for k, v in weighting.items() if k in self.classes_
                }
            class_weight = compute_sample_weight(weighting, codes)
        seeds = np.random.RandomState(self.random_state).randint(_MAX_SEED, size=self.n_estimators)
        settings = {
            "criterion": self.criterion,
            "max_depth": self.max_depth,
            "min_samples_leaf": self.min_samples_leaf,
            "max_features": self.max_features,
        }
        rows = _ClassRows(codes)
        # One pass over all the trees, handed out in order as they finish: the threads never wait for a
        # batch's slowest tree (batches of separate parallel calls made training 5-10 % slower).
        results = Parallel(n_jobs=self.n_jobs, prefer="threads", return_as="generator")(
            delayed(job)(X, codes, rows, class_weight, settings, self.max_rows, int(s)) for s in seeds[start:]
        )
        batch: list = []
        try:
            for result in results:
                batch.append(result)
                if len(batch) == max(size, 1):
                    yield batch
                    batch = []
            if batch:
                yield batch
        finally:
            # When the caller stopped early: cancel the trees not yet started (joblib warns that it did;
            # a filter cannot hide that, as scikit-learn's workers reset the process's warning filters).
            results.close()

    @property
    def estimators_(self) -> list[DecisionTreeClassifier]:
        """The fitted trees."""
        return [tree for tree, _ in self._trees()]

    @property
    def feature_importances_(self) -> np.ndarray:
        """Mean decrease in impurity, averaged over the trees."""
        check_is_fitted(self, "n_trees_")
        return self._importance_sum / max(self.n_trees_, 1)

    def _trees(self):
        check_is_fitted(self, "trees_")
        if len(self.trees_) != self.n_trees_:
            raise NotFittedError(_NOT_KEPT)
        return self.trees_

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, averaged over the trees (columns follow ``classes_``)."""
        trees = self._trees()
        X = validate_data(self, X, dtype=np.float32, reset=False)
        return _proba_sum(trees, X, len(self.classes_)) / len(trees)

    def predict(self, X) -> np.ndarray:
        """The most probable class."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class StreamedForestClassifier(RandomForestClassifier):
    """scikit-learn's :class:`~sklearn.ensemble.RandomForestClassifier`, which can also score rows while
    it grows and keep none of its trees (:meth:`fit_predict_proba`).

    The parameters, ``fit`` and ``predict_proba`` are scikit-learn's own.
    """

    def fit(self, X, y, sample_weight=None):
        """scikit-learn's ``fit``; the trees are kept."""
        self.__dict__.pop("streamed_importances_", None)
        return super().fit(X, y, sample_weight=sample_weight)

    def fit_predict_proba(
        self, X, y, X_eval, *, batch: int = 25, on_trees: Callable[[int, int], None] | None = None
    ) -> np.ndarray:
        """Grow the forest ``batch`` trees at a time (with warm start, which gives the same trees as
        growing it at once) and return its class probabilities for ``X_eval``.

        Each batch adds its probabilities to a running sum and is then let go, so memory holds one
        batch of trees rather than the forest (2 MB of trees for SMOTE + RF on 10,000 rows). The
        result equals ``fit(X, y).predict_proba(X_eval)`` up to the order of the sum. Afterwards the
        model knows ``classes_`` and ``feature_importances_`` but has no trees to predict with.
        ``on_trees(grown, total)`` is called after every batch.
        """
        total_trees, warm_start = self.n_estimators, self.warm_start
        self.__dict__.pop("estimators_", None)
        self.__dict__.pop("streamed_importances_", None)
        importances, useful, total, grown = np.zeros(0), 0, np.zeros(0), 0
        try:
            with warnings.catch_warnings():  # scikit-learn advises against balanced presets with warm
                # start when later fits see other data; every fit here sees the same rows
                warnings.filterwarnings("ignore", message="class_weight presets", category=UserWarning)
                while grown < total_trees:
                    self.set_params(n_estimators=min(total_trees, grown + max(batch, 1)), warm_start=True)
                    super().fit(X, y)
                    if not grown:
                        X_eval = self._validate_X_predict(X_eval)
                        total = np.zeros((X_eval.shape[0], self.n_classes_))
                        importances = np.zeros(self.n_features_in_)
                    for tree in self.estimators_[grown:]:
                        total += tree.predict_proba(X_eval, check_input=False)
                        if tree.tree_.node_count > 1:  # as scikit-learn's feature_importances_
                            importances += tree.feature_importances_
                            useful += 1
                    # the batch is let go; warm start only counts the trees grown so far
                    self.estimators_[grown:] = [None] * (len(self.estimators_) - grown)
                    grown = len(self.estimators_)
                    release_freed_memory()  # the trees' memory, freed in the worker threads' heaps
                    if on_trees is not None:
                        on_trees(grown, total_trees)
        finally:
            self.set_params(n_estimators=total_trees, warm_start=warm_start)
        self.streamed_importances_ = importances / importances.sum() if useful else importances
        return total / max(grown, 1)

    @property
    def feature_importances_(self) -> np.ndarray:
        """scikit-learn's impurity-based importances (also after :meth:`fit_predict_proba`)."""
        if "streamed_importances_" in self.__dict__:
            return self.streamed_importances_
        return super().feature_importances_

    def predict_proba(self, X) -> np.ndarray:
        """scikit-learn's ``predict_proba``; not after :meth:`fit_predict_proba`, which keeps no trees."""
        if "streamed_importances_" in self.__dict__:
            raise NotFittedError(_NOT_KEPT)
        return super().predict_proba(X)
