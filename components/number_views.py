"""A skewed numeric target explored as a number: the rare range, strategies on Train, and the Resample view."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components import shared_work, state
from components.charts import show_chart
from components.messages import plain, show_message
from components.presenting import presenting
from components.split_controls import split_controls
from core.comparison.number_errors import NumberScores, errors_table, number_scores, what_it_bought
from core.data.numeric_target import RareRange, box_plot_range, number_split, number_target
from core.data.prepared import PreparedData, TargetKind
from core.data.split import Split, SplitSpec, run_identity
from core.data.target import TargetError
from core.errors import UserFacingError
from core.flights import Flight
from core.output.number_figures import number_errors_figure, predicted_actual_figure, resampled_target_figure
from core.output.safe_download import safe_csv_bytes

_RULES = {"box-plot": "the box-plot rule (beyond the whisker)", "threshold": "a threshold I set"}
_SIDES = {"above": "at or above", "below": "at or below"}
_DEFAULT_STRATEGIES = ["none", "log", "dense_weights", "smoter", "smogn"]


def is_number_target(prepared: PreparedData | None) -> bool:
    """Whether the chosen target is a number (explored with the views here, not as classes): its kind, decided once
    in core (:class:`core.data.prepared.TargetKind`)."""
    return prepared is not None and prepared.kind is TargetKind.NUMBER


def rare_setting(prepared: PreparedData) -> RareRange | None:
    """The rare range control; the user's threshold, or None for the box-plot rule (found on the training rows)."""
    series = prepared.dataset.frame[prepared.target]
    found = box_plot_range(pd.to_numeric(series, errors="coerce").dropna().to_numpy(np.float64))
    a, b, c = st.columns([2, 1, 1])
    rule = a.radio("The rare range is found by", list(_RULES), format_func=_RULES.get, horizontal=True,
                   **state.bind_choice(state.W_NUM_RULE, list(_RULES), "box-plot"))  # fmt: skip
    if rule == "box-plot":
        return None
    side = b.selectbox("Rare values are", list(_SIDES), format_func=_SIDES.get,
                       **state.bind_choice(state.W_NUM_SIDE, list(_SIDES), found.side if found else "above"))  # fmt: skip
    default = found.cut if found else float(series.quantile(0.95))
    c.number_input("Threshold", format="%.4g", **state.bind(state.W_NUM_CUT, float(default)))
    return RareRange(side, float(st.session_state[state.W_NUM_CUT]), "threshold")


@st.cache_resource(show_spinner="Splitting into training and test rows…", max_entries=8)
def _split(key: tuple, _prepared: PreparedData, _rare: RareRange) -> Split:
    spec: SplitSpec = key[1]
    return number_split(_prepared.dataset.frame, target=_prepared.target, features=_prepared.plan.features,
                        rare=_rare, test_size=spec.test_size, random_state=spec.random_state)  # fmt: skip


#: Why the means of a heavy tail's errors get no interval, with what the simulation measured.
NO_MEAN_INTERVAL = (
    "An interval is only worth its coverage: a 95 % interval must hold the true value about 95 % of the time. "
    "This was measured in a simulation with known truth: a million rows drawn like the bundled claims, errors of "
    "a model on 10 to 1,000 rows of the rare range, 2,000 draws each. Student-t intervals for the rare range's "
    "MAE held the true MAE only 76–91 % of the time, and for its RMSE 21–37 %; bootstrap intervals did no better "
    "(83–91 % and 24–48 %). On a heavy tail a few huge errors decide a mean, and a sample rarely holds them, so no "
    "interval for a mean can keep its promise there. The median's sign-test interval needs no such luck: it held "
    "94–98 % in every case from 10 rows up, and is the one shown."
)


def number_setup(prepared: PreparedData) -> tuple[Split, RareRange, RareRange]:
    """Split settings, the rare range control, the split, the rare range the work uses (the box-plot rule's is
    found on the training rows only) and the one over every row the split is stratified by; or a message saying
    what to change, and a stop."""
    with st.expander("Split settings (shared with the other pages)"):
        spec = split_controls()
    chosen = rare_setting(prepared)
    try:
        _, whole = number_target(prepared.dataset.frame[prepared.target], rare=chosen)
        split = _split((run_identity(prepared, spec), spec, whole), prepared, whole)
        rare = chosen or box_plot_range(split.y_train.to_numpy(np.float64))
        if rare is None:
            raise TargetError("No training value lies beyond the box-plot whiskers; set a threshold instead.")
        _, rare = number_target(split.y_train.rename(prepared.target), rare=rare)
    except UserFacingError as exc:
        show_message("error", f"{exc} Nothing else changed.")
        st.stop()
    n_rare = int(rare.mask(split.y_train).sum())
    a, b = st.columns(2)
    a.metric("Rare range", rare.words(prepared.target), help=rare.found_on(len(split.y_train)))
    b.metric("Training rows in it", f"{n_rare:,} of {len(split.y_train):,}")
    st.caption(f"Rare range: {plain(rare.words(prepared.target))} ({n_rare:,} of {len(split.y_train):,} training "
               f"rows, {rare.found_on(len(split.y_train))}). The test split, {len(split.y_test):,} rows, keeps the "
               "real share of rare values and is never resampled.")  # fmt: skip
    return split, rare, whole


