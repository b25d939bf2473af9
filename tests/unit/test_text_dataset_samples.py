"""Escaping of user strings, dataset fingerprints, bundled samples and the prepared view."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from core.data.bundled import SAMPLES, load_sample
from core.data.dataset import Dataset, fingerprint
from core.data.distribution import class_distribution
from core.data.prepared import prepare, resolve_target
from core.data.roles import Treatment
from core.safe_text import escape_markdown, plot_label

README = (Path(__file__).resolve().parents[2] / "sample_data" / "README.md").read_text(encoding="utf-8")


@given(st.text(max_size=60))
def test_escaped_markdown_has_no_unescaped_special_characters(text):
    escaped = escape_markdown(text)
    unescaped = re.sub(r"\\.", "", escaped)
    assert not set(unescaped) & set("\\`*_{}[]()<>#+-.!|~$:\n")
    assert re.sub(r"\\(.)", r"\1", escaped) == text.replace("\r", " ").replace("\n", " ")


def test_plot_label_escapes_html():
    assert plot_label('<a href="javascript:x">y</a>') == "&lt;a href=&quot;javascript:x&quot;&gt;y&lt;/a&gt;"
    assert plot_label("x" * 100, max_len=10) == "x" * 9 + "…"


def test_fingerprint_tracks_content_names_and_types():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert fingerprint(frame) == fingerprint(frame.copy())
    assert fingerprint(frame) != fingerprint(frame.assign(a=[1, 3]))
    assert fingerprint(frame) != fingerprint(frame.rename(columns={"a": "c"}))
    assert fingerprint(frame) != fingerprint(frame.astype({"a": float}))


def test_every_sample_loads_with_a_usable_target_and_is_described_in_the_readme():
    from core.data.numeric_target import describe_number
    from core.data.target import is_number

    for sample in SAMPLES:
        ds = load_sample(sample.key)
        if sample.numeric_target:  # a skewed number: not a class target, and the README says how skewed
            assert is_number(ds.frame[sample.target]) and sample.file in README
            summary = describe_number(ds.frame[sample.target])
            assert summary.side == "above" and summary.skewness > 5
            assert f"{summary.share:.1%} of rows above {summary.cut:,.0f}" in README
            continue
        prepared = prepare(ds, target=None, overrides={})
        assert prepared.ready, sample.key
        assert prepared.target == sample.target
        if sample.file:
            assert sample.file in README
        dist = prepared.distribution
        mix = ", ".join(f"{c} {n:,}" for c, n in zip(dist.table["class"], dist.table["count"], strict=True))
        assert mix in README, f"README must state the class mix of {sample.key}: {mix}"


def test_samples_cover_the_promised_shapes():
    fraud = prepare(load_sample("credit_card_fraud"), target=None, overrides={})
    assert fraud.dataset.n_rows >= 10_000 and fraud.distribution.minority_share < 0.02
    assert fraud.plan.kind == "numeric"
    assert prepare(load_sample("customer_churn"), target=None, overrides={}).plan.kind == "mixed"
    assert prepare(load_sample("product_defects"), target=None, overrides={}).distribution.n_classes == 4
    resume = prepare(load_sample("resume_screening"), target=None, overrides={})
    assert resume.distribution.table["count"].tolist() == [5, 5]


def test_prepare_reports_a_bad_target_without_losing_the_dataset():
    ds = Dataset.from_frame(pd.DataFrame({"y": ["a"] * 4, "x": [1, 2, 3, 4]}), name="t", origin="upload")
    prepared = prepare(ds, target="y", overrides={})
    assert prepared.target_error and "only one class" in prepared.target_error
    assert prepared.distribution is None and not prepared.ready
    assert prepared.dataset is ds


def test_resolve_target_prefers_the_choice_then_the_sample_default():
    ds = load_sample("customer_churn")
    assert resolve_target(ds, chosen="contract") == "contract"
    assert resolve_target(ds, chosen="no such column") == "churned"


def test_dropping_every_feature_makes_the_data_not_ready():
    ds = load_sample("resume_screening")
    overrides = {c: Treatment.DROP for c in ds.frame.columns if c != "hired"}
    assert not prepare(ds, target=None, overrides=overrides).ready


def test_distribution_of_prepared_matches_direct_count():
    ds = load_sample("product_defects")
    assert prepare(ds, target=None, overrides={}).distribution.table.equals(
        class_distribution(ds.frame["defect"]).table
    )
