"""Classifiers and strategies: a resampling method + a classifier + a class weighting, as one pipeline.

Every strategy is an imbalanced-learn ``Pipeline`` (impute/scale/encode -> sampler -> model) fit
on the training split only, so cross-validation resamples each fold on its own and the test split
is never touched.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from imblearn.ensemble import BalancedRandomForestClassifier, EasyEnsembleClassifier, RUSBoostClassifier
from imblearn.pipeline import Pipeline
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import IsolationForest
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from core.errors import UserFacingError
from core.forest import CappedForestClassifier, GrowingForestClassifier
from core.preprocessing import preprocessor
from core.roles import FeaturePlan
from core.samplers import SamplerConfig, build_sampler, get_spec, resolve_spec

__all__ = [
    "MODELS",
    "WEIGHTINGS",
    "AnomalyClassifier",
    "ForestSettings",
    "ModelSpec",
    "Strategy",
    "StrategyError",
    "build_pipeline",
    "estimate_seconds",
    "fit_notes",
]


class StrategyError(UserFacingError):
    """A strategy cannot be built for this data; the message says why and what to do."""


@dataclass(frozen=True)
class ModelSpec:
    """A classifier the user can pick."""

    key: str
    name: str
    short: str
    summary: str
    weights: bool
    binary_only: bool = False


MODELS: tuple[ModelSpec, ...] = (
    ModelSpec("rf", "Random forest", "RF", "Many decision trees, each on a bootstrap sample; they vote.", weights=True),
    ModelSpec(
        "brf",
        "Balanced random forest",
        "BalancedRF",
        "A random forest whose every tree sees a balanced under-sample of the training rows (bagging).",
        weights=False,
    ),
    ModelSpec(
        "easy_ensemble",
        "Easy ensemble",
        "EasyEnsemble",
        "AdaBoost models, each trained on a different balanced under-sample; they vote (bagging of boosting).",
        weights=False,
    ),
    ModelSpec(
        "rusboost",
        "RUSBoost",
        "RUSBoost",
        "Boosting in which every round first under-samples the larger classes at random.",
        weights=False,
    ),
    ModelSpec(
        "isolation_forest",
        "Isolation forest (anomaly detection)",
        "IsolationForest",
        "Ignores the labels: learns what usual rows look like and flags unusual ones as the small class.",
        weights=False,
        binary_only=True,
    ),
)
_MODELS = {m.key: m for m in MODELS}

#: Class weightings for the random forest.
WEIGHTINGS: dict[str, str] = {
    "none": "none (every row counts the same)",
    "balanced": "balanced (rows of small classes count more)",
    "balanced_subsample": "balanced per tree (balanced within each bootstrap sample)",
    "custom": "custom weight per class",
}


@dataclass(frozen=True)
class ForestSettings:
    """Hyper-parameters shared by the forest models.

    ``max_rows_per_tree`` caps the rows each random-forest tree is grown on once the forest learns
    from more than ``cap_from_rows`` rows; the forest is then a
    :class:`~core.forest.CappedForestClassifier`, whose per-tree samples keep the small classes
    whole. On fewer rows, or with ``None``, it is scikit-learn's exact forest on every row. Where the
    cap starts is where it saves real time (``docs/benchmarks.md``, "Where the cap pays").
    """

    n_estimators: int = 100
    max_depth: int | None = None
    min_samples_leaf: int = 1
    max_features: str | float = "sqrt"
    max_rows_per_tree: int | None = 20_000
    cap_from_rows: int = 50_000

    def rows_per_tree(self, n_rows: int) -> int:
        """Rows each random-forest tree grows on when the forest learns from ``n_rows`` rows."""
        capped = self.max_rows_per_tree is not None and n_rows > max(self.cap_from_rows, self.max_rows_per_tree)
        return min(n_rows, self.max_rows_per_tree) if capped else n_rows


@dataclass(frozen=True)
class Strategy:
    """A resampling method + a classifier + a class weighting, with a short human name."""

    sampler: SamplerConfig = field(default_factory=lambda: SamplerConfig("none"))
    model: str = "rf"
    weighting: str = "none"
    custom_weights: tuple[tuple[str, float], ...] = ()
    forest: ForestSettings = field(default_factory=ForestSettings)
    random_state: int = 0

    @property
    def id(self) -> str:
        """A stable id ``sampler:model:weighting`` (custom weights and forest settings not included)."""
        return f"{self.sampler.key}:{self.model}:{self.weighting}"

    @classmethod
    def from_id(cls, ident: str, *, seed: int = 0, forest: ForestSettings | None = None) -> Strategy:
        """The strategy with default sampler parameters for an id from :attr:`id`."""
        sampler, model, weighting = ident.split(":")
        return cls(
            SamplerConfig(sampler, random_state=seed), model=model, weighting=weighting,
            forest=forest or ForestSettings(), random_state=seed,
        )  # fmt: skip

    @property
    def name(self) -> str:
        """For example "SMOTE + RF", "RF, balanced weights", "BalancedRF"."""
        model = _MODELS[self.model].short
        parts = [] if self.sampler.key == "none" else [get_spec(self.sampler.key).name]
        parts.append(model)
        text = " + ".join(parts)
        if self.model == "rf" and self.weighting != "none":
            text += {"balanced": ", balanced weights", "balanced_subsample": ", balanced per tree",
                     "custom": ", custom weights"}[self.weighting]  # fmt: skip
        return text


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


def _model(strategy: Strategy, *, names: Mapping[int, str], n_rows_after: int, n_classes: int) -> Any:
    spec = _MODELS[strategy.model]
    f = strategy.forest
    if spec.binary_only and n_classes != 2:
        raise StrategyError(
            f"{spec.name} separates one small class from the rest, so it needs a target with two classes; "
            f"this one has {n_classes}. Choose another model."
        )
    common = {"random_state": strategy.random_state}
    if strategy.model == "rf":
        weight: Any = None
        if strategy.weighting in {"balanced", "balanced_subsample"}:
            weight = strategy.weighting
        elif strategy.weighting == "custom":
            wanted = dict(strategy.custom_weights)
            weight = {code: float(wanted.get(label, 1.0)) for code, label in names.items()}
            if any(w <= 0 for w in weight.values()):
                raise StrategyError("Class weights must be greater than 0.")
        trees = {"n_estimators": f.n_estimators, "max_depth": f.max_depth, "min_samples_leaf": f.min_samples_leaf,
                 "max_features": f.max_features, "class_weight": weight, "n_jobs": -1, **common}  # fmt: skip
        if f.rows_per_tree(n_rows_after) < n_rows_after:
            return CappedForestClassifier(max_rows=f.max_rows_per_tree, **trees)
        return GrowingForestClassifier(**trees)
    if strategy.model == "brf":
        return BalancedRandomForestClassifier(
            n_estimators=f.n_estimators, max_depth=f.max_depth, min_samples_leaf=f.min_samples_leaf,
            max_features=f.max_features, sampling_strategy="all", replacement=True, bootstrap=False, n_jobs=-1,
            **common,
        )  # fmt: skip
    if strategy.model == "easy_ensemble":
        return EasyEnsembleClassifier(n_estimators=10, n_jobs=-1, **common)
    if strategy.model == "rusboost":
        return RUSBoostClassifier(estimator=DecisionTreeClassifier(max_depth=3), n_estimators=50, **common)
    return AnomalyClassifier(n_estimators=f.n_estimators, **common)


def fit_notes(model: Any) -> tuple[str, ...]:
    """What a fitted model did that the page should say: a forest that capped its rows per tree."""
    if not isinstance(model, CappedForestClassifier) or model.n_rows_ <= model.max_rows:
        return ()
    start = f"Each tree was grown on at most {model.max_rows:,} of the {model.n_rows_:,} training rows, which keeps training interactive"
    end = "Set 'rows per tree' to 0 (all) for scikit-learn's exact forest."
    if model.recounted_leaves_:
        how = (": every row of the small classes is kept, the large class is sampled and weighted back to its real "
               "share, and leaf probabilities are counted on all training rows.")  # fmt: skip
    else:
        how = ", drawn from every class in proportion to its size."
    return (f"{start}{how} {end}",)


def build_pipeline(
    strategy: Strategy,
    *,
    plan: FeaturePlan,
    counts: Mapping[int, int],
    names: Mapping[int, str],
    n_rows: int,
) -> tuple[Pipeline, tuple[str, ...]]:
    """The imbalanced-learn pipeline for ``strategy`` and the notes about adjustments made.

    ``counts`` are training rows per class code (as the sampler will see them: for
    cross-validation, the rows of one training fold).
    """
    if plan.kind == "none":
        raise StrategyError("There are no feature columns. Choose at least one on the Data page.")
    notes: list[str] = []
    spec = get_spec(strategy.sampler.key)
    if strategy.model == "isolation_forest" and spec.factory is not None:
        raise StrategyError(
            "The isolation forest learns without labels, so resampling cannot change it. Choose 'No resampling' "
            "for this strategy."
        )
    runs = spec
    if spec.factory is not None:
        runs, _ = resolve_spec(spec, data_kind=plan.kind)
    ordinal = runs.ordinal
    steps: list[tuple[str, Any]] = [("prepare", preprocessor(plan, ordinal=ordinal))]
    n_after = n_rows
    if spec.factory is not None:
        cat_idx = plan.categorical_positions if ordinal else None
        built = build_sampler(
            spec, strategy.sampler, data_kind=plan.kind, counts=counts, names=names,
            categorical_indices=cat_idx, n_rows=n_rows,
        )  # fmt: skip
        steps.append(("resample", built.sampler))
        notes += built.notes
        if spec.kind in {"over", "combined"}:
            n_after = int(max(counts.values()) * len(counts))
    model = _model(strategy, names=names, n_rows_after=n_after, n_classes=len(counts))
    steps.append(("model", model))
    return Pipeline(steps), tuple(notes)


def estimate_seconds(strategy: Strategy, *, counts: Mapping[object, int], n_features: int) -> float:
    """A rough training-time estimate on this machine's scale (2 cores), for the page to show.

    ``counts`` are the training rows per class. The constants are fitted to measured training times
    on numeric data; how close it comes, and where it does not, is in ``docs/benchmarks.md``.
    """
    f = strategy.forest
    sizes = [int(n) for n in counts.values()]
    n_rows, n_classes = sum(sizes), len(sizes)
    spec = get_spec(strategy.sampler.key)
    rows, balanced = n_rows, False
    if spec.kind in {"over", "combined"}:
        rows, balanced = max(sizes) * n_classes, True
    elif spec.kind == "under" and spec.sets_size:
        rows, balanced = min(sizes) * n_classes, True
    if strategy.model in {"brf", "easy_ensemble", "rusboost"}:
        return 0.5 + rows * 1e-5
    per_tree = f.rows_per_tree(rows)
    work = f.n_estimators * per_tree * math.log2(max(per_tree, 2)) * math.sqrt(max(n_features, 1))
    weighted = strategy.model == "rf" and strategy.weighting != "none"
    # How deep the trees grow, measured: on equal classes; on a capped sample that keeps every small-class
    # row (deeper: the small class is enriched); on a plain bootstrap of skewed data. Weights flatten both.
    if balanced:
        depth = 1.6 if per_tree < rows else 1.3
    elif per_tree < rows:
        depth = 1.2 if weighted else 2.2
    else:
        depth = 0.75 if weighted else 1.4
    return 0.3 + 5e-6 * n_rows + 3.1e-8 * work * depth
