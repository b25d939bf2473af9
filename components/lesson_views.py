"""The lesson: ten minutes in numbered steps (Back / Next), then a data generator, the ratio sweep, a glossary and a tour."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import state
from components.cache import (
    cached_kinds,
    cached_leakage,
    cached_number_demo,
    cached_production_demo,
    cached_split,
    cached_sweep,
    cached_threshold_demo,
    generated_split,
)
from components.charts import show_chart
from components.diagnosis_views import boundaries_panel
from components.messages import plain, show_message
from core.comparison.number_errors import errors_table, what_it_bought
from core.data.generated import generate
from core.data.prepared import PreparedData
from core.data.split import SplitSpec, run_identity
from core.errors import UserFacingError
from core.modelling.evaluation import METRIC_LABELS
from core.output.figures import sweep_figure
from core.output.number_figures import number_errors_figure, number_histogram_figure
from core.teaching.diagnosis import KINDS, RULE
from core.teaching.glossary import GLOSSARY, TOUR
from core.teaching.lessons import LESSON_STEPS, LessonStep, majority_baseline, sweep_summary


def generator_panel() -> None:
    """Sliders for a synthetic dataset and a button that makes it the current dataset."""
    c1, c2, c3 = st.columns(3)
    rows = c1.number_input("Rows", 200, 200_000, step=500, **state.bind(state.W_GEN_ROWS, 5_000))
    features = c1.number_input("Features", 2, 50, step=1, **state.bind(state.W_GEN_FEATURES, 8))
    ratio = c2.select_slider(
        "Imbalance ratio (largest : smallest)", [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
        format_func=lambda r: f"{r} : 1", **state.bind(state.W_GEN_RATIO, 20),
    )  # fmt: skip
    classes = c2.number_input("Classes", 2, 6, step=1, **state.bind(state.W_GEN_CLASSES, 2))
    sep = c3.slider("Class separation", 0.2, 3.0, step=0.1, **state.bind(state.W_GEN_SEP, 1.0))
    noise = c3.slider("Label noise (share of random labels)", 0.0, 0.3, step=0.01, **state.bind(state.W_GEN_NOISE, 0.0))
    seed = st.number_input("Seed", 0, 2**31 - 1, step=1, **state.bind(state.W_GEN_SEED, 0))
    try:
        ds = generate(n_rows=int(rows), n_features=int(features), ratio=float(ratio), n_classes=int(classes),
                      class_sep=float(sep), label_noise=float(noise), random_state=int(seed))  # fmt: skip
    except ValueError as exc:
        show_message("error", f"These settings cannot make a dataset: {exc}. Use more rows or fewer classes.")
        return
    counts = ds.frame["label"].value_counts()
    st.caption("Class sizes: " + ", ".join(f"{plain(c)} {n:,}" for c, n in counts.items()))
    st.button(
        "Use this dataset on every page", key=state.W_GEN_USE, icon=":material/upload:", on_click=_use, args=(ds,)
    )


def _use(ds) -> None:
    state.set_dataset(ds)
    st.session_state[state.LOAD_MESSAGE] = ("success", f"Loaded the generated dataset: {ds.name}.")


def paradox_panel(prepared: PreparedData) -> None:
    """Always answering the largest class: high accuracy, nothing found."""
    y = prepared.target_check.y
    m = majority_baseline(y)
    majority, minority = str(prepared.distribution.majority), str(prepared.distribution.minority)
    a, b, c, d = st.columns(4)
    a.metric("Accuracy", f"{m['accuracy']:.1%}")
    b.metric(f"Recall of {minority[:20]}", "0%")
    c.metric("Balanced accuracy", f"{m['balanced_accuracy']:.2f}")
    d.metric("MCC", f"{m['mcc']:.2f}")
    st.write(
        plain(
            f"A 'model' that always answers {majority!r} is right {m['accuracy']:.1%} of the time on this data, "
            f"and never finds a single {minority!r}. Balanced accuracy (0.5 is guessing), MCC (0 is guessing) and "
            "the recall of the small class expose it; accuracy does not."
        )
    )


def leakage_panel(prepared: PreparedData) -> None:
    """Resampling before the split (wrong) against inside the training folds (right), side by side."""
    st.write(
        "**Data leakage** is when information from the rows a model is tested on seeps into its training, so "
        "its scores look better than they will on new data. Resampling before the split is a common way to leak. "
        "The same strategy, SMOTE + random forest, scored by 3-fold cross-validation two ways. **Wrong**: "
        "SMOTE runs on all rows first, so new rows made from a test row's neighbours land in the training "
        "folds, and the test folds are full of synthetic rows. **Right**: SMOTE runs inside each training fold; "
        "the test fold keeps its real rows and class mix."
    )
    st.button(
        "Run the two evaluations", key=state.W_LEAK_RUN, icon=":material/play_arrow:",
        on_click=state.put_value, args=(state.LEAK_ASKED, run_identity(prepared)),
    )  # fmt: skip
    if st.session_state.get(state.LEAK_ASKED) != run_identity(prepared):
        return
    try:
        result = cached_leakage(prepared)
    except Exception as exc:
        show_message("error", f"The demo cannot run on this data: {str(exc)[:300]}")
        return
    keys = (
        ["recall", "precision", "f1", "pr_auc"]
        if prepared.distribution.n_classes == 2
        else ["balanced_accuracy", "macro_f1", "pr_auc"]
    )
    table = pd.DataFrame(
        {
            "metric": [METRIC_LABELS.get(k, k) for k in keys],
            "wrong: resampled before splitting": [result.wrong[k] for k in keys],
            "right: resampled inside training folds": [result.right[k] for k in keys],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        c: st.column_config.NumberColumn(format="%.3f") for c in table.columns[1:]})  # fmt: skip
    k = keys[-1]
    st.write(
        plain(
            f"Resampling before the split reports {METRIC_LABELS.get(k, k)} {result.wrong[k]:.2f}; done honestly "
            f"it is {result.right[k]:.2f}. The gap is leakage: the model was tested on rows it had, in effect, "
            "already seen. Every other page of this tool resamples inside the training split only."
        )
    )


SWEEP_RATIOS = (1.0, 5.0, 20.0, 100.0, 500.0)


def sweep_panel() -> None:
    """How the ratio changes things: four strategies on generated data at five ratios."""
    sep = st.session_state.get(state.W_GEN_SEP, 1.0)
    seed = int(st.session_state.get(state.W_GEN_SEED, 0))
    asked = (SWEEP_RATIOS, float(sep), seed)
    st.write(
        plain(
            f"Five generated datasets of 4,000 rows (class separation {sep:g}, seed {seed}, from the generator "
            "above), from balanced to 500 : 1. Each is split, and four strategies are trained and scored on the "
            "test split: no handling, class weights, SMOTE and random under-sampling."
        )
    )
    st.button("Run the sweep", key=state.W_SWEEP_RUN, icon=":material/play_arrow:",
              on_click=state.put_value, args=(state.SWEEP_ASKED, asked))  # fmt: skip
    if st.session_state.get(state.SWEEP_ASKED) != asked:
        return
    with st.spinner("Training 20 models (about 15 s the first time)…", show_time=True):
        table = cached_sweep(*asked)
    show_chart(sweep_figure(table), key="sweep_chart")
    for line in sweep_summary(table):
        st.markdown(f"- {plain(line)}")


def glossary() -> None:
    """The techniques and metrics, each with a link to where to try it (a lesson step, for some)."""
    for term, meaning, where in GLOSSARY:
        left, right = st.columns([4, 1])
        left.markdown(f"**{term}**: {meaning}")
        right.page_link(
            where.page, label=where.label, icon=":material/arrow_forward:", query_params=where.params or None
        )


def _move(delta: int) -> None:
    st.session_state[state.LESSON_STEP] = min(max(_step() + delta, 0), len(LESSON_STEPS) - 1)
    st.session_state[state.LESSON_MOVED] = True  # the next run shows the new step from its top


def _step() -> int:
    """The current step; ``?step=N`` (from a glossary link) opens step N once."""
    asked = st.query_params.get(state.LESSON_PARAM)
    if asked is not None:
        del st.query_params[state.LESSON_PARAM]
        if asked.isdigit() and 1 <= int(asked) <= len(LESSON_STEPS):
            st.session_state[state.LESSON_STEP] = int(asked) - 1
    return int(st.session_state.get(state.LESSON_STEP, 0))


#: A fixed script (no user text): the arrow keys press Back and Next (not while typing or on a slider), once per page.
_ARROW_KEYS = """<script>
(() => {
  if (window.__ieLessonKeys) return;
  window.__ieLessonKeys = true;
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
    const t = e.target;
    if (t && t.closest && t.closest('input, textarea, select, [role="slider"], [contenteditable="true"]')) return;
    const key = {ArrowRight: 'next', ArrowLeft: 'back'}[e.key];
    const button = key && document.querySelector(`.st-key-lesson-${key} button:not([disabled])`);
    if (button) { e.preventDefault(); button.click(); }
  });
})();
</script>"""
#: A fixed script: after Back or Next, the new step's bar at the top of the screen, its buttons and title under it
#: (again once the run has settled: the old step's elements leave only then).
_TO_TOP = """<script>
for (const wait of [60, 400, 1000]) {
  setTimeout(() => document.querySelector('[data-testid="stMain"] [data-testid="stProgress"]')
    ?.scrollIntoView({block: 'start'}), wait);
}
</script>"""


def lesson_step() -> LessonStep:
    """The step bar (Step i of n), Back and Next under it (reachable without scrolling, and by the arrow keys),
    then the step's one action and the one sentence to look for."""
    i = _step()
    step = LESSON_STEPS[i]
    st.progress((i + 1) / len(LESSON_STEPS), text=f"Step {i + 1} of {len(LESSON_STEPS)}: {step.title}")
    lesson_nav()
    st.html(_ARROW_KEYS, unsafe_allow_javascript=True)
    if st.session_state.pop(state.LESSON_MOVED, False):
        st.html(_TO_TOP, unsafe_allow_javascript=True)
    st.markdown(f"**Do:** {step.action}  \n**Look for:** {step.look_for}")
    return step


