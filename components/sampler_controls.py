"""Method picker and its parameters, read from the one sampler catalogue in core."""

from __future__ import annotations

import streamlit as st

from components import state
from components.messages import plain
from core.data.prepared import PreparedData
from core.data.split import Split
from core.resampling.catalogue import CATALOGUE, CLEANING_CHOICES, Param, SamplerConfig, SamplerSpec, get_spec

_KIND_ORDER = {"none": 0, "over": 1, "under": 2, "combined": 3}
_KIND_WORD = {"none": "baseline", "over": "over", "under": "under", "combined": "combined"}


def _option_label(spec: SamplerSpec, data_kind: str) -> str:
    suffix = "" if spec.applies_to(data_kind) else "  (not for this data)"
    return f"{_KIND_WORD[spec.kind]} · {spec.name}{suffix}"


def _param_widget(spec: SamplerSpec, param: Param) -> object:
    key = state.param_key(spec.key, param.name)
    if param.kind == "int":
        return st.number_input(
            param.label, min_value=int(param.minimum or 0), max_value=int(param.maximum or 10_000), step=1,
            help=param.help or None, **state.bind(key, int(param.default)),
        )  # fmt: skip
    if param.kind == "float":
        return st.number_input(
            param.label, min_value=float(param.minimum or 0), max_value=float(param.maximum or 1), step=0.001,
            format="%.4f", help=param.help or None, **state.bind(key, float(param.default)),
        )  # fmt: skip
    if param.kind == "choice":
        return st.selectbox(
            param.label, param.choices, help=param.help or None, **state.bind_choice(key, param.choices, param.default)
        )
    return st.checkbox(param.label, help=param.help or None, **state.bind(key, bool(param.default)))


def sampler_controls(prepared: PreparedData, split: Split) -> SamplerConfig:
    """Draw the method picker with its explanation and parameters; return the user's settings."""
    data_kind = prepared.plan.kind
    keys = [s.key for s in sorted(CATALOGUE, key=lambda s: _KIND_ORDER[s.kind])]
    asked = st.query_params.get(state.METHOD_PARAM)  # a glossary link opens the page on its method, once
    if asked is not None:
        del st.query_params[state.METHOD_PARAM]
        if asked in keys:
            state.put(state.W_METHOD, asked)
    key = st.selectbox(
        "Resampling method",
        keys,
        format_func=lambda k: _option_label(get_spec(k), data_kind),
        **state.bind_choice(state.W_METHOD, keys, "smote"),
    )
    spec = get_spec(key)
    st.caption(f"**{plain(spec.name)}** ({spec.kind_label}): {plain(spec.summary)}")
    counts = split.counts("train")
    params: list[tuple[str, object]] = []
    ratio: float | None = None
    target_counts: tuple[tuple[str, int], ...] | None = None
    clean = "auto"
    seed = 0
    run_slow = False
    if spec.factory is None:
        return SamplerConfig(key)
    widgets = list(spec.params)
    columns = st.columns(max(1, min(4, len(widgets) + 2)))
    slot = 0
    if spec.sets_size and len(counts) == 2:
        sizes = list(counts.values())
        now = sizes[1] / sizes[0]
        with columns[slot]:
            ratio = st.slider(
                "Smaller ÷ larger class after",
                min_value=0.01,
                max_value=1.0,
                step=0.01,
                help=f"1.0 makes the classes equal. In the training split it is now {now:.3f}.",
                **state.bind(state.W_RATIO, 1.0),
            )
        slot += 1
    elif spec.sets_size:
        with columns[slot]:
            mode = st.radio(
                "Class sizes", ["equal (auto)", "custom"], **state.bind(state.W_COUNTS_MODE, "equal (auto)")
            )
        slot += 1
        if mode == "custom":
            target_counts = _custom_counts(spec, counts)
    else:
        with columns[slot]:
            clean = st.selectbox(
                "Remove rows from",
                list(CLEANING_CHOICES),
                format_func=lambda c: CLEANING_CHOICES[c],
                **state.bind_choice(state.W_CLEAN, CLEANING_CHOICES, "auto"),
            )
        slot += 1
    for param in widgets:
        with columns[slot % len(columns)]:
            params.append((param.name, _param_widget(spec, param)))
        slot += 1
    if spec.seeded:
        with columns[slot % len(columns)]:
            seed = int(
                st.number_input(
                    "Sampler seed", min_value=0, max_value=2**31 - 1, step=1, **state.bind(state.W_SAMPLER_SEED, 0)
                )
            )
    if spec.slow_rows is not None and len(split.y_train) > spec.slow_rows:
        run_slow = st.checkbox(
            f"Run it anyway on {len(split.y_train):,} rows (slow)", **state.bind(state.W_RUN_SLOW, False)
        )
    return SamplerConfig(
        key,
        params=tuple(params),
        ratio=None if ratio is None or ratio >= 1.0 else round(float(ratio), 2),
        counts=target_counts,
        clean=clean,
        random_state=seed,
        run_slow=bool(run_slow),
    )


def _custom_counts(spec: SamplerSpec, counts: dict[object, int]) -> tuple[tuple[str, int], ...]:
    grows = spec.kind in {"over", "combined"}
    default_for = max(counts.values()) if grows else min(counts.values())
    st.caption(
        "Target rows per class after resampling: "
        + ("over-sampling can only raise a class." if grows else "under-sampling can only lower a class.")
    )
    out = []
    cols = st.columns(min(4, len(counts)))
    for i, (label, n) in enumerate(counts.items()):
        with cols[i % len(cols)]:
            value = st.number_input(
                f"{plain(label)} (now {n:,})",
                min_value=0,
                max_value=1_000_000,
                step=1,
                **state.bind(state.count_key(spec.key, i), int(max(n, default_for) if grows else min(n, default_for))),
            )
        out.append((str(label), int(value)))
    return tuple(out)
