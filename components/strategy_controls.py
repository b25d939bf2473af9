"""Strategy slots (resampling + model + class weighting) and the shared forest settings."""

from __future__ import annotations

import streamlit as st

from components import state
from components.messages import plain
from core.comparison.takeaways import fewer_than_needed
from core.data.split import Split
from core.modelling.fit_cost import estimate_seconds, fit_count
from core.modelling.strategies import (
    AUTO_FOLDS,
    CALIBRATIONS,
    LARGE,
    MODELS,
    THRESHOLDS,
    WEIGHTINGS,
    ForestSettings,
    Strategy,
    TuningSettings,
)
from core.resampling.catalogue import CATALOGUE, SamplerConfig

MAX_STRATEGIES = 4
DEFAULT_SLOTS = (("none", "rf", "none"), ("smote", "rf", "none"), ("none", "rf", "balanced"), ("none", "brf", "none"))
_MODEL_NAMES = {m.key: m.name for m in MODELS}
_MODEL_SPECS = {m.key: m for m in MODELS}
_SAMPLER_NAMES = {s.key: s.name for s in CATALOGUE}
_FEATURES = {"sqrt": "square root of the features", "log2": "log2 of the features", "all": "all features"}


def forest_settings(n_train: int) -> ForestSettings:
    """Controls for the forest hyper-parameters shared by every strategy."""
    with st.expander("Forest settings (shared by every strategy)"):
        c1, c2, c3, c4, c5 = st.columns(5)
        trees = c1.number_input("Trees", 10, 1000, step=10, **state.bind(state.W_TREES, 100))
        depth = c2.number_input("Max depth (0 = none)", 0, 100, step=1, **state.bind(state.W_MAX_DEPTH, 0))
        leaf = c3.number_input("Min rows per leaf", 1, 500, step=1, **state.bind(state.W_MIN_LEAF, 1))
        feats = c4.selectbox(
            "Features per split",
            list(_FEATURES),
            format_func=_FEATURES.__getitem__,
            **state.bind_choice(state.W_MAX_FEATURES, _FEATURES, "sqrt"),
        )
        rows = c5.number_input(
            "Rows per tree (0 = all)", 0, 10_000_000, step=1000,
            help=f"On more than {ForestSettings().cap_from_rows:,} training rows (after resampling), caps the rows "
            "each random-forest tree is grown on, keeping every row of the small classes and weighting the large "
            "class back to its real share. "
            "20,000 keeps large data interactive; 0 grows scikit-learn's exact forest on all training rows. "
            "Smaller data always gets the exact forest.",
            **state.bind(state.W_ROWS_PER_TREE, 20_000),
        )  # fmt: skip
    return ForestSettings(
        n_estimators=int(trees),
        max_depth=int(depth) or None,
        min_samples_leaf=int(leaf),
        max_features=1.0 if feats == "all" else feats,
        max_rows_per_tree=int(rows) or None,
    )


