"""Two small scikit-learn estimators the strategies need and the libraries lack.

- :class:`AnomalyClassifier`: an IsolationForest with a classifier's interface, the small class as anomalies.
- :class:`ClassWeighted`: class weights for models that only take ``sample_weight``.

Both pass scikit-learn's common estimator checks (``tests/unit/test_estimator_checks.py``, with the
documented exceptions), and the generated script carries their source.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.ensemble import IsolationForest
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["AnomalyClassifier", "ClassWeighted"]


class AnomalyClassifier(ClassifierMixin, BaseEstimator):
    """Treat the smallest class as anomalies: an IsolationForest with a classifier's interface.

    ``fit`` ignores which rows are which class except to set the expected share of anomalies;
    ``predict_proba`` maps the isolation score to [0, 1] so that 0.5 sits at the forest's own cut-off.
    """

    def __init__(self, n_estimators: int = 100, max_samples: Any = "auto", random_state: int | None = None):
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.random_state = random_state

    def fit(self, X, y):
        """Fit the isolation forest on ``X``; ``y`` (two classes) only says which class is the anomaly."""
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        kind = type_of_target(y, input_name="y")
        if kind != "binary":
            raise ValueError(f"Only binary classification is supported. The type of the target is {kind}.")
        self.classes_, counts = np.unique(y, return_counts=True)
        if len(self.classes_) < 2:
            raise ValueError("AnomalyClassifier needs two classes; y has only one class.")
        self.anomaly_ = self.classes_[int(np.argmin(counts))]
        share = min(max(counts.min() / len(y), 1e-4), 0.5)
        self.forest_ = IsolationForest(
            n_estimators=self.n_estimators, max_samples=self.max_samples, contamination=share,
            random_state=self.random_state, n_jobs=-1,
        ).fit(X)  # fmt: skip
        spread = float(np.std(self.forest_.decision_function(X))) or 1.0
        self.scale_ = 1.0 / spread
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Probability of each class (columns follow ``classes_``); the anomaly's is 0.5 at the forest's cut-off."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        d = self.forest_.decision_function(X)  # negative = more anomalous than the cut-off
        p_anomaly = 1.0 / (1.0 + np.exp(np.clip(d * self.scale_ * 4.0, -50, 50)))
        out = np.zeros((len(d), 2))
        col = int(np.flatnonzero(self.classes_ == self.anomaly_)[0])
        out[:, col] = p_anomaly
        out[:, 1 - col] = 1.0 - p_anomaly
        return out

    def predict(self, X) -> np.ndarray:
        """The more probable class."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # one class against the rest
        return tags


class ClassWeighted(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit ``estimator`` with each row weighted by its class: ``class_weight`` for models that only take ``sample_weight``.

    The weights are computed in ``fit`` from the rows it is given (after any resampling in the
    pipeline), as scikit-learn's ``compute_sample_weight(class_weight, y)``; ``None`` fits unweighted.
    """

    def __init__(self, estimator: Any, *, class_weight: Any = None):
        self.estimator = estimator
        self.class_weight = class_weight

    def fit(self, X, y):
        """Fit a clone of ``estimator`` on ``X, y`` with ``sample_weight`` from ``class_weight``."""
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        y = np.asarray(y)  # the rows' classes; the estimator validates X itself
        check_classification_targets(y)
        weight = None if self.class_weight is None else compute_sample_weight(self.class_weight, y)
        self.estimator_ = clone(self.estimator).fit(X, y, sample_weight=weight)
        self.classes_ = self.estimator_.classes_
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        return self

    def predict_proba(self, X) -> np.ndarray:
        """The fitted estimator's class probabilities (columns follow ``classes_``)."""
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    def predict(self, X) -> np.ndarray:
        """The fitted estimator's predictions."""
        check_is_fitted(self)
        return self.estimator_.predict(X)

    @property
    def feature_importances_(self) -> np.ndarray:
        """The fitted estimator's feature importances."""
        check_is_fitted(self)
        return self.estimator_.feature_importances_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.input_tags = inner.input_tags
        tags.classifier_tags = inner.classifier_tags
        return tags
