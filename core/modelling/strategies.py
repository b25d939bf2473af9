"""Classifiers and strategies: a resampling method + a classifier + a class weighting, as one pipeline.

Every strategy is an imbalanced-learn ``Pipeline`` (impute/scale/encode -> sampler -> model) fit
on the training split only, so cross-validation resamples each fold on its own and the test split
is never touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from imblearn.ensemble import BalancedRandomForestClassifier, EasyEnsembleClassifier, RUSBoostClassifier
from imblearn.pipeline import Pipeline
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import AdaBoostClassifier, HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from core.data.preprocessing import preprocessor
from core.data.roles import FeaturePlan
from core.errors import UserFacingError
from core.modelling.estimators import AnomalyClassifier, ClassWeighted
from core.modelling.forest import CappedForestClassifier, GrowingForestClassifier
from core.resampling.catalogue import SamplerConfig, build_sampler, get_spec, resolve_spec

__all__ = [
    "AUTO_FOLDS",
    "CALIBRATIONS",
    "LARGE",
    "MODELS",
    "THRESHOLDS",
    "WEIGHTINGS",
    "Calibration",
    "ForestSettings",
    "ModelSpec",
    "Strategy",
    "StrategyError",
    "Threshold",
    "TuningSettings",
    "Weighting",
    "build_estimator",
    "build_pipeline",
    "fit_notes",
    "folds_for",
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
    weightings: tuple[str, ...] = ()
    binary_only: bool = False


class Weighting(StrEnum):
    """How rows are weighted in training (each model lists the ones it takes, ``ModelSpec.weightings``)."""

    NONE = "none"
    BALANCED = "balanced"
    BALANCED_SUBSAMPLE = "balanced_subsample"
    CUSTOM = "custom"


class Threshold(StrEnum):
    """How a strategy turns probabilities into decisions (two classes): the fixed 0.5, or a threshold tuned by
    cross-validation on the training split for one objective (:mod:`core.modelling.thresholds`)."""

    FIXED = "fixed"
    F1 = "f1"
    BALANCED_ACCURACY = "balanced_accuracy"
    COST = "cost"
    RECALL_AT_PRECISION = "recall_at_precision"


class Calibration(StrEnum):
    """Probability repair fitted on rows that were not resampled (scikit-learn's ``CalibratedClassifierCV``)."""

    NONE = "none"
    SIGMOID = "sigmoid"
    ISOTONIC = "isotonic"


#: Class weightings in words.
WEIGHTINGS: dict[str, str] = {
    Weighting.NONE: "none (every row counts the same)",
    Weighting.BALANCED: "balanced (rows of small classes count more)",
    Weighting.BALANCED_SUBSAMPLE: "balanced per tree (balanced within each bootstrap sample)",
    Weighting.CUSTOM: "custom weight per class",
}
_WEIGHTED = ("none", "balanced", "custom")

MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "logreg", "Logistic regression", "LogReg",
        "A weighted sum of the scaled features turned into a probability: fast, and a strong first baseline.",
        weightings=_WEIGHTED,
    ),
    ModelSpec("rf", "Random forest", "RF", "Many decision trees, each on a bootstrap sample; they vote.",
              weightings=tuple(WEIGHTINGS)),
    ModelSpec(
        "hgb", "Gradient boosting (histogram)", "HGB",
        "Shallow trees added one after another, each correcting the last; fast on large tables and uses "
        "categories as they are.",
        weightings=_WEIGHTED,
    ),
    ModelSpec(
        "adaboost", "AdaBoost", "AdaBoost",
        "Small trees in rounds, each round giving more weight to the rows the last ones got wrong.",
        weightings=_WEIGHTED,
    ),
    ModelSpec(
        "brf",
        "Balanced random forest",
        "BalancedRF",
        "A random forest whose every tree sees a balanced under-sample of the training rows (bagging).",
    ),
    ModelSpec(
        "easy_ensemble",
        "Easy ensemble",
        "EasyEnsemble",
        "AdaBoost models, each trained on a different balanced under-sample; they vote (bagging of boosting).",
    ),
    ModelSpec(
        "rusboost",
        "RUSBoost",
        "RUSBoost",
        "Boosting in which every round first under-samples the larger classes at random.",
    ),
    ModelSpec(
        "isolation_forest",
        "Isolation forest (anomaly detection)",
        "IsolationForest",
        "Ignores the labels: learns what usual rows look like and flags unusual ones as the small class.",
        binary_only=True,
    ),
)  # fmt: skip
_MODELS = {m.key: m for m in MODELS}

