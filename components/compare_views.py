"""The comparison: strategy picker, leaderboard, grid of confusion matrices, curves, bars, takeaways, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import state
from components.messages import plain
from core.compare import best_in_column, default_strategies, leaderboard, strategy_choices, takeaways
from core.evaluation import METRIC_LABELS, Evaluation, confusion, pr_curves, roc_curves
from core.export import safe_csv_bytes
from core.figures import confusion_grid_figure, curves_figure, metric_bars_figure
from core.models import Strategy
from core.prepared import PreparedData
from core.report import build_report
from core.shared_settings import SharedSettings, encode_token, to_json
from core.split import Split

_CONFIG = {"displaylogo": False}


def compare_controls(prepared: PreparedData, split: Split) -> tuple[list[Strategy], int, int]:
    """The strategies to compare (from the ready-made list), CV folds and seed."""
    n_classes = split.y_train.nunique()
    c1, c2 = st.columns([1, 1])
    folds = c1.selectbox(
        "Cross-validation on the training split", [0, 3, 5, 10],
        format_func=lambda k: "off" if k == 0 else f"{k} folds (same folds for every strategy)",
        **state.bind(state.W_COMPARE_FOLDS, 0),
    )  # fmt: skip
    seed = int(c2.number_input("Seed", 0, 2**31 - 1, step=1, **state.bind(state.W_COMPARE_SEED, 0)))
    choices = strategy_choices(data_kind=prepared.plan.kind, n_classes=n_classes, seed=seed)
    chosen = [i for i in st.session_state.get(state.W_COMPARE_IDS, []) if i in choices]
    if chosen != st.session_state.get(state.W_COMPARE_IDS):
        state.forget(state.W_COMPARE_IDS)
    ids = st.multiselect(
        "Strategies to compare (the first is the baseline the takeaways compare against)",
        list(choices),
        format_func=lambda i: choices[i].name,
        max_selections=8,
        **state.bind(state.W_COMPARE_IDS, default_strategies(data_kind=prepared.plan.kind, n_classes=n_classes)),
    )
    return [choices[i] for i in ids], int(folds), seed


def leaderboard_panel(evals: list[Evaluation]) -> pd.DataFrame:
    """The leaderboard, sortable, with the best value of each column highlighted."""
    table = leaderboard(evals)
    best = best_in_column(table)

    def mark(column: pd.Series) -> list[str]:
        winner = best.get(column.name)
        return ["background-color: #dcefe0; font-weight: 600" if winner == s else "" for s in table["strategy"]]

    styled = table.style.apply(mark, axis=0).format(
        {c: "{:.3f}" for c in table.columns if c != "strategy" and pd.api.types.is_numeric_dtype(table[c])}
    )
    st.dataframe(styled, hide_index=True, width="stretch")
    st.caption(
        "Click a column to sort. The best value of each column is highlighted (lowest for the Brier score). "
        "Scores are on the untouched test split at threshold 0.5."
    )
    return table


def comparison_figures(evals: list[Evaluation], table: pd.DataFrame) -> list[tuple[str, object]]:
    """The figures of the comparison (also used in the report)."""
    figs: list[tuple[str, object]] = [
        (
            "Confusion matrices",
            confusion_grid_figure(
                [e.name for e in evals], [confusion(e) for e in evals], classes=list(evals[0].classes), normalize=False
            ),
        )
    ]
    if evals[0].binary:
        figs.append(("ROC curves", curves_figure([roc_curves(e)[0] for e in evals], kind="roc")))
        figs.append(
            (
                "Precision-recall curves",
                curves_figure([pr_curves(e)[0] for e in evals], kind="pr", prevalence=evals[0].prevalence),
            )
        )
        keys = ["recall", "precision", "f1", "balanced_accuracy", "pr_auc"]
    else:
        keys = ["balanced_accuracy", "macro_f1", "g_mean", "roc_auc", "pr_auc"]
    figs.append(("Metrics by strategy", metric_bars_figure(table, metrics=[METRIC_LABELS[k] for k in keys])))
    return figs


def show_figures(figs: list[tuple[str, object]]) -> None:
    """Draw the comparison figures: the grid, the two curves side by side, the bars."""
    by = dict(figs)
    st.subheader("Confusion matrices")
    st.plotly_chart(by["Confusion matrices"], key="compare_grid", config=_CONFIG)
    if "ROC curves" in by:
        st.subheader("ROC and precision-recall curves")
        left, right = st.columns(2)
        left.plotly_chart(by["ROC curves"], key="compare_roc", config=_CONFIG)
        right.plotly_chart(by["Precision-recall curves"], key="compare_pr", config=_CONFIG)
    st.subheader("Metrics side by side")
    st.plotly_chart(by["Metrics by strategy"], key="compare_bars", config=_CONFIG)


def takeaways_panel(evals: list[Evaluation]) -> list[str]:
    """Plain-language takeaways computed from the results."""
    lines = takeaways(evals)
    st.subheader("Takeaways")
    if not lines:
        st.caption("Pick at least two strategies to compare.")
    for line in lines:
        st.markdown(f"- {plain(line)}")
    return lines


def downloads(
    prepared: PreparedData, split: Split, evals: list[Evaluation], table: pd.DataFrame, figs, lines: list[str],
    settings: SharedSettings,
) -> None:  # fmt: skip
    """The report, the leaderboard CSV, the settings JSON, and a link that reopens this view."""
    dist = prepared.distribution
    split_text = (
        f"Test share {split.spec.test_size:.0%} (seed {split.spec.random_state}), stratified: "
        f"{len(split.y_train):,} training rows, {len(split.y_test):,} test rows."
    )

    def report() -> bytes:  # written when the button is pressed (it embeds every chart), not on every rerun
        return build_report(
            dataset_name=prepared.dataset.name, target=prepared.target or "", n_rows=prepared.dataset.n_rows,
            distribution=dist, split_text=split_text, evals=evals, leaderboard=table, best=best_in_column(table),
            figures=figs, takeaways=lines,
        ).encode("utf-8")  # fmt: skip

    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Download the report (HTML)", report, file_name="imbalance-report.html", mime="text/html",
        key=state.W_DOWNLOAD_REPORT, icon=":material/description:",
        help="One file with the charts inside; opens offline in any browser.",
    )  # fmt: skip
    c2.download_button(
        "Download the leaderboard (CSV)", safe_csv_bytes(table), file_name="leaderboard.csv", mime="text/csv",
        key=state.W_DOWNLOAD_BOARD, icon=":material/table:",
    )  # fmt: skip
    c3.download_button(
        "Download the settings (JSON)", to_json(settings).encode(), file_name="imbalance-settings.json",
        mime="application/json", key=state.W_DOWNLOAD_SETTINGS, icon=":material/tune:",
    )  # fmt: skip
    if settings.sample is not None:
        token = encode_token(settings)
        st.query_params["s"] = token
        st.session_state[state.APPLIED_TOKEN] = token
        st.caption("The page address now holds these settings: copy it to share this comparison.")
    else:
        st.caption("Uploaded data is not put in links: share the settings file together with your data.")
