"""Results of trained strategies: metrics, confusion matrices, curves, threshold and costs, calibration, importance.

Each panel with display options is a fragment (``st.fragment``): changing an option reruns that panel
alone, not the page, so the other charts are neither rebuilt nor sent to the browser again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.metrics import brier_score_loss

from components import state
from components.cache import cached_budget, cached_evaluations
from components.charts import show_chart
from components.messages import plain, show_message
from components.presenting import presenting
from core.comparison.compare import best_in_column, leaderboard, meaning, with_intervals
from core.comparison.decision import Decision, decision_summary
from core.comparison.gains import budget_shown, gains
from core.comparison.intervals import jeffreys
from core.comparison.production import Deployment, threshold_sentence
from core.comparison.takeaways import intervals_caption, noise_warning
from core.errors import UserFacingError
from core.modelling.evaluation import (
    METRIC_LABELS,
    Evaluation,
    calibration,
    confusion,
    cost_curve,
    metrics,
    per_class_table,
    pr_curves,
    roc_curves,
)
from core.output.result_figures import (
    calibration_figure,
    confusion_grid_figure,
    cost_figure,
    curves_figure,
    gains_figure,
    importance_figure,
)

#: Metric columns per scores table: four values with intervals fit a laptop screen beside the sidebar.
_COLUMNS_PER_TABLE = 4


def scores_table(evals: list[Evaluation], setting: Deployment | None = None) -> pd.DataFrame:
    """The scores on the test split with their 95 % intervals, one row per strategy, the best of each marked; for two
    classes the cost per case at ``setting``'s costs and production rate.

    Returns the numeric table (values and bounds), as the leaderboard CSV carries it.
    """
    costs = (setting.cost_fp, setting.cost_fn) if setting is not None else None
    table = leaderboard(evals, costs=costs, rate=setting.rate if setting is not None else None)
    shown = with_intervals(table)
    best = best_in_column(evals)

    def mark(column: pd.Series) -> list[str]:
        winner = best.get(column.name)
        return ["background-color: #dcefe0; font-weight: 600" if winner == s else "" for s in shown["strategy"]]

    metric_columns = [c for c in shown.columns if c not in {"strategy", "threshold"}]
    lead = [c for c in ("strategy", "threshold") if c in shown.columns]
    for i in range(0, len(metric_columns), _COLUMNS_PER_TABLE):  # a page's width each, no sideways scrolling
        part = shown[(lead if i == 0 else ["strategy"]) + metric_columns[i : i + _COLUMNS_PER_TABLE]]
        st.dataframe(part.style.apply(mark, axis=0), hide_index=True, width="stretch")
    warning = noise_warning(evals)
    if warning:
        show_message("warning", warning)
    binary = evals[0].binary
    baseline = metrics(evals[0])["baseline_accuracy"]
    majority = evals[0].classes[0]
    which = (
        f"Recall, precision and F1 are for the smaller class {plain(repr(evals[0].classes[-1]))} (precision is "
        '"–" when a strategy flagged nothing); PR-AUC is its average precision.'
        if binary
        else "ROC-AUC and PR-AUC (average precision) are one-vs-rest macro averages; macro F1 averages every class."
    )
    st.caption(
        f"{intervals_caption(binary)} "
        f"Accuracy only means something next to its baseline: always answering {plain(repr(majority))} "
        f"scores {baseline:.1%} on this test split. {which} Everything is measured on the untouched test split"
        + (", each strategy at its own threshold." if binary else ", predicting the most probable class.")
        + (f" Cost per case: at the production rate of {setting.rate:.3%} {plain(repr(evals[0].classes[-1]))}, the "
           "false-alarm rate times the cost of a false alarm plus the miss rate times the cost of a missed case, "
           "each weighed by its class's share." if setting is not None else "")
    )  # fmt: skip
    return table


def decision_panel(evals: list[Evaluation], setting: Deployment | None) -> Decision | None:
    """Binary: the decision summary at the session's costs and production rate, between fair rivals (each model at a
    threshold tuned for the costs), in a box at the top."""
    decision = decision_summary(evals, setting) if setting is not None else None
    if decision is None:
        return None
    with st.container(border=True):
        st.markdown(f"**{plain(decision.headline)}**")
        st.caption(plain(decision.basis))
        st.markdown(f"- {plain(decision.lines[0])}")  # what doing nothing costs: every saving is against it
        if decision.table is not None:
            st.table(decision.table.set_index("model and threshold"))  # a plain HTML table, cheapest first
        for line in decision.lines[1:]:
            st.markdown(f"- {plain(line)}")
        st.caption(
            "Counted on the untouched test split and worked out at the production rate, with 95 % intervals. A "
            "strategy is named only when it is cheaper than every other beyond noise (a paired interval) and saves "
            "against flagging no one beyond noise. The costs are set under Costs and threshold tuning, the rate "
            "and volume under What happens in production; the leaderboard's cost column and the report use the same."
        )
    if presenting():  # a room that does not know the names: what each one is, in a line
        st.markdown("\n".join(f"- **{plain(ev.name)}**: {plain(meaning(ev.strategy))}" for ev in decision.rivals))
    return decision


def metrics_table(evals: list[Evaluation], setting: Deployment | None = None) -> None:
    """Scores with intervals, fit times, cross-validation and per-class tables."""
    scores_table(evals, setting)
    times = ", ".join(f"{plain(ev.name)} {ev.seconds:,.1f} s" for ev in evals)
    st.caption(f"Fit time on the training split: {times}.")
    cross_validation_table(evals)
    with st.expander("Per-class precision, recall, F1 and support"):
        for ev in evals:
            st.markdown(f"**{plain(ev.name)}**")
            st.dataframe(
                per_class_table(ev),
                hide_index=True,
                width="stretch",
                column_config={c: st.column_config.NumberColumn(format="%.3f") for c in ("precision", "recall", "F1")},
            )


def cross_validation_table(evals: list[Evaluation]) -> None:
    """Mean ± standard deviation over the folds, and what happened to folds that were left out."""
    for ev in evals:
        for note in ev.cv_notes:
            show_message("info", f"{ev.name}: {note}")
    with_cv = [ev for ev in evals if ev.cv is not None]
    if not with_cv:
        return
    keys = [k for k in METRIC_LABELS if evals[0].binary or k not in {"recall", "precision", "f1"}]
    st.markdown("**Cross-validation on the training split** (mean ± standard deviation over the folds)")
    rows = []
    for ev in with_cv:
        row = {"strategy": ev.name, "folds scored": len(ev.cv)}
        for k in keys:
            if k in ev.cv:
                sd = ev.cv[k].std(ddof=1) if len(ev.cv) > 1 else float("nan")
                row[METRIC_LABELS[k]] = f"{ev.cv[k].mean():.3f} ± {sd:.3f}"
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if any(ev.tuned is not None for ev in with_cv):
        st.caption(
            "A strategy with a tuned threshold is scored on each fold at the threshold tuned on the other folds."
        )


@st.fragment
def confusion_panel(evals: list[Evaluation]) -> None:
    """Confusion matrices of every strategy side by side, counts or row shares."""
    normalize = st.toggle("Show shares of each true class", **state.bind(state.W_NORMALIZE, False))
    fig = confusion_grid_figure(
        [ev.name for ev in evals], [confusion(ev, normalize=normalize) for ev in evals],
        classes=list(evals[0].classes), normalize=normalize,
    )  # fmt: skip
    show_chart(fig, key="confusion_grid")


@st.fragment
def curves_panel(evals: list[Evaluation]) -> None:
    """ROC and precision-recall curves of every strategy, side by side and overlaid."""
    left, right = st.columns(2)
    if evals[0].binary:
        roc = [roc_curves(ev)[0] for ev in evals]
        pr = [pr_curves(ev)[0] for ev in evals]
        show_chart(curves_figure(roc, kind="roc"), key="roc_curves", where=left)
        show_chart(curves_figure(pr, kind="pr", prevalence=evals[0].prevalence), key="pr_curves", where=right)
        st.caption(
            f"The dashed PR line is the prevalence of {plain(repr(evals[0].classes[-1]))} in the test split "
            f"({evals[0].prevalence:.3f}): the precision of guessing. On imbalanced data the PR curve shows what "
            "ROC hides."
        )
        return
    with left:
        focus = _focus(evals)
    left, right = st.columns(2)
    show_chart(curves_figure(roc_curves(focus), kind="roc"), key="roc_curves", where=left)
    show_chart(curves_figure(pr_curves(focus), kind="pr"), key="pr_curves", where=right)
    st.caption(f"One-vs-rest curves per class for {plain(focus.name)}, with macro and micro averages.")


def _focus(evals: list[Evaluation]) -> Evaluation:
    names = [ev.name for ev in evals]
    chosen = st.selectbox("Look closer at", names, **state.bind_choice(state.W_FOCUS, names, names[0]))
    return evals[names.index(chosen)]


@st.fragment
def threshold_panel(
    evals: list[Evaluation], *, cost_fp: float, cost_fn: float, deployment: Deployment | None = None
) -> None:
    """Binary: a threshold slider with live confusion matrix and metrics, the tuned threshold and the costs; with a
    ``deployment``, what the threshold is as a probability at the production rate."""
    focus = _focus(evals)
    tuned = focus.tuned
    if tuned is not None:
        st.button(
            f"Set the slider to the tuned threshold ({tuned.threshold:.2f})", key=state.W_USE_TUNED,
            on_click=state.put, args=(state.W_THRESHOLD, round(tuned.threshold, 2)), icon=":material/target:",
        )  # fmt: skip
    threshold = st.slider(
        "Decision threshold for the smaller class (explore)", 0.0, 1.0, step=0.01,
        **state.bind(state.W_THRESHOLD, 0.5),
    )  # fmt: skip
    curve = cost_curve(focus, cost_fp=cost_fp, cost_fn=cost_fn)
    here = curve.at(threshold)
    m = metrics(focus, threshold=threshold)
    cm = confusion(focus, threshold=threshold)
    caught, cases, flagged = int(cm[1, 1]), int(cm[1].sum()), int(cm[:, 1].sum())
    a, b, c, d = st.columns(4)
    low, high = jeffreys(caught, cases)
    a.metric("Recall", f"{m['recall']:.3f}", help=f"{caught} of {cases} caught; 95 % interval {low:.2f} to {high:.2f} "
             "(Jeffreys).")  # fmt: skip
    b.metric("Precision", "–" if np.isnan(m["precision"]) else f"{m['precision']:.3f}",
             help=f"{caught} cases among the {flagged} rows flagged." if flagged else "Nothing is flagged here.")  # fmt: skip
    c.metric("Total cost here", f"{here:,.0f}")
    if tuned is not None:
        d.metric(
            "Tuned threshold", f"{tuned.threshold:.2f}",
            help=f"{tuned.label.capitalize()} on held-out parts of the training split",
        )  # fmt: skip
    else:
        d.metric("Strategy's threshold", f"{focus.threshold:.2f}")
    n = len(focus.y_test)
    if tuned is not None:
        st.caption(
            f"{plain(focus.name)}: the threshold {tuned.label} by cross-validation on the training split is "
            f"{tuned.threshold:.2f}; each fold alone would have chosen between {tuned.per_fold.min():.2f} and "
            f"{tuned.per_fold.max():.2f}. Its scores above are at that threshold, on a test split it never saw."
        )
    st.caption(
        f"With a false alarm costing {cost_fp:g} and a missed {plain(repr(focus.classes[-1]))} costing {cost_fn:g}, "
        f"the cost at {threshold:.2f} is {here:,.0f} ({here / n:,.3f} per case). For exploring only: the lowest "
        f"cost on the test split is {curve.best_cost:,.0f} at {curve.best:.2f}, but it was found by looking at the "
        "test labels, so it flatters; to choose a threshold, tune one for the lowest cost on the training split "
        "(Decision threshold in the strategy)."
    )
    if deployment is not None:
        moved = threshold_sentence(
            focus.name, threshold=threshold, tuned=None if tuned is None else tuned.threshold,
            trained=deployment.fitted_rate(focus.name), rate=deployment.rate, label=repr(focus.classes[-1]),
        )  # fmt: skip
        if moved:
            st.caption(plain(moved))
    left, right = st.columns(2)
    show_chart(
        confusion_grid_figure([f"{focus.name} at {threshold:.2f}"], [confusion(focus, threshold=threshold)],
                              classes=list(focus.classes), normalize=False),
        key="threshold_confusion", where=left,
    )  # fmt: skip
    show_chart(
        cost_figure(curve, current=threshold, tuned=None if tuned is None else tuned.threshold),
        key="cost_curve", where=right,
    )  # fmt: skip


@st.fragment
def calibration_and_importance(evals: list[Evaluation]) -> None:
    """Calibration curves (binary) and the feature importances of one strategy."""
    left, right = st.columns(2)
    if evals[0].binary:
        series = [(ev.name, *calibration(ev)) for ev in evals]
        before = {ev.name: calibration(ev, before=True) for ev in evals if ev.proba_uncalibrated is not None}
        show_chart(calibration_figure(series, before=before), key="calibration", where=left)
        left.caption(
            "Resampling and class weights shift predicted probabilities upwards: a resampled model's 0.5 is not "
            "a 50 % chance. Calibration (in the strategy) repairs this on held-out training rows."
        )
        for ev in evals:
            if ev.proba_uncalibrated is not None:
                before = brier_score_loss(ev.y_test == ev.positive, ev.proba_uncalibrated[:, ev.positive])
                left.caption(
                    f"{plain(ev.name)}: Brier score {before:.4f} before calibration, {metrics(ev)['brier']:.4f} after "
                    "(lower is better)."
                )
    else:
        left.caption("The calibration curve is drawn for two-class targets.")
    with_importance = [ev for ev in evals if ev.importance is not None]
    if with_importance:
        with right:
            ev = with_importance[0] if len(with_importance) == 1 else _importance_focus(with_importance)
            show_chart(importance_figure(ev.importance), key="importance")
            st.caption(f"{plain(ev.name)}: impurity-based importances of the encoded features.")


def _importance_focus(evals: list[Evaluation]) -> Evaluation:
    names = [ev.name for ev in evals]
    chosen = st.selectbox("Feature importance of", names, **state.bind_choice(state.W_IMPORTANCE_OF, names, names[0]))
    return evals[names.index(chosen)]


def run_strategies(prepared, split, strategies: list, *, cv_folds: int, cv_repeats: int = 1) -> list[Evaluation]:
    """Fit (or reuse) every strategy; show each one's error; stop the page if none could be trained."""

    results = cached_evaluations(prepared, split, strategies, cv_folds=cv_folds, cv_repeats=cv_repeats)
    for strategy, result in zip(strategies, results, strict=True):
        if isinstance(result, UserFacingError):
            show_message("error", f"{strategy.name}: {result}")
    evals = [r for r in results if not isinstance(r, UserFacingError)]
    if not evals:
        st.stop()
    return evals


