"""The Resample and SMOTE step-by-step pages, driven through their widgets."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from core.resampling.catalogue import CATALOGUE
from tests.app.conftest import texts, values


def load_sample(at, key):
    at.selectbox(key="data.sample").set_value(key)
    at.button(key="data.load_sample").click().run()
    return at


def scatter(at):
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if "xaxis2" in s["layout"])


@pytest.mark.parametrize("key", [s.key for s in CATALOGUE])
def test_the_resample_page_runs_with_each_method(app, key):
    load_sample(app, "product_defects")
    app.switch_page("pages/resample.py").run()
    app.selectbox(key="resample.method").set_value(key).run()
    assert not app.exception
    errors = texts(app, "error")
    if key in {"smotenc", "smoten"}:
        assert any("is for data with" in e for e in errors)
        return
    assert not errors, errors
    fig = scatter(app)
    after_traces = [t for t in fig["data"] if t.get("xaxis") == "x2"]
    assert after_traces, "the after panel is drawn"
    assert fig["layout"]["xaxis2"].get("matches") == "x" and fig["layout"]["yaxis2"].get("matches") == "y"
    names = {t["name"] for t in fig["data"]}
    if key in {"smote", "borderline_smote", "svm_smote", "kmeans_smote", "adasyn", "smote_tomek", "smote_enn"}:
        assert any(n.startswith("synthetic ") for n in names)
    if key in {"random_under", "nearmiss", "tomek", "enn", "renn", "allknn", "cnn", "oss", "ncr", "instance_hardness"}:
        assert "removed (was in training split)" in names


def test_default_smote_on_the_fraud_sample_marks_synthetic_rows(app):
    app.switch_page("pages/resample.py").run()
    fig = scatter(app)
    synthetic = [t for t in fig["data"] if t["name"] == "synthetic fraud"]
    assert len(synthetic) == 1 and synthetic[0]["type"] == "scattergl"
    assert synthetic[0]["marker"]["symbol"] == "diamond" and synthetic[0]["xaxis"] == "x2"
    # classes differ by shape as well as colour, and no class shares the synthetic rows' shape
    shapes = {t["name"]: t["marker"]["symbol"] for t in fig["data"] if t["name"] in {"legit", "fraud"}}
    assert len(set(shapes.values())) == 2 and "diamond" not in shapes.values()
    assert any("Showing 2,000 of 16,000 training rows" in c for c in texts(app, "caption"))
    captions = " ".join(texts(app, "caption"))
    assert "Test split: 4,000 rows (legit 3,957, fraud 43), left untouched" in captions
    assert app.get("download_button")


def test_mixed_data_runs_smote_as_smotenc_visibly(app):
    load_sample(app, "customer_churn")
    app.switch_page("pages/resample.py").run()
    assert any("SMOTE runs as SMOTENC" in i for i in texts(app, "info"))
    app.selectbox(key="resample.method").set_value("adasyn").run()
    assert any("numeric features only" in e for e in texts(app, "error"))


def test_an_impossible_ratio_is_explained(app):
    app.switch_page("pages/resample.py").run()
    app.slider(key="resample.ratio").set_value(0.01).run()
    assert any("cannot shrink that ratio" in e and "at least 0.02" in e for e in texts(app, "error"))
    app.slider(key="resample.ratio").set_value(0.5).run()
    assert not texts(app, "error")
    counts = next(
        json.loads(c.proto.spec) for c in app.get("plotly_chart") if "barmode" in json.loads(c.proto.spec)["layout"]
    )
    after = [t["y"][0] for t in counts["data"] if t["name"].startswith("after ")]  # one trace per class
    assert after == [15826, 7913]


def test_k_larger_than_the_class_is_lowered_in_view(app):
    load_sample(app, "resume_screening")
    app.switch_page("pages/resample.py").run()
    assert any("k_neighbors lowered from 5 to 3" in i for i in texts(app, "info"))
    assert any("Training split: 8 rows (no 4, yes 4)" in c for c in texts(app, "caption"))


def test_slow_method_asks_first(app):
    app.switch_page("pages/resample.py").run()
    app.selectbox(key="resample.method").set_value("cnn").run()
    assert any("run it anyway" in e for e in texts(app, "error"))
    assert app.checkbox(key="resample.run_slow").value is False


def test_split_settings_are_shared_between_pages(app):
    app.switch_page("pages/resample.py").run()
    app.slider(key="split.test_size").set_value(0.3).run()
    assert any("Test split: 6,000 rows" in c for c in texts(app, "caption"))
    app.switch_page("pages/data.py").run()
    app.switch_page("pages/smote_steps.py").run()
    assert app.slider(key="split.test_size").value == 0.3


def test_smote_steps_reveals_one_step_at_a_time_on_toy_rows_with_the_formulas_numbers(app):
    def traces():
        fig = json.loads(app.get("plotly_chart")[0].proto.spec)
        return {t["name"]: t for t in fig["data"]}

    app.switch_page("pages/smote_steps.py").run()
    assert not app.exception and app.radio(key="steps.source").value == "toy"
    assert "class small" in traces() and "chosen row x" not in traces()  # step 0: the rows only
    app.button(key="steps.next").click().run()
    assert "chosen row x" in traces() and not any(n.startswith("its ") for n in traces())
    app.button(key="steps.next").click().run()
    near = next(t for n, t in traces().items() if n.startswith("its 5 nearest"))
    assert values(near["text"]) == ["n1", "n2", "n3", "n4", "n5"]
    app.button(key="steps.next").click().run()
    assert len(values(traces()["synthetic (new rows)"]["x"])) == 1  # one new row, and its numbers
    formula = app.code[0].value
    x, g, nn, new = re.match(r"x_new = x \+ g · \(x_nn − x\) = \(([^)]*)\) \+ ([0-9.]+) · \(\(([^)]*)\) − \([^)]*\)\) = "
                             r"\(([^)]*)\)", formula).groups()  # fmt: skip
    x, nn, new = (np.array([float(v) for v in t.split(", ")]) for t in (x, nn, new))
    np.testing.assert_allclose(new, x + float(g) * (nn - x), atol=0.011)  # the shown numbers add up
    shown = traces()["synthetic (new rows)"]
    np.testing.assert_allclose([values(shown["x"])[0], values(shown["y"])[0]], new, atol=0.006)
    app.button(key="steps.all").click().run()
    assert len(values(traces()["synthetic (new rows)"]["x"])) == 5
    app.slider(key="steps.n_new").set_value(12).run()
    assert len(values(traces()["synthetic (new rows)"]["x"])) == 12
    app.radio(key="steps.source").set_value("data").run()  # the user's rows: the small class of the fraud sample
    assert not app.exception and "class fraud" in traces()
    assert any("every numeric feature, standardised" in c for c in texts(app, "caption"))
    before = app.number_input(key="steps.point").value
    for _ in range(5):
        app.button(key="steps.random_point").click().run()
        if app.number_input(key="steps.point").value != before:
            break
    assert app.number_input(key="steps.point").value != before
