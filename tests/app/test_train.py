"""The Train & evaluate page: strategies trained on a bundled dataset, compared side by side."""

from __future__ import annotations

import json
import re

import pytest

from tests.app.conftest import score_tables, scores, texts, values


def charts(at) -> dict[str, dict]:
    out = {}
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        title = (spec["layout"].get("title") or {}).get("text") or ""
        out[title or f"chart{len(out)}"] = spec
    return out


def train(at):
    at.button(key="train.run").click().run()
    assert not at.exception
    return at


def test_training_waits_for_the_button_then_shows_both_strategies(app):
    app.switch_page("pages/train.py").run()
    assert any("Press **Train and evaluate**" in i.value for i in app.info)
    assert not app.get("plotly_chart")
    train(app)
    assert "train.stop" not in [b.key for b in app.button]  # the stop button goes with the progress bar
    table = scores(app)
    assert table["strategy"].tolist() == ["RF", "SMOTE + RF"]
    parts = [t.value for t in app.dataframe if list(t.value.columns[:1]) == ["strategy"]]
    assert len(parts) >= 3 and all(len(p.columns) <= 6 for p in parts)  # fits the page: no sideways scroll
    assert {"recall (small class)", "PR-AUC", "G-mean", "MCC", "accuracy", "majority baseline accuracy"} <= set(
        table.columns
    )
    assert (table["majority baseline accuracy"] == f"{3957 / 4000:.3f}").all()
    assert all(re.fullmatch(r"\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]", v) for v in table["PR-AUC"])  # with its interval
    specs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    grid = next(s for s in specs if sum(t["type"] == "heatmap" for t in s["data"]) == 2)
    assert [a["text"] for a in grid["layout"]["annotations"]] == ["RF", "SMOTE + RF"]
    for t in grid["data"]:  # every test row is counted once
        assert sum(values(t["z"])) == 4000
    roc = charts(app)["ROC curve"]
    names = [t["name"] for t in roc["data"]]
    assert any(n.startswith("RF (AUC") for n in names) and any(n.startswith("SMOTE + RF (AUC") for n in names)
    assert "chance (AUC 0.5)" in names
    pr = charts(app)["Precision-recall curve"]
    assert any(n.startswith("prevalence (0.011)") for n in (t["name"] for t in pr["data"]))
    # 31,652 rows after SMOTE: below where the rows-per-tree cap pays, so scikit-learn's exact forest, and no note
    assert not any("Each tree was grown" in i for i in texts(app, "info"))


def test_results_survive_a_page_change_without_retraining(app):
    app.switch_page("pages/train.py").run()
    train(app)
    app.switch_page("pages/data.py").run()
    app.switch_page("pages/train.py").run()
    assert scores(app)["strategy"].tolist() == ["RF", "SMOTE + RF"]


def test_threshold_and_costs_update_the_numbers(app):
    app.switch_page("pages/train.py").run()
    train(app)
    before = {m.label: m.value for m in app.metric}
    app.slider(key="train.threshold").set_value(0.1).run()
    after = {m.label: m.value for m in app.metric}
    assert float(after["Recall"]) > float(before["Recall"])
    assert any("lowest cost on the test split" in c and "flatters" in c for c in texts(app, "caption"))


def test_a_threshold_tuned_on_training_folds_and_a_calibration_are_shown_as_such(app):
    app.switch_page("pages/train.py").run()
    app.selectbox(key="train.s1.sampler").set_value("none").run()
    app.selectbox(key="train.s1.threshold").set_value("f1").run()
    app.selectbox(key="train.s0.calibration").set_value("sigmoid").run()
    train(app)
    table = scores(app)
    assert table["strategy"].tolist() == ["RF, calibrated (sigmoid)", "RF, threshold for F1"]
    tuned = float(table["threshold"].iloc[1])
    assert 0 < tuned < 0.5 and table["threshold"].iloc[0] == "0.50"
    app.selectbox(key="train.focus").set_value("RF, threshold for F1").run()
    assert any("by cross-validation on the training split" in c for c in texts(app, "caption"))
    assert {m.label: m.value for m in app.metric}["Tuned threshold"] == f"{tuned:.2f}"
    app.button(key="train.use_tuned").click().run()
    assert app.slider(key="train.threshold").value == pytest.approx(round(tuned, 2))
    specs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    marks = [a["text"] for s in specs for a in s["layout"].get("annotations", []) if "text" in a]
    assert any(t.startswith("tuned ") for t in marks) and any("test-split minimum" in t for t in marks)
    before = [t["name"] for s in specs for t in s["data"] if t.get("name", "").startswith("before: ")]
    assert before == ["before: RF, calibrated (sigmoid)"]
    assert any("Brier score" in c and "before calibration" in c for c in texts(app, "caption"))


