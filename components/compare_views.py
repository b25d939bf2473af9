"""The comparison: strategy picker, leaderboard, grid of confusion matrices, curves, bars, takeaways, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import state
from components.cache import cached_budget, cached_script
from components.charts import show_chart
from components.evaluation_views import BUDGET_CAPTION, budget_share, cross_validation_table, scores_table
from components.messages import made_when_asked, plain
from components.production_views import PRODUCTION_CAPTION, production_rate, production_view
from components.strategy_controls import cv_controls, tuning_settings
from core.comparison.compare import best_in_column, default_strategies, differences, strategy_choices, with_intervals
from core.comparison.decision import decision_summary
from core.comparison.gains import budget_shown, gains
from core.comparison.production import Deployment
from core.comparison.takeaways import differences_caption, noise_warning, summary, takeaways
from core.data.prepared import PreparedData
from core.data.split import Split, run_identity
from core.errors import UserFacingError
from core.modelling.evaluation import METRIC_LABELS, Evaluation, confusion, pr_curves, roc_curves
from core.modelling.strategies import Strategy, TuningSettings
from core.output.figure_export import figures_zip
from core.output.report import build_report
from core.output.result_figures import confusion_grid_figure, curves_figure, gains_figure, metric_bars_figure
from core.output.safe_download import safe_csv_bytes
from core.output.shared_settings import SharedSettings, encode_token, to_json


def compare_controls(prepared: PreparedData, split: Split) -> tuple[list[Strategy], int, int, int, TuningSettings]:
    """The strategies to compare (from the ready-made list), CV folds and repeats, seed and tuning settings."""
    n_classes = split.y_train.nunique()
    c1, c2 = st.columns([1, 1])
    folds, repeats = cv_controls(
        c1, key=state.W_COMPARE_FOLDS, split=split,
        help="The same folds for every strategy; resampling is fit inside each training fold only.",
    )  # fmt: skip
    seed = int(c2.number_input("Seed", 0, 2**31 - 1, step=1, **state.bind(state.W_COMPARE_SEED, 0)))
    tuning = tuning_settings(rate=production_rate(prepared))
    choices = strategy_choices(data_kind=prepared.plan.kind, n_classes=n_classes, seed=seed, tuning=tuning)
    from_train = {}
    for s in state.train_strategies():  # what was built on Train, with its own settings, is offered as it is
        if choices.get(s.id) != s:
            from_train[state.TRAIN_CHOICE + s.id] = s
    choices |= from_train
    chosen = [i for i in st.session_state.get(state.W_COMPARE_IDS, []) if i in choices]
    if chosen != st.session_state.get(state.W_COMPARE_IDS):
        state.forget(state.W_COMPARE_IDS)
    ids = st.multiselect(
        "Strategies to compare (the first is the baseline the takeaways compare against)",
        list(choices),
        format_func=lambda i: choices[i].name + (" (as set on Train)" if i in from_train else ""),
        max_selections=8,
        **state.bind(state.W_COMPARE_IDS, default_strategies(data_kind=prepared.plan.kind, n_classes=n_classes)),
    )
    if from_train:
        st.caption("Strategies set on Train & evaluate are in the list as they were set there (\"as set on Train\"); "
                   "their results are reused.")  # fmt: skip
    return [choices[i] for i in ids], folds, repeats, seed, tuning


def leaderboard_panel(evals: list[Evaluation], setting: Deployment | None = None) -> pd.DataFrame:
    """The leaderboard with intervals and the best value of each column highlighted; returns the numeric table."""
    table = scores_table(evals, setting)
    cross_validation_table(evals)
    return table


#: Differences per table: each cell holds a difference, its interval and a verdict.
_DIFFERENCES_PER_TABLE = 2


def differences_panel(evals: list[Evaluation]) -> pd.DataFrame | None:
    """Each strategy against the baseline: paired differences with their intervals and a verdict."""
    if len(evals) < 2:
        return None
    table = differences(evals)
    st.subheader(f"Against the baseline, {plain(evals[0].name)}")
    metric_columns = [c for c in table.columns if c != "strategy"]
    for i in range(0, len(metric_columns), _DIFFERENCES_PER_TABLE):  # a page's width each, no sideways scrolling
        part = table[["strategy", *metric_columns[i : i + _DIFFERENCES_PER_TABLE]]]
        st.dataframe(part, hide_index=True, width="stretch")
    st.caption(differences_caption(evals))
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
        curves, share = [gains(e) for e in evals], budget_share()
        figs.append(("Cumulative gains", gains_figure(curves, share=share)))
        figs.append(("Lift", gains_figure(curves, share=share, lift=True)))
        keys = ["recall", "precision", "f1", "balanced_accuracy", "pr_auc"]
    else:
        keys = ["balanced_accuracy", "macro_f1", "g_mean", "roc_auc", "pr_auc"]
    figs.append(("Metrics by strategy", metric_bars_figure(table, metrics=[METRIC_LABELS[k] for k in keys])))
    return figs


def show_figures(figs: list[tuple[str, object]]) -> None:
    """Draw the comparison figures: the grid, the two curves side by side, the bars."""
    by = dict(figs)
    st.subheader("Confusion matrices")
    show_chart(by["Confusion matrices"], key="compare_grid")
    if "ROC curves" in by:
        st.subheader("ROC and precision-recall curves")
        left, right = st.columns(2)
        show_chart(by["ROC curves"], key="compare_roc", where=left)
        show_chart(by["Precision-recall curves"], key="compare_pr", where=right)
    if "Cumulative gains" in by:
        st.subheader("Gains and lift")
        left, right = st.columns(2)
        show_chart(by["Cumulative gains"], key="compare_gains", where=left)
        show_chart(by["Lift"], key="compare_lift", where=right)
    st.subheader("Metrics side by side")
    show_chart(by["Metrics by strategy"], key="compare_bars")


def takeaways_panel(evals: list[Evaluation], setting: Deployment | None = None) -> tuple[list[str], list[str]]:
    """What helped here (for two classes: moving the threshold, then each way beyond it, at the session's costs and
    rate) and plain-language takeaways, computed from the results and their noise; for a two-class target, one
    sentence per strategy on what it would do in production (the settings below)."""
    lines, helped = takeaways(evals), summary(evals, setting)
    if setting is not None and len(evals) > 1:
        lines = lines + production_view(evals, setting).takeaways
    st.subheader("Takeaways")
    if not lines:
        st.caption("Pick at least two strategies to compare.")
    if helped:
        st.markdown("**What helped here**")
        for line in helped:
            st.markdown(f"- {plain(line)}")
        st.markdown("**Strategy by strategy**")
    for line in lines:
        st.markdown(f"- {plain(line)}")
    return lines, helped


def figures_for_slides(figs, *, key: tuple) -> None:
    """Every figure of the comparison as PNG and SVG in one ZIP, drawn on the server when asked."""
    left, right = st.columns(2)
    left.button(
        "Prepare the figures for slides (PNG and SVG)", key=state.W_PREPARE_FIGURES, icon=":material/slideshow:",
        help="Draws every chart of this comparison as an image on the server (a few seconds).",
        on_click=state.put_value, args=(state.FIGURES_ASKED, key),
    )  # fmt: skip
    ready = made_when_asked(key, asked=state.FIGURES_ASKED, store=state.FIGURES, working="Drawing the figures…",
                            make=lambda: figures_zip(figs))  # fmt: skip
    if ready is not None:
        right.download_button(
            "Download the figures (ZIP)", ready, file_name="imbalance-figures.zip", mime="application/zip",
            key=state.W_DOWNLOAD_FIGURES, icon=":material/download:", on_click="ignore"
        )  # fmt: skip


def _script_or_none(prepared: PreparedData, split: Split, evals: list[Evaluation], settings: SharedSettings,
                    setting: Deployment | None):  # fmt: skip
    try:
        return cached_script(prepared, split, [ev.strategy for ev in evals], cv_folds=settings.cv_folds,
                             cv_repeats=settings.cv_repeats, deployment=setting)  # fmt: skip
    except UserFacingError:
        return None


def _file_rows(prepared: PreparedData) -> int:
    """Rows of the data: of the whole file when the pages work on a working sample of it."""
    sample = prepared.dataset.sample
    return sample.scan.n_rows if sample is not None else prepared.dataset.n_rows


def report_split_text(prepared: PreparedData, split: Split) -> str:
    """How the data was split, for the report; for a working sample, how it was drawn and what the test split keeps."""
    text = (
        f"Test share {split.spec.test_size:.0%} (seed {split.spec.random_state}), stratified: "
        f"{len(split.y_train):,} training rows, {len(split.y_test):,} test rows."
    )
    if prepared.dataset.sample is not None:  # the stakeholders' copy says it too
        text = f"{prepared.dataset.sample.line()} {' '.join(split.notes[:1])} {text}"
    return text


def _what_was_done(
    evals: list[Evaluation], split: Split, settings: SharedSettings, setting: Deployment | None
) -> list[str]:
    """One line per fact of the run, for the report: split, folds, seeds, costs and the production setting."""
    lines = [f"Training split {len(split.y_train):,} rows, test split {len(split.y_test):,} rows (seed "
             f"{split.spec.random_state})."]  # fmt: skip
    if settings.cv_folds >= 2:
        again = f", repeated {settings.cv_repeats} times" if settings.cv_repeats > 1 else ""
        lines.append(f"Cross-validation: {settings.cv_folds} stratified folds of the training split{again}.")
    else:
        lines.append("Cross-validation: off; every score is on the test split.")
    lines.append(f"Strategy seed {settings.seed} for every strategy.")
    if setting is not None:
        small = evals[0].classes[-1]
        lines.append(f"Costs: a false alarm {setting.cost_fp:g}, a missed {small!r} {setting.cost_fn:g}.")
        lines.append(f"Production rate: {setting.rate:.3%} {small!r}; counted {setting.unit}.")
    return lines


def downloads(
    prepared: PreparedData, split: Split, evals: list[Evaluation], table: pd.DataFrame, figs, lines: list[str],
    helped: list[str], diffs: pd.DataFrame | None, settings: SharedSettings, setting: Deployment | None,
) -> None:  # fmt: skip
    """The report, the leaderboard CSV, the settings JSON, and a link that reopens this view.

    Everything a download reads is taken now, during the page's run: Streamlit calls a deferred download (the
    report) when its button is pressed, outside the run, where the session's settings cannot be read.
    """
    dist = prepared.distribution
    split_text = report_split_text(prepared, split)
    share = budget_share()
    budget_table = cached_budget(evals, share=share) if evals[0].binary else None
    script = _script_or_none(prepared, split, evals, settings, setting)
    warning = noise_warning(evals)

    def report() -> bytes:  # written when the button is pressed (it embeds every chart), from the values taken above
        return report_bytes(prepared, split, evals, table, figs, lines, helped, diffs, settings, setting,
                            share=share, budget_table=budget_table, script=script, split_text=split_text,
                            warning=warning, dist=dist)  # fmt: skip

    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Download the report (HTML)", report, file_name="imbalance-report.html", mime="text/html",
        key=state.W_DOWNLOAD_REPORT, icon=":material/description:",
        help="One file with the charts inside; opens offline in any browser.", on_click="ignore"
    )  # fmt: skip
    c2.download_button(
        "Download the leaderboard (CSV)", safe_csv_bytes(table), file_name="leaderboard.csv", mime="text/csv",
        key=state.W_DOWNLOAD_BOARD, icon=":material/table:",
        help="Every metric with its 95 % interval (columns '… low' and '… high').", on_click="ignore"
    )  # fmt: skip
    c3.download_button(
        "Download the settings (JSON)", to_json(settings).encode(), file_name="imbalance-settings.json",
        mime="application/json", key=state.W_DOWNLOAD_SETTINGS, icon=":material/tune:", on_click="ignore"
    )  # fmt: skip
    figures_for_slides(figs, key=(run_identity(prepared, split.spec), settings, setting, share))
    if settings.sample is not None:
        token = encode_token(settings)
        st.query_params["s"] = token
        st.session_state[state.APPLIED_TOKEN] = token
        st.caption("The page address now holds these settings: copy it to share this comparison.")
    else:
        st.caption("Uploaded data is not put in links: share the settings file together with your data.")


def report_bytes(
    prepared: PreparedData, split: Split, evals: list[Evaluation], table: pd.DataFrame, figs, lines: list[str],
    helped: list[str], diffs: pd.DataFrame | None, settings: SharedSettings, setting: Deployment | None, *,
    share: float, budget_table: pd.DataFrame | None, script: str | None, split_text: str, warning: str | None, dist,
) -> bytes:  # fmt: skip
    """The HTML report from values taken during the page's run (never from session state: it may be called outside
    the run). Its decision, "What was done" and production table read ``setting``, as the page does."""
    budget = production = decision = None
    figures = list(figs)
    done = _what_was_done(evals, split, settings, setting)
    if setting is not None:
        found = decision_summary(evals, setting)
        decision = (found.headline, found.basis, list(found.lines), found.table)
        view = production_view(evals, setting, rivals=found.rivals)
        production = (view.heading, view.table, view.sentences, PRODUCTION_CAPTION)
        figures.append(("Decision curve", view.figure))
        budget = (share, budget_shown(budget_table), BUDGET_CAPTION.format(positive=repr(evals[0].classes[-1])))
    return build_report(
        dataset_name=prepared.dataset.name, target=prepared.target or "", n_rows=_file_rows(prepared),
        distribution=dist, split_text=split_text, evals=evals, leaderboard=with_intervals(table),
        best=best_in_column(evals), figures=figures, takeaways=lines, summary=helped, differences=diffs,
        warning=warning, script=script, budget=budget, production=production, decision=decision, done=done,
        n_train=len(split.y_train), cv_folds=settings.cv_folds,
    ).encode("utf-8")  # fmt: skip