#: What the review budget's table reads.
BUDGET_CAPTION = (
    "Cases are ranked by each strategy's score for {positive}, highest first, on the untouched test split; in "
    "brackets the 95 % Jeffreys interval of the share caught, as for recall. Rows with equal scores are counted in "
    "proportion and the counts rounded to whole cases. Lift is how many times more of the small class the reviewed "
    "cases hold than a random pick of the same size."
)
#: The review budget's default, in percent of the cases.
DEFAULT_BUDGET = 5


def budget_share() -> float:
    """The review budget chosen on Train & evaluate (a share of the cases), for the report too."""
    return state.kept(state.W_BUDGET, DEFAULT_BUDGET) / 100


@st.fragment
def budget_panel(evals: list[Evaluation]) -> None:
    """Binary: cumulative gains and lift, and what reviewing the top k % of cases catches, per strategy."""
    percent = st.slider(
        "Cases the team can review (top % by score)", 1, 50, format="%d%%", **state.bind(state.W_BUDGET, DEFAULT_BUDGET)
    )
    share = percent / 100
    table = cached_budget(evals, share=share)
    positive = repr(evals[0].classes[-1])
    st.markdown(f"**If the team reviews the top {percent}% of cases by score**")
    st.table(budget_shown(table).set_index("strategy"))  # a plain HTML table: read by a screen reader and a test
    st.caption(BUDGET_CAPTION.format(positive=plain(positive)))
    curves = [gains(ev) for ev in evals]
    left, right = st.columns(2)
    show_chart(gains_figure(curves, share=share), key="gains_chart", where=left)
    show_chart(gains_figure(curves, share=share, lift=True), key="lift_chart", where=right)
