"""The Compare & report page: several strategies at once, takeaways, downloads, settings import and links."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from core.data.split import SplitSpec
from core.output.shared_settings import SharedSettings, encode_token, to_json
from tests.app.conftest import score_tables, scores, texts, upload

FOUR = ["none:rf:none", "smote:rf:none", "none:hgb:balanced", "none:rf:none:f1:none"]


def run(at):
    at.button(key="compare.run").click().run()
    assert not at.exception
    return at


def test_compare_shows_intervals_paired_differences_and_noise_aware_takeaways_on_the_fraud_sample(app):
    app.switch_page("pages/compare.py").run()
    assert app.multiselect(key="compare.strategies").value == [
        "none:rf:none", "none:rf:balanced", "smote:rf:none", "random_under:rf:none", "none:hgb:balanced",
        "none:rf:none:f1:none",
    ]  # fmt: skip
    app.multiselect(key="compare.strategies").set_value(FOUR).run()
    run(app)
    board, after = score_tables(app)
    names = ["RF", "SMOTE + RF", "HGB, balanced weights", "RF, threshold for F1"]
    assert board["strategy"].tolist() == names
    for column in ("PR-AUC", "ROC-AUC", "MCC", "Brier score"):
        assert all(re.fullmatch(r"-?\d\.\d{3} \[-?\d\.\d{3}, -?\d\.\d{3}\]", v) for v in board[column]), column
    for column in ("recall (small class)", "precision (small class)"):  # rates carry their counts
        assert all(re.fullmatch(r"\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\], \d+ of \d+", v) for v in board[column]), column
    assert board["recall (small class)"].str.endswith(" of 43").all()
    assert float(board["threshold"].iloc[3]) < 0.5  # tuned on training folds for F1
    parts = [t.value for t in app.dataframe[after:]]
    parts = parts[
        : next((i for i, t in enumerate(parts) if t.get("strategy", pd.Series()).tolist() != names[1:]), None)
    ]
    diffs = parts[0].join([t.drop(columns="strategy") for t in parts[1:]])
    assert len(parts) >= 2 and all(len(t.columns) <= 4 for t in parts)  # a page wide each, no sideways scroll
    assert diffs["strategy"].tolist() == names[1:] and "Brier score" in diffs
    assert diffs.map(lambda v: "≈ no clear difference" in str(v)).to_numpy().any()  # 43 test positives: some are noise
    specs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    grid = next(s for s in specs if any(t["type"] == "heatmap" for t in s["data"]))
    assert len([t for t in grid["data"] if t["type"] == "heatmap"]) == 4
    bars = next(s for s in specs if any(t["type"] == "bar" for t in s["data"]))
    assert all("error_y" in t for t in bars["data"])
    lines = [m for m in texts(app, "markdown") if m.startswith("- ")]
    assert any("no clear difference" in line for line in lines)
    # what helped, the two effects apart: moving the threshold, then what resampling bought beyond it
    assert any(line.startswith("- Moving the threshold for these costs") for line in lines)
    assert any(line.startswith("- What resampling bought beyond moving the threshold") for line in lines)
    assert any(line.startswith("- By PR-AUC") for line in lines)
    production = [line for line in lines if line.startswith("- In production (")]
    assert len(production) == len(names) and all("false alarms (cost" in line for line in production)
    labels = sorted(b.proto.label for b in app.get("download_button"))
    assert labels == ["Download the data it reads (credit_card_fraud.parquet)", "Download the leaderboard (CSV)",
                      "Download the report (HTML)", "Download the script (.py)", "Download the settings (JSON)"]  # fmt: skip
    code = app.get("code")[0].proto.code_text  # the whole comparison as one script, tuned threshold included
    assert code.count("\nmodels[") == len(names) and "TunedThresholdClassifierCV(" in code
    assert code.count("\nfair[") == 3  # the decision's rivals: RF (twice over: once), SMOTE + RF, HGB
    assert "s" in app.query_params


def test_the_figures_for_slides_are_drawn_when_asked(app):
    app.switch_page("pages/compare.py").run()
    app.multiselect(key="compare.strategies").set_value(["none:logreg:none", "none:logreg:balanced"]).run()
    run(app)
    assert "compare.download_figures" not in [b.key for b in app.get("download_button")]
    app.button(key="compare.prepare_figures").click().run()
    assert not app.exception and not app.error
    assert any(b.proto.label == "Download the figures (ZIP)" for b in app.get("download_button"))


def settings_json(**changes) -> bytes:
    base = SharedSettings("product_defects", "defect", SplitSpec(0.3, 5), ("none:rf:none", "none:brf:none"), 0, 1)
    return to_json(SharedSettings(**{**base.__dict__, **changes})).encode()


def test_importing_settings_loads_the_sample_and_choices(app):
    app.switch_page("pages/compare.py").run()
    app.file_uploader(key="compare.settings_upload").set_value(("s.json", settings_json(), "application/json")).run()
    assert not app.exception
    assert any("Settings imported" in s for s in texts(app, "success"))
    assert app.multiselect(key="compare.strategies").value == ["none:rf:none", "none:brf:none"]
    assert app.slider(key="split.test_size").value == 0.3
    assert any("Product defects" in c for c in texts(app, "markdown") + texts(app, "caption"))
    run(app)
    assert scores(app)["strategy"].tolist() == ["RF", "BalancedRF"]


def test_hostile_settings_are_refused_and_nothing_changes(app):
    app.switch_page("pages/compare.py").run()
    evil = b'{"schema": "imbalance-explorer/settings/1", "sample": "../../etc/passwd", "split": {}, "strategies": []}'
    app.file_uploader(key="compare.settings_upload").set_value(("evil.json", evil, "application/json")).run()
    assert not app.exception
    assert any("'sample' must name a bundled sample" in e and "unchanged" in e for e in texts(app, "error"))
    assert any("Credit-card fraud" in c for c in texts(app, "markdown"))


def test_a_link_reopens_the_same_comparison(app):
    token = encode_token(
        SharedSettings("customer_churn", "churned", SplitSpec(0.25, 9), ("none:rf:none", "smote:rf:none"), 0, 2)
    )
    app.query_params["s"] = token
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    assert any("Opened with the settings from the link" in s for s in texts(app, "success"))
    assert app.multiselect(key="compare.strategies").value == ["none:rf:none", "smote:rf:none"]
    assert app.number_input(key="compare.seed").value == 2
    run(app)
    assert scores(app)["strategy"].tolist() == ["RF", "SMOTE + RF"]  # SMOTE runs as SMOTENC on this data


def test_a_damaged_link_is_explained(app):
    app.query_params["s"] = "not-a-real-token"
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    assert any("damaged" in e or "not valid JSON" in e for e in texts(app, "error"))


def _six_cases_csv() -> bytes:
    """1,500 rows, 30 of them 'yes': the default 20 % test split holds 6, and the classes are easy to part."""
    rng = np.random.default_rng(5)
    y = np.r_[np.ones(30, int), np.zeros(1470, int)]
    frame = pd.DataFrame(rng.standard_normal((1500, 4)) + 3.0 * y[:, None], columns=[f"x{i}" for i in range(4)])
    frame["failure"] = np.where(y == 1, "yes", "no")
    return frame.sample(frac=1, random_state=1).to_csv(index=False).encode()


def test_six_cases_in_the_test_split_get_intervals_that_are_not_zero_width_and_words_that_follow_them(app):
    upload(app, "six.csv", _six_cases_csv())
    app.switch_page("pages/compare.py").run()
    assert any("only 6 rows of its smallest class" in w for w in texts(app, "warning"))  # proposed up front
    app.multiselect(key="compare.strategies").set_value(["none:logreg:none", "random_under:logreg:none"]).run()
    run(app)
    board, after = score_tables(app)
    assert board["recall (small class)"].str.endswith(" of 6").all()
    cells = board.drop(columns=["strategy", "threshold"]).to_numpy().ravel().tolist()
    assert not [c for c in cells if re.search(r"\[(\d\.\d{3}), \1\]", str(c))]  # no interval of zero width
    diffs = " ".join(str(v) for t in app.dataframe[after:] for v in t.value.to_numpy().ravel())
    assert "[+1.000, +1.000]" not in diffs and "[+0.000, +0.000]" not in diffs
    lines = [m for m in texts(app, "markdown") if m.startswith("- ")]
    for line in lines:  # every verdict word sits beside an interval that says it
        for low, high in re.findall(r"\[([+-]\d\.\d{3}), ([+-]\d\.\d{3})\]", line):
            if "raised" in line.split("[")[0] or "helped" in line.split("[")[0]:
                assert float(low) > 0 or float(high) < 0
    assert any("swing widely" in w and "Turn on cross-validation" in w for w in texts(app, "warning"))


def test_a_cost_set_on_train_reaches_compares_decision_summary_its_cost_column_and_production_table(app):
    from components import state

    app.switch_page("pages/train.py").run()
    app.number_input(key=state.W_COST_FN).set_value(40.0).run()  # a missed 'fraud' now costs 40
    app.switch_page("pages/compare.py").run()
    app.multiselect(key="compare.strategies").set_value(["none:logreg:none", "none:logreg:balanced"]).run()
    run(app)
    assert app.number_input(key=state.W_COST_FN).value == 40.0
    assert any("a missed 'fraud' 40" in c for c in texts(app, "caption") if c.startswith("Judged at"))
    board = scores(app)
    assert "cost per case" in board
    production = next(t.value for t in app.table if "precision" in t.value.columns)
    for name in board["strategy"]:  # one cost, at the production rate: per case on the board, per 10,000 below
        per_case = float(board.loc[board["strategy"] == name, "cost per case"].iloc[0].split(" [")[0])
        per_10k = float(production.loc[name, "cost"].split(" [")[0].replace(",", ""))
        assert per_case == pytest.approx(per_10k / 10_000, abs=0.0006), name
    app.number_input(key=state.W_COST_FN).set_value(5.0).run()  # and a change here moves both at once
    assert any("a missed 'fraud' 5" in c for c in texts(app, "caption") if c.startswith("Judged at"))
    assert scores(app)["cost per case"].tolist() != board["cost per case"].tolist()
    assert state.W_STOP not in [b.key for b in app.button]  # another cost tunes thresholds only: nothing is fitted


def test_a_strategy_set_on_train_is_offered_on_compare_as_it_was_set_and_its_results_reused(app):
    from components import state

    app.switch_page("pages/train.py").run()
    app.number_input(key=state.W_TREES).set_value(30).run()  # not the ready-made forest
    app.button(key="train.run").click().run()
    trained = {t["strategy"]: t for t in scores(app).to_dict("records")}
    app.switch_page("pages/compare.py").run()
    picker = app.multiselect(key="compare.strategies")
    offered = [o for o in picker.options if o.endswith("(as set on Train)")]
    assert offered == ["RF (as set on Train)", "SMOTE + RF (as set on Train)"]
    picker.set_value(["train:none:rf:none", "train:smote:rf:none"]).run()
    run(app)
    board = scores(app)
    assert board["strategy"].tolist() == ["RF", "SMOTE + RF"]
    for row in board.to_dict("records"):  # the same fits: the same scores as on Train
        assert row["PR-AUC"] == trained[row["strategy"]]["PR-AUC"]
    assert state.W_STOP not in [b.key for b in app.button]


def test_at_costs_5_and_500_and_a_rate_of_a_tenth_percent_the_decision_page_and_report_tell_one_story(app, deferred):
    """The decision judges fair rivals at the user's costs and rate; it names no strategy the production table shows
    costing more than another beyond noise; the report, built when its button is pressed (outside the script's run,
    as Streamlit builds it), carries those costs and that rate in its decision, What was done and production table."""
    from components import state

    app.switch_page("pages/compare.py").run()
    app.number_input(key=state.W_COST_FP).set_value(5.0).run()
    app.number_input(key=state.W_COST_FN).set_value(500.0).run()
    run(app)
    app.text_input(key=state.W_PROD_RATE).input("0.1").run()
    app.text_input(key=state.W_PROD_VOLUME).input("50000").run()
    assert not app.exception
    box = next(m for m in texts(app, "markdown") if m.startswith("**") and ("Use " in m or "No " in m))
    basis = next(c for c in texts(app, "caption") if c.startswith("Judged at"))
    assert "a false alarm costing 5 and a missed 'fraud' 500" in basis and "0.100% 'fraud'" in basis
    assert "a day" in basis
    counts = next(t.value for t in app.table if "cases missed" in t.value.columns)
    money = next(t.value for t in app.table if "precision" in t.value.columns)
    rows = money.join(counts).drop(index="flag no one (doing nothing)")

    def bounds(text: str) -> tuple[float, float, float]:
        v, lo, hi = re.match(r"([\d,.]+) \[([\d,.]+), ([\d,.]+)\]", text).groups()
        return tuple(float(x.replace(",", "")) for x in (v, lo, hi))

    costs = {name: bounds(row["cost"]) for name, row in rows.iterrows()}
    tuned = [n for n, row in rows.iterrows() if "tuned for your costs" in row["threshold"]]
    assert len(tuned) >= 4  # every model of the default comparison, at a threshold tuned for these costs
    picked = re.match(r"\*\*Use (.+?) at \d\.\d\d:", box)
    if picked:  # the one named costs no more than any row beyond noise
        name = next(n for n in tuned if n.startswith(picked.group(1) + ","))
        assert all(costs[name][1] <= hi for _, _, hi in costs.values())
    page = deferred[state.W_DOWNLOAD_REPORT]().decode()  # pressed: called outside the script's run
    decision = page[page.index("<h2>The decision</h2>") : page.index("<h2>Dataset</h2>")]
    assert "a false alarm costing 5 and a missed &#x27;fraud&#x27; 500" in decision and "a day" in decision
    assert "0.100% &#x27;fraud&#x27;" in decision
    done = page[page.index("<h2>What was done</h2>") :]
    assert "a false alarm 5, a missed &#x27;fraud&#x27; 500" in done and "Production rate: 0.100%" in done
    production = page[page.index("<h2>What happens in production</h2>") :]
    assert "A day, at a production rate of 0.100% &#x27;fraud&#x27;" in production