#: Decision thresholds in words.
THRESHOLDS: dict[str, str] = {
    Threshold.FIXED: "0.5 (fixed)",
    Threshold.F1: "tuned for the best F1",
    Threshold.BALANCED_ACCURACY: "tuned for the best balanced accuracy",
    Threshold.COST: "tuned for the lowest cost",
    Threshold.RECALL_AT_PRECISION: "tuned for the most recall at the minimum precision",
}

#: Calibrations in words.
CALIBRATIONS: dict[str, str] = {
    Calibration.NONE: "none",
    Calibration.SIGMOID: "sigmoid (Platt): a smooth S-curve, for small data",
    Calibration.ISOTONIC: "isotonic: any increasing curve, for larger data",
}


@dataclass(frozen=True)
class ForestSettings:
    """Hyper-parameters shared by the forest models.

    ``max_rows_per_tree`` caps the rows each random-forest tree is grown on once the forest learns
    from more than ``cap_from_rows`` rows; the forest is then a
    :class:`~core.modelling.forest.CappedForestClassifier`, whose per-tree samples keep the small classes
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
class TuningSettings:
    """How thresholds are tuned and probabilities recalibrated, shared by every strategy.

    ``folds`` stratified folds of the training split (the same for every strategy and seed) give the
    held-out probabilities a threshold is chosen on and a calibration is fitted on; the test split is
    never among them. ``folds=0`` means "auto": :data:`AUTO_FOLDS`, or 2 from :data:`LARGE` training
    rows, where each held-out half still holds tens of thousands of rows and a fold costs a full fit. For
    two classes every strategy's fits on these folds are kept (:class:`~core.modelling.evaluation.FoldScores`),
    so any threshold can be tuned on them later without fitting again.

    ``cost_fp`` and ``cost_fn`` price a false alarm and a missed case for the "cost" objective, and ``rate``
    is the rate of cases it prices them at (the production rate; ``None``: the held-out rows' own mix):
    the cost per case is ``cost_fp · false-alarm rate · (1 − rate) + cost_fn · miss rate · rate``.
    ``min_precision`` is the floor of the "recall at precision" objective.
    """

    folds: int = 0
    cost_fp: float = 1.0
    cost_fn: float = 10.0
    min_precision: float = 0.5
    rate: float | None = None

    def folds_for(self, n_rows: int) -> int:
        """The number of tuning folds on ``n_rows`` training rows."""
        if self.folds:
            return self.folds
        return 2 if n_rows >= LARGE else AUTO_FOLDS


#: Tuning folds in "auto" mode, and the training-split size from which auto uses 2.
AUTO_FOLDS = 3
LARGE = 100_000


def folds_for(n_splits: int, *, repeats: int = 1, random_state: int = 0):
    """The stratified (repeated when ``repeats > 1``) shuffled folds used for cross-validation and tuning."""
    if repeats > 1:
        return RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=repeats, random_state=random_state)
    return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)


@dataclass(frozen=True)
class Strategy:
    """A resampling method + a classifier + a class weighting (+ a threshold and a calibration), with a short name.

    ``weighting``, ``threshold`` and ``calibration`` take a member of :class:`Weighting`, :class:`Threshold`
    and :class:`Calibration` (or its text, which is checked and turned into the member, with a clear error
    for an unknown one). ``tuning`` holds the settings the threshold and the calibration use.
    """

    sampler: SamplerConfig = field(default_factory=lambda: SamplerConfig("none"))
    model: str = "rf"
    weighting: Weighting = Weighting.NONE
    custom_weights: tuple[tuple[str, float], ...] = ()
    forest: ForestSettings = field(default_factory=ForestSettings)
    random_state: int = 0
    threshold: Threshold = Threshold.FIXED
    calibration: Calibration = Calibration.NONE
    tuning: TuningSettings = field(default_factory=TuningSettings)

    def __post_init__(self) -> None:
        if self.model not in _MODELS:
            raise StrategyError(f"Unknown model {self.model!r}; choose one of {sorted(_MODELS)}.")
        for name, vocabulary in (("weighting", Weighting), ("threshold", Threshold), ("calibration", Calibration)):
            value = getattr(self, name)
            try:  # the declared vocabularies, checked here once: every later comparison is with a member
                object.__setattr__(self, name, vocabulary(value))
            except ValueError:
                raise StrategyError(
                    f"Unknown {name} {value!r}; choose one of {[m.value for m in vocabulary]}."
                ) from None
        if self.weighting is not Weighting.NONE and self.weighting not in _MODELS[self.model].weightings:
            raise StrategyError(
                f"{_MODELS[self.model].name} does not take the class weighting {self.weighting.value!r}."
            )
        # Keep only the tuning settings this strategy uses, so changing another (say the minimum precision)
        # leaves it equal to what was trained before, and it is not trained again. The folds are kept by every
        # strategy: with two classes its fits on them are kept for tuning any threshold later.
        t = self.tuning
        kept = TuningSettings(folds=t.folds)
        if self.threshold is Threshold.COST:
            kept = replace(kept, cost_fp=t.cost_fp, cost_fn=t.cost_fn, rate=t.rate)
        if self.threshold is Threshold.RECALL_AT_PRECISION:
            kept = replace(kept, min_precision=t.min_precision)
        object.__setattr__(self, "tuning", kept)

    @property
    def tunes_threshold(self) -> bool:
        """True when the threshold is tuned on training folds rather than fixed at 0.5."""
        return self.threshold is not Threshold.FIXED

    @property
    def calibrated(self) -> bool:
        """True when the probabilities are calibrated."""
        return self.calibration is not Calibration.NONE

    @property
    def id(self) -> str:
        """A stable id ``sampler:model:weighting``, then ``:threshold:calibration`` when either is set.

        Custom weights, forest and tuning settings are not included.
        """
        base = f"{self.sampler.key}:{self.model}:{self.weighting}"
        if not (self.tunes_threshold or self.calibrated):
            return base
        return f"{base}:{self.threshold.value}:{self.calibration.value}"

    @classmethod
    def from_id(
        cls, ident: str, *, seed: int = 0, forest: ForestSettings | None = None, tuning: TuningSettings | None = None
    ) -> Strategy:
        """The strategy with default sampler parameters for an id from :attr:`id`."""
        parts = ident.split(":")
        sampler, model, weighting = parts[:3]
        threshold, calibration = parts[3:5] if len(parts) == 5 else ("fixed", "none")
        return cls(
            SamplerConfig(sampler, random_state=seed), model=model, weighting=weighting,
            forest=forest or ForestSettings(), random_state=seed, threshold=threshold, calibration=calibration,
            tuning=tuning or TuningSettings(),
        )  # fmt: skip

    @property
    def fitted_as(self) -> Strategy:
        """The same strategy with the threshold fixed: what is fitted before a threshold is tuned on it."""
        return replace(self, threshold=Threshold.FIXED)

    @property
    def name(self) -> str:
        """For example "SMOTE + RF", "RF, balanced weights", "HGB, threshold for F1", "BalancedRF"."""
        model = _MODELS[self.model].short
        parts = [] if self.sampler.key == "none" else [get_spec(self.sampler.key).name]
        parts.append(model)
        text = " + ".join(parts)
        if self.weighting is not Weighting.NONE:
            text += {"balanced": ", balanced weights", "balanced_subsample": ", balanced per tree",
                     "custom": ", custom weights"}[self.weighting]  # fmt: skip
        if self.calibrated:
            text += f", calibrated ({self.calibration.value})"
        if self.tunes_threshold:
            text += {"f1": ", threshold for F1", "balanced_accuracy": ", threshold for balanced accuracy",
                     "cost": ", threshold for lowest cost",
                     "recall_at_precision": f", threshold for recall at precision ≥ {self.tuning.min_precision:g}",
                     }[self.threshold]  # fmt: skip
        return text


def _class_weight(strategy: Strategy, names: Mapping[int, str]) -> Any:
    """The scikit-learn ``class_weight`` for the strategy's weighting (class codes as keys for custom weights)."""
    if strategy.weighting in {"balanced", "balanced_subsample"}:
        return strategy.weighting.value  # the plain text scikit-learn documents
    if strategy.weighting == "custom":
        wanted = dict(strategy.custom_weights)
        weight = {code: float(wanted.get(label, 1.0)) for code, label in names.items()}
        if any(w <= 0 for w in weight.values()):
            raise StrategyError("Class weights must be greater than 0.")
        return weight
    return None


def _model(
    strategy: Strategy, *, names: Mapping[int, str], n_rows_after: int, n_classes: int,
    categorical: list[int] | None = None,
) -> Any:  # fmt: skip
    spec = _MODELS[strategy.model]
    f = strategy.forest
    if spec.binary_only and n_classes != 2:
        raise StrategyError(
            f"{spec.name} separates one small class from the rest, so it needs a target with two classes; "
            f"this one has {n_classes}. Choose another model."
        )
    common = {"random_state": strategy.random_state}
    weight = _class_weight(strategy, names)
    if strategy.model == "logreg":
        return LogisticRegression(class_weight=weight, max_iter=1000, **common)
    if strategy.model == "hgb":
        return HistGradientBoostingClassifier(class_weight=weight, categorical_features=categorical, **common)
    if strategy.model == "adaboost":
        boost = AdaBoostClassifier(**common)
        return boost if weight is None else ClassWeighted(boost, class_weight=weight)
    if strategy.model == "rf":
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
    # Gradient boosting takes categories as they are (one column of codes each) unless a sampler in front
    # measures distances between rows, which needs one-hot columns.
    native = strategy.model == "hgb" and bool(plan.categorical) and runs.key in _CODES_OK
    ordinal = runs.ordinal or native
    prepare = preprocessor(plan, ordinal=ordinal, max_categories=255 if native else None)
    steps: list[tuple[str, Any]] = [("prepare", prepare)]
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
    model = _model(
        strategy, names=names, n_rows_after=n_after, n_classes=len(counts),
        categorical=plan.categorical_positions if native else None,
    )  # fmt: skip
    steps.append(("model", model))
    return Pipeline(steps), tuple(notes)


#: Samplers that never compare rows by distance, so categories can stay one column of codes each.
_CODES_OK = frozenset({"none", "random_over", "random_under", "smotenc", "smoten"})


def build_estimator(
    strategy: Strategy, *, plan: FeaturePlan, counts: Mapping[int, int], names: Mapping[int, str], n_rows: int
) -> tuple[Any, tuple[str, ...]]:
    """The estimator fitted for ``strategy`` (its threshold aside) and the notes: the pipeline, or the pipeline
    inside scikit-learn's ``CalibratedClassifierCV`` when the strategy recalibrates.

    The calibration (``ensemble=False``) fits the pipeline on each of the strategy's tuning training
    folds, fits the calibration map on the held-out fold's predictions (rows that were never resampled:
    the pipeline resamples only in ``fit``), then refits the pipeline on every training row.
    """
    pipeline, notes = build_pipeline(strategy, plan=plan, counts=counts, names=names, n_rows=n_rows)
    if not strategy.calibrated:
        return pipeline, notes
    folds = folds_for(strategy.tuning.folds_for(n_rows), random_state=strategy.random_state)
    return CalibratedClassifierCV(pipeline, method=strategy.calibration.value, cv=folds, ensemble=False), notes