def tuning_settings(*, rate: float | None = None) -> TuningSettings:
    """Controls for the costs of errors and for how thresholds are tuned and probabilities recalibrated; a threshold
    tuned for the lowest cost prices the costs at the production ``rate`` of cases (set under What happens in
    production)."""
    with st.expander("Costs and threshold tuning (shared by every strategy)"):
        c1, c2, c3, c4 = st.columns(4)
        cost_fp = c1.number_input(
            "Cost of a false alarm", 0.0, 1e9, step=1.0, **state.bind(state.W_COST_FP, 1.0),
            help="Used by the cost curve and by thresholds tuned for the lowest cost.",
        )  # fmt: skip
        cost_fn = c2.number_input(
            "Cost of a missed case", 0.0, 1e9, step=1.0, **state.bind(state.W_COST_FN, 10.0),
            help="What missing one case of the smaller class costs, in the same unit.",
        )  # fmt: skip
        floor = c3.number_input(
            "Minimum precision", 0.01, 1.0, step=0.05, **state.bind(state.W_MIN_PRECISION, 0.5),
            help="For thresholds tuned for the most recall at this precision or more.",
        )  # fmt: skip
        options = [0, 2, 3, 5, 10]
        folds = c4.selectbox(
            "Tuning folds", options, format_func=lambda k: f"auto ({AUTO_FOLDS}, or 2 from {LARGE:,} rows)" if k == 0
            else f"{k} folds", **state.bind_choice(state.W_TUNE_FOLDS, options, 0),
            help="Training folds whose held-out rows choose a tuned threshold or fit a calibration (the "
            "cross-validation folds are used instead when cross-validation runs). Each fold is one more fit; "
            "on large data two folds already hold many rows each.",
        )  # fmt: skip
        st.caption(
            "A tuned threshold is chosen on held-out parts of the training split, never on the test split, so "
            "the scores below judge it fairly."
        )
    return TuningSettings(folds=int(folds), cost_fp=float(cost_fp), cost_fn=float(cost_fn), min_precision=float(floor),
                          rate=rate)  # fmt: skip


#: The cross-validation choices: folds, or "5x2" (5 folds, repeated twice with a new shuffle).
CV_CHOICES = ("0", "3", "5", "10", "5x2")


def cv_choice(folds: int, repeats: int = 1) -> str:
    """The cross-validation choice for ``folds`` and ``repeats``."""
    return "5x2" if (folds, repeats) == (5, 2) else str(folds)


def cv_controls(column, *, key: str, split: Split, help: str | None = None) -> tuple[int, int]:
    """The cross-validation choice: off, k folds, or 5 folds repeated twice; returns (folds, repeats).

    When the test split holds too few rows of a class to judge by, cross-validation is proposed here,
    before anything is trained.
    """
    options = list(CV_CHOICES)
    labels = {"0": "off", "3": "3 folds", "5": "5 folds", "10": "10 folds", "5x2": "5 folds × 2 repeats (tighter)"}
    choice = column.selectbox(
        "Cross-validation on the training split", options, format_func=labels.__getitem__,
        help=help or "Resampling is fit inside each training fold only. Adds one fit per fold.",
        **state.bind_choice(key, options, "0"),
    )  # fmt: skip
    short = fewer_than_needed(split.y_test)
    if short is not None and choice == "0":
        column.warning(
            f"The test split holds only {short} rows of its smallest class, so a verdict read off it swings widely. "
            "Turn cross-validation on: the verdicts and takeaways then read every training row's held-out "
            "prediction.",
            icon=":material/info:",
        )
    if choice != "0":
        column.caption("A tuned threshold is tuned again on these folds (each fold at the threshold of the others).")
    return (5, 2) if choice == "5x2" else (int(choice), 1)


