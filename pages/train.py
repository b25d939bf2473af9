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
from components.leak_views import leak_warning, too_good_warning
from components.messages import show_message
from components.number_views import is_number_target, number_train_view
from components.page_setup import page_guard, require_prepared, require_split
from components.presenting import settings_area
from components.production_views import current_deployment, production_panel, production_rate
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
leak_warning(prepared, where="train")
with settings_area():
    split = require_split(prepared, folded=True)
    split_summary(split)
    small_data_note(prepared, split)
    strategies, folds, repeats = strategy_controls(split, rate=production_rate(prepared))
    state.remember_train_strategies(strategies)
    training_estimate(split, strategies, n_features=len(prepared.plan.features), cv_folds=folds, cv_repeats=repeats)
# What must be fitted: a threshold (at any costs or rate) is read off the models' fits, so changing it needs no press.
settings = (run_identity(prepared, split.spec), tuple(s.fitted_as for s in strategies), folds, repeats)
st.button(
    "Train and evaluate", key=state.W_TRAIN, type="primary", icon=":material/play_arrow:",
    on_click=state.mark_trained, args=(settings,),
)  # fmt: skip
if st.session_state.get(state.TRAINED) != settings:
    st.info("Press **Train and evaluate** to fit the strategies above. Results are kept, so coming back is instant.")
    st.stop()

evals = run_strategies(prepared, split, strategies, cv_folds=folds, cv_repeats=repeats)
too_good_warning(evals, prepared, where="train")
for ev in evals:
    for note in ev.notes:
        show_message("info", f"{ev.name}: {note}")

setting = current_deployment(evals, prepared=prepared, split=split)  # costs and rate, read once for the whole page
decision = None
if setting is not None:
    st.header("The decision")
    decision = decision_panel(evals, setting)
st.header("Scores on the test split")
metrics_table(evals, setting)
st.header("Confusion matrices")
confusion_panel(evals)
st.header("ROC and precision-recall curves")
curves_panel(evals)
if setting is not None:
    st.header("Decision threshold and costs")
    threshold_panel(evals, cost_fp=setting.cost_fp, cost_fn=setting.cost_fn, deployment=setting)
    st.header("What happens in production")
    production_panel(evals, setting, prepared=prepared, rivals=decision.rivals if decision else ())
if evals[0].binary:
    st.header("Gains, lift and a review budget")
    budget_panel(evals)
st.header("Calibration and feature importance")
calibration_and_importance(evals)
st.header("Take it with you")
code_panel(prepared, split, strategies, cv_folds=folds, cv_repeats=repeats, page="train", deployment=setting)
tuned = [r for r in (decision.rivals if decision else ()) if r.name not in {ev.name for ev in evals}]
model_panel(prepared, split, evals + tuned, page="train", deployment=setting)  # the rivals too: the decision names them
