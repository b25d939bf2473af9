"""Leaderboard, takeaways that follow the numbers, the HTML report, and settings round trips."""

from __future__ import annotations

import dataclasses
import json
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from core.comparison.compare import (
    FOLDS,
    TEST,
    best_in_column,
    default_strategies,
    difference,
    differences,
    evidence,
    leaderboard,
    strategy_choices,
    with_intervals,
)
from core.comparison.takeaways import differences_caption, noise_warning, summary, takeaways
from core.data.distribution import class_distribution
from core.data.split import SplitSpec
from core.modelling.evaluation import Evaluation, HeldOut
from core.modelling.strategies import Strategy
from core.output.report import build_report
from core.output.result_figures import confusion_grid_figure
from core.output.shared_settings import SettingsError, SharedSettings, decode_token, encode_token, from_json, to_json
from core.resampling.catalogue import SamplerConfig

Y = np.array([0] * 90 + [1] * 10)


def ev_with(
    name: str, caught: int, alarms: int, *, ranking: float = 0.0, scale: int = 1, strategy: Strategy | None = None
) -> Evaluation:
    """A binary evaluation on 100 x ``scale`` test rows (10 x ``scale`` positives), ``caught`` and ``alarms``
    per 100 rows at threshold 0.5."""
    p = np.full(100, 0.1)
    p[90 : 90 + caught] = 0.9
    p[:alarms] = 0.8
    p[90 + caught :] = 0.1 + ranking  # the missed positives; a higher ranking lifts them above the negatives
    p = np.tile(p, scale)
    return Evaluation(name, strategy or Strategy(), ("no", "yes"), np.tile(Y, scale), np.column_stack([1 - p, p]),
                      (), 0.0, None, None)  # fmt: skip


def test_a_clear_difference_is_named_with_its_paired_interval():
    base = ev_with("RF", caught=3, alarms=1, scale=20)
    smote = ev_with("SMOTE + RF", caught=8, alarms=13, scale=20, strategy=Strategy(SamplerConfig("smote")))
    text = takeaways([base, smote])[0]
    assert text.startswith(
        "SMOTE + RF raised recall on 'yes' from 0.30 to 0.80 (160 of 200 against 60 of 200; difference +0.500 ["
    )
    assert "about 50 more caught per 1,000 cases" in text
    assert "lowered precision from 0.75 to 0.38" in text and "120 more false alarms per 1,000 cases" in text
    d = difference([base, smote], 1, "recall")
    assert d.verdict == "better" and 0 < d.low < 0.5 < d.high < 1
    assert summary([base, smote])[0].startswith("Resampling helped here: the best of it, SMOTE + RF, has F1")


def test_a_difference_whose_paired_interval_holds_zero_is_no_clear_difference():
    base = ev_with("RF", caught=5, alarms=2)
    other = ev_with("RF, balanced weights", caught=6, alarms=2, strategy=Strategy(weighting="balanced"))
    d = difference([base, other], 1, "recall")
    assert d.low <= 0 <= d.high and d.verdict == "no clear difference"
    text = takeaways([base, other])[0]
    assert text.startswith(
        "RF, balanced weights and RF show no clear difference in 'yes' caught: recall 0.60 (6 of 10) against 5 of 10"
    )
    assert "raised" not in text
    assert "made no clear difference" in summary([base, other])[0]
    # a clear drop in recall is called one
    worse = ev_with("NearMiss + RF", caught=1, alarms=2, scale=20)
    assert takeaways([ev_with("RF", 5, 2, scale=20), worse])[0].startswith("NearMiss + RF caught fewer 'yes' than RF")


def _six(name: str, caught: int) -> Evaluation:
    """300 test rows with 6 of the small class, ``caught`` of them flagged and no false alarm."""
    y = np.r_[np.zeros(294, int), np.ones(6, int)]
    p = np.full(300, 0.1)
    p[294 : 294 + caught] = 0.9
    return Evaluation(name, Strategy(), ("no", "yes"), y, np.column_stack([1 - p, p]), (), 0.0, None, None)


