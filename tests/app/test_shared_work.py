"""One training path for both kinds of target: results come from the finished work itself, so a store that lets an
entry go while a page waits (other sessions filling it) loses nothing."""

from __future__ import annotations

from components import shared_work, state
from tests.app.conftest import scores, texts


def _tiny(monkeypatch) -> None:
    """Stores that keep one result: every fit of a page's request lets the one before it go."""
    stores: dict[str, shared_work.Store] = {}
    monkeypatch.setattr(shared_work, "store", lambda kind: stores.setdefault(kind, shared_work.Store(size=1)))


def test_class_strategies_evicted_while_the_page_waits_are_still_shown(app, monkeypatch):
    _tiny(monkeypatch)
    app.switch_page("pages/compare.py").run()
    ids = ["none:logreg:none", "none:logreg:balanced", "none:logreg:none:f1:none"]
    app.multiselect(key=state.W_COMPARE_IDS).set_value(ids).run()
    app.button(key=state.W_COMPARE_RUN).click().run()
    assert not app.exception
    assert scores(app)["strategy"].tolist() == ["LogReg", "LogReg, balanced weights", "LogReg, threshold for F1"]


def test_number_strategies_evicted_while_the_page_waits_are_still_shown(app, monkeypatch):
    _tiny(monkeypatch)
    app.selectbox(key=state.W_SAMPLE).set_value("insurance_claims").run()
    app.button(key=state.W_LOAD_SAMPLE).click().run()
    app.switch_page("pages/train.py").run()
    app.selectbox(key=state.W_NUM_MODEL).set_value("linear").run()  # quick fits
    app.button(key=state.W_NUM_TRAIN).click().run()
    assert not app.exception
    assert any("the error" in m for m in texts(app, "markdown"))
    table = next(t.value for t in app.dataframe if "median |error| [95 %]" in t.value.columns)
    assert table["strategy"].nunique() == len(app.multiselect(key=state.W_NUM_STRATEGIES).value)


def test_a_store_keeps_the_latest_and_lets_the_least_recently_used_go():
    kept = shared_work.Store(size=2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # now the most recently used
    kept.put("c", 3)
    assert kept.get("b") is None and kept.get("a") == 1 and kept.get("c") == 3
