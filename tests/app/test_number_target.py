"""A skewed numeric target on the Data page: its rare range, and 'Make it a class' leading to every page."""

from __future__ import annotations

from components import state
from tests.app.conftest import table_with, texts


def load_claims(app):
    app.selectbox(key="data.sample").set_value("insurance_claims")
    app.button(key="data.load_sample").click().run()
    assert not app.exception
    return app


def test_the_claims_sample_says_where_its_rare_range_is_and_makes_a_class_every_page_uses(app):
    load_claims(app)
    assert not texts(app, "error") and not texts(app, "info")  # a number is a kind of target, not a failed class
    assert any("claim_amount is a number, and skewed numbers are imbalance too" in m for m in texts(app, "markdown"))
    assert any("6.9% of the 20,000 rows hold values at or above 1,088" in m for m in texts(app, "markdown"))
    app.number_input(key=state.W_NUMBER_SHARE).set_value(5.0).run()
    app.text_input(key=state.W_NUMBER_NAME).set_value("large claim").run()
    app.button(key=state.W_NUMBER_MAKE).click().run()
    assert not app.exception
    assert any("'large claim' is the top 5.0% of claim_amount over all 20,000 rows (claim_amount ≥ 1,296): 1,000 of "
               "20,000 rows" in s
               for s in texts(app, "success"))  # fmt: skip
    app.switch_page("pages/class_balance.py").run()
    assert any("'large claim' is the top 5.0% of claim_amount" in c for c in texts(app, "caption"))  # the sidebar
    counts = table_with(app, "count")
    assert counts["count"].tolist() == [19000, 1000] and counts["class"].tolist() == ["other", "large claim"]
    app.switch_page("pages/train.py").run()
    app.button(key="train.run").click().run()
    assert not app.exception and "The decision" in [h.value for h in app.header]
    code = next(c.value for c in app.code if "DATA_FILE" in c.value)
    assert "claim_amount" not in code.split("NUMERIC =")[1].split("\n")[0]  # the number is not a feature


def test_a_threshold_that_leaves_a_side_empty_is_refused_and_the_data_stays(app):
    load_claims(app)
    app.radio(key=state.W_NUMBER_HOW).set_value("value").run()
    app.number_input(key=state.W_NUMBER_VALUE).set_value(1e9).run()
    app.button(key=state.W_NUMBER_MAKE).click().run()
    assert not app.exception
    assert any("puts 0 rows in" in e and "The data is unchanged" in e for e in texts(app, "error"))
    assert any("Insurance claims" in m for m in texts(app, "markdown") + [h.value for h in app.header])


def test_class_balance_shows_a_numeric_targets_distribution_and_where_to_make_a_class(app):
    load_claims(app)
    app.switch_page("pages/class_balance.py").run()
    assert not app.exception and not texts(app, "error")
    assert any("6.9% of the 20,000 rows hold values at or above 1,088" in m for m in texts(app, "markdown"))
    assert app.toggle(key=state.W_NUMBER_LOG).value is True  # skewness 22.6: the log scale is on
    links = [p.proto.label for p in app.get("page_link")]
    assert "Make a rare class of it on the Data page" in links


def test_explored_as_a_number_train_shows_errors_by_range_with_intervals_and_resample_marks_synthetic_rows(app):
    load_claims(app)
    assert any("explore it as a number" in m for m in texts(app, "markdown"))
    app.switch_page("pages/train.py").run()
    app.button(key=state.W_NUM_TRAIN).click().run()
    assert not app.exception
    table = table_with(app, "median |error| [95 %]")
    assert set(table["range"]) == {"rare range", "common range", "all rows"}
    assert len(set(table["strategy"])) >= 4
    rare = table[table["range"] == "rare range"]
    assert rare["median |error| [95 %]"].str.match(r"^[\d,.]+ \[[\d,.]+, [\d,.]+\]$").all()  # every one has an interval
    said = [m for m in texts(app, "markdown") if "in the rare range the error" in m]
    assert len(said) == len(set(table["strategy"])) - 1  # one sentence per strategy against no handling
    labels = [b.proto.label for b in app.get("download_button")]
    assert {"Download the report (HTML)", "Download the script (.py)"} <= set(labels)
    app.toggle(key=state.W_NUM_LOG).set_value(False).run()  # display only: the fits are reused
    assert not app.exception and len(table_with(app, "median |error| [95 %]")) == len(table)
    app.switch_page("pages/resample.py").run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Synthetic rows"].replace(",", "")) > 0


def test_a_rare_range_that_marks_too_few_rows_is_refused_and_the_data_stays(app):
    load_claims(app)
    app.switch_page("pages/train.py").run()
    app.radio(key=state.W_NUM_RULE).set_value("threshold").run()
    app.number_input(key=state.W_NUM_CUT).set_value(1e9).run()
    assert not app.exception
    assert any("holds 0 of" in e and "Move the threshold" in e for e in texts(app, "error"))
    app.switch_page("pages/data.py").run()
    assert any("Insurance claims" in h.value for h in app.header)


def test_the_lesson_can_be_walked_with_a_numeric_target_loaded(app):
    from core.teaching.lessons import LESSON_STEPS

    load_claims(app)
    app.switch_page("pages/lesson.py").run()
    assert any("reads the current data's classes" in m for m in texts(app, "info"))
    for _ in range(len(LESSON_STEPS) - 1):
        app.button(key="lesson.next").click().run()
        assert not app.exception
    assert LESSON_STEPS[-1].title in [h.value for h in app.header]


def test_a_rare_range_set_on_the_data_page_shades_the_histogram_and_is_the_one_train_uses(app):
    load_claims(app)
    app.radio(key=state.W_NUM_RULE).set_value("threshold").run()
    app.number_input(key=state.W_NUM_CUT).set_value(2000.0).run()
    assert not app.exception
    import pandas as pd

    from core.data.bundled import SAMPLE_DIR

    expected = (pd.read_csv(SAMPLE_DIR / "insurance_claims.csv")["claim_amount"] >= 2000).mean()
    assert any(
        f"{expected:.1%} of the 20,000 rows hold values at or above 2,000 (your threshold;" in m
        for m in texts(app, "markdown")
    )
    app.switch_page("pages/train.py").run()
    assert any("Rare range: claim_amount ≥ 2,000" in c for c in texts(app, "caption"))