def test_six_of_six_against_none_of_six_is_not_read_as_certain_anywhere():
    evals = [_six("RF", 0), _six("RandomUnderSampler + RF", 6)]
    shown = with_intervals(leaderboard(evals))
    recall = shown["recall (small class)"].tolist()
    assert recall == ["0.000 [0.000, 0.330], 0 of 6", "1.000 [0.670, 1.000], 6 of 6"]
    cell = differences(evals)["recall (small class)"].iloc[0]
    assert cell.endswith("▲ better") and "[+1.000, +1.000]" not in cell
    low = float(cell.split("[")[1].split(",")[0])
    assert 0 < low < 0.8
    line = takeaways(evals)[0]
    assert "raised recall on 'yes' from 0.00 to 1.00 (6 of 6 against 0 of 6" in line and "[+1.000, +1.000]" not in line
    assert "swing widely" in noise_warning(evals) and "Turn on cross-validation" in noise_warning(evals)
    # the small test split warning and the intervals tell the same story: wide, and not zero-width
    table = leaderboard(evals)
    for label in ("recall (small class)", "F1 (small class)", "balanced accuracy", "MCC", "ROC-AUC", "PR-AUC"):
        assert (table[f"{label} high"] - table[f"{label} low"] > 0.1).all(), label
    # the report carries the same cells, words and warning
    dist = class_distribution(pd.Series(["no"] * 294 + ["yes"] * 6))
    page = build_report(
        dataset_name="six.csv", target="failure", n_rows=300, distribution=dist, split_text="Test 300.", evals=evals,
        leaderboard=shown, best=best_in_column(evals), figures=[], takeaways=takeaways(evals),
        summary=summary(evals), differences=differences(evals), warning=noise_warning(evals),
    )  # fmt: skip
    assert "1.000 [0.670, 1.000], 6 of 6" in page and "[+1.000, +1.000]" not in page
    assert "6 of 6 against 0 of 6" in page and "swing widely" in page and "Jeffreys for recall" in page


def test_undefined_precision_ties_and_a_missing_class_are_said_as_they_are():
    nothing = ev_with("RF", caught=0, alarms=0)
    some = ev_with("SMOTE + RF", caught=6, alarms=4, scale=1)
    text = takeaways([nothing, some])[0]
    assert "RF flagged no case, so its precision is undefined" in text and "precision from 0.00" not in text
    # identical strategies: the same decisions, said as such, and no winner by ranking either
    lines = takeaways([some, ev_with("B", 6, 4)])
    assert lines[0].startswith("B made the same decision as SMOTE + RF on every row")
    assert "every strategy ranks the rows the same" in lines[-1]
    assert differences([some, ev_with("B", 6, 4)]).iloc[0, 1:].eq("= identical").all()
    # no small-class row in the test split: nothing to judge, and no "nan" in the sentence
    y = np.zeros(50, dtype=int)
    p = np.full(50, 0.2)
    empty = [Evaluation(n, Strategy(), ("no", "yes"), y, np.column_stack([1 - p, p]), (), 0.0, None, None)
             for n in ("RF", "SMOTE + RF")]  # fmt: skip
    lines = takeaways(empty)
    assert lines == [lines[0]] and "no rows of 'yes'" in lines[0] and "nan" not in lines[0]


def test_multiclass_tie_on_the_rarest_class_is_not_a_win():
    y = np.array([0] * 30 + [1] * 20 + [2] * 5)
    proba = np.eye(3)[y] * 0.8 + 0.2 / 3
    evals = [Evaluation(n, Strategy(), ("a", "b", "tableware"), y, proba, (), 0.0, None, None) for n in "ABCD"]
    lines = takeaways(evals)
    assert lines[-1].startswith("No strategy finds the rarest class, 'tableware', clearly more often than the others")
    assert "A 5 of 5, B 5 of 5" in lines[-1]
    assert all("made the same decision as A on every row" in line for line in lines[:-1])


def test_pr_auc_takeaway_needs_a_clear_paired_difference():
    base = ev_with("RF", caught=5, alarms=0, ranking=0.0, scale=20)
    better = ev_with("BalancedRF", caught=5, alarms=0, ranking=0.85, scale=20)
    assert "BalancedRF ranks cases better than RF" in takeaways([base, better])[-1]
    assert "RF ranks cases worse than BalancedRF" in takeaways([better, base])[-1]
    # one more positive ranked above the false alarms: a higher PR-AUC, but one row of ten is noise
    base = ev_with("RF", 5, 2)
    p = base.proba[:, 1].copy()
    p[95] = 0.85
    other = Evaluation("HGB", Strategy(model="hgb"), base.classes, base.y_test, np.column_stack([1 - p, p]), (), 0.0,
                       None, None)  # fmt: skip
    line = takeaways([base, other])[-1]
    assert line.startswith("By PR-AUC, which does not depend on a threshold, no strategy ranks cases clearly better")
    assert "the largest gap, HGB at" in line