def lesson_nav(*, where: str = "") -> None:
    """Back and Next (``where`` tells a second pair apart: the one under the step)."""
    i = _step()
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button("Back", key=state.W_LESSON_BACK + where, on_click=_move, args=(-1,), disabled=i == 0,
                  icon=":material/arrow_back:")  # fmt: skip
        st.button("Next", key=state.W_LESSON_NEXT + where, on_click=_move, args=(1,),
                  disabled=i == len(LESSON_STEPS) - 1, type="primary", icon=":material/arrow_forward:")  # fmt: skip
        st.caption("or the arrow keys ← →", width="content")


def smote_lesson_panel() -> None:
    """Step 2: what SMOTE does, in one picture's worth of words, and the page that shows it."""
    st.write(
        "SMOTE (Chawla et al. 2002) adds rows to the small class without copying any: it takes a row x, one of its "
        "k nearest rows of the same class, x_nn, and a random g between 0 and 1, and puts the new row at "
        "x + g · (x_nn − x), a share g of the way along the line between them. Nothing is added to the test rows."
    )
    st.page_link("pages/smote_steps.py", label="Open SMOTE step by step", icon=":material/timeline:")


def threshold_lesson_panel(prepared: PreparedData, spec: SplitSpec) -> None:
    """Step 4: rebalance, or move the threshold? The plain model with its threshold moved for the costs against
    SMOTE, their costs and calibration side by side (two classes)."""
    if prepared.distribution.n_classes != 2:
        st.info("This step needs a target with two classes: load or generate one below.")
        return
    cost_fp, cost_fn = state.costs()
    st.write(
        "A model gives each row a score; a row is flagged when its score passes a threshold, 0.5 unless you choose. "
        "Two ways to catch more of a rare class: rebalance the training rows (SMOTE), or move the threshold. Here "
        "gradient boosting is trained both ways on the current data's shared split, and each is given a "
        f"threshold tuned for your costs (a false alarm {cost_fp:g}, a missed case {cost_fn:g}) on held-out "
        "training folds, never the test split."
    )
    st.button("Compare the two fixes", key=state.W_THRESHOLD_LESSON, icon=":material/play_arrow:",
              on_click=state.put_value, args=(state.THRESHOLD_LESSON_ASKED, True))  # fmt: skip
    if not st.session_state.get(state.THRESHOLD_LESSON_ASKED):
        return
    try:
        split = cached_split(prepared, spec)
        with st.spinner("Training gradient boosting two ways, with its tuning folds…"):
            demo = cached_threshold_demo(prepared, split, cost_fp=cost_fp, cost_fn=cost_fn)
    except UserFacingError as exc:
        show_message("error", str(exc))
        return
    st.table(demo.table.set_index("strategy"))
    for line in demo.sentences():
        st.markdown(f"- {plain(line)}")
    st.caption(f"Cost {plain(demo.unit)} at the test split's rate, with 95 % intervals; caught and false alarms are "
               "the test split's counts. The costs are the ones set under Costs and threshold tuning on Train.")  # fmt: skip
    st.page_link("pages/train.py", label="Try it on Train & evaluate", icon=":material/model_training:")


