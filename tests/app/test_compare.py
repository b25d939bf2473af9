"""The Compare & report page: several strategies at once, takeaways, downloads, settings import and links."""

from __future__ import annotations

import json

from core.shared_settings import SharedSettings, encode_token, to_json
from core.split import SplitSpec
from tests.app.conftest import texts

THREE = ["none:rf:none", "smote:rf:none", "none:brf:none"]


def run(at):
    at.button(key="compare.run").click().run()
    assert not at.exception
    return at


def test_compare_runs_three_strategies_on_a_bundled_dataset(app):
    app.switch_page("pages/compare.py").run()
    assert app.multiselect(key="compare.strategies").value == [
        "none:rf:none", "none:rf:balanced", "smote:rf:none", "random_under:rf:none", "none:brf:none",
    ]  # fmt: skip
    app.multiselect(key="compare.strategies").set_value(THREE).run()
    run(app)
    board = app.dataframe[0].value
    assert board["strategy"].tolist() == ["RF", "SMOTE + RF", "BalancedRF"]
    specs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    grid = next(s for s in specs if any(t["type"] == "heatmap" for t in s["data"]))
    assert len([t for t in grid["data"] if t["type"] == "heatmap"]) == 3
    takeaway_lines = [m for m in texts(app, "markdown") if m.startswith("- ")]
    assert len(takeaway_lines) == 3
    assert takeaway_lines[0].startswith("- SMOTE + RF raised recall on 'fraud' from")
    assert takeaway_lines[-1].startswith("- By PR-AUC")
    labels = sorted(b.proto.label for b in app.get("download_button"))
    assert labels == ["Download the leaderboard (CSV)", "Download the report (HTML)", "Download the settings (JSON)"]
    assert "s" in app.query_params


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
    assert app.dataframe[0].value["strategy"].tolist() == ["RF", "BalancedRF"]


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
    assert app.dataframe[0].value["strategy"].tolist() == ["RF", "SMOTE + RF"]  # SMOTE runs as SMOTENC on this data


def test_a_damaged_link_is_explained(app):
    app.query_params["s"] = "not-a-real-token"
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    assert any("damaged" in e or "not valid JSON" in e for e in texts(app, "error"))
