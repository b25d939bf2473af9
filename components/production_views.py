"""What happens when it ships: the production rate and volume, each strategy's outcomes there, and the decision curve.

The rate and the volume are settings of the whole page, like the costs: the threshold panel, the
takeaways, the generated script and the model's loading lines read them too. A change never reruns a
fit (the outcomes are read off the confusion matrices already made; the resampled class counts come
from the Resample cache).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from components import state
from components.cache import cached_resample
from components.charts import show_chart
from components.messages import plain
from core.comparison.decision import fair_twin
from core.comparison.production import (
    Deployment,
    check_rate,
    check_volume,
    decision_curve,
    fitted_words,
    outcome,
    outcome_table,
    prior_shift,
    production_line,
    rate_note,
    takeaway,
    trained_rate,
)
from core.data.prepared import PreparedData
from core.data.split import Split
from core.modelling.evaluation import Evaluation, confusion
from core.output.result_figures import calibration_figure, decision_curve_figure


def _data_rate(prepared: PreparedData, label: str) -> float:
    """The small class's share of the data (of the whole file for a working sample: its counts are the file's)."""
    table = prepared.distribution.table
    counts = dict(zip(table["class"].astype(str), table["count"], strict=True))
    return float(counts[label] / sum(counts.values()))


def _default_text(rate: float) -> str:
    return f"{rate * 100:.4g}"


def _small(prepared: PreparedData) -> str:
    table = prepared.distribution.table
    return str(table.sort_values("count", kind="stable")["class"].iloc[0])


def production_rate(prepared: PreparedData) -> float | None:
    """The rate of the small class in production the session uses (the data's own until set; None for more than two
    classes): what a threshold tuned for the lowest cost prices its costs at."""
    if prepared.distribution.n_classes != 2:
        return None
    return _settings(_data_rate(prepared, _small(prepared)))[0]


def production_choice(prepared: PreparedData) -> tuple[float | None, float | None]:
    """The production rate the session set (None while it is the data's own) and the cases scored a day (None: per
    10,000), for the settings file and link; (None, None) for more than two classes."""
    if prepared.distribution.n_classes != 2:
        return None, None
    default = _data_rate(prepared, _small(prepared))
    rate, volume, _, _ = _settings(default)
    typed = str(state.kept(state.W_PROD_RATE, _default_text(default))).strip().rstrip("%")
    return (None if typed == _default_text(default) else rate), volume


def _settings(default_rate: float) -> tuple[float, float | None, str | None, str | None]:
    """The production rate (a share) and the cases per day (None: per 10,000) the session set, checked: a bad entry
    keeps the last valid setting, with its reason (for the rate, then for the volume)."""
    rate_error = volume_error = None
    text = str(state.kept(state.W_PROD_RATE, _default_text(default_rate)))
    try:
        rate = check_rate(text.strip().rstrip("%"))
        st.session_state[state.PROD_RATE_OK] = rate
    except ValueError as exc:
        rate = st.session_state.get(state.PROD_RATE_OK, default_rate)
        rate_error = f"{exc} Still using {rate * 100:.4g} %."
    volume_text = str(state.kept(state.W_PROD_VOLUME, "")).strip()
    volume = None
    if volume_text:
        try:
            volume = check_volume(volume_text.replace(",", ""))
            st.session_state[state.PROD_VOLUME_OK] = volume
        except ValueError as exc:
            volume = st.session_state.get(state.PROD_VOLUME_OK)
            kept = f"Still using {volume:,.0f} a day." if volume else "Counting per 10,000 cases scored."
            volume_error = f"{exc} {kept}"
    return rate, volume, rate_error, volume_error


def production_settings(default_rate: float) -> tuple[float, float | None]:
    """The two fields, with the reason beside a bad entry; returns the settings in use (see :func:`_settings`)."""
    left, right = st.columns(2)
    left.text_input(
        "Rate of the small class in production (%)", **state.bind(state.W_PROD_RATE, _default_text(default_rate)),
        help="How common the cases are among the rows the model will score. Recall and the false-alarm rate carry "
             "over to another rate; precision, the alerts and the cost do not.",
    )  # fmt: skip
    right.text_input(
        "Cases scored per day (optional)", **state.bind(state.W_PROD_VOLUME, ""),
        help="Leave empty to count per 10,000 cases scored.",
    )  # fmt: skip
    rate, volume, rate_error, volume_error = _settings(default_rate)
    if rate_error:
        left.error(rate_error)
    if volume_error:
        right.error(volume_error)
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


@dataclass(frozen=True)
class ProductionView:
    """What the production panel shows, also what the report carries."""

    heading: str
    table: pd.DataFrame
    sentences: list[str]
    figure: object
    note: str | None
    takeaways: list[str]
    trained: list[float | None]


def _threshold_text(ev: Evaluation, evals: list[Evaluation]) -> str:
    if ev in evals:
        return f"{ev.threshold:.2f} (as set)"
    return f"{ev.threshold:.2f} (tuned for your costs)"


def production_view(evals: list[Evaluation], setting: Deployment, *, rivals: list[Evaluation] = ()) -> ProductionView:
    """The outcome table (each strategy as set, then each rival at a threshold tuned for the costs that is not among
    them), one line per strategy in whole cases, and the decision curve, at ``setting``'s rate, per day or per
    10,000 cases, at its costs."""
    label = evals[0].classes[-1]
    per, unit, rate = setting.per, setting.unit, setting.rate
    shown = list(evals) + [r for r in rivals if r.name not in {ev.name for ev in evals}]
    outcomes = [outcome(confusion(ev), rate=rate, per=per, cost_fp=setting.cost_fp, cost_fn=setting.cost_fn)
                for ev in shown]  # fmt: skip
    nothing = setting.cost_fn * rate * per
    trained = [setting.fitted_rate(ev.name) for ev in evals]
    sentences = []
    for ev, o in zip(shown, outcomes, strict=True):
        r = setting.fitted_rate(ev.name)
        words = fitted_words(ev.strategy, trained=r, label=repr(label))
        sentences.append(production_line(ev.name, o, label=repr(label), unit=unit, nothing=nothing, fitted=words,
                                         trained=r))  # fmt: skip
    curves = []
    for ev, r in zip(evals, trained, strict=True):
        if r is not None:
            dc = decision_curve(ev.y_test, prior_shift(ev.proba[:, 1], trained_rate=r, rate=rate), rate=rate)
            curves.append((ev.name, dc["thresholds"], dc["net_benefit"]))
    dc = decision_curve(evals[0].y_test, evals[0].proba[:, 1], rate=rate)
    marked = setting.cost_fp / (setting.cost_fp + setting.cost_fn) if setting.cost_fp + setting.cost_fn > 0 else None
    figure = decision_curve_figure(curves, thresholds=dc["thresholds"], everyone=dc["everyone"], rate=rate,
                                   marked=marked)  # fmt: skip
    heading = f"{unit.capitalize()}, at a production rate of {rate:.3%} {label!r}"
    rows = [(ev.name, _threshold_text(ev, evals), o) for ev, o in zip(shown, outcomes, strict=True)]
    table = pd.DataFrame(outcome_table(rows, nothing=nothing))
    short = [takeaway(ev.name, o, label=repr(label)) for ev, o in zip(evals, outcomes[: len(evals)], strict=True)]
    return ProductionView(heading, table, sentences, figure, rate_note(rate, float(np.mean(evals[0].y_test == 1))),
                          short, trained)  # fmt: skip


def current_deployment(evals: list[Evaluation], *, prepared: PreparedData, split: Split) -> Deployment | None:
    """The session's costs and production setting, read once per run and handed to every part of the page and to
    every download (None: not two classes). Each strategy's training rate is recorded by name, for the fair
    rivals' names too (they share their model's)."""
    if not evals[0].binary:
        return None
    rate, volume, _, _ = _settings(_data_rate(prepared, evals[0].classes[-1]))
    per, unit = (volume, "a day") if volume else (10_000.0, "per 10,000 cases scored")
    cost_fp, cost_fn = state.costs()
    rates = _rates(evals, prepared, split)
    fitted = [(ev.name, r) for ev, r in zip(evals, rates, strict=True)]
    setting = Deployment(rate=rate, per=float(per), unit=unit, cost_fp=cost_fp, cost_fn=cost_fn,
                         fitted_at=tuple(fitted))  # fmt: skip
    twins = [(fair_twin(ev.strategy, setting).name, r) for ev, r in zip(evals, rates, strict=True)]
    return replace(setting, fitted_at=tuple(dict(twins + fitted).items()))


def production_panel(evals: list[Evaluation], setting: Deployment, *, prepared: PreparedData,
                     rivals: list[Evaluation] = ()) -> None:  # fmt: skip
    """Binary: the outcome table per 10,000 cases (or per day) at the production rate, one line per strategy, and
    the decision curve. The two fields set the rate and volume the whole page (and its downloads) read."""
    production_settings(_data_rate(prepared, evals[0].classes[-1]))
    view = production_view(evals, setting, rivals=rivals)
    if view.note:
        st.info(plain(view.note), icon=":material/info:")
    st.markdown(f"**{plain(view.heading)}**")
    _table(view.table)
    for sentence in view.sentences:
        st.markdown(f"- {plain(sentence)}")
    st.caption(PRODUCTION_CAPTION)
    show_chart(view.figure, key="decision_curve")
    st.caption(DECISION_CAPTION)
    corrected_calibration(evals, trained=view.trained)


def _table(table: pd.DataFrame) -> None:
    """The outcome table in two plain HTML tables (a screen reader and a browser test read them), each narrow enough
    for a projector's width."""
    frame = table.set_index("strategy")
    st.table(frame[["threshold", "flagged", "cases caught", "cases missed", "false alarms"]])
    st.table(frame[["cost", "saving", "precision"]])