def tour() -> None:
    """Numbered steps through the app, each saying what to look at."""
    for i, (page, title, what) in enumerate(TOUR, start=1):
        st.page_link(page, label=f"{i}. {title}: {what}", icon=":material/flag:")


#: The lesson's two datasets: the same rarity, the classes well apart or overlapping.
HARDNESS = {"well apart": 2.0, "overlapping": 0.5}


def hardness_panel() -> None:
    """Rare is not the same as hard: kinds and a complexity measure on two equally rare datasets, then the
    decision regions on the overlapping one."""
    st.write(
        "Two generated datasets of 3,000 rows, both 1 : 20, so the small class is exactly as rare in each. In the "
        "first the classes are well apart (class separation 2.0), in the second they overlap (0.5). The "
        "imbalance ratio cannot tell them apart; where the small-class rows sit can."
    )
    st.button(
        "Compare the two datasets", key=state.W_HARDNESS_RUN, icon=":material/play_arrow:",
        on_click=state.put_value, args=(state.HARDNESS_ASKED, True),
    )  # fmt: skip
    if not st.session_state.get(state.HARDNESS_ASKED):
        return
    made = {name: generated_split(sep) for name, sep in HARDNESS.items()}
    for column, (name, (prepared, split)) in zip(st.columns(2), made.items(), strict=True):
        shares = cached_kinds(prepared, split).shares()
        with column:
            st.markdown(f"**Classes {name}** (separation {HARDNESS[name]:g}): {shares[KINDS[0]]:.0%} of the small "
                        "class is safe")  # fmt: skip
            st.markdown("\n".join(f"- {k}: {shares[k]:.0%} of the small class's training rows" for k in KINDS))
    st.caption(
        f"Each small-class row is named by its neighbours: {RULE}. The share that is safe describes the small "
        "class itself, which the imbalance ratio cannot."
    )
    for name, (prepared, split) in made.items():
        st.markdown(f"**Decision regions, classes {name}**: the same model with no handling, class weights, SMOTE "
                    "and under-sampling (test rows on top).")  # fmt: skip
        boundaries_panel(prepared, split, key_prefix=f"{state.LESSON_PREFIX}{name.replace(' ', '_')}.")


