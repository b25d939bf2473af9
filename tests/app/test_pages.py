"""Every page renders with a dataset loaded, and choices persist across pages."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from components import state
from tests.app.conftest import PAGES, ROOT, table_with, texts


def chart_specs(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


#: What each page shows first with the fraud sample loaded: its title, a section it opens with, and its first
#: chart's kind and what it plots (None where the page draws nothing before a button is pressed).
FIRST_SEEN = {
    "pages/data.py": ("Data", None, ("bar", None, ["legit", "fraud"])),
    "pages/class_balance.py": ("Class balance", "Why is it hard?", ("bar", None, ["legit", "fraud"])),
    "pages/resample.py": ("Resample", "Where the rows are", ("bar", "before (training split)", ["legit", "fraud"])),
    "pages/smote_steps.py": ("SMOTE step by step", None, ("scattergl", "other classes", None)),
    "pages/lesson.py": ("Lesson: class imbalance in ten minutes", "The accuracy paradox", None),
    "pages/train.py": ("Train & evaluate", None, None),
    "pages/compare.py": ("Compare & report", None, None),
}


def test_the_page_test_covers_every_page():
    assert sorted(FIRST_SEEN) == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_its_title_its_first_section_and_its_first_chart_with_the_sample(app, page):
    app.switch_page(page).run()
    assert not app.exception
    assert not app.error, texts(app, "error")
    title, section, chart = FIRST_SEEN[page]
    assert [t.value for t in app.title] == [title]
    if section:
        assert section in [h.value for h in app.header]
    specs = chart_specs(app)
    if chart is None:
        assert not specs or page == "pages/lesson.py", f"{page} draws before it is asked"
    else:
        kind, name, x = chart
        first = specs[0]["data"][0]
        assert (first["type"], first.get("name")) == (kind, name)
        if x is not None:
            assert first["x"] == x
    if page == "pages/train.py":  # trains only when asked
        assert app.button(key="train.run").label == "Train and evaluate"
        assert any("Press **Train and evaluate**" in i for i in texts(app, "info"))
    elif page == "pages/compare.py":
        assert app.button(key="compare.run").label == "Run comparison"
        assert any("Press **Run comparison**" in i for i in texts(app, "info"))
    elif page == "pages/lesson.py":
        assert [m.label for m in app.metric][:1] == ["Accuracy"]


def test_the_app_opens_with_a_bundled_dataset_and_its_distribution(app):
    (spec,) = chart_specs(app)
    assert spec["data"][0]["x"] == ["legit", "fraud"]
    assert spec["data"][0]["y"] == [19783, 217]
    assert any("Severe imbalance" in m for m in texts(app, "markdown"))
    sidebar = " ".join(plain for plain in texts(app, "caption"))
    assert "20,000 rows × 13 columns" in sidebar


def test_loading_another_sample_changes_everything(app):
    app.selectbox(key="data.sample").set_value("product_defects")
    app.button(key="data.load_sample").click().run()
    assert not app.exception
    (spec,) = chart_specs(app)
    assert spec["data"][0]["x"] == ["ok", "scratch", "dent", "crack"]
    assert app.selectbox(key="data.target").value == "defect"


def test_the_balanced_resume_example_is_called_balanced(app):
    app.selectbox(key="data.sample").set_value("resume_screening")
    app.button(key="data.load_sample").click().run()
    md = " ".join(texts(app, "markdown"))
    assert "Balanced classes · ratio 1.0 : 1" in md
    assert "balanced (5 and 5 rows)" in md


def test_target_choice_persists_across_pages(app):
    app.selectbox(key="data.sample").set_value("customer_churn")
    app.button(key="data.load_sample").click().run()
    app.selectbox(key="data.target").set_value("contract").run()
    app.switch_page("pages/class_balance.py").run()
    assert not app.exception
    (spec,) = chart_specs(app)
    assert sorted(spec["data"][0]["x"]) == ["month-to-month", "one year", "two year"]
    app.switch_page("pages/data.py").run()
    assert app.selectbox(key="data.target").value == "contract"


@pytest.mark.parametrize("changed", [False, True], ids=["defaults", "changed on the Resample page"])
def test_every_page_uses_the_same_split(app, changed):
    """The split settings are open on the Resample page and in an expander elsewhere: one split for all."""
    app.switch_page("pages/resample.py").run()
    if changed:
        app.slider(key="split.test_size").set_value(0.3).run()
        app.number_input(key="split.seed").set_value(7).run()
    expected = (app.slider(key="split.test_size").value, app.number_input(key="split.seed").value)
    summary = next(c.value for c in app.caption if c.value.startswith("Training split"))
    for page in ["pages/train.py", "pages/compare.py", "pages/smote_steps.py", "pages/resample.py"]:
        app.switch_page(page).run()
        assert not app.exception
        assert (app.slider(key="split.test_size").value, app.number_input(key="split.seed").value) == expected, page
        if page != "pages/smote_steps.py":
            assert summary in [c.value for c in app.caption], page


def test_class_balance_log_scale_toggle(app):
    app.switch_page("pages/class_balance.py").run()
    app.toggle(key="balance.log_scale").set_value(True).run()
    (spec,) = chart_specs(app)
    assert spec["layout"]["yaxis"]["type"] == "log"
    table = table_with(app, "count")
    assert table["count"].tolist() == [19783, 217]
    # the chart's text alternative, filled when its expander is opened, gives the same numbers as the table
    assert not any("Rows per class of" in c for c in texts(app, "caption"))
    app.session_state[state.numbers_key("balance_chart")] = True
    app.run()
    assert table_with(app, "rows (log scale)")["rows (log scale)"].tolist() == [19783.0, 217.0]
    assert any("Rows per class of" in c for c in texts(app, "caption"))


def test_present_link_opens_presentation_mode_and_the_toggle_leaves_it():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception
    assert at.toggle(key="frame.present").value is True
    at.switch_page("pages/resample.py").run()
    assert not at.exception
    assert at.query_params.get("present") == "1"  # kept in the address on every page, so it can be shared
    labels = [e.label for e in at.expander]
    assert "Settings" in labels  # the split and method settings are folded away
    assert any("font-size: 21px" in h.proto.body for h in at.get("html"))
    at.toggle(key="frame.present").set_value(False).run()
    assert "present" not in at.query_params
    assert "Settings" not in [e.label for e in at.expander]
    assert not any("font-size" in h.proto.body for h in at.get("html"))


def test_every_chart_has_its_numbers_beside_it(app):
    app.switch_page("pages/resample.py").run()
    charts = app.get("plotly_chart")
    assert charts
    assert [e.label for e in app.expander].count("Chart as numbers") == len(charts)


def test_the_diagnosis_runs_on_request_and_the_scatter_colours_rows_by_kind(app):
    app.switch_page("pages/class_balance.py").run()
    assert "Kinds of small-class rows" not in texts(app, "subheader")  # nothing is computed before the button
    app.button(key="balance.diagnose").click().run()
    assert not app.exception
    kinds = table_with(app, "borderline")
    (row,) = kinds.to_dict("records")
    assert row["class"] == "fraud" and row["training rows"] == row["labelled"] == 174
    counts = [int(row[k].split(" ")[0].replace(",", "")) for k in ("safe", "borderline", "rare", "outlier")]
    assert sum(counts) == 174
    assert any(m.startswith(("Mostly safe", "Many borderline", "Many rare")) for m in texts(app, "info"))
    lines = [m for m in texts(app, "markdown") if m.startswith("- **F1 = ")]
    assert len(lines) == 1
    values = [float(v) for v in re.findall(r"\*\*(?:F1|N1|N3|C1|C2) = ([0-9.]+)\*\*", lines[0])]
    assert len(values) == 5 and all(0 <= v <= 1 for v in values)
    assert not [s for s in chart_specs(app) if any(t["type"] == "heatmap" for t in s["data"])]  # drawn when opened
    app.session_state[state.W_REGIONS_OPEN] = True
    app.run()
    regions = [s for s in chart_specs(app) if any(t["type"] == "heatmap" for t in s["data"])]
    assert [t["name"] for t in regions[0]["data"] if t["type"] == "heatmap"] == ["P(fraud)"] * 4
    # the same kinds colour the Resample scatter
    app.switch_page("pages/resample.py").run()
    app.toggle(key="resample.by_kind").set_value(True).run()
    assert not app.exception
    (spec,) = [s for s in chart_specs(app) if any(t.get("xaxis") == "x2" for t in s["data"])]
    names = {t["name"] for t in spec["data"]}
    shown = {k for k in ("safe", "borderline", "rare", "outlier") if f"fraud · {k}" in names}
    assert shown == {k for k, n in zip(("safe", "borderline", "rare", "outlier"), counts, strict=True) if n}
