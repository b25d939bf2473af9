"""The app in a real browser: pages load, the chart draws, an upload works, sessions are separate."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from core.teaching.lessons import LESSON_STEPS
from tests.e2e.conftest import open_page, wait_idle

pytestmark = pytest.mark.e2e
PAGES = ["", "class_balance", "resample", "smote_steps"]
DISTRIBUTION_PAGES = ["", "class_balance"]
CSV = b"x1,x2,outcome\n" + b"".join(f"{i},{i * 0.5},{'rare' if i < 6 else 'common'}\n".encode() for i in range(40))


def upload(pg, name: str, data: bytes, mime: str = "text/csv") -> None:
    pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    pg.wait_for_timeout(500)
    wait_idle(pg)


def expect_classes(pg, classes: list[str]) -> None:
    """The first distribution chart shows exactly these class names on its x axis (retries until it does)."""
    chart = pg.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.locator(".xtick text")).to_have_text(classes)


def trace_names(pg) -> list[str]:
    """Names of every trace of every plotly chart on the page, read from the live figures."""
    return pg.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(p => (p.data || []).map(t => t.name))"
    )


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_with_a_chart_and_no_exception(page, server, path):
    open_page(page, server, path)
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Credit-card fraud")


@pytest.mark.parametrize("path", DISTRIBUTION_PAGES)
def test_the_distribution_chart_draws_one_bar_per_class(page, server, path):
    open_page(page, server, path)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".main-svg").first.wait_for()
    expect(chart.locator("g.point path")).to_have_count(2)
    expect_classes(page, ["legit", "fraud"])


def test_resample_draws_two_panels_with_a_synthetic_trace_in_webgl(page, server):
    open_page(page, server, "resample")
    panels = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator(".subplot.x2y2"))
    panels.first.wait_for()
    expect(panels.first.locator("canvas").first).to_be_attached()  # WebGL (scattergl) layer
    assert "synthetic fraud" in trace_names(page)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_page_opened_first_on_a_fresh_server_still_runs_inside_the_app(page, fresh_server):
    open_page(page, fresh_server, "resample")
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Current dataset")
    expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text("SMOTE step by step")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_csv_upload_through_the_page_changes_the_distribution(page, server):
    open_page(page, server)
    upload(page, "mine.csv", CSV)
    page.get_by_text("Loaded mine.csv").wait_for()
    expect_classes(page, ["common", "rare"])
    page.get_by_role("link", name="Class balance").first.click()
    wait_idle(page)
    expect_classes(page, ["common", "rare"])
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_bad_upload_shows_a_message_and_keeps_the_data(page, server):
    open_page(page, server)
    upload(page, "broken.csv", b"")
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="is empty")
    alert.wait_for()
    assert "still in use" in alert.inner_text()
    expect_classes(page, ["legit", "fraud"])
    assert page.locator('[data-testid="stException"]').count() == 0


def test_one_users_upload_never_shows_in_another_session(browser, server):
    first = browser.new_context()
    second = browser.new_context()
    try:
        a, b = first.new_page(), second.new_page()
        open_page(a, server)
        upload(a, "private.csv", CSV)
        a.get_by_text("Loaded private.csv").wait_for()
        open_page(b, server)
        expect_classes(b, ["legit", "fraud"])
        assert b.get_by_text("private.csv").count() == 0
    finally:
        first.close()
        second.close()


def test_training_two_strategies_shows_both_confusion_matrices_and_roc_curves(page, server):
    open_page(page, server, "train")
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_role("button", name="Train and evaluate").click()
    page.get_by_text("Scores on the test split").wait_for(timeout=120_000)
    wait_idle(page)
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    names = trace_names(page)
    assert any(n and n.startswith("RF (AUC") for n in names)
    assert any(n and n.startswith("SMOTE + RF (AUC") for n in names)
    heatmaps = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(p => (p.data || []).filter(t => t.type === 'heatmap').length)"
    )
    assert 2 in heatmaps  # the side-by-side confusion matrices
    expect(page.locator(".js-plotly-plot .gtitle").filter(has_text="ROC curve")).to_have_count(1)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.set_viewport_size({"width": 1400, "height": 9000})  # every chart drawn: no legend over an axis
    wait_idle(page)
    assert not _legends_over_axes(page), _legends_over_axes(page)


def test_the_report_download_opens_offline_shows_its_charts_and_carries_the_costs_and_rate_set(
    page, server, browser, tmp_path
):
    open_page(page, server, "compare")
    page.get_by_text("Costs and threshold tuning (shared by every strategy)").click()
    for label, value in (("Cost of a false alarm", "5"), ("Cost of a missed case", "500")):
        field = page.get_by_role("spinbutton", name=label)
        field.fill(value)
        field.press("Enter")
        wait_idle(page)
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_role("heading", name="Takeaways").wait_for(timeout=180_000)
    wait_idle(page)
    box = page.get_by_role("textbox", name="Rate of the small class in production (%)")
    box.fill("0.1")
    box.press("Enter")
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the report (HTML)").click()
    path = tmp_path / "report.html"
    info.value.save_as(path)
    size = path.stat().st_size
    assert 1_000_000 < size <= 2_450_000, size  # plotly.js inside, gzipped: at most half the 4.9 MB it was
    offline = browser.new_context(offline=True)
    try:
        report = offline.new_page()
        report.goto(path.as_uri())
        expect(report.locator(".js-plotly-plot .main-svg").first).to_be_visible()
        expect(report.locator(".js-plotly-plot")).to_have_count(7)  # grid, ROC, PR, gains, lift, bars, decision curve
        expect(report.locator("h2").first).to_have_text("The decision")  # the summary first
        # built when the button was pressed, from the settings the page showed: the costs and the rate set above
        basis = report.locator("p.muted").filter(has_text="Judged at")
        expect(basis).to_contain_text("a false alarm costing 5 and a missed 'fraud' 500")
        expect(basis).to_contain_text("0.100% 'fraud'")
        expect(report.locator("li").filter(has_text="Production rate: 0.100% 'fraud'")).to_have_count(1)
        expect(report.get_by_text("Per 10,000 cases scored, at a production rate of 0.100% 'fraud'")).to_have_count(1)
        expect(report.locator("h2").filter(has_text="What was done")).to_contain_text("What was done")
        expect(report.locator("h2").filter(has_text="What happens in production")).to_have_count(1)
        expect(report.locator("h2").filter(has_text="If the team can review the top 5% of cases")).to_have_count(1)
        expect(report.locator("h2").filter(has_text="Takeaways")).to_have_count(1)
        # the leaderboard in parts a page wide, then the paired differences
        board = report.locator("xpath=//h2[.='Leaderboard']/following-sibling::table"
                               "[following-sibling::h2[.='Differences from the baseline']]")  # fmt: skip
        diffs = report.locator("xpath=//h2[.='Differences from the baseline']/following-sibling::table"
                               "[following-sibling::h2[.='Takeaways']]")  # fmt: skip
        assert board.count() >= 2
        expect(board.first).to_contain_text("HGB, balanced weights")
        expect(board.first).to_contain_text("RF, threshold for F1")
        cells = board.locator("tbody td").all_inner_texts()
        with_bounds = [c for c in cells if re.fullmatch(r"-?\d\.\d{3} \[-?\d\.\d{3}, -?\d\.\d{3}\](, \d+ of \d+)?", c)]
        assert len(with_bounds) >= 6 * 11  # every metric of the six default strategies, bar the baseline accuracy
        assert any("≈ no clear difference" in t for t in diffs.all_inner_texts())  # paired differences
        expect(report.locator("h2").filter(has_text="What helped here")).to_have_count(1)
        assert "no clear difference" in report.locator("ul").all_inner_texts().__str__()
    finally:
        offline.close()
    assert "s=" in page.url  # the address now carries the settings


def test_the_outcome_lines_say_the_figures_of_the_outcome_table_at_the_production_rate(page, server):
    open_page(page, server, "train")
    page.get_by_role("button", name="Train and evaluate").click()
    page.get_by_role("heading", name="What happens in production").wait_for(timeout=180_000)
    wait_idle(page)
    box = page.get_by_role("textbox", name="Rate of the small class in production (%)")
    box.fill("0.1")
    box.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("Per 10,000 cases scored, at a production rate of 0.100% 'fraud'")).to_be_visible()
    # the production table (the decision's table comes first): the two strategies as set, then each model at a
    # threshold tuned for the costs at this rate, then flagging no one
    table = page.locator('[data-testid="stTable"] table').filter(has=page.locator("thead th", has_text="cases missed"))
    table = table.first
    rows = [r for r in table.locator("tbody tr").all() if not r.locator("th").inner_text().startswith("flag no one")]
    heads = table.locator("thead th").all_inner_texts()[1:]
    assert len(rows) == 4 and heads[:2] == ["threshold", "flagged"] and "cases caught" in heads
    lines = [t for t in page.locator("li").all_inner_texts() if " per 10,000 cases scored and catches " in t]
    assert len(lines) == 4
    for row, line in zip(rows, lines, strict=True):
        name = row.locator("th").inner_text()
        cells = dict(zip(heads, row.locator("td").all_inner_texts(), strict=True))
        assert line.startswith(f"{name} flags ")
        for column, words in (("flagged", "flags "), ("cases caught", "catches ")):
            value = int(cells[column].split(" [")[0].replace(",", ""))  # whole cases, as a person counts them
            said = "none" if value == 0 else f"about {value:,}"
            assert f"{words}{said}" in line or (value == 0 and f"{words}fewer than 1" in line), (column, line)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_trains_first_press_judges_both_strategies_at_thresholds_tuned_for_the_costs(page, server):
    """The default pair on the fraud sample: SMOTE + RF is named cheaper beyond noise only if it beats the plain
    forest with its own threshold tuned for the same costs, as the paired line under the decision says."""
    open_page(page, server, "train")
    page.get_by_role("button", name="Train and evaluate").click()
    page.get_by_role("heading", name="The decision").wait_for(timeout=180_000)
    wait_idle(page)
    expect(page.get_by_text(re.compile("each model at a threshold tuned for these on its own training folds"))
           ).to_be_visible()  # fmt: skip
    decision_table = page.locator('[data-testid="stTable"]').first  # the decision's table comes first
    decision_table.locator("tbody th").first.wait_for()
    items = page.locator("li").all_inner_texts()
    rivals = decision_table.locator("tbody th").all_inner_texts()
    plain_rf = [t for t in rivals if re.fullmatch(r"RF at 0\.\d\d", t)]
    assert plain_rf and plain_rf[0] != "RF at 0.50"  # the forest's threshold was moved for the costs
    beyond = next(t for t in items if t.startswith("What resampling bought beyond moving the threshold"))
    headline = page.locator("strong").filter(has_text=re.compile("^(Use|No) ")).first.inner_text()
    if headline.startswith("Use SMOTE + RF"):
        assert " saved: " in beyond
    else:
        assert "RF at 0." in headline or "doing nothing" in headline


def test_the_lesson_the_smote_reveal_and_the_resample_notes_can_be_walked(page, server):
    open_page(page, server, "lesson")
    n = len(LESSON_STEPS)
    for i in range(1, n + 1):  # every step, Next to the end
        expect(page.get_by_text(re.compile(f"^Step {i} of {n}: "))).to_be_visible()
        assert page.locator('[data-testid="stException"]').count() == 0
        if i < n:
            page.get_by_role("button", name="Next", exact=True).first.click()  # the pair above the step
            wait_idle(page)
    for button in page.get_by_role("button", name="Next", exact=True).all():  # above the step and under it
        expect(button).to_be_disabled()
    page.get_by_role("link", name="Try it (step 3)").click()  # the glossary's leakage link: the leakage step
    wait_idle(page)
    expect(page.get_by_text(f"Step 3 of {n}: Leakage: resample after the split")).to_be_visible()
    open_page(page, server, "smote_steps")
    for _ in range(3):
        page.get_by_role("button", name="Next step").click()
        wait_idle(page)
    expect(page.get_by_text("Step 3 of 4: draw one new row")).to_be_visible()
    expect(page.get_by_text(re.compile(r"x_new = x \+ g · \(x_nn − x\) = \("))).to_be_visible()
    open_page(page, server, "resample")
    expect(page.get_by_text(re.compile("Imbalance ratio of the training rows after SMOTE: 1.0 : 1"))).to_be_visible()
    expect(page.get_by_text(re.compile("training rows of 'fraud' are synthetic"))).to_be_visible()


def test_the_resampled_download_marks_every_synthetic_row(page, server, tmp_path):
    open_page(page, server, "resample")
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the resampled training set (CSV)").click()
    path = tmp_path / "resampled.csv"
    info.value.save_as(path)
    frame = pd.read_csv(path, encoding="utf-8-sig")
    synthetic = frame[frame["is_synthetic"]]
    assert len(synthetic) > 0 and set(synthetic["origin"]) == {"synthetic"}
    assert synthetic["source_row"].isna().all() and frame.loc[~frame["is_synthetic"], "source_row"].notna().all()
    assert set(synthetic["Class"]) == {"fraud"}
    assert frame["Class"].value_counts()["fraud"] == frame["Class"].value_counts()["legit"]  # SMOTE's default
    assert info.value.suggested_filename == "resampled_smote.csv"


def _no_sideways_scroll(pg) -> list[str]:
    """What is wider than the window: the page or its scroll container, or any table, chart or block."""
    return pg.evaluate(
        """() => {
        const w = window.innerWidth, out = [];
        for (const el of [document.documentElement, document.querySelector('[data-testid="stMain"]')]) {
            if (el && el.scrollWidth > el.clientWidth + 1) out.push(`scrolls sideways: ${el.tagName} ${el.scrollWidth}`);
        }
        const sel = '[data-testid="stTable"], [data-testid="stDataFrame"], [data-testid="stPlotlyChart"], table';
        for (const el of document.querySelectorAll(sel)) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > w + 1) out.push(`${el.getAttribute('data-testid') || el.tagName} ends at ${r.right}`);
        }
        // any element of the main area that scrolls sideways itself (a code block, a wide table inside a box)
        for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
            const x = getComputedStyle(el).overflowX;
            if ((x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1)
                out.push(`${el.tagName} scrolls sideways inside: ${el.scrollWidth} > ${el.clientWidth}`);
        }
        return out;
    }"""
    )


def _legends_over_axes(pg) -> list[str]:
    """Every chart whose legend box meets its x axis's title or tick labels (drawn, on screen)."""
    return pg.evaluate(
        """() => {
        const out = [], meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        for (const plot of document.querySelectorAll('.js-plotly-plot')) {
            const legend = plot.querySelector('.legend');
            if (!legend) continue;
            const box = legend.getBoundingClientRect();
            if (!box.width) continue;
            for (const el of plot.querySelectorAll('.g-xtitle, .xtick text, .x2tick text')) {
                const r = el.getBoundingClientRect();
                if (r.width && meets(box, r)) {
                    out.push(`${(plot.querySelector('.gtitle') || {}).textContent || 'a chart'}: legend meets "${el.textContent}"`);
                    break;
                }
            }
        }
        return out;
    }"""
    )


