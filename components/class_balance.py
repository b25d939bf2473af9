"""The class-distribution panel: chart, per-class table, imbalance ratio and severity."""

from __future__ import annotations

import streamlit as st

from components.charts import show_chart
from components.messages import plain
from core.data.distribution import ClassDistribution, Severity, thresholds_text
from core.output.figures import class_distribution_figure

_BADGE = {
    Severity.BALANCED: ("green", ":material/balance:"),
    Severity.MILD: ("blue", ":material/info:"),
    Severity.MODERATE: ("orange", ":material/warning:"),
    Severity.SEVERE: ("red", ":material/priority_high:"),
}


def severity_badge(dist: ClassDistribution) -> None:
    """A coloured badge naming the severity."""
    color, icon = _BADGE[dist.severity]
    words = (
        "Balanced classes" if dist.severity is Severity.BALANCED else f"{dist.severity.value.capitalize()} imbalance"
    )
    st.badge(f"{words} · ratio {dist.imbalance_ratio:,.1f} : 1", color=color, icon=icon)


def class_distribution_chart(dist: ClassDistribution, *, target: str, log_scale: bool = False, key: str) -> None:
    """The bar chart of class counts with percentages."""
    show_chart(class_distribution_figure(dist, target=target, log_scale=log_scale), key=key)


def class_balance_panel(dist: ClassDistribution, *, target: str, log_scale: bool = False) -> None:
    """Everything about the class mix: metrics, chart, table and a plain-language reading."""
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Classes", f"{dist.n_classes}")
    m2.metric("Labelled rows", f"{dist.n_rows:,}")
    m3.metric("Smallest class share", f"{dist.minority_share:.1%}")
    m4.metric("Imbalance ratio", f"{dist.imbalance_ratio:,.1f} : 1")
    severity_badge(dist)
    st.write(plain(dist.summary(target=target)))
    chart, table = st.columns([3, 2], gap="large")
    with chart:
        class_distribution_chart(dist, target=target, log_scale=log_scale, key="balance_chart")
    with table:
        shown = dist.table.assign(percent=dist.table["percent"].round(2))
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "class": st.column_config.TextColumn("class"),
                "count": st.column_config.NumberColumn("rows", format="localized"),
                "percent": st.column_config.ProgressColumn("share", format="%.2f%%", min_value=0, max_value=100),
            },
        )
        st.caption(thresholds_text())
