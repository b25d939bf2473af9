"""Compare several strategies: the default set, a leaderboard with the best values marked, and takeaways.

Takeaway sentences are computed from the numbers and follow them, including when a strategy
does not help.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.evaluation import METRIC_LABELS, Evaluation, confusion, metrics
from core.models import Strategy
from core.samplers import CATALOGUE, get_spec

__all__ = [
    "LOWER_IS_BETTER",
    "best_in_column",
    "default_strategies",
    "leaderboard",
    "strategy_choices",
    "takeaways",
]

#: Metrics where a smaller value is better.
LOWER_IS_BETTER = {"brier"}


def strategy_choices(*, data_kind: str, n_classes: int, seed: int = 0) -> dict[str, Strategy]:
    """Ready-made strategies by a stable id ``sampler:model:weighting``, for the comparison picker.

    Methods that do not apply to the data (numeric-only samplers on categories, the anomaly view on
    multi-class targets) are left out of the list rather than offered and refused.
    """
    out: dict[str, Strategy] = {}

    def add(sampler: str, model: str, weighting: str = "none") -> None:
        ident = f"{sampler}:{model}:{weighting}"
        out[ident] = Strategy.from_id(ident, seed=seed)

    add("none", "rf")
    add("none", "rf", "balanced")
    add("none", "rf", "balanced_subsample")
    for spec in CATALOGUE:
        if spec.factory is not None and not spec.ordinal and spec.applies_to(data_kind):
            add(spec.key, "rf")
    add("none", "brf")
    add("none", "easy_ensemble")
    add("none", "rusboost")
    if n_classes == 2:
        add("none", "isolation_forest")
    return out


def default_strategies(*, data_kind: str, n_classes: int) -> list[str]:
    """The default comparison: no handling, balanced weights, SMOTE, under-sampling, BalancedRF.

    Each default is meant to finish within about a minute at 300,000 rows on two cores; SMOTE + Tomek
    links is offered but not a default, as its neighbour search over every resampled row does not
    (``docs/benchmarks.md``).
    """
    ids = [
        "none:rf:none",
        "none:rf:balanced",
        "smote:rf:none",
        "random_under:rf:none",
        "none:brf:none",
    ]
    available = strategy_choices(data_kind=data_kind, n_classes=n_classes)
    return [i for i in ids if i in available]


def leaderboard(evals: list[Evaluation]) -> pd.DataFrame:
    """One row per strategy, the imbalance metrics as columns (CV mean and sd where run)."""
    binary = evals[0].binary
    keys = [k for k in METRIC_LABELS if binary or k not in {"recall", "precision", "f1"}]
    rows = []
    for ev in evals:
        m = metrics(ev)
        row: dict[str, object] = {"strategy": ev.name}
        row.update({METRIC_LABELS[k]: m[k] for k in keys})
        if ev.cv is not None:
            for k in ("pr_auc", "balanced_accuracy"):
                row[f"CV {METRIC_LABELS[k]}"] = f"{ev.cv[k].mean():.3f} ± {ev.cv[k].std(ddof=1):.3f}"
        rows.append(row)
    return pd.DataFrame(rows)


def best_in_column(table: pd.DataFrame) -> dict[str, str]:
    """For each numeric metric column, the strategy with the best value (ties: the first)."""
    lower = {METRIC_LABELS[k] for k in LOWER_IS_BETTER}
    skip = {METRIC_LABELS["baseline_accuracy"]}
    out = {}
    for col in table.columns:
        if col == "strategy" or col in skip or not pd.api.types.is_numeric_dtype(table[col]):
            continue
        values = table[col].to_numpy(dtype=float)
        if np.isnan(values).all():
            continue
        i = int(np.nanargmin(values) if col in lower else np.nanargmax(values))
        out[col] = str(table["strategy"].iloc[i])
    return out


def _per_thousand(ev: Evaluation) -> tuple[float, float]:
    """Cases caught and false alarms per 1,000 test cases at threshold 0.5 (binary)."""
    cm = confusion(ev)
    n = cm.sum()
    return 1000 * cm[1, 1] / n, 1000 * cm[0, 1] / n


def takeaways(evals: list[Evaluation]) -> list[str]:
    """Plain sentences comparing each strategy with the first one (the baseline), from the numbers."""
    if len(evals) < 2:
        return []
    base = evals[0]
    mb = metrics(base)
    out: list[str] = []
    if base.binary:
        label = base.classes[-1]
        caught_b, alarms_b = _per_thousand(base)
        for ev in evals[1:]:
            m = metrics(ev)
            caught, alarms = _per_thousand(ev)
            d_caught, d_alarms = caught - caught_b, alarms - alarms_b
            if m["recall"] > mb["recall"] + 1e-9:
                text = f"{ev.name} raised recall on {label!r} from {mb['recall']:.2f} to {m['recall']:.2f}"
                if m["precision"] < mb["precision"] - 1e-9:
                    text += f" and lowered precision from {mb['precision']:.2f} to {m['precision']:.2f}"
                elif m["precision"] > mb["precision"] + 1e-9:
                    text += f" and raised precision from {mb['precision']:.2f} to {m['precision']:.2f}"
                text += f": about {_count(d_caught)} more {label!r} caught per 1,000 cases"
                text += (
                    f", at {_count(d_alarms)} more false alarms." if d_alarms > 0.05 else ", with no more false alarms."
                )
            elif m["recall"] < mb["recall"] - 1e-9:
                text = (
                    f"{ev.name} caught fewer {label!r} than {base.name} (recall {m['recall']:.2f} against "
                    f"{mb['recall']:.2f}): about {_count(-d_caught)} fewer per 1,000 cases."
                )
            else:
                text = (
                    f"{ev.name} did not change how many {label!r} are caught (recall {m['recall']:.2f}, as with "
                    f"{base.name})"
                    + (f", but gave {_count(d_alarms)} more false alarms per 1,000 cases." if d_alarms > 0.05 else ".")
                )
            out.append(text)
        ranked = sorted(evals, key=lambda e: -metrics(e)["pr_auc"])
        best, best_ap = ranked[0], metrics(ranked[0])["pr_auc"]
        if best is base:
            out.append(
                f"By PR-AUC, which does not depend on a threshold, no strategy beat {base.name} ({best_ap:.3f}): the "
                "others mostly move the threshold rather than rank cases better."
            )
        else:
            out.append(
                f"By PR-AUC, which does not depend on a threshold, {best.name} ranks cases best ({best_ap:.3f} against "
                f"{mb['pr_auc']:.3f} for {base.name}; guessing scores {base.prevalence:.3f})."
            )
        return out
    for ev in evals[1:]:
        m = metrics(ev)
        delta = m["balanced_accuracy"] - mb["balanced_accuracy"]
        if abs(delta) < 0.005:
            out.append(f"{ev.name} left balanced accuracy where {base.name} had it ({m['balanced_accuracy']:.3f}).")
        else:
            verb = "raised" if delta > 0 else "lowered"
            out.append(
                f"{ev.name} {verb} balanced accuracy from {mb['balanced_accuracy']:.3f} to {m['balanced_accuracy']:.3f}"
                f" (mean recall over the {len(ev.classes)} classes)."
            )
    smallest = evals[0].classes[-1]
    recalls = {ev.name: _class_recall(ev, len(ev.classes) - 1) for ev in evals}
    top = max(recalls, key=recalls.get)
    out.append(f"The rarest class, {smallest!r}, is found best by {top} (recall {recalls[top]:.2f}).")
    return out


def _class_recall(ev: Evaluation, code: int) -> float:
    cm = confusion(ev)
    row = cm[code].sum()
    return float(cm[code, code] / row) if row else 0.0


def _count(x: float) -> str:
    """A per-1,000 figure in words: whole numbers, or one decimal below 10."""
    return f"{x:.0f}" if x >= 9.5 else f"{x:.1f}".rstrip("0").rstrip(".") or "0"


def describe(strategy: Strategy) -> str:
    """The strategy's settings in one line, for the report."""
    parts = [f"resampling: {get_spec(strategy.sampler.key).name}"]
    parts.append(f"model: {strategy.model}")
    if strategy.model == "rf":
        parts.append(f"class weights: {strategy.weighting}")
    f = strategy.forest
    parts.append(
        f"trees {f.n_estimators}, rows per tree {f.max_rows_per_tree or 'all'} above {f.cap_from_rows:,} rows, seed {strategy.random_state}"
    )
    return "; ".join(parts)
