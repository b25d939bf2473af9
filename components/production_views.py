"""What happens when it ships: the production rate and volume, each strategy's outcomes there, and the decision curve.

A fragment: changing the rate or the volume reruns this panel alone and never a fit (the outcomes are
read off the confusion matrices already made; the resampled class counts come from the Resample cache).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components import state
from components.cache import cached_resample
from components.charts import show_chart
from components.messages import plain
from core.comparison.production import (
    check_rate,
    check_volume,
    decision_curve,
    outcome,
    outcome_sentence,
    outcome_table,
    prior_shift,
    probability_sentence,
    rate_note,
    trained_rate,
)
from core.data.prepared import PreparedData
from core.data.split import Split
from core.modelling.evaluation import Evaluation, confusion
from core.output.result_figures import decision_curve_figure


def _data_rate(prepared: PreparedData, label: str) -> float:
    """The small class's share of the data (of the whole file for a working sample: its counts are the file's)."""
    table = prepared.distribution.table
    counts = dict(zip(table["class"].astype(str), table["count"], strict=True))
    return float(counts[label] / sum(counts.values()))


def production_settings(default_rate: float) -> tuple[float, float | None]:
    """The production rate of cases (a share) and the cases scored per day (None: per 10,000), checked; a bad entry
    gets its reason beside the field and the last valid setting stays in use."""
    left, right = st.columns(2)
    text = left.text_input(
        "Rate of the small class in production (%)", **state.bind(state.W_PROD_RATE, f"{default_rate * 100:.4g}"),
        help="How common the cases are among the rows the model will score. Recall and the false-alarm rate carry "
             "over to another rate; precision, the alerts and the cost do not.",
    )  # fmt: skip
    try:
        rate = check_rate(text.strip().rstrip("%"))
        st.session_state[state.PROD_RATE_OK] = rate
    except ValueError as exc:
        rate = st.session_state.get(state.PROD_RATE_OK, default_rate)
        left.error(f"{exc} Still using {rate * 100:.4g} %.")
    volume_text = right.text_input(
        "Cases scored per day (optional)", **state.bind(state.W_PROD_VOLUME, ""),
        help="Leave empty to count per 10,000 cases scored.",
    )  # fmt: skip
    volume = None
    if volume_text.strip():
        try:
            volume = check_volume(volume_text.strip().replace(",", ""))
            st.session_state[state.PROD_VOLUME_OK] = volume
        except ValueError as exc:
            volume = st.session_state.get(state.PROD_VOLUME_OK)
            kept = f"Still using {volume:,.0f} a day." if volume else "Counting per 10,000 cases scored."
            right.error(f"{exc} {kept}")
    return rate, volume


def _rates(evals: list[Evaluation], prepared: PreparedData, split: Split) -> list[float | None]:
    """Each strategy's training rate of the small class (the resampled counts come from the Resample cache)."""
    names = dict(enumerate(evals[0].classes))
    code_of = {label: code for code, label in names.items()}
    training = {code_of[str(k)]: v for k, v in split.counts("train").items()}
    out = []
    for ev in evals:
        fitted = training
        if ev.strategy.sampler.key != "none":
            after = cached_resample(prepared, split, ev.strategy.sampler).y_resampled.astype(str).value_counts()
            fitted = {code_of[k]: int(v) for k, v in after.items()}
        out.append(trained_rate(ev.strategy, fitted_counts=fitted, training_counts=training, names=names))
    return out


@st.fragment
def production_panel(evals: list[Evaluation], *, prepared: PreparedData, split: Split) -> None:
    """Binary: the outcome table per 10,000 cases (or per day) at the production rate, a sentence per strategy, what
    a score means there, and the decision curve."""
    label = evals[0].classes[-1]
    data_rate = _data_rate(prepared, label)
    rate, volume = production_settings(data_rate)
    per, unit = (volume, "a day") if volume else (10_000, "per 10,000 cases scored")
    test_rate = float(np.mean(evals[0].y_test == 1))
    note = rate_note(rate, test_rate)
    if note:
        st.info(plain(note), icon=":material/info:")
    cost_fp, cost_fn = (float(st.session_state.get(k, d)) for k, d in ((state.W_COST_FP, 1.0), (state.W_COST_FN, 10.0)))
    outcomes = [outcome(confusion(ev), rate=rate, per=per, cost_fp=cost_fp, cost_fn=cost_fn) for ev in evals]
    st.markdown(f"**{plain(unit.capitalize())}, at a production rate of {rate:.3%} {plain(repr(label))}**")
    st.dataframe(pd.DataFrame(outcome_table([ev.name for ev in evals], outcomes)), hide_index=True, width="stretch")
    for ev, o in zip(evals, outcomes, strict=True):
        st.markdown(f"- {plain(outcome_sentence(ev.name, o, label=repr(label), unit=unit))}")
    st.caption(
        "Each strategy at its own threshold. Its recall and false-alarm rate are measured on the test split and do "
        "not depend on the rate; the flagged rows, false alarms, cost and precision are worked out at the production "
        f"rate from those two (costs: a false alarm {cost_fp:g}, a missed case {cost_fn:g}, as set in the strategy "
        "settings). In brackets: 95 % intervals from the test split's counts (Jeffreys posteriors of the two rates)."
    )
    trained = _rates(evals, prepared, split)
    for ev, r in zip(evals, trained, strict=True):
        sentence = probability_sentence(ev.name, trained=r, rate=rate, label=repr(label)) if r is not None else None
        if sentence:
            st.markdown(f"- {plain(sentence)}")
    curves = []
    for ev, r in zip(evals, trained, strict=True):
        if r is None:
            continue
        moved = prior_shift(ev.proba[:, 1], trained_rate=r, rate=rate)
        dc = decision_curve(ev.y_test, moved, rate=rate)
        curves.append((ev.name, dc["thresholds"], dc["net_benefit"]))
    dc = decision_curve(evals[0].y_test, evals[0].proba[:, 1], rate=rate)
    marked = cost_fp / (cost_fp + cost_fn) if cost_fp + cost_fn > 0 else None
    show_chart(decision_curve_figure(curves, thresholds=dc["thresholds"], everyone=dc["everyone"], rate=rate,
                                     marked=marked), key="decision_curve")  # fmt: skip
    st.caption(
        "Net benefit (Vickers & Elkin 2006): the cases caught per case scored, less the false alarms weighed by "
        "the odds of the threshold probability. Each strategy's scores are first moved to the production rate (the "
        "prior-shift correction, from the rate of the small class it was trained on), so a threshold probability "
        "means what it says. The dotted line marks the threshold probability your costs imply."
    )
