"""The Lesson page: seven steps with Back / Next, then the generator, the ratio sweep, the glossary and the tour."""

from __future__ import annotations

import json

from components import state
from core.teaching.glossary import GLOSSARY
from core.teaching.lessons import LESSON_STEPS
from tests.app.conftest import table_with, texts


def to_step(app, n: int):
    """Press Next until the lesson shows step ``n`` (from 1)."""
    for _ in range(n - 1):
        app.button(key="lesson.next").click().run()
    assert LESSON_STEPS[n - 1].title in [h.value for h in app.header]
    return app


def test_back_and_next_walk_the_seven_steps_each_with_one_action_and_one_thing_to_look_for(app):
    app.switch_page("pages/lesson.py").run()
    seen = []
    for i, step in enumerate(LESSON_STEPS, start=1):
        assert not app.exception
        assert app.get("progress")[0].proto.text == f"Step {i} of {len(LESSON_STEPS)}: {step.title}"
        assert any("**Look for:**" in m and step.look_for in m and step.action in m for m in texts(app, "markdown"))
        seen.append(step.key)
        if i < len(LESSON_STEPS):
            app.button(key="lesson.next").click().run()
    assert seen == [
        "paradox",
        "smote",
        "leakage",
        "thresholds",
        "production",
        "hardness",
        "numbers",
    ]  # an order that builds
    assert app.button(key="lesson.next").disabled
    app.button(key="lesson.back").click().run()
    assert LESSON_STEPS[-2].title in [h.value for h in app.header]


def test_the_glossarys_leakage_link_opens_the_leakage_step():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ROOT

    link = next(where for term, _, where in GLOSSARY if term == "Data leakage")
    assert (link.page, link.params) == ("pages/lesson.py", {"step": "3"})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["step"] = "3"
    at.run()
    at.switch_page("pages/lesson.py").run()
    assert "Leakage: resample after the split" in [h.value for h in at.header]
    assert {"Cross-validation", "Confusion matrix", "Test split", "Imbalance ratio"} <= {t for t, _, _ in GLOSSARY}


def test_the_glossarys_random_sampling_links_open_resample_on_their_own_method():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ROOT

    for term, method in (("Random over-sampling", "random_over"), ("Random under-sampling", "random_under")):
        link = next(where for t, _, where in GLOSSARY if t == term)
        assert (link.page, link.params) == ("pages/resample.py", {"method": method})
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["method"] = method
        at.run()
        at.switch_page("pages/resample.py").run()
        assert at.selectbox(key=state.W_METHOD).value == method and not at.exception


def test_the_lesson_runs_and_shows_the_paradox_on_the_default_data(app):
    app.switch_page("pages/lesson.py").run()
    assert not app.exception and not app.error
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Accuracy"] == "98.9%" and metrics["Balanced accuracy"] == "0.50" and metrics["MCC"] == "0.00"
    assert any("never finds a single 'fraud'" in m for m in texts(app, "markdown"))
    links = [p.proto.page for p in app.get("page_link")]
    assert links[-6:] == ["", "class_balance", "resample", "smote_steps", "train", "compare"]  # the tour, last
    assert len(links) == 6 + len(GLOSSARY)  # one "try it" per glossary entry, then the tour


def test_a_generated_dataset_becomes_the_current_one_and_the_leakage_demo_runs_on_it(app):
    app.switch_page("pages/lesson.py").run()
    app.number_input(key="lesson.rows").set_value(1500).run()
    app.select_slider(key="lesson.ratio").set_value(50).run()
    assert any("Class sizes: majority 1,471, minority 29" in c for c in texts(app, "caption"))
    app.button(key="lesson.use").click().run()
    assert not app.exception
    assert any("Generated (1,500 rows, ratio 50 : 1" in m for m in texts(app, "markdown"))
    to_step(app, 3)
    app.button(key="lesson.leak_run").click().run()
    assert not app.exception
    table = app.dataframe[0].value
    wrong, right = table.columns[1], table.columns[2]
    pr = table.set_index("metric").loc["PR-AUC"]  # the names used on every page, not internal keys
    assert pr[wrong] > pr[right]
    app.switch_page("pages/class_balance.py").run()
    assert table_with(app, "count")["count"].tolist() == [1471, 29]


