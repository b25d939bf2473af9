"""Train & evaluate: strategies fit on the training split, judged on the untouched test split."""

from __future__ import annotations

import streamlit as st

from components import state
from components.cache import current
from components.code_views import code_panel, model_panel, small_data_note
from components.evaluation_views import (
    budget_panel,
    calibration_and_importance,
    confusion_panel,
    curves_panel,
    decision_panel,
    metrics_table,
    run_strategies,
    threshold_panel,
)
from components.messages import show_message
from components.number_views import is_number_target, number_train_view
from components.page_setup import page_guard, require_prepared, require_split
from components.presenting import settings_area
from components.production_views import current_deployment, production_panel
from components.split_controls import split_summary
from components.strategy_controls import strategy_controls, training_estimate
from core.data.split import run_identity

page_guard()

st.title("Train & evaluate")
st.caption(
    "Each strategy is one pipeline (prepare the features, resample, fit the model) trained on the training split "
    "only, then judged on the untouched test split with its real class mix."
)
if is_number_target(current()):
    number_train_view(current())
    st.stop()
prepared = require_prepared()
with settings_area():
    split = require_split(prepared, folded=True)
    split_summary(split)
    small_data_note(prepared, split)
    strategies, folds, repeats = strategy_controls(split)
    state.remember_train_strategies(strategies)
    training_estimate(split, strategies, n_features=len(prepared.plan.features), cv_folds=folds, cv_repeats=repeats)
settings = (run_identity(prepared, split.spec), tuple(strategies), folds, repeats)
st.button(
    "Train and evaluate", key=state.W_TRAIN, type="primary", icon=":material/play_arrow:",
    on_click=state.mark_trained, args=(settings,),
)  # fmt: skip
if st.session_state.get(state.TRAINED) != settings:
    st.info("Press **Train and evaluate** to fit the strategies above. Results are kept, so coming back is instant.")
    st.stop()

evals = run_strategies(prepared, split, strategies, cv_folds=folds, cv_repeats=repeats)
for ev in evals:
    for note in ev.notes:
        show_message("info", f"{ev.name}: {note}")

deployment = current_deployment(evals, prepared=prepared, split=split)
if evals[0].binary:
    st.header("The decision")
    decision_panel(evals)
st.header("Scores on the test split")
metrics_table(evals)
st.header("Confusion matrices")
confusion_panel(evals)
st.header("ROC and precision-recall curves")
curves_panel(evals)
if evals[0].binary:
    st.header("Decision threshold and costs")
    threshold_panel(evals, cost_fp=st.session_state[state.W_COST_FP], cost_fn=st.session_state[state.W_COST_FN],
                    deployment=deployment)  # fmt: skip
if evals[0].binary:
    st.header("What happens in production")
    production_panel(evals, prepared=prepared, split=split)
if evals[0].binary:
    st.header("Gains, lift and a review budget")
    budget_panel(evals)
st.header("Calibration and feature importance")
calibration_and_importance(evals)
st.header("Take it with you")
code_panel(prepared, split, strategies, cv_folds=folds, cv_repeats=repeats, page="train", deployment=deployment)
model_panel(prepared, split, evals, page="train", deployment=deployment)
