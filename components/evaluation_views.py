"""Results of trained strategies: metrics, confusion matrices, curves, threshold and costs, calibration, importance.

Each panel with display options is a fragment (``st.fragment``): changing an option reruns that panel
alone, not the page, so the other charts are neither rebuilt nor sent to the browser again.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import state
from components.cache import cached_evaluations
from components.messages import plain, show_message
from core.errors import UserFacingError
from core.evaluation import (
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
from core.figures import calibration_figure, confusion_grid_figure, cost_figure, curves_figure, importance_figure

_CONFIG = {"displaylogo": False}


def metrics_table(evals: list[Evaluation]) -> None:
    """One row per strategy with the imbalance metrics (and CV mean ± sd when run)."""
    binary = evals[0].binary
    keys = [k for k in METRIC_LABELS if binary or k not in {"recall", "precision", "f1"}]
    rows = []
    for ev in evals:
        m = metrics(ev)
        row = {"strategy": ev.name, **{METRIC_LABELS[k]: m[k] for k in keys}, "fit time (s)": round(ev.seconds, 1)}
        rows.append(row)
    table = pd.DataFrame(rows)
    number = {METRIC_LABELS[k]: st.column_config.NumberColumn(format="%.3f") for k in keys}
    st.dataframe(table, hide_index=True, width="stretch", column_config=number)
    baseline = metrics(evals[0])["baseline_accuracy"]
    majority = evals[0].classes[0]
    which = (
        f"Recall, precision and F1 are for the smaller class {plain(repr(evals[0].classes[-1]))}; PR-AUC is its "
        "average precision."
        if binary
        else "ROC-AUC and PR-AUC (average precision) are one-vs-rest macro averages; macro F1 averages every class."
    )
    st.caption(
        f"Accuracy only means something next to its baseline: always answering {plain(repr(majority))} scores "
        f"{baseline:.1%} on this test split. {which} Everything is measured on the untouched test split"
        + (" at threshold 0.5." if binary else ", predicting the most probable class.")
    )
    with_cv = [ev for ev in evals if ev.cv is not None]
    if with_cv:
        st.markdown("**Cross-validation on the training split** (mean ± standard deviation over the folds)")
        cv_rows = []
        for ev in with_cv:
            cv_rows.append(
                {"strategy": ev.name}
                | {METRIC_LABELS[k]: f"{ev.cv[k].mean():.3f} ± {ev.cv[k].std(ddof=1):.3f}" for k in keys if k in ev.cv}
            )
        st.dataframe(pd.DataFrame(cv_rows), hide_index=True, width="stretch")
    with st.expander("Per-class precision, recall, F1 and support"):
        for ev in evals:
            st.markdown(f"**{plain(ev.name)}**")
            st.dataframe(
                per_class_table(ev),
                hide_index=True,
                width="stretch",
                column_config={c: st.column_config.NumberColumn(format="%.3f") for c in ("precision", "recall", "F1")},
            )


@st.fragment
def confusion_panel(evals: list[Evaluation]) -> None:
    """Confusion matrices of every strategy side by side, counts or row shares."""
    normalize = st.toggle("Show shares of each true class", **state.bind(state.W_NORMALIZE, False))
    fig = confusion_grid_figure(
        [ev.name for ev in evals], [confusion(ev, normalize=normalize) for ev in evals],
        classes=list(evals[0].classes), normalize=normalize,
    )  # fmt: skip
    st.plotly_chart(fig, key="confusion_grid", config=_CONFIG)


@st.fragment
def curves_panel(evals: list[Evaluation]) -> None:
    """ROC and precision-recall curves of every strategy, side by side and overlaid."""
    left, right = st.columns(2)
    if evals[0].binary:
        roc = [roc_curves(ev)[0] for ev in evals]
        pr = [pr_curves(ev)[0] for ev in evals]
        left.plotly_chart(curves_figure(roc, kind="roc"), key="roc_curves", config=_CONFIG)
        right.plotly_chart(
            curves_figure(pr, kind="pr", prevalence=evals[0].prevalence), key="pr_curves", config=_CONFIG
        )
        st.caption(
            f"The dashed PR line is the prevalence of {plain(repr(evals[0].classes[-1]))} in the test split "
            f"({evals[0].prevalence:.3f}): the precision of guessing. On imbalanced data the PR curve shows what "
            "ROC hides."
        )
        return
    with left:
        focus = _focus(evals)
    left, right = st.columns(2)
    left.plotly_chart(curves_figure(roc_curves(focus), kind="roc"), key="roc_curves", config=_CONFIG)
    right.plotly_chart(curves_figure(pr_curves(focus), kind="pr"), key="pr_curves", config=_CONFIG)
    st.caption(f"One-vs-rest curves per class for {plain(focus.name)}, with macro and micro averages.")


def _focus(evals: list[Evaluation]) -> Evaluation:
    names = [ev.name for ev in evals]
    chosen = st.selectbox("Look closer at", names, **state.bind_choice(state.W_FOCUS, names, names[0]))
    return evals[names.index(chosen)]


@st.fragment
def threshold_panel(evals: list[Evaluation]) -> None:
    """Binary: a threshold slider with live confusion matrix and metrics, and the cost-minimising threshold."""
    focus = _focus(evals)
    c1, c2, c3 = st.columns([2, 1, 1])
    threshold = c1.slider(
        "Decision threshold for the smaller class", 0.0, 1.0, step=0.01, **state.bind(state.W_THRESHOLD, 0.5)
    )
    cost_fp = c2.number_input("Cost of a false alarm", 0.0, 1e9, step=1.0, **state.bind(state.W_COST_FP, 1.0))
    cost_fn = c3.number_input("Cost of a missed case", 0.0, 1e9, step=1.0, **state.bind(state.W_COST_FN, 10.0))
    curve = cost_curve(focus, cost_fp=cost_fp, cost_fn=cost_fn)
    best, best_cost, here = curve.best, curve.best_cost, curve.at(threshold)
    m = metrics(focus, threshold=threshold)
    a, b, c, d = st.columns(4)
    a.metric("Recall", f"{m['recall']:.3f}")
    b.metric("Precision", f"{m['precision']:.3f}")
    c.metric("Total cost here", f"{here:,.0f}")
    d.metric("Lowest cost", f"{best_cost:,.0f}", help=f"at threshold {best:.2f}")
    st.caption(
        f"With a false alarm costing {cost_fp:g} and a missed {plain(repr(focus.classes[-1]))} costing {cost_fn:g}, "
        f"the threshold with the lowest total cost on the test split is {best:.2f} (cost {best_cost:,.0f}, "
        f"{best_cost / len(focus.y_test):,.3f} per case); at {threshold:.2f} the cost is {here:,.0f} "
        f"({here / len(focus.y_test):,.3f} per case). Choosing a threshold on the test split flatters it: in practice, "
        "choose it on cross-validation folds and confirm on new data."
    )
    left, right = st.columns(2)
    left.plotly_chart(
        confusion_grid_figure([f"{focus.name} at {threshold:.2f}"], [confusion(focus, threshold=threshold)],
                              classes=list(focus.classes), normalize=False),
        key="threshold_confusion", config=_CONFIG,
    )  # fmt: skip
    right.plotly_chart(cost_figure(curve, current=threshold), key="cost_curve", config=_CONFIG)


@st.fragment
def calibration_and_importance(evals: list[Evaluation]) -> None:
    """Calibration curves (binary) and the feature importances of one strategy."""
    left, right = st.columns(2)
    if evals[0].binary:
        series = [(ev.name, *calibration(ev)) for ev in evals]
        left.plotly_chart(calibration_figure(series), key="calibration", config=_CONFIG)
        left.caption(
            "Resampling and class weights shift predicted probabilities upwards: a resampled model's 0.5 is not "
            "a 50 % chance."
        )
    else:
        left.caption("The calibration curve is drawn for two-class targets.")
    with_importance = [ev for ev in evals if ev.importance is not None]
    if with_importance:
        with right:
            ev = with_importance[0] if len(with_importance) == 1 else _importance_focus(with_importance)
            st.plotly_chart(importance_figure(ev.importance), key="importance", config=_CONFIG)
            st.caption(f"{plain(ev.name)}: impurity-based importances of the encoded features.")


def _importance_focus(evals: list[Evaluation]) -> Evaluation:
    names = [ev.name for ev in evals]
    chosen = st.selectbox("Feature importance of", names, **state.bind_choice(state.W_IMPORTANCE_OF, names, names[0]))
    return evals[names.index(chosen)]


def run_strategies(prepared, split, strategies: list, *, cv_folds: int) -> list[Evaluation]:
    """Fit (or reuse) every strategy; show each one's error; stop the page if none could be trained."""

    results = cached_evaluations(prepared, split, strategies, cv_folds=cv_folds)
    for strategy, result in zip(strategies, results, strict=True):
        if isinstance(result, UserFacingError):
            show_message("error", f"{strategy.name}: {result}")
    evals = [r for r in results if not isinstance(r, UserFacingError)]
    if not evals:
        st.stop()
    return evals