# -- Train & evaluate ------------------------------------------------------------------------------------------


def _fits(prepared: PreparedData, split: Split, rare: RareRange, strategies: list[str], model: str) -> list:
    """Each strategy's fit, from the store or trained (once for every session asking: the server's board,
    :func:`components.shared_work.wait_for`), with a progress bar and a Stop button."""
    from core.modelling.number_models import NUMBER_STRATEGIES, NumberStrategyError, fit_number_strategy

    kept = shared_work.store("number fits")
    ident = (run_identity(prepared, split.spec), rare, model)
    known = {s: kept.get((ident, s)) for s in strategies}  # read once: an entry let go while waiting is not read back
    missing = [s for s in strategies if known[s] is None]
    if not missing:
        return [known[s] for s in strategies]

    def work(flight: Flight) -> dict:
        out = {}
        for i, s in enumerate(missing):
            flight.report(i / len(missing), f"fitting {NUMBER_STRATEGIES[s][0]} ({i + 1} of {len(missing)})")
            try:
                out[s] = fit_number_strategy(split, plan=prepared.plan, strategy=s, model=model, rare=rare,
                                             random_state=split.spec.random_state)  # fmt: skip
            except NumberStrategyError as exc:
                out[s] = exc
            kept.put((ident, s), out[s])
        return out

    fitted = shared_work.wait_for((ident, tuple(missing)), work, head="Training", stop_key=state.W_NUM_STOP,
                                  on_stop=state.mark_numbers_trained)  # fmt: skip
    return [fitted[s] if s in fitted else known[s] for s in strategies]


def number_train_view(prepared: PreparedData) -> None:
    """Train & evaluate for a numeric target: strategies side by side, their errors by range with intervals."""
    from core.modelling.number_models import NUMBER_MODELS, NUMBER_STRATEGIES

    target = prepared.target
    st.info(f"{plain(target)!s} is a number: these strategies predict it, and each is judged where it matters, in "
            "the rare range as well as in the common one. To predict a rare class instead, use **Make it a class** "
            "on the Data page.")  # fmt: skip
    split, rare, whole = number_setup(prepared)
    a, b = st.columns([1, 2])
    model = a.selectbox("Model", list(NUMBER_MODELS), format_func=NUMBER_MODELS.get,
                        **state.bind_choice(state.W_NUM_MODEL, list(NUMBER_MODELS), "hgb"))  # fmt: skip
    strategies = b.multiselect(
        "Strategies", list(NUMBER_STRATEGIES), format_func=lambda k: NUMBER_STRATEGIES[k][0],
        help="; ".join(f"{n}: {what}" for n, what in NUMBER_STRATEGIES.values()),
        **state.bind(state.W_NUM_STRATEGIES, _DEFAULT_STRATEGIES),
    )  # fmt: skip
    if not strategies:
        show_message("warning", "Choose at least one strategy.")
        st.stop()
    settings = (run_identity(prepared, split.spec), rare, model, tuple(strategies))
    st.button("Train and evaluate", key=state.W_NUM_TRAIN, type="primary", icon=":material/play_arrow:",
              on_click=state.mark_numbers_trained, args=(settings,))  # fmt: skip
    if st.session_state.get(state.NUM_TRAINED) != settings:
        st.info(
            "Press **Train and evaluate** to fit the strategies above. Results are kept, so coming back is instant."
        )
        st.stop()
    fits = _fits(prepared, split, rare, strategies, model)
    y_test = split.y_test.to_numpy(np.float64)
    rare_test = rare.mask(y_test)
    done, scores = [], []
    for f in fits:
        if isinstance(f, UserFacingError):
            show_message("warning", str(f))
            continue
        for note in f.notes:
            show_message("info", f"{f.name}: {note}")
        done.append(f)
        scores.append(number_scores(f.name, y_test, f.y_pred, rare=rare_test))
    if not done:
        st.stop()
    shown = _results(prepared, split, rare, done, scores)
    st.header("Take it with you")
    text = _code(prepared, split, rare, whole, [f.strategy for f in done], model)
    _report(prepared, split, rare, done, shown, text)