def test_a_multiclass_dataset_gets_one_vs_rest_curves(app):
    app.selectbox(key="data.sample").set_value("product_defects")
    app.button(key="data.load_sample").click().run()
    app.switch_page("pages/train.py").run()
    assert "isolation_forest" not in app.selectbox(key="train.s0.model").options
    train(app)
    roc = charts(app)["ROC curve"]
    names = [t["name"].split(" (AUC")[0] for t in roc["data"]]
    assert names[:6] == ["ok", "scratch", "dent", "crack", "macro average", "micro average"]


def test_an_impossible_strategy_is_explained_and_the_others_still_run(app):
    app.switch_page("pages/train.py").run()
    app.selectbox(key="train.s1.model").set_value("isolation_forest").run()
    train(app)
    assert any("learns without labels" in e for e in texts(app, "error"))
    assert scores(app)["strategy"].tolist() == ["RF"]


def test_the_seeds_resume_example_explains_itself_and_shows_its_code_and_model(app):
    app.selectbox(key="data.sample").set_value("resume_screening")
    app.button(key="data.load_sample").click().run()
    app.switch_page("pages/train.py").run()
    said = " ".join(texts(app, "info") + texts(app, "warning"))
    assert "These classes are balanced (5 vs 5 rows)" in said
    assert "The test split holds only 2 row(s), so each is 50 % of it" in said
    train(app)
    code = app.get("code")[0].proto.code_text
    assert 'DATA_FILE = "resume_screening.csv"' in code and "train_test_split(" in code and "SMOTENC(" in code
    compile(code, "shown.py", "exec")
    downloads = [d.proto.label for d in app.get("download_button")]
    assert "Download the script (.py)" in downloads and "Download the data it reads (resume_screening.csv)" in downloads
    app.button(key="code.prepare_model.train").click().run()
    assert not app.exception
    assert "Download the model (.skops)" in [d.proto.label for d in app.get("download_button")]
    assert any("get_untrusted_types" in c.proto.code_text for c in app.get("code"))


def test_the_review_budget_says_what_the_top_cases_catch_and_follows_the_slider(app):
    app.switch_page("pages/train.py").run()
    train(app)

    def budget():
        table = next(t.value for t in app.table if "share caught" in t.value.columns)
        out = []
        for name, row in table.iterrows():
            caught, of = (int(x.replace(",", "")) for x in row["cases caught"].split(" of "))
            recall, low, high = (int(x) for x in re.findall(r"(\d+)%", row["share caught"]))
            out.append((name, float(row["rows reviewed"].replace(",", "")), caught, of, recall, low, high,
                        float(row["false alarms"].replace(",", "")), float(row["lift"])))  # fmt: skip
        return out

    five = budget()
    assert [r[0] for r in five] == ["RF", "SMOTE + RF"]
    assert any("top 5% of cases" in m for m in texts(app, "markdown"))
    for _, rows, caught, positives, recall, low, high, alarms, lift in five:  # whole cases
        assert rows == 200 and positives == 43
        assert alarms == pytest.approx(rows - caught, abs=1)  # every reviewed case is caught or a false alarm
        assert low <= recall <= high
        assert lift == pytest.approx(caught / 43 / 0.05, abs=0.5 / 43 / 0.05 + 0.06)
    app.slider(key="train.review_budget").set_value(20).run()
    twenty = budget()
    assert all(b[2] >= a[2] for a, b in zip(five, twenty, strict=True))  # a bigger budget catches more
    assert {"Cumulative gains", "Lift"} <= {
        json.loads(c.proto.spec)["layout"].get("title", {}).get("text") for c in app.get("plotly_chart")
    }


def test_changing_a_columns_treatment_asks_for_a_press_instead_of_training_again(app):
    """The run identity holds the feature plan: a changed column makes the trained results stale, and the page
    says so rather than training on its own (it used to key on the data and the target only)."""
    from components import state
    from core.data.roles import Treatment

    app.selectbox(key="data.sample").set_value("customer_churn")
    app.button(key="data.load_sample").click().run()
    app.switch_page("pages/train.py").run()
    app.button(key="train.run").click().run()
    assert not app.exception and score_tables(app)[0]["strategy"].tolist()
    app.switch_page("pages/data.py").run()
    app.session_state[state.OVERRIDES] = {"support_tickets": Treatment.CATEGORICAL}
    app.run()
    app.switch_page("pages/train.py").run()
    assert not app.exception
    assert any("Press **Train and evaluate**" in i for i in texts(app, "info"))
    assert not [t for t in app.dataframe if "strategy" in t.value.columns]  # nothing trained without a press