def test_presenting_at_1280_by_720_walks_the_five_pages_and_opens_train_and_compare_on_the_decision(page, server):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, server, "?present=1")
    steps = ["Data", "Class balance", "Resample", "Train & evaluate", "Compare & report"]
    for i, title in enumerate(steps):
        expect(page.get_by_text(f"Step {i + 1} of 5: {title}")).to_be_visible(timeout=60_000)
        assert not _no_sideways_scroll(page), (title, _no_sideways_scroll(page))
        if title == "Train & evaluate":
            page.get_by_role("button", name="Train and evaluate").click()
            page.get_by_role("heading", name="The decision").wait_for(timeout=180_000)
            wait_idle(page)
            headings = page.locator("h2").all_inner_texts()
            assert headings.index("The decision") < headings.index("Scores on the test split")
            expect(page.locator('[data-testid="stTable"] thead').first).to_contain_text("test split: caught")
            problems = _no_sideways_scroll(page)
            assert not problems, problems
            page.set_viewport_size({"width": 1280, "height": 9000})  # every chart drawn at once
            wait_idle(page)
            assert not _legends_over_axes(page), _legends_over_axes(page)
            page.set_viewport_size({"width": 1280, "height": 720})
        if i + 1 < len(steps):
            page.get_by_role("link", name=f"Next: {steps[i + 1]}").click()
            wait_idle(page)
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_role("heading", name="The decision").wait_for(timeout=300_000)
    wait_idle(page)
    headings = page.locator("h2").all_inner_texts()
    assert headings.index("The decision") < headings.index("Leaderboard")
    problems = _no_sideways_scroll(page)
    assert not problems, problems
    page.set_viewport_size({"width": 1280, "height": 12000})
    wait_idle(page)
    assert not _legends_over_axes(page), _legends_over_axes(page)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("link", name="Back: Train & evaluate").click()
    expect(page.get_by_text("Step 4 of 5: Train & evaluate")).to_be_visible(timeout=60_000)


