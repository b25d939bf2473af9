"""Hostile names never run as script; sessions never see each other's data; ten users at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.corpus import cases
from tests.e2e.conftest import SERVER_PIDS, open_page, rss_mb, wait_idle

pytestmark = pytest.mark.e2e
HOSTILE = next(c for c in cases() if c.id == "hostile-names")


def upload(pg, name: str, data: bytes) -> None:
    pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def heatmap_labels(pg) -> list[list[str]]:
    return pg.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(p => (p.data || [])"
        ".filter(t => t.type === 'heatmap').map(t => [...t.y]))"
    )


def test_html_and_script_in_names_and_labels_show_as_text_and_never_run(page, server):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, server)
    upload(page, HOSTILE.name, HOSTILE.data)
    page.get_by_text(f"Loaded {HOSTILE.name}").wait_for()
    wait_idle(page)
    expect(page.get_by_role("heading", name=HOSTILE.name)).to_be_visible()  # the file name, literally
    ticks = page.locator('[data-testid="stPlotlyChart"]').first.locator(".xtick text")
    # shown literally (the long one shortened with an ellipsis), never as a link or bold text
    expect(ticks).to_have_text(["[no](javascript:alert(4))", re.compile(r"^<b onmouseover=alert\(3\)>yes</")])
    for path in ["class_balance", "resample", "smote_steps"]:
        page.get_by_role("link", name={"class_balance": "Class balance", "resample": "Resample",
                                       "smote_steps": "SMOTE step by step"}[path]).first.click()  # fmt: skip
        wait_idle(page)
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
        page.mouse.move(700, 700)  # hover across charts: an injected onmouseover would fire here
        assert page.locator('[data-testid="stException"]').count() == 0
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(HOSTILE.name)
    assert page.locator("svg[onload], img[onerror], b[onmouseover]").count() == 0
    assert dialogs == []


def test_two_sessions_with_different_uploads_never_see_each_other(browser, server):
    contexts = [browser.new_context(), browser.new_context()]
    try:
        pages = [c.new_page() for c in contexts]
        for i, pg in enumerate(pages):
            open_page(pg, server)
            rows = "".join(f"{k},{k % 3},{'mine' + str(i) if k < 8 else 'other' + str(i)}\n" for k in range(60))
            upload(pg, f"session{i}.csv", f"a,b,label\n{rows}".encode())
            pg.get_by_text(f"Loaded session{i}.csv").wait_for()
        for pg in pages:
            pg.get_by_role("link", name="Train & evaluate").first.click()
            wait_idle(pg)
            pg.get_by_role("button", name="Train and evaluate").click()
            pg.get_by_text("Scores on the test split").wait_for(timeout=120_000)
            wait_idle(pg)
        for i, pg in enumerate(pages):
            other = 1 - i
            labels = {label for matrix in heatmap_labels(pg) for label in matrix}
            assert labels == {f"mine{i}", f"other{i}"}
            assert pg.get_by_text(f"session{other}.csv").count() == 0
            expect(pg.locator('[data-testid="stSidebar"]')).to_contain_text(f"session{i}.csv")
    finally:
        for c in contexts:
            c.close()


@pytest.mark.slow
def test_ten_sessions_load_and_train_at_once(browser, server):
    n = 10
    before = rss_mb(SERVER_PIDS[server])
    contexts = [browser.new_context() for _ in range(n)]
    try:
        pages = [c.new_page() for c in contexts]
        for pg in pages:
            open_page(pg, server)
        for i, pg in enumerate(pages):  # all uploads in flight together
            rows = "".join(f"{k},{(k * 7) % 11},{'x' + str(i) if k % 9 == 0 else 'y' + str(i)}\n" for k in range(300))
            upload(pg, f"user{i}.csv", f"f1,f2,label\n{rows}".encode())
        for i, pg in enumerate(pages):
            pg.get_by_text(f"Loaded user{i}.csv").wait_for(timeout=120_000)
            pg.get_by_role("link", name="Train & evaluate").first.click()
        for pg in pages:
            wait_idle(pg)
            pg.get_by_role("button", name="Train and evaluate").click()  # training runs in ten sessions at once
        for i, pg in enumerate(pages):
            pg.get_by_text("Scores on the test split").wait_for(timeout=300_000)
            wait_idle(pg)
            labels = {label for matrix in heatmap_labels(pg) for label in matrix}
            assert labels == {f"x{i}", f"y{i}"}, f"session {i} got someone else's result"
            assert pg.locator('[data-testid="stException"]').count() == 0
        after = rss_mb(SERVER_PIDS[server])
        print(f"server memory: {before:.0f} MB before, {after:.0f} MB after ten sessions")
        assert after < 3_000, f"server memory grew to {after:.0f} MB"
    finally:
        for c in contexts:
            c.close()


@pytest.mark.slow
def test_three_sessions_asking_for_the_same_training_share_one_and_get_the_same_scores(browser, server):
    contexts = [browser.new_context() for _ in range(3)]
    try:
        pages = [c.new_page() for c in contexts]
        for pg in pages:
            open_page(pg, server, "train")
            pg.get_by_role("spinbutton", name="Model seed").fill("12345")  # work no earlier test has done
            pg.get_by_role("spinbutton", name="Model seed").press("Enter")
            wait_idle(pg)
        for pg in pages:
            pg.get_by_role("button", name="Train and evaluate").click(no_wait_after=True)
        shared = False
        for _ in range(600):  # while they wait, a page says it shares the work
            if any(pg.get_by_text("other session").count() for pg in pages):
                shared = True
            if all(pg.get_by_role("heading", name="Scores on the test split").count() for pg in pages):
                break
            pages[0].wait_for_timeout(200)
        assert shared, "no page said it shared the training"
        boards = []
        for pg in pages:
            pg.get_by_role("heading", name="Scores on the test split").wait_for(timeout=300_000)
            wait_idle(pg)
            assert pg.locator('[data-testid="stException"]').count() == 0
            decision = pg.locator('[data-testid="stTable"]').first  # the decision's rivals, in whole cases
            boards.append(decision.inner_text())
        assert boards[0] == boards[1] == boards[2]  # the same decision, in the same counts
    finally:
        for c in contexts:
            c.close()