def test_the_ratio_sweep_draws_three_panels(app):
    app.switch_page("pages/lesson.py").run()
    app.button(key="lesson.sweep_run").click().run()
    assert not app.exception
    import json

    fig = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["recall", "precision", "PR-AUC"]
    assert len(fig["data"]) == 12  # four strategies x three metrics
    assert any(m.startswith("- RF: recall") for m in texts(app, "markdown"))


def test_rare_is_not_hard_compares_two_equally_rare_datasets_and_draws_the_regions(app):
    to_step(app.switch_page("pages/lesson.py").run(), 6)
    app.button(key="lesson.hardness_run").click().run()
    assert not app.exception
    safe = [float(m.split("safe: ")[1].split("%")[0]) for m in texts(app, "markdown") if m.startswith("- safe: ")]
    assert len(safe) == 2 and safe[0] > safe[1] + 30  # well apart: mostly safe; overlapping: far fewer
    regions = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    panels = [s for s in regions if any(t["type"] == "heatmap" for t in s["data"])]
    assert len(panels) == 2  # regions for both datasets
    assert all([t["name"] for t in p["data"] if t["type"] == "heatmap"] == ["P(minority)"] * 4 for p in panels)
    app.selectbox(key="lesson.overlapping.balance.boundary_model").set_value("knn").run()
    assert not app.exception
    assert any("k-NN takes no class weights" in c for c in texts(app, "caption"))


def test_the_production_step_scores_the_current_data_at_its_rate_and_ten_times_lower(app):
    to_step(app.switch_page("pages/lesson.py").run(), 5)
    app.button(key="lesson.production_run").click().run()
    assert not app.exception
    lines = [m for m in texts(app, "markdown") if "its precision falls from" in m or "calibration error falls" in m]
    assert len(lines) == 2
    tables = [t.value for t in app.table if "value" in t.value.columns]
    assert len(tables) == 2 and tables[0].loc["recall", "value"] == tables[1].loc["recall", "value"]


def test_the_skewed_numbers_step_fits_two_models_and_says_what_the_weights_traded(app):
    app.switch_page("pages/lesson.py").run()
    app = to_step(app, len(LESSON_STEPS))
    app.button(key=state.W_NUMBER_LESSON).click().run()
    assert not app.exception
    said = [m for m in texts(app, "markdown") if m.startswith("- Density weights:")]
    assert len(said) == 1 and "in the rare range the error" in said[0] and "in the common range" in said[0]


def test_rebalance_or_move_the_threshold_sets_the_moved_threshold_against_smote_at_the_costs_set(app):
    app.switch_page("pages/train.py").run()  # the costs are the ones set on Train
    app.number_input(key=state.W_COST_FN).set_value(20.0).run()
    to_step(app.switch_page("pages/lesson.py").run(), 4)
    assert any("a missed case 20" in m for m in texts(app, "markdown"))
    app.button(key=state.W_THRESHOLD_LESSON).click().run()
    assert not app.exception
    table = next(t.value for t in app.table if "mean predicted chance" in t.value.columns)
    assert list(table.index) == ["HGB at 0.50", "HGB, threshold moved", "SMOTE + HGB at 0.50",
                                 "SMOTE + HGB, threshold moved"]  # fmt: skip
    lines = [m for m in texts(app, "markdown") if m.startswith("- ")]
    assert any(line.startswith("- What resampling bought beyond moving the threshold") for line in lines)
    assert any(table.loc["HGB, threshold moved", "cost"] in line for line in lines)