def _slot(
    i: int, *, classes: list[str], forest: ForestSettings, tuning: TuningSettings, seed: int, binary: bool
) -> Strategy:
    default_sampler, default_model, default_weighting = DEFAULT_SLOTS[i]
    samplers = [s.key for s in CATALOGUE]
    models = [m.key for m in MODELS if binary or not m.binary_only]
    sampler = st.selectbox(
        "Resampling", samplers, format_func=_SAMPLER_NAMES.__getitem__,
        **state.bind_choice(state.slot_key(i, "sampler"), samplers, default_sampler),
    )  # fmt: skip
    model = st.selectbox(
        "Model", models, format_func=_MODEL_NAMES.__getitem__,
        **state.bind_choice(state.slot_key(i, "model"), models, default_model),
    )  # fmt: skip
    st.caption(plain(_MODEL_SPECS[model].summary))
    weighting, custom = "none", ()
    weightings = list(_MODEL_SPECS[model].weightings)
    if weightings:
        weighting = st.selectbox(
            "Class weights", weightings, format_func=WEIGHTINGS.__getitem__,
            **state.bind_choice(state.slot_key(i, "weighting"), weightings, default_weighting),
        )  # fmt: skip
        if weighting == "custom":
            weights = []
            for j, c in enumerate(classes):
                key = state.slot_key(i, f"weight.{j}")
                w = st.number_input(
                    f"weight of {plain(c)}", 0.01, 1000.0, step=0.5, **state.bind(key, 1.0 if j == 0 else 10.0)
                )
                weights.append((c, float(w)))
            custom = tuple(weights)
    threshold, calibration = "fixed", "none"
    if binary and model != "isolation_forest":
        threshold = st.selectbox(
            "Decision threshold", list(THRESHOLDS), format_func=THRESHOLDS.__getitem__,
            help="Tuned thresholds are chosen by cross-validation on the training split, for the objective named.",
            **state.bind_choice(state.slot_key(i, "threshold"), THRESHOLDS, "fixed"),
        )  # fmt: skip
        calibration = st.selectbox(
            "Calibration", list(CALIBRATIONS), format_func=CALIBRATIONS.__getitem__,
            help="Repairs probabilities distorted by resampling or weights: fitted on held-out training rows that "
            "were never resampled. One more fit per tuning fold.",
            **state.bind_choice(state.slot_key(i, "calibration"), CALIBRATIONS, "none"),
        )  # fmt: skip
    return Strategy(
        sampler=SamplerConfig(sampler, random_state=seed),
        model=model,
        weighting=weighting,
        custom_weights=custom,
        forest=forest,
        random_state=seed,
        threshold=threshold,
        calibration=calibration,
        tuning=tuning,
    )


def strategy_controls(split: Split, *, rate: float | None = None) -> tuple[list[Strategy], int, int]:
    """Draw the strategy slots and shared settings; return the strategies, CV folds and CV repeats (a threshold tuned
    for the lowest cost prices the costs at the production ``rate``)."""
    classes = [str(c) for c in split.counts("train")]
    top = st.columns([1, 1, 1])
    n = top[0].number_input("Strategies to compare", 1, MAX_STRATEGIES, step=1, **state.bind(state.W_N_STRATEGIES, 2))
    folds, repeats = cv_controls(top[1], key=state.W_CV_FOLDS, split=split)
    seed = int(top[2].number_input("Model seed", 0, 2**31 - 1, step=1, **state.bind(state.W_TRAIN_SEED, 0)))
    forest = forest_settings(len(split.y_train))
    tuning = tuning_settings(rate=rate)
    strategies = []
    cols = st.columns(int(n))
    binary = len(classes) == 2
    for i, col in enumerate(cols):
        with col, st.container(border=True):
            st.markdown(f"**Strategy {chr(65 + i)}**")
            strategies.append(_slot(i, classes=classes, forest=forest, tuning=tuning, seed=seed, binary=binary))
            st.caption(f"Named: {plain(strategies[-1].name)}")
    return strategies, folds, repeats


def training_estimate(
    split: Split, strategies: list[Strategy], *, n_features: int, cv_folds: int, cv_repeats: int = 1
) -> None:
    """A caption with the rough training time of the batch (results already computed are reused)."""
    counts = split.counts("train")
    models = list(dict.fromkeys(s.fitted_as for s in strategies))  # a tuned threshold is read off its model's fits
    fits = {m: fit_count(m, cv_folds=cv_folds, cv_repeats=cv_repeats, n_rows=len(split.y_train), n_classes=len(counts))
            for m in models}  # fmt: skip
    seconds = sum(estimate_seconds(m, counts=counts, n_features=n_features) * fits[m] for m in models)
    total = sum(fits.values())
    folds = " plus one per cross-validation fold" if cv_folds >= 2 else (
        " plus one per tuning fold, whose held-out scores any threshold is tuned on" if len(counts) == 2 else "")  # fmt: skip
    st.caption(
        f"Estimated training time: about {seconds:,.0f} s on this machine ({total} fit{'s' if total != 1 else ''}: "
        f"one per model{folds}). Strategies trained before with the same settings are not trained again."
    )
