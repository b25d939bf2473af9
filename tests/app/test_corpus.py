"""Every file of the corpus goes through load -> distribution -> resample -> train, and ends in a result
or a clear message, never an exception, with the previously loaded dataset still usable."""

from __future__ import annotations

import pytest
from streamlit import config as st_config

from tests.app.conftest import texts, upload
from tests.corpus import cases

CASES = cases()
PAGES = ["pages/class_balance.py", "pages/resample.py", "pages/smote_steps.py", "pages/train.py", "pages/compare.py"]


def everything_said(at) -> str:
    kinds = ["error", "warning", "info", "success", "caption", "markdown", "header"]
    return " ".join(" ".join(texts(at, k)) for k in kinds)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_corpus_file_ends_in_a_result_or_a_clear_message(app, case):
    old = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)  # so the over-cap case needs only a 1.6 MB file
    try:
        upload(app, case.name, case.data, case.mime)
    finally:
        st_config.set_option("server.maxUploadSize", old)
    assert not app.exception
    if case.expect == "refused":
        assert any(case.says in e for e in texts(app, "error")), texts(app, "error")
        assert any("Credit-card fraud" in s for s in texts(app, "header")), "the previous dataset is still loaded"
    else:
        assert not any("still in use" in e for e in texts(app, "error")), texts(app, "error")
        if case.target:
            app.selectbox(key="data.target").set_value(case.target).run()
    said = {"pages/data.py": everything_said(app)}  # the page the file was loaded on
    trained = False
    for page in PAGES:
        app.switch_page(page).run()
        assert not app.exception, page
        if page == "pages/train.py" and not app.error:
            app.button(key="train.run").click().run()
            assert not app.exception
            trained = bool(app.dataframe)
        said[page] = said.get(page, "") + " " + everything_said(app)
    where = [page for page, text in said.items() if case.says in text]
    assert case.where in where, f"{case.id}: expected {case.says!r} on {case.where}, found it on {where}"
    if case.expect == "refused":  # the earlier data still works end to end
        assert trained, "the Train page shows results on the previous dataset"