def number_lesson_panel() -> None:
    """Skewed numbers are imbalance too: the claims sample's target, and one model fitted two ways, by range."""
    st.write(
        "This step always uses the bundled insurance claims, whatever data is loaded: most claims are small, a few "
        "are huge. "
        "Histogram gradient boosting is fitted for the average squared error, then again with density weights "
        "that count rare values more; both are judged on the test split in the rare range and in the common one."
    )
    st.button("Fit the two models", key=state.W_NUMBER_LESSON, icon=":material/play_arrow:",
              on_click=state.put_value, args=(state.NUMBER_LESSON_ASKED, True))  # fmt: skip
    if not st.session_state.get(state.NUMBER_LESSON_ASKED):
        st.caption("Look for: where each model's typical error is largest, and what the weights trade.")
        return
    with st.spinner("Fitting two gradient boosting models…"):
        target, (y_train, rare, scores) = cached_number_demo()
    show_chart(number_histogram_figure(y_train, name=target, cut=rare.cut, side=rare.side, log=True),
               key="lesson_number_histogram")  # fmt: skip
    show_chart(number_errors_figure(scores), key="lesson_number_errors")
    st.table(errors_table(scores).set_index(["range", "strategy"]))
    st.markdown(f"- {plain(what_it_bought(scores[1], scores[0]))}")
    st.page_link("pages/data.py", label="Load the claims sample and explore it yourself", icon=":material/table:")


def production_lesson_panel(prepared: PreparedData, spec: SplitSpec) -> None:
    """Scores that hold in the data and in production: one model at the data's rate and at a rate ten times lower,
    and a SMOTE model's probabilities before and after the prior-shift correction (two classes)."""
    if prepared.distribution.n_classes != 2:
        st.info("This step needs a target with two classes: load or generate one above.")
        return
    st.write(
        "On the current data's shared split: a logistic regression with balanced class weights is scored on the "
        "test split, then again as if cases were ten times rarer in production; and a logistic regression trained "
        "after SMOTE has its probabilities checked against how often the small class really occurs."
    )
    st.button("Score it for production", key=state.W_PRODUCTION_LESSON, icon=":material/play_arrow:",
              on_click=state.put_value, args=(state.PRODUCTION_LESSON_ASKED, True))  # fmt: skip
    if not st.session_state.get(state.PRODUCTION_LESSON_ASKED):
        st.caption("Look for: which numbers change with the rate, and what a score of 0.5 means after SMOTE.")
        return
    try:
        split = cached_split(prepared, spec)
        with st.spinner("Training two logistic regressions…"):
            demo = cached_production_demo(prepared, split)
    except UserFacingError as exc:
        show_message("error", str(exc))
        return
    left, right = st.columns(2)
    for column, title, o in (
        (left, "At the data's rate", demo.at_data),
        (right, "Ten times rarer", demo.at_production),
    ):
        column.markdown(f"**{title}**, per 10,000 cases scored")
        column.table(demo.table(o).set_index(""))
    st.markdown("**The SMOTE model's probabilities**")
    st.table(demo.smote_table().set_index(""))
    for line in demo.sentences():
        st.markdown(f"- {plain(line)}")
