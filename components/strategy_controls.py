"""Strategy slots (resampling + model + class weighting) and the shared forest settings."""

from __future__ import annotations

import streamlit as st

from components import state
from components.messages import plain
from core.models import MODELS, WEIGHTINGS, ForestSettings, Strategy, estimate_seconds
from core.samplers import CATALOGUE, SamplerConfig
from core.split import Split

MAX_STRATEGIES = 4
DEFAULT_SLOTS = (("none", "rf", "none"), ("smote", "rf", "none"), ("none", "rf", "balanced"), ("none", "brf", "none"))
_MODEL_NAMES = {m.key: m.name for m in MODELS}
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


def _slot(i: int, *, classes: list[str], forest: ForestSettings, seed: int, binary: bool) -> Strategy:
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
    weighting, custom = "none", ()
    if model == "rf":
        weighting = st.selectbox(
            "Class weights", list(WEIGHTINGS), format_func=WEIGHTINGS.__getitem__,
            **state.bind(state.slot_key(i, "weighting"), default_weighting),
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
    return Strategy(
        sampler=SamplerConfig(sampler, random_state=seed),
        model=model,
        weighting=weighting,
        custom_weights=custom,
        forest=forest,
        random_state=seed,
    )


def strategy_controls(split: Split) -> tuple[list[Strategy], int]:
    """Draw the strategy slots and shared settings; return the strategies and the number of CV folds."""
    classes = [str(c) for c in split.counts("train")]
    top = st.columns([1, 1, 1])
    n = top[0].number_input("Strategies to compare", 1, MAX_STRATEGIES, step=1, **state.bind(state.W_N_STRATEGIES, 2))
    folds = top[1].selectbox(
        "Cross-validation on the training split", [0, 3, 5, 10],
        format_func=lambda k: "off" if k == 0 else f"{k} folds (stratified)",
        help="Resampling is fit inside each training fold only. Adds k extra fits per strategy.",
        **state.bind(state.W_CV_FOLDS, 0),
    )  # fmt: skip
    seed = int(top[2].number_input("Model seed", 0, 2**31 - 1, step=1, **state.bind(state.W_TRAIN_SEED, 0)))
    forest = forest_settings(len(split.y_train))
    strategies = []
    cols = st.columns(int(n))
    for i, col in enumerate(cols):
        with col, st.container(border=True):
            st.markdown(f"**Strategy {chr(65 + i)}**")
            strategies.append(_slot(i, classes=classes, forest=forest, seed=seed, binary=len(classes) == 2))
            st.caption(plain(strategies[-1].name))
    return strategies, int(folds)


def training_estimate(split: Split, strategies: list[Strategy], *, n_features: int, cv_folds: int) -> None:
    """A caption with the rough training time of the batch (results already computed are reused)."""
    fits = 1 + (cv_folds if cv_folds >= 2 else 0)
    counts = split.counts("train")
    seconds = sum(estimate_seconds(s, counts=counts, n_features=n_features) for s in strategies) * fits
    st.caption(
        f"Estimated training time: about {seconds:,.0f} s on this machine"
        + (f" ({fits} fits per strategy with cross-validation)" if fits > 1 else "")
        + ". Strategies trained before with the same settings are not trained again."
    )
