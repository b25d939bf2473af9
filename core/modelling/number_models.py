"""Strategies for a skewed numeric target, each one pipeline fitted on the training split only.

A strategy is a way of handling the skew (:data:`NUMBER_STRATEGIES`) with one model family
(:data:`NUMBER_MODELS`). Resampling runs inside an imbalanced-learn ``Pipeline``, so the test split
never meets a synthetic row; a transformed target is fitted and inverted by scikit-learn's
``TransformedTargetRegressor``; density weights come from the training targets only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from imblearn.pipeline import Pipeline
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.preprocessing import OneHotEncoder, PowerTransformer

from core.data.numeric_target import RareRange
from core.data.preprocessing import preprocessor
from core.data.roles import FeaturePlan
from core.data.split import Split
from core.errors import UserFacingError
from core.resampling.number_samplers import SMOGN, SMOTER, DenseWeightRegressor, RareUnderSampler

__all__ = ["NUMBER_MODELS", "NUMBER_STRATEGIES", "NumberFit", "NumberStrategyError", "build_number_pipeline",
           "fit_number_strategy"]  # fmt: skip


class NumberStrategyError(UserFacingError):
    """A strategy that cannot run on this target, with what to choose instead."""


#: Ways of handling a skewed target: key → (name, what it does).
NUMBER_STRATEGIES: dict[str, tuple[str, str]] = {
    "none": ("No handling", "the model as it is, fitted for the average squared error"),
    "log": ("Log target", "fitted on log(1 + y), predictions turned back; shrinks a long upper tail"),
    "yeo_johnson": ("Yeo-Johnson target", "fitted on a power transform of y chosen to make it look normal"),
    "dense_weights": ("Density weights", "DenseWeight: rows with rare values weigh more, common ones less (α = 1)"),
    "smoter": ("SMOTER", "synthetic rare rows between rare neighbours, the common range under-sampled"),
    "smogn": ("SMOGN", "SMOTER where neighbours are close, Gaussian noise where they are not"),
    "undersample": ("Under-sampling", "every rare row and as many common rows drawn at random"),
}

#: Model families: key → name.
NUMBER_MODELS: dict[str, str] = {
    "hgb": "Histogram gradient boosting",
    "rf": "Random forest",
    "linear": "Linear model (ridge)",
}

_SAMPLERS = {"smoter": SMOTER, "smogn": SMOGN, "undersample": RareUnderSampler}


def _model(model: str, *, random_state: int) -> Any:
    if model == "hgb":
        return HistGradientBoostingRegressor(random_state=random_state)
    if model == "rf":
        return RandomForestRegressor(n_estimators=100, min_samples_leaf=3, max_samples=0.5, n_jobs=-1,
                                     random_state=random_state)  # fmt: skip
    if model == "linear":
        return Ridge(alpha=1.0)
    raise NumberStrategyError(f"Unknown model {model!r}; choose one of {', '.join(NUMBER_MODELS.values())}.")


def build_number_pipeline(
    strategy: str, *, model: str, plan: FeaturePlan, rare: RareRange, y_min: float, random_state: int
) -> Any:
    """The estimator for ``strategy`` with ``model``: prepare the features, then (by the strategy) resample,
    weight or transform the target, then fit. ``y_min`` is the smallest training target (a log target needs
    values above −1: below that, this raises :class:`NumberStrategyError` naming Yeo-Johnson instead)."""
    if strategy not in NUMBER_STRATEGIES:
        raise NumberStrategyError(f"Unknown strategy {strategy!r}.")
    if plan.kind == "none":
        raise NumberStrategyError("There are no feature columns. Choose at least one on the Data page.")
    sampler = _SAMPLERS.get(strategy)
    categorical = plan.categorical_positions
    steps: list[tuple[str, Any]] = [("prepare", preprocessor(plan, ordinal=sampler is not None))]
    if sampler is not None:
        # The sampler sees categories as one column of codes each, then they are one-hot encoded for the model.
        steps.append(("resample", sampler(side=rare.side, cut=rare.cut, categorical=tuple(categorical),
                                          random_state=random_state)))  # fmt: skip
        if categorical:
            onehot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
            steps.append(("encode", ColumnTransformer([("cat", onehot, categorical)], remainder="passthrough")))
    steps.append(("model", _model(model, random_state=random_state)))
    pipe = Pipeline(steps)
    if strategy == "log":
        if y_min <= -1:
            raise NumberStrategyError(
                f"A log target needs every value above −1; the smallest is {y_min:g}. Choose the Yeo-Johnson "
                "target, which takes any value."
            )
        return TransformedTargetRegressor(regressor=pipe, func=np.log1p, inverse_func=np.expm1)
    if strategy == "yeo_johnson":
        return TransformedTargetRegressor(regressor=pipe, transformer=PowerTransformer(method="yeo-johnson"))
    if strategy == "dense_weights":
        return DenseWeightRegressor(pipe, alpha=1.0)
    return pipe


@dataclass(frozen=True)
class NumberFit:
    """One strategy fitted on the training split: its test-split predictions, seconds, and the training rows
    after resampling (``n_synthetic`` of them made up)."""

    strategy: str
    model: str
    y_pred: np.ndarray
    seconds: float
    n_train: int
    n_synthetic: int
    notes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The strategy's name."""
        return NUMBER_STRATEGIES[self.strategy][0]


def _sampler_of(estimator: Any) -> Any:
    inner = getattr(estimator, "regressor_", None) or getattr(estimator, "estimator_", None) or estimator
    return getattr(inner, "named_steps", {}).get("resample")


def fit_number_strategy(
    split: Split, *, plan: FeaturePlan, strategy: str, model: str, rare: RareRange, random_state: int,
    done: Callable[[Any], None] | None = None,
) -> NumberFit:  # fmt: skip
    """Fit ``strategy`` with ``model`` on the training split and predict the test split (never resampled).

    ``done``, when given, receives the fitted estimator (for the script's check and the model download).
    """
    X_train = split.model_input(split.train_rows, categorical=plan.categorical)
    y_train = split.y_train.to_numpy(np.float64)
    est = build_number_pipeline(strategy, model=model, plan=plan, rare=rare, y_min=float(y_train.min()),
                                random_state=random_state)  # fmt: skip
    start = time.perf_counter()
    try:
        est.fit(X_train, y_train)
    except ValueError as exc:  # a sampler's "no rare range" or "fewer than 2 rare rows"
        raise NumberStrategyError(f"{NUMBER_STRATEGIES[strategy][0]} cannot run: {exc}.") from exc
    y_pred = est.predict(split.model_input(split.test_rows, categorical=plan.categorical))
    seconds = time.perf_counter() - start
    sampler = _sampler_of(est)
    n_synth = int(getattr(sampler, "n_synthetic_", 0))
    n_train = len(y_train) if sampler is None else len(sampler.sample_indices_) + n_synth
    if done is not None:
        done(est)
    notes = tuple(getattr(sampler, "notes_", ()))
    return NumberFit(strategy, model, np.asarray(y_pred, dtype=np.float64), seconds, n_train, n_synth, notes)