def _report(prepared: PreparedData, split: Split, rare: RareRange, fits: list, shown: dict, script: str) -> None:
    from core.data.numeric_target import describe_number
    from core.modelling.number_models import NUMBER_MODELS, NUMBER_STRATEGIES
    from core.output.report import build_number_report

    def build() -> bytes:
        target = prepared.target
        n_rare = int(rare.mask(split.y_test).sum())
        return build_number_report(
            dataset_name=prepared.dataset.name, target=target, n_rows=prepared.dataset.n_rows,
            about=describe_number(prepared.dataset.frame[target]).sentence(target),
            split_text=(f"Training split {len(split.y_train):,} rows, test split {len(split.y_test):,} rows "
                        f"({n_rare:,} in the rare range {rare.words(target)}, {rare.found_on(len(split.y_train))}), "
                        f"seed {split.spec.random_state}."),
            strategies=[(f.name, f"{NUMBER_STRATEGIES[f.strategy][1]}; {NUMBER_MODELS[f.model]}; "
                                 f"{f.n_train:,} training rows ({f.n_synthetic:,} synthetic)") for f in fits],
            errors=shown["errors"], sentences=shown["sentences"], figures=shown["figures"], script=script,
        ).encode("utf-8")  # fmt: skip

    st.download_button("Download the report (HTML)", data=build, file_name="imbalance_explorer_number_report.html",
                       mime="text/html", icon=":material/description:", on_click="ignore",
                       help="One file with the table, the sentences, the charts and the script; it opens offline.")  # fmt: skip


def _code(prepared: PreparedData, split: Split, rare: RareRange, whole: RareRange, strategies: list[str],
          model: str) -> str:  # fmt: skip
    from core.output.number_script import number_script
    from core.output.script import data_file_name, script_file_name

    with st.expander("Show the code", icon=":material/code:"):
        text = number_script(strategies, model=model, prepared=prepared, split=split, strata=whole, rare=rare)
        st.caption("A standalone Python script that does what this page did: the same file, columns, split and "
                   "pipelines, and it prints the same errors. It carries the app's SMOTER, SMOGN and DenseWeight code, "
                   "so it needs only pandas, scikit-learn and imbalanced-learn.")  # fmt: skip
        left, right = st.columns(2)
        left.download_button("Download the script (.py)", text.encode("utf-8"), mime="text/x-python",
                             file_name=script_file_name(f"{prepared.target} numbers"), icon=":material/download:",
                             on_click="ignore")  # fmt: skip
        name = data_file_name(prepared.dataset.source)
        if name:
            right.caption(f"It reads {plain(name)} from the folder it runs in.")
        st.code(
            text, language="python", line_numbers=not presenting(), wrap_lines=presenting()
        )  # a projector: no sideways scroll
    return text


def _results(prepared: PreparedData, split: Split, rare: RareRange, fits: list, scores: list[NumberScores]) -> dict:
    """The results on the page; returns what the report needs (the table, the sentences, the figures)."""
    target = prepared.target
    st.header("Errors where they matter")
    table = errors_table(scores)
    st.dataframe(table, hide_index=True, width="stretch")
    with st.expander("What each strategy was trained on"):
        st.table(pd.DataFrame({"strategy": [f.name for f in fits], "training rows": [f"{f.n_train:,}" for f in fits],
                               "synthetic": [f"{f.n_synthetic:,}" for f in fits],
                               "seconds": [f"{f.seconds:,.1f}" for f in fits]}).set_index("strategy"))  # fmt: skip
    n_rare = int(scores[0].rows("rare").sum())
    st.caption(
        f"Test split: {len(split.y_test):,} rows, {n_rare:,} in the rare range ({plain(rare.words(target))}, "
        f"{rare.found_on(len(split.y_train))}). The median "
        "absolute error's 95 % interval is distribution-free (the sign test), so it holds for any error. MAE and "
        "RMSE are given without one: on a skewed target no interval for a mean holds its claim."
    )  # fmt: skip
    with st.expander("Why MAE and RMSE get no interval"):
        st.markdown(NO_MEAN_INTERVAL)
    base = next((s for s, f in zip(scores, fits, strict=True) if f.strategy == "none"), None)
    st.subheader("What each strategy bought, and what it cost")
    sentences = [] if base is None else [what_it_bought(s, base) for s in scores if s is not base]
    if base is None:
        st.caption("Add **No handling** to the strategies to see each one against it.")
    else:
        for line in sentences:
            st.markdown(f"- {plain(line)}")
        st.caption("A change is the median over the same test rows of (this strategy's absolute error − no "
                   "handling's), with its paired 95 % interval; it is called a rise or fall only when the interval "
                   "excludes 0.")  # fmt: skip
    errors_fig = number_errors_figure(scores)
    show_chart(errors_fig, key="number_errors")
    log = st.toggle("Log axes", **state.bind(state.W_NUM_LOG, True))
    key = (run_identity(prepared, split.spec), rare, tuple((f.strategy, f.model) for f in fits), log)
    predicted = _predicted_figure(key, split, fits, target, rare)
    show_chart(predicted, key="number_predicted")
    return {"errors": table, "sentences": sentences,
            "figures": [("Errors by target range", errors_fig), ("Predicted against actual", predicted)]}  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=16)