def test_the_production_view_follows_the_rate_and_the_volume_without_training_again(app):
    from components import state

    app.switch_page("pages/train.py").run()
    app.button(key="train.run").click().run()
    assert not app.exception and "What happens in production" in texts(app, "header")
    default = app.text_input(key=state.W_PROD_RATE).value
    assert float(default) == pytest.approx(217 / 20_000 * 100, rel=1e-3)  # the data's own rate
    app.text_input(key=state.W_PROD_RATE).set_value("0.1").run()
    assert state.W_STOP not in [b.key for b in app.button]  # read off the fitted results: no training bar
    assert not app.exception
    table = next(t.value for t in app.table if "cases missed" in t.value.columns)
    assert table.index[-1] == "flag no one (doing nothing)" and table.iloc[-1]["cases missed"] == "10"  # 0.1 %
    table = table.drop(index="flag no one (doing nothing)")
    lines = [m for m in texts(app, "markdown") if " flags " in m]
    assert len(lines) == len(table) == 4  # the two as set, and the two tuned for the costs at this rate
    for (name, row), line in zip(table.iterrows(), lines, strict=True):  # the line says the table's whole cases
        caught = int(row["cases caught"].split(" [")[0].replace(",", ""))
        said = ("catches none", "catches fewer than 1") if caught == 0 else (f"catches about {caught:,}",)
        assert line.startswith(f"- {name} flags ") and any(s in line for s in said), line
    assert any("0.100%" in m for m in texts(app, "markdown"))
    # the slider's threshold on the production scale; the script and the model lines carry the rate
    # RF was fitted at the data's rate (1.1 %), ten times the production rate: its scale moves too
    assert any(c.startswith("On the production scale: RF was fitted on rows with 1.1%") for c in texts(app, "caption"))
    app.selectbox(key=state.W_FOCUS).set_value("SMOTE + RF").run()
    assert any(
        c.startswith("On the production scale: SMOTE + RF") and "rate of 0.100%" in c for c in texts(app, "caption")
    )
    script_text = next(c.value for c in app.code if "# ---- 7. In production" in c.value)
    assert "PRODUCTION_RATE = 0.001\n" in script_text and '"SMOTE + RF": 0.5,' in script_text
    # a volume per day replaces the 10,000; bad entries keep the last valid setting and say why
    app.text_input(key=state.W_PROD_VOLUME).set_value("2500").run()
    assert any("A day, at a production rate of 0.100%" in m for m in texts(app, "markdown"))
    app.text_input(key=state.W_PROD_RATE).set_value("0").run()
    assert any("above 0 %" in e and "Still using 0.1 %" in e for e in texts(app, "error"))
    app.text_input(key=state.W_PROD_RATE).set_value("abc").run()
    assert any("must be a number" in e for e in texts(app, "error"))
    app.text_input(key=state.W_PROD_VOLUME).set_value("0.5").run()
    assert any("at least 1" in e and "2,500 a day" in e for e in texts(app, "error"))
    assert not app.exception and state.W_STOP not in [b.key for b in app.button]
    specs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    curve = next(s for s in specs if "Decision curve" in s["layout"].get("title", {}).get("text", ""))
    names = [t["name"] for t in curve["data"]]
    assert "flag everyone" in names and "flag no one" in names
    moved = next(s for s in specs if "moved to the data's rate" in s["layout"].get("title", {}).get("text", ""))
    names = {t["name"] for t in moved["data"]}  # RF was fitted at the rate: only SMOTE + RF is moved
    assert any(n.startswith("SMOTE + RF (Brier ") for n in names) and any(n.startswith("as fitted: SMOTE + RF (Brier ")
                                                                           for n in names)  # fmt: skip
    briers = [c for c in texts(app, "caption") if c.startswith("SMOTE + RF: Brier score")]
    fitted, corrected = (float(x) for x in re.findall(r"Brier score ([0-9.]+) as fitted, ([0-9.]+)", briers[0])[0])
    assert corrected < fitted
    assert f"SMOTE + RF (Brier {corrected:.4f})" in names and f"as fitted: SMOTE + RF (Brier {fitted:.4f})" in names