def test_leaderboard_marks_a_best_value_only_where_it_beats_every_other_beyond_noise():
    evals = [ev_with("A", 3, 1, scale=20), ev_with("B", 8, 13, scale=20), ev_with("C", 5, 0, scale=20)]
    table = leaderboard(evals)
    best = best_in_column(evals)
    assert table["strategy"].tolist() == ["A", "B", "C"]
    assert best["recall (small class)"] == "B"
    assert best["precision (small class)"] == "C"
    assert "majority baseline accuracy" not in best and "accuracy" not in best
    # on ten cases the same three are too close to call, and two identical leaders are a tie
    assert "recall (small class)" not in best_in_column([ev_with("A", 3, 1), ev_with("B", 5, 13), ev_with("C", 4, 0)])
    tied = best_in_column([ev_with("A", 3, 1, scale=20), ev_with("B", 8, 13, scale=20), ev_with("B2", 8, 13, scale=20)])
    assert "recall (small class)" not in tied


def test_with_cross_validation_the_verdicts_read_the_pooled_held_out_rows():
    held = [HeldOut(*_rows_of(ev_with(n, c, a, scale=20))) for n, c, a in (("RF", 3, 1), ("SMOTE + RF", 8, 13))]
    tests = [ev_with(n, c, a, scale=1) for n, c, a in (("RF", 0, 0), ("SMOTE", 6, 0))]  # 10 cases, the same mix
    evals = [dataclasses.replace(ev, held_out=h) for ev, h in zip(tests, held, strict=True)]
    assert evidence(evals) == FOLDS
    lines = takeaways(evals)
    assert lines[0].startswith("Read on the cross-validation folds' held-out predictions (2,000 training rows, 200 of")
    assert "from 0.00 to 0.60" not in lines[1]  # not the test split's
    assert (
        "from 0.30 to 0.80 (160 of 200 against 60 of 200" in lines[1]
    )  # the folds' counts, not the test split's 6 rows
    warning = noise_warning(evals)
    assert "read the cross-validation folds instead" in warning and "Turn on" not in warning
    assert "held-out predictions" in differences_caption(evals)
    # training rows enriched in the small class (a large file's working sample): the test split still decides
    y = np.r_[np.zeros(50, int), np.ones(50, int)]
    p = np.where(y == 1, 0.9, 0.1)
    rich = [dataclasses.replace(ev, held_out=HeldOut(y, np.column_stack([1 - p, p]), y)) for ev in evals]
    assert evidence(rich) == TEST
    assert "still read the test split" in noise_warning(rich) and "Turn on" not in noise_warning(rich)


def _rows_of(ev: Evaluation):
    return ev.y_test, ev.proba, (ev.proba[:, 1] >= 0.5).astype(int)