def _predicted_figure(key: tuple, _split: Split, _fits: list, target: str, _rare: RareRange):
    """Predicted against actual, kept by the run, the fits and the axes (a display-only toggle redraws, not rebuilds)."""
    preds = {f.name: f.y_pred for f in _fits}
    return predicted_actual_figure(_split.y_test.to_numpy(np.float64), preds, name=target, rare_cut=_rare.cut,
                                   side=_rare.side, log=key[-1])  # fmt: skip


# -- Resample ----------------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner="Resampling the training rows…", max_entries=8)
def _resampled(key: tuple, _prepared: PreparedData, _split: Split):
    from core.resampling.number_resample import resample_number

    _, rare, sampler = key
    return resample_number(_split, plan=_prepared.plan, target=_prepared.target, sampler=sampler, rare=rare,
                           random_state=_split.spec.random_state)  # fmt: skip


def number_resample_view(prepared: PreparedData) -> None:
    """The Resample page for a numeric target: the target before and after, the rows in 2-D, the CSV."""
    from core.resampling.number_resample import NUMBER_SAMPLERS
    from core.safe_text import plot_label

    target = prepared.target
    split, rare, _ = number_setup(prepared)
    keys = list(NUMBER_SAMPLERS)
    sampler = st.radio("Method", keys, format_func=lambda k: NUMBER_SAMPLERS[k][1], horizontal=True,
                       **state.bind_choice(state.W_NUM_SAMPLER, keys, "smogn"))  # fmt: skip
    try:
        result = _resampled((run_identity(prepared, split.spec), rare, sampler), prepared, split)
    except UserFacingError as exc:
        show_message("error", str(exc))
        st.stop()
    for note in result.notes:
        show_message("info", note)
    synth = result.synthetic
    y_after = result.frame[target].to_numpy(np.float64)
    n_rare_before, n_rare_after = int(rare.mask(result.before).sum()), int(rare.mask(y_after).sum())
    a, b, c = st.columns(3)
    a.metric("Training rows", f"{len(y_after):,}", f"{len(y_after) - len(result.before):+,}")
    b.metric("In the rare range", f"{n_rare_after:,}", f"{n_rare_after - n_rare_before:+,}")
    c.metric("Synthetic rows", f"{int(synth.sum()):,}")
    st.caption("Every method runs on the training rows only, after the features are filled in and standardised "
               "(fitted on those rows); categories are kept as categories. Rows are shown in the data's own units.")  # fmt: skip
    log = st.toggle("Log scale", **state.bind(state.W_NUM_RESAMPLE_LOG, True))
    show_chart(resampled_target_figure(result.before, y_after[~synth], y_after[synth], name=target, rare_cut=rare.cut,
                                       side=rare.side, log=log), key="number_resampled")  # fmt: skip
    import plotly.graph_objects as go

    rng = np.random.default_rng(0)
    rows = np.arange(len(y_after)) if len(y_after) <= 6000 else np.sort(rng.choice(len(y_after), 6000, replace=False))
    fig = go.Figure()
    for is_synth, label, symbol in ((False, "original rows", "circle"), (True, "synthetic rows", "x")):
        keep = rows[synth[rows] == is_synth]
        fig.add_trace(go.Scattergl(
            x=result.xy[keep, 0], y=result.xy[keep, 1], mode="markers", name=label,
            marker={"symbol": symbol, "size": 5, "color": np.log10(np.clip(y_after[keep], 1e-9, None))
                    if (y_after > 0).all() else y_after[keep], "colorscale": "Viridis", "showscale": not is_synth,
                    "colorbar": {"title": f"log10 {plot_label(target, max_len=20)}" if (y_after > 0).all()
                                 else plot_label(target, max_len=20)}},
        ))  # fmt: skip
    fig.update_layout(height=420, title={"text": "The training rows after resampling (PCA), coloured by "
                                                 f"{plot_label(target, max_len=30)}", "font": {"size": 15}},
                      legend={"orientation": "h", "y": -0.15}, margin={"l": 10, "r": 10, "t": 50, "b": 10})  # fmt: skip
    fig.update_xaxes(title="first principal component")
    fig.update_yaxes(title="second principal component")
    show_chart(fig, key="number_scatter")
    st.download_button(
        "Download the resampled training set (CSV)", data=lambda: safe_csv_bytes(result.frame),
        file_name=f"resampled_{sampler}.csv", mime="text/csv", icon=":material/download:", on_click="ignore",
        help="Every row has is_synthetic (true for generated rows). Text that a spreadsheet would run as a formula is "
        "prefixed with an apostrophe.",
    )  # fmt: skip
