"""Take-aways a data scientist can run: the generated script, the data file it reads, and a fitted model file."""

from __future__ import annotations

import streamlit as st

from components import state
from components.cache import cached_script
from components.messages import made_when_asked, show_message
from components.presenting import presenting
from core.comparison.production import Deployment
from core.data.bundled import SAMPLE_DIR
from core.data.prepared import PreparedData
from core.data.split import Split, run_identity
from core.errors import UserFacingError
from core.modelling.evaluation import Evaluation
from core.modelling.strategies import Strategy
from core.output.model_export import load_snippet, model_file
from core.output.safe_download import safe_csv_bytes
from core.output.script import data_file_name, script_file_name


def code_panel(
    prepared: PreparedData,
    split: Split,
    strategies: list[Strategy],
    *,
    cv_folds: int,
    cv_repeats: int,
    page: str,
    deployment: Deployment | None = None,
) -> None:
    """ "Show the code": the standalone script behind these strategies, to read, copy and download."""
    with st.expander("Show the code", icon=":material/code:"):
        try:
            text = cached_script(prepared, split, strategies, cv_folds=cv_folds, cv_repeats=cv_repeats,
                                 deployment=deployment)  # fmt: skip
        except UserFacingError as exc:
            show_message("warning", f"The script cannot be written for these settings: {exc}")
            return
        st.caption(
            "A standalone Python script that does what this page did: it reads the same file, keeps the same "
            "columns, makes the same split with the same seed, fits the same pipelines and prints the same test "
            "scores. It needs only pandas, scikit-learn and imbalanced-learn." + _carries(deployment)
        )
        title = strategies[0].name if len(strategies) == 1 else "comparison"
        left, right = st.columns(2)
        left.download_button(
            "Download the script (.py)", text.encode("utf-8"), file_name=script_file_name(title),
            mime="text/x-python", key=f"{state.W_DOWNLOAD_SCRIPT}.{page}", icon=":material/download:", on_click="ignore"
        )  # fmt: skip
        _data_file(prepared, right, page=page)
        st.code(
            text, language="python", line_numbers=not presenting(), wrap_lines=presenting()
        )  # a projector: no sideways scroll


def _carries(deployment: Deployment | None) -> str:
    if deployment is None:
        return ""
    return (
        f" Then it prints each strategy's outcome {deployment.unit} at the production rate of {deployment.rate:.4%} "
        "set under What happens in production (as it was when this page last ran in full), and what each threshold "
        "means as a probability there."
    )


def _data_file(prepared: PreparedData, column, *, page: str) -> None:
    """The file the script reads, offered when the app (not the user) has it: a bundled or generated sample."""
    source = prepared.dataset.source
    name = data_file_name(source)
    if source is None or name is None or (prepared.dataset.origin != "sample" and source.reader != "generated"):
        return
    if source.reader == "generated":
        data, mime = safe_csv_bytes(prepared.dataset.frame), "text/csv"
    else:
        data, mime = (SAMPLE_DIR / name).read_bytes(), "application/octet-stream"
    column.download_button(
        f"Download the data it reads ({name})", data, file_name=name, mime=mime,
        key=f"{state.W_DOWNLOAD_DATA}.{page}", icon=":material/dataset:", on_click="ignore"
    )  # fmt: skip


def model_panel(
    prepared: PreparedData, split: Split, evals: list[Evaluation], *, page: str, deployment: Deployment | None = None
) -> None:
    """A strategy's fitted model as a skops file, with the lines that load it; fitted when asked."""
    with st.expander("Download a fitted model", icon=":material/deployed_code:"):
        st.caption(
            "The strategy's whole pipeline (preparation, resampling, model and its threshold), fitted on the "
            "training split and saved in the skops format, which loads without running code from the file "
            "(unlike pickle). The app only writes model files; it never opens one."
        )
        names = [ev.name for ev in evals]
        pick = st.selectbox("Strategy", names, key=f"{state.W_MODEL_PICK}.{page}") if len(evals) > 1 else names[0]
        ev = evals[names.index(pick)] if pick in names else evals[0]
        key = (run_identity(prepared, split.spec), ev.strategy)
        st.button(
            "Prepare the model file", key=f"{state.W_PREPARE_MODEL}.{page}", icon=":material/build:",
            help="Fits the strategy again on the training split, with library classes only (as long as training took).",
            on_click=state.put_value, args=(state.MODEL_ASKED, key),
        )  # fmt: skip
        written = made_when_asked(
            key, asked=state.MODEL_ASKED, store=state.MODEL_FILE, working=f"Fitting {ev.name} on the training split…",
            make=lambda: model_file(ev, prepared=prepared, split=split), kind="warning",
        )  # fmt: skip
        if written is None:
            return
        for text in written.differs:
            show_message("info", text)
        file_name = script_file_name(ev.name).removesuffix(".py") + ".skops"
        st.download_button(
            "Download the model (.skops)", written.data, file_name=file_name, mime="application/octet-stream",
            key=f"{state.W_DOWNLOAD_MODEL}.{page}", icon=":material/download:", on_click="ignore"
        )  # fmt: skip
        st.markdown("To load it and predict new rows (with `pip install skops`):")
        fitted_at = None if deployment is None else deployment.fitted_rate(ev.name)
        st.code(load_snippet(file_name, prepared=prepared, classes=ev.classes, fitted_at=fitted_at,
                             deployment=deployment), language="python", wrap_lines=presenting())  # fmt: skip


def small_data_note(prepared: PreparedData, split: Split) -> None:
    """Say when the classes are balanced (nothing for resampling to fix) and when the test split is too small to judge."""
    dist = prepared.distribution
    if dist is not None and dist.imbalance_ratio < 1.5:
        show_message(
            "info",
            f"These classes are balanced ({' vs '.join(f'{int(n):,}' for n in dist.table['count'])} rows), so there is no "
            "imbalance for resampling or class weights to fix: SMOTE, for one, adds no rows when the classes are "
            "already the same size. Use this data to read the code, and a skewed sample to learn about imbalance.",
        )
    n_test = len(split.y_test)
    if n_test < 30:
        show_message(
            "warning",
            f"The test split holds only {n_test} row(s), so each is {100 / n_test:.0f} % of it: one lucky or unlucky row "
            "decides every score, and these numbers say nothing about new data. Load more rows.",
        )