def test_default_and_available_strategies_fit_the_data():
    assert default_strategies(data_kind="numeric", n_classes=2) == [
        "none:rf:none", "none:rf:balanced", "smote:rf:none", "random_under:rf:none", "none:hgb:balanced",
        "none:rf:none:f1:none",
    ]  # fmt: skip
    assert "none:rf:none:f1:none" not in default_strategies(data_kind="numeric", n_classes=3)
    mixed = strategy_choices(data_kind="mixed", n_classes=3)
    assert "smote_tomek:rf:none" not in mixed and "adasyn:rf:none" not in mixed
    assert "smote:rf:none" in mixed and "none:isolation_forest:none" not in mixed
    assert all(Strategy.from_id(i).id == i for i in mixed)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.unbalanced = 0
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.srcs += [v for k, v in attrs if k in {"src", "href"} and v]
        if tag not in {"meta", "br", "link", "img", "input", "hr"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.unbalanced += 1


def test_report_is_self_contained_valid_html_with_every_strategy_and_escaped_names():
    evals = [ev_with("RF", 3, 1), ev_with("<script>alert(1)</script> + RF", 8, 13)]
    table = leaderboard(evals)
    dist = class_distribution(pd.Series(["no"] * 90 + ["<b>yes</b>"] * 10))
    fig = confusion_grid_figure([e.name for e in evals], [np.eye(2)] * 2, classes=["no", "yes"], normalize=False)
    page = build_report(
        dataset_name="<img src=x onerror=alert(1)>.csv", target="=cmd", n_rows=100, distribution=dist,
        split_text="Training 80, test 20.", evals=evals, leaderboard=table, best=best_in_column(evals),
        figures=[("Confusion matrices", fig)], takeaways=takeaways(evals),
        script='DATA_FILE = "</code></pre><script>alert(2)</script>.csv"\nif a < b:\n    pass',
    )  # fmt: skip
    parser = _Collector()
    parser.feed(page)
    assert page.startswith("<!DOCTYPE html>") and parser.unbalanced == 0 and not parser.stack
    assert parser.srcs == []  # nothing fetched from anywhere: plotly.js is inlined
    assert page.count("<script>alert(1)</script>") == 0 and "&lt;script&gt;alert(1)&lt;/script&gt; + RF" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.csv" in page
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # the library itself is inside
    for ev in evals:
        assert page.count(__import__("html").escape(ev.name)) >= 2  # in the strategies list and the leaderboard
    assert "never resampled" in page
    appendix = page[page.index("Appendix: how to reproduce") :]
    assert "&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(2)" in appendix and "if a &lt; b:\n    pass" in appendix
    # Fits a laptop window and an A4 page: no table wider than the strategy, its threshold and five metrics.
    board = page[page.index("<h2>Leaderboard</h2>") : page.index("<h2>Takeaways</h2>")]
    heads = [t.split("</thead>")[0] for t in board.split("<table>")[1:]]
    assert len(heads) >= 2 and all(h.count("<th>") <= 7 for h in heads)
    assert sum(h.count("<th>") for h in heads) == len(table.columns) + len(heads) - 1  # every column, once
    # Room for axis titles outside Streamlit: the figure goes out with fixed margins, not plotly's automatic ones.
    assert '"margin":{"b":60,"l":90' in page


def test_the_report_opens_on_the_decision_and_records_what_was_done_and_the_versions():
    from importlib.metadata import version

    from core.comparison.decision import decision_summary
    from core.comparison.production import Deployment

    evals = [ev_with("RF", 3, 1, scale=20), ev_with("SMOTE + RF", 8, 13, scale=20)]
    found = decision_summary(evals, Deployment(rate=0.1))
    dist = class_distribution(pd.Series(["no"] * 90 + ["yes"] * 10))
    page = build_report(
        dataset_name="d.csv", target="t", n_rows=100, distribution=dist, split_text="Test 2,000.", evals=evals,
        leaderboard=leaderboard(evals, costs=(1.0, 10.0)), best={}, figures=[], takeaways=[],
        decision=(found.headline, found.basis, list(found.lines), found.table), done=["Costs: a false alarm 1, a missed 'yes' 10."],
        n_train=8_000,
    )  # fmt: skip
    assert page.index("<h2>The decision</h2>") < page.index("<h2>Dataset</h2>")  # the summary first
    assert __import__("html").escape(found.headline) in page and "cost per case" in page
    done = page[page.index("<h2>What was done</h2>") :]
    assert (
        f"scikit-learn {version('scikit-learn')}" in done and f"imbalanced-learn {version('imbalanced-learn')}" in done
    )
    assert "a missed &#x27;yes&#x27; 10" in done


SETTINGS = SharedSettings("customer_churn", "churned", SplitSpec(0.25, 7), ("none:rf:none", "smote:rf:none"), 5, 3)


def test_settings_round_trip_through_json_and_url_token():
    assert from_json(to_json(SETTINGS)) == SETTINGS
    token = encode_token(SETTINGS)
    assert decode_token(token) == SETTINGS
    assert len(token) < 200 and token.replace("-", "").replace("_", "").isalnum()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("not json at all", "not valid JSON"),
        ("[1, 2, 3]", "JSON object"),
        ('{"schema": "other"}', "not an Imbalance Explorer settings file"),
        (json.dumps({**json.loads(to_json(SETTINGS)), "evil": "__import__('os')"}), "Unknown setting"),
        (json.dumps({**json.loads(to_json(SETTINGS)), "sample": "../../etc/passwd"}), "'sample' must name"),
        (
            json.dumps({**json.loads(to_json(SETTINGS)), "strategies": ["smote:rf:none", "rm -rf:x:y"]}),
            "Unknown strategy",
        ),
        (json.dumps({**json.loads(to_json(SETTINGS)), "strategies": []}), "1 to 12"),
        (json.dumps({**json.loads(to_json(SETTINGS)), "cv_folds": 7}), "0, 3, 5 or 10"),
        (json.dumps({**json.loads(to_json(SETTINGS)), "split": {"test_size": 0.9, "seed": 1}}), "0.1 to 0.5"),
        (json.dumps({**json.loads(to_json(SETTINGS)), "seed": True}), "whole number"),
        ("{" + '"a":' * 1 + '"' + "x" * 30_000 + '"}', "a settings file is under"),
    ],
)
def test_invalid_or_hostile_settings_are_refused_with_a_message(text, fragment):
    with pytest.raises(SettingsError, match=None) as info:
        from_json(text)
    assert fragment in str(info.value)


def test_damaged_and_bomb_tokens_are_refused():
    with pytest.raises(SettingsError, match="damaged"):
        decode_token("%%%not-base64")
    import base64
    import zlib

    bomb = base64.urlsafe_b64encode(zlib.compress(b"{" + b" " * 5_000_000 + b"}", 9)).decode()
    with pytest.raises(SettingsError):
        decode_token(bomb[:3900])
    big = base64.urlsafe_b64encode(zlib.compress(b" " * 500_000, 9)).decode()
    with pytest.raises(SettingsError, match="too large"):
        decode_token(big)