def corrected_calibration(evals: list[Evaluation], *, trained: list[float | None]) -> None:
    """For strategies fitted at another rate than the data's: calibration on the untouched test split before and
    after their probabilities are moved to the data's rate (the test split's, the only rate it can check)."""
    test_rate = float(np.mean(evals[0].y_test == 1))
    moved = []
    for ev, r in zip(evals, trained, strict=True):
        if r is not None and abs(r - test_rate) > 0.1 * test_rate:
            moved.append((ev, prior_shift(ev.proba[:, 1], trained_rate=r, rate=test_rate)))
    if not moved:
        return
    truth = evals[0].y_test == 1
    # each curve's name carries its Brier score, which the caption below repeats
    series, before, names = [], {}, {}
    for ev, p in moved:
        label = f"{ev.name} (Brier {brier_score_loss(truth, p):.4f})"
        series.append((label, *_curve(truth, p)))
        before[label] = _curve(truth, ev.proba[:, 1])
        names[label] = f"as fitted: {ev.name} (Brier {brier_score_loss(truth, ev.proba[:, 1]):.4f})"
    figure = calibration_figure(series, before=before, before_word="as fitted", before_names=names,
                                title="Calibration with the probabilities moved to the data's rate")  # fmt: skip
    show_chart(figure, key="corrected_calibration")
    for ev, p in moved:
        st.caption(
            f"{plain(ev.name)}: Brier score {brier_score_loss(truth, ev.proba[:, 1]):.4f} as fitted, "
            f"{brier_score_loss(truth, p):.4f} with its probabilities moved to the data's rate ({test_rate:.2%}); "
            "the same decisions, a truthful scale (lower is better)."
        )


def _curve(truth: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    observed, predicted = calibration_curve(truth, p, n_bins=10, strategy="quantile")
    return predicted, observed


#: What the outcome table reads and which numbers move with the rate.
PRODUCTION_CAPTION = (
    "Each strategy at its own threshold (as set), then each model at a threshold tuned for your costs at this rate "
    "on its training folds, as the decision judges it. Recall and the false-alarm rate are measured on the test split "
    "and do not depend on the rate; the flagged rows, false alarms, cost and precision are worked out at the "
    "production rate from those two, at the costs set in the strategy settings, in whole cases. Saving: against "
    "flagging no one, which misses every case. In brackets: 95 % intervals from the test split's counts (Jeffreys "
    "posteriors of the two rates)."
)
#: What the decision curve shows.
DECISION_CAPTION = (
    "Net benefit (Vickers & Elkin 2006): the cases caught per case scored, less the false alarms weighed by the odds "
    "of the threshold probability. Each strategy's scores are first moved to the production rate (the prior-shift "
    "correction, from the rate of the small class it was trained on), so a threshold probability means what it says. "
    "The dotted line marks the threshold probability your costs imply."
)
