"""The Compare & report page: several strategies at once, takeaways, downloads, settings import and links."""

from __future__ import annotations

import json
import re

from core.shared_settings import SharedSettings, encode_token, to_json
from core.split import SplitSpec
from tests.app.conftest import score_tables, scores, texts

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
    diffs = app.dataframe[after].value
    assert diffs["strategy"].tolist() == names[1:]
    assert diffs.map(lambda v: "≈ no clear difference" in str(v)).to_numpy().any()  # 43 test positives: some are noise
    specs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    grid = next(s for s in specs if any(t["type"] == "heatmap" for t in s["data"]))
    assert len([t for t in grid["data"] if t["type"] == "heatmap"]) == 4
    bars = next(s for s in specs if any(t["type"] == "bar" for t in s["data"]))
    assert all("error_y" in t for t in bars["data"])
    lines = [m for m in texts(app, "markdown") if m.startswith("- ")]
    assert any("no clear difference" in line for line in lines)
    assert any(line.startswith("- Thresholding") for line in lines) and any(
        line.startswith("- Resampling") for line in lines
    )
    assert lines[-1].startswith("- By PR-AUC")
    labels = sorted(b.proto.label for b in app.get("download_button"))
    assert labels == ["Download the data it reads (credit_card_fraud.parquet)", "Download the leaderboard (CSV)",
                      "Download the report (HTML)", "Download the script (.py)", "Download the settings (JSON)"]  # fmt: skip
    code = app.get("code")[0].proto.code_text  # the whole comparison as one script, tuned threshold included
    assert code.count("models[") == len(names) and "TunedThresholdClassifierCV(" in code
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
