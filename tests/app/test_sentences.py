"""Words that match their numbers: on every page, with every bundled sample, each number a sentence states is shown
by the page beside it (a table cell, a chart's data, a metric, a setting) or is a fact of the data it describes
(:mod:`tests.app.sentences`); the same for the Lesson's steps and for the downloaded report."""

from __future__ import annotations

import html
import json
import re

import pytest

from components import state
from core.data.bundled import load_sample
from core.data.prepared import prepare
from core.data.split import make_split
from core.teaching.glossary import GLOSSARY
from core.teaching.lessons import LESSON_STEPS
from tests.app.sentences import Pool, _floats, data_facts, numbers_in, unmatched

CLASS_SAMPLES = ["credit_card_fraud", "customer_churn", "product_defects", "breast_cancer", "resume_screening"]


def _facts(key: str) -> list[float]:
    prepared = prepare(load_sample(key), target=None, overrides={})
    if not prepared.ready:  # a number: the facts its message gives
        column = prepared.dataset.frame[prepared.target]
        return (
            data_facts(prepared)
            + [float(column.nunique())]
            + [float(v) for v in column.dropna().drop_duplicates().head(3)]
        )
    return data_facts(prepared, make_split(prepared, test_size=0.2, random_state=42))


def _load(app, key: str):
    if key != "credit_card_fraud":
        app.selectbox(key=state.W_SAMPLE).set_value(key).run()
        app.button(key=state.W_LOAD_SAMPLE).click().run()
    return app


@pytest.mark.parametrize("key", [*CLASS_SAMPLES, "insurance_claims"])
def test_every_number_a_sentence_states_is_shown_beside_it_on_every_page(app, key):
    _load(app, key)
    facts = _facts(key)
    found = {}
    for page in ("data", "class_balance", "resample", "train", "compare"):
        if page != "data":
            app.switch_page(f"pages/{page}.py").run()
        if page == "train":
            app.button(key=state.W_NUM_TRAIN if key == "insurance_claims" else state.W_TRAIN).click().run()
        if page == "compare" and key != "insurance_claims":
            app.button(key=state.W_COMPARE_RUN).click().run()
        assert not app.exception, (key, page)
        left = unmatched(app, facts=facts)
        if left:
            found[page] = left
    assert not found, found


def test_every_number_of_the_lessons_steps_is_shown_beside_it(app):
    app.switch_page("pages/lesson.py").run()
    asks = {"leakage": state.W_LEAK_RUN, "thresholds": state.W_THRESHOLD_LESSON,
            "production": state.W_PRODUCTION_LESSON, "hardness": state.W_HARDNESS_RUN, "numbers": state.W_NUMBER_LESSON}  # fmt: skip
    # the costs set on Train (this page draws no field for them); the hardness step's generated data: 3,000 rows,
    # a quarter of them for the test split
    facts = [*_facts("credit_card_fraud"), *state_costs(), 2_250.0]
    below = [f"**{term}**:" for term, _, _ in GLOSSARY] + ["Five generated datasets", "Class sizes:"]  # fixed examples
    found = {}
    for i, step in enumerate(LESSON_STEPS):
        if i:
            app.button(key=state.W_LESSON_NEXT).click().run()
        if step.key in asks:
            app.button(key=asks[step.key]).click().run()
        assert not app.exception, step.key
        left = unmatched(app, facts=facts, ignore=below)
        if left:
            found[step.key] = left
    assert not found, found


def state_costs() -> tuple[float, float]:
    """The default costs of a false alarm and a missed case."""
    from core.modelling.strategies import TuningSettings

    return TuningSettings().cost_fp, TuningSettings().cost_fn


def test_every_number_of_the_report_is_in_its_tables_or_charts(app, deferred):
    """The downloaded report, as the browser gets it: each number of its sentences in its own tables or charts."""
    app.switch_page("pages/compare.py").run()
    app.button(key=state.W_COMPARE_RUN).click().run()
    page = deferred[state.W_DOWNLOAD_REPORT]().decode()
    body = page[: page.index("<h2>Appendix: how to reproduce</h2>")] if "Appendix" in page else page
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", body, flags=re.S)
    figures = [json.loads(b) for b in re.findall(r"<script type='application/json' class='figure-json'>(.*?)</script>",
                                                 body, flags=re.S)]  # fmt: skip
    pool = Pool([*_floats([html.unescape(c) for c in cells]), *_floats(figures), *_facts("credit_card_fraud")])
    sentences = [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in re.findall(r"<(?:li|p)[^>]*>(.*?)</(?:li|p)>", body,
                                                                             flags=re.S)]  # fmt: skip
    left = [(raw, s[:200]) for s in sentences if not s.startswith("Made ") and "Python " not in s
            for raw, v, d, p in numbers_in(s) if not pool.holds(v, d, p)]  # fmt: skip
    assert not left, left