def test_a_skewed_number_both_ways_in_explored_as_a_number_and_made_a_class(page, server):
    open_page(page, server)
    page.get_by_role("combobox", name="Sample dataset").click()
    page.get_by_role("option", name=re.compile("Insurance claims")).click()
    page.get_by_role("button", name="Load this sample").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile("claim_amount is a number"))).to_be_visible()
    page.get_by_role("link", name="Train strategies for the number").click()
    wait_idle(page)
    page.get_by_role("button", name="Train and evaluate").click()
    page.get_by_role("heading", name="Errors where they matter").wait_for(timeout=180_000)
    wait_idle(page)
    sentences = page.locator("li").filter(has_text="in the rare range the error")
    assert sentences.count() == 4  # four strategies against no handling, each with its paired interval
    assert page.locator('[data-testid="stException"]').count() == 0
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Resample", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Synthetic rows", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("before and after resampling"))).to_be_visible()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Data", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Make it a class").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile("Made a class from 'claim_amount'"))).to_be_visible()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Compare & report", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_role("heading", name="The decision").wait_for(timeout=300_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_presenting_the_lesson_next_is_on_screen_the_arrow_keys_walk_and_a_new_step_opens_at_its_top(page, server):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, server, "lesson?present=1")
    n = len(LESSON_STEPS)
    expect(page.get_by_text(f"Step 1 of {n}:")).to_be_visible()
    box = page.locator(".st-key-lesson-next button").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 720  # reachable without scrolling
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    expect(page.get_by_text(f"Step 2 of {n}:")).to_be_visible()
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 5000)")
    page.locator(".st-key-lesson-next-below button").click()  # the pair under the step, from the bottom
    wait_idle(page)
    page.wait_for_timeout(300)
    bar = page.get_by_text(f"Step 3 of {n}:").bounding_box()
    assert bar is not None and 0 <= bar["y"] < 200  # the new step's title at the top of the screen
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    expect(page.get_by_text(f"Step 2 of {n}:")).to_be_visible()
