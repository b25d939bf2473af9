"""Compare & report: several strategies on the same split, a leaderboard, takeaways, a report to share."""

from __future__ import annotations

import streamlit as st

from components import state
from components.cache import current
from components.code_views import code_panel, model_panel
from components.compare_views import (
    compare_controls,
    comparison_figures,
    differences_panel,
    downloads,
    leaderboard_panel,
    show_figures,
    takeaways_panel,
)
from components.evaluation_views import decision_panel, run_strategies
from components.leak_views import leak_warning, too_good_warning
from components.number_views import is_number_target
from components.page_setup import page_guard, require_prepared, require_split
from components.presenting import settings_area
from components.production_views import current_deployment, production_choice, production_panel
from components.settings_io import apply_link_settings, settings_importer
from components.split_controls import split_summary
from core.data.split import run_identity
from core.output.shared_settings import SharedSettings

page_guard()
apply_link_settings()

st.title("Compare & report")
st.caption(
    "Run several strategies on the same split (and the same cross-validation folds), see them side by side, "
    "and take away a report."
)
if is_number_target(current()):
    st.info("The target is a number: its strategies are compared side by side on Train & evaluate, by target range. "
            "To compare strategies for a rare class, make one of it on the Data page.")  # fmt: skip
    st.page_link("pages/train.py", label="Compare the number's strategies", icon=":material/model_training:")
    st.page_link("pages/data.py", label="Make it a class", icon=":material/category:")
    st.stop()
prepared = require_prepared()
leak_warning(prepared, where="compare")
with settings_area():
    with st.expander("Import settings"):
        settings_importer()
    split = require_split(prepared, folded=True)
    split_summary(split)
    strategies, folds, repeats, seed, tuning = compare_controls(prepared, split)
rate, per_day = production_choice(prepared)
shared = SharedSettings(
    sample=prepared.dataset.sample_key, target=prepared.target, split=split.spec,
    strategies=tuple(s.id for s in strategies), cv_folds=folds, seed=seed, cv_repeats=repeats, tuning=tuning,
    rate=rate, per_day=per_day,
)  # fmt: skip
# What must be fitted: a threshold (at any costs or rate) is read off the models' fits, so changing it needs no press.
key = (run_identity(prepared, split.spec), tuple(dict.fromkeys(s.fitted_as for s in strategies)), folds, repeats)
st.button(
    "Run comparison", key=state.W_COMPARE_RUN, type="primary", icon=":material/play_arrow:",
    on_click=state.mark_compared, args=(key,), disabled=not strategies,
)  # fmt: skip
if st.session_state.get(state.COMPARED) != key:
    st.info("Press **Run comparison** to fit the strategies above. Results from the Train page are reused.")
    st.stop()

evals = run_strategies(prepared, split, strategies, cv_folds=folds, cv_repeats=repeats)
too_good_warning(evals, prepared, where="compare")
setting = current_deployment(evals, prepared=prepared, split=split)  # costs and rate, read once for the whole page

decision = None
if setting is not None:
    st.header("The decision")
    decision = decision_panel(evals, setting)
st.header("Leaderboard")
table = leaderboard_panel(evals, setting)
diffs = differences_panel(evals)
lines, helped = takeaways_panel(evals, setting)
if setting is not None:
    st.header("What happens in production")
    production_panel(evals, setting, prepared=prepared, rivals=decision.rivals if decision else ())
figs = comparison_figures(evals, table)
show_figures(figs)
st.header("Share")
downloads(prepared, split, evals, table, figs, lines, helped, diffs, shared, setting)
code_panel(prepared, split, strategies, cv_folds=folds, cv_repeats=repeats, page="compare", deployment=setting)
tuned = [r for r in (decision.rivals if decision else ()) if r.name not in {ev.name for ev in evals}]
model_panel(
    prepared, split, evals + tuned, page="compare", deployment=setting
)  # the rivals too: the decision names them
