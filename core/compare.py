"""Compare several strategies: the default set, a leaderboard with intervals, paired differences, takeaways.

Every number on the test split comes with a 95 % stratified bootstrap interval, and every strategy is
compared with the first one (the baseline) by a *paired* interval of the difference on the same
bootstrap replicates (:mod:`core.uncertainty`). A takeaway names a difference only when its paired
interval excludes zero; otherwise it says the two are within noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.evaluation import METRIC_LABELS, Evaluation, confusion, kept, metrics
from core.models import AUTO_FOLDS, LARGE, MODELS, Strategy, TuningSettings
from core.samplers import CATALOGUE, get_spec
from core.thresholds import OBJECTIVES
from core.uncertainty import interval, replicates

__all__ = [
    "LOWER_IS_BETTER",
    "MIN_SMALL_CLASS",
    "Difference",
    "best_in_column",
    "default_strategies",
    "describe",
    "differences",
    "leaderboard",
    "noise_warning",
    "strategy_choices",
    "summary",
    "takeaways",
    "with_intervals",
]

#: Metrics where a smaller value is better.
LOWER_IS_BETTER = {"brier"}

#: Below this many test rows of the small class, every number swings too much to trust alone.
MIN_SMALL_CLASS = 30


def strategy_choices(
    *, data_kind: str, n_classes: int, seed: int = 0, tuning: TuningSettings | None = None
) -> dict[str, Strategy]:
    """Ready-made strategies by a stable id (see :attr:`Strategy.id`), for the comparison picker.

    Methods that do not apply to the data (numeric-only samplers on categories, the anomaly view and
    tuned thresholds on multi-class targets) are left out of the list rather than offered and refused.
    """
    out: dict[str, Strategy] = {}

    def add(sampler: str, model: str, weighting: str = "none", threshold: str = "fixed", calibration: str = "none"):
        ident = f"{sampler}:{model}:{weighting}:{threshold}:{calibration}"
        strategy = Strategy.from_id(ident, seed=seed, tuning=tuning)
        out[strategy.id] = strategy

    for model in ("rf", "logreg", "hgb", "adaboost"):
        add("none", model)
        add("none", model, "balanced")
    add("none", "rf", "balanced_subsample")
    for spec in CATALOGUE:
        if spec.factory is not None and not spec.ordinal and spec.applies_to(data_kind):
            add(spec.key, "rf")
    add("smote", "logreg")
    add("smote", "hgb")
    add("none", "brf")
    add("none", "easy_ensemble")
    add("none", "rusboost")
    if n_classes == 2:
        for model in ("rf", "hgb", "logreg"):
            for objective in OBJECTIVES:
                add("none", model, threshold=objective)
        add("none", "isolation_forest")
    for sampler, model, weighting in (("none", "rf", "balanced"), ("smote", "rf", "none"), ("none", "hgb", "balanced")):
        for method in ("sigmoid", "isotonic"):
            add(sampler, model, weighting, calibration=method)
    return out


def default_strategies(*, data_kind: str, n_classes: int) -> list[str]:
    """The default comparison: no handling, class weights, SMOTE, under-sampling, gradient boosting with class
    weights, and (two classes) the baseline with its threshold tuned for F1 on training folds.

    Together they answer which of resampling, weighting and thresholding helps on this data, with a
    strong model beside the forest. What they cost at 300,000 rows is in ``docs/benchmarks.md``.
    """
    ids = [
        "none:rf:none",
        "none:rf:balanced",
        "smote:rf:none",
        "random_under:rf:none",
        "none:hgb:balanced",
        "none:rf:none:f1:none",
    ]
    available = strategy_choices(data_kind=data_kind, n_classes=n_classes)
    return [i for i in ids if i in available]


def _keys(binary: bool) -> list[str]:
    return [k for k in METRIC_LABELS if binary or k not in {"recall", "precision", "f1"}]


def _bootstrap(evals: list[Evaluation]) -> list[dict[str, np.ndarray]]:
    """Each evaluation's metrics on the same bootstrap replicates of the test split, kept with the baseline."""
    key = ("bootstrap", tuple((ev.strategy, ev.threshold) for ev in evals))
    return kept(evals[0], key, lambda: replicates(evals[0].y_test, [ev.proba for ev in evals],
                                                  thresholds=[ev.threshold for ev in evals]))  # fmt: skip


def leaderboard(evals: list[Evaluation]) -> pd.DataFrame:
    """One row per strategy: its threshold, then each metric on the test split with its 95 % interval.

    A metric's columns are its label (the value), "<label> low" and "<label> high" (the interval's
    bounds); cross-validation means and standard deviations follow where it ran.
    """
    keys = _keys(evals[0].binary)
    samples = _bootstrap(evals)
    rows = []
    for ev, boot in zip(evals, samples, strict=True):
        m = metrics(ev)
        row: dict[str, object] = {"strategy": ev.name}
        if ev.binary:
            row["threshold"] = ev.threshold
        for k in keys:
            row[METRIC_LABELS[k]] = m[k]
            if k in boot and k != "baseline_accuracy":
                row[f"{METRIC_LABELS[k]} low"], row[f"{METRIC_LABELS[k]} high"] = interval(boot[k])
        if ev.cv is not None:
            for k in ("pr_auc", "balanced_accuracy"):
                row[f"CV {METRIC_LABELS[k]} mean"] = float(ev.cv[k].mean())
                row[f"CV {METRIC_LABELS[k]} sd"] = float(ev.cv[k].std(ddof=1)) if len(ev.cv) > 1 else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def _number(x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


def with_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """The leaderboard for reading: each metric as ``0.470 [0.320, 0.620]``, undefined values as "–"."""
    out = pd.DataFrame({"strategy": table["strategy"]})
    if "threshold" in table:
        out["threshold"] = table["threshold"].map(lambda t: f"{t:.2f}")
    for col in table.columns:
        if col in {"strategy", "threshold"} or col.endswith((" low", " high", " sd")):
            continue
        if col.endswith(" mean"):
            label = col.removesuffix(" mean")
            out[label] = [f"{_number(m)} ± {_number(s)}" for m, s in zip(table[col], table[f"{label} sd"], strict=True)]
        elif f"{col} low" in table:
            out[col] = [
                f"{_number(v)} [{_number(lo)}, {_number(hi)}]" if not math.isnan(lo) else _number(v)
                for v, lo, hi in zip(table[col], table[f"{col} low"], table[f"{col} high"], strict=True)
            ]
        else:
            out[col] = table[col].map(_number)
    return out


def best_in_column(table: pd.DataFrame) -> dict[str, str]:
    """For each metric column, the strategy with the best value (ties: the first)."""
    lower = {METRIC_LABELS[k] for k in LOWER_IS_BETTER}
    skip = {METRIC_LABELS["baseline_accuracy"], "threshold"}
    out = {}
    for col in table.columns:
        if col == "strategy" or col in skip or col.endswith((" low", " high", " sd")):
            continue
        if not pd.api.types.is_numeric_dtype(table[col]):
            continue
        values = table[col].to_numpy(dtype=float)
        if np.isnan(values).all():
            continue
        i = int(np.nanargmin(values) if col in lower else np.nanargmax(values))
        out[col.removesuffix(" mean")] = str(table["strategy"].iloc[i])
    return out


@dataclass(frozen=True)
class Difference:
    """A strategy's metric minus the baseline's on the test split, with its paired 95 % interval."""

    metric: str
    value: float
    base: float
    low: float
    high: float

    @property
    def delta(self) -> float:
        """The difference (strategy minus baseline)."""
        return self.value - self.base

    @property
    def verdict(self) -> str:
        """ "better", "worse" (the interval excludes 0), "within noise" or "undefined"."""
        if any(math.isnan(x) for x in (self.value, self.base, self.low, self.high)):
            return "undefined"
        if self.low <= 0 <= self.high:
            return "within noise"
        up = self.low > 0
        return "better" if up != (self.metric in LOWER_IS_BETTER) else "worse"

    def text(self) -> str:
        """For example ``+0.120 [+0.050, +0.190]``."""
        return f"{self.delta:+.3f} [{self.low:+.3f}, {self.high:+.3f}]"


def difference(evals: list[Evaluation], i: int, metric: str) -> Difference:
    """Strategy ``i`` against the baseline ``evals[0]`` on ``metric``, paired on the same replicates."""
    samples = _bootstrap(evals)
    a, b = metrics(evals[i])[metric], metrics(evals[0])[metric]
    low, high = interval(samples[i][metric] - samples[0][metric])
    return Difference(metric, a, b, low, high)


def differences(evals: list[Evaluation]) -> pd.DataFrame:
    """Each strategy against the baseline: the difference of each headline metric, its paired interval, a verdict."""
    keys = (["recall", "precision", "f1", "balanced_accuracy", "mcc", "pr_auc", "roc_auc", "brier"] if evals[0].binary
            else ["balanced_accuracy", "macro_f1", "g_mean", "mcc", "pr_auc", "roc_auc", "brier"])  # fmt: skip
    rows = []
    for i, ev in enumerate(evals[1:], start=1):
        row: dict[str, object] = {"strategy": ev.name}
        for k in keys:
            d = difference(evals, i, k)
            row[METRIC_LABELS[k]] = "–" if d.verdict == "undefined" else f"{d.text()} {_MARK[d.verdict]}"
        rows.append(row)
    return pd.DataFrame(rows)


_MARK = {"better": "▲ better", "worse": "▼ worse", "within noise": "≈ noise"}


def noise_warning(evals: list[Evaluation]) -> str | None:
    """A warning when the test split holds too few rows of the smallest class to judge by, else None."""
    ev = evals[0]
    smallest = int(np.bincount(ev.y_test, minlength=len(ev.classes)).min())
    if smallest >= MIN_SMALL_CLASS:
        return None
    label = ev.classes[int(np.argmin(np.bincount(ev.y_test, minlength=len(ev.classes))))]
    return (
        f"The test split holds only {smallest} row{'s' if smallest != 1 else ''} of {label!r}, so every number "
        "here swings widely from one split to another (see the intervals). Turn on cross-validation for an "
        "estimate from all training rows, or use a larger test share."
    )


def _per_thousand(ev: Evaluation) -> tuple[float, float]:
    """Cases caught and false alarms per 1,000 test cases at the strategy's threshold (binary)."""
    cm = confusion(ev)
    n = cm.sum()
    return 1000 * cm[1, 1] / n, 1000 * cm[0, 1] / n


def _noise(d: Difference) -> str:
    return f"difference {d.text()}"


def takeaways(evals: list[Evaluation]) -> list[str]:
    """Plain sentences comparing each strategy with the first one (the baseline), from the numbers and their noise.

    A strategy "raised" or "lowered" a metric only when the paired 95 % interval of the difference
    excludes zero; otherwise the sentence says the difference is within noise. Undefined values
    (precision when nothing was flagged, anything about a class the test split lacks) are named as such.
    """
    if len(evals) < 2:
        return []
    base = evals[0]
    if base.binary:
        return _binary_takeaways(evals)
    return _multiclass_takeaways(evals)


def _binary_takeaways(evals: list[Evaluation]) -> list[str]:
    base = evals[0]
    label = base.classes[-1]
    if not (base.y_test == 1).any():
        return [
            f"The test split has no rows of {label!r}, so recall, precision and PR-AUC cannot be measured and no "
            "strategy can be judged on it. Use a larger test share or cross-validation."
        ]
    mb = metrics(base)
    caught_b, alarms_b = _per_thousand(base)
    out: list[str] = []
    for i, ev in enumerate(evals[1:], start=1):
        m = metrics(ev)
        rec, prec = difference(evals, i, "recall"), difference(evals, i, "precision")
        caught, alarms = _per_thousand(ev)
        d_caught, d_alarms = caught - caught_b, alarms - alarms_b
        if rec.verdict == "within noise":
            text = (f"{ev.name} and {base.name} catch about as many {label!r}: recall {m['recall']:.2f} against "
                    f"{mb['recall']:.2f}, within noise ({_noise(rec)})")  # fmt: skip
        elif rec.delta > 0:
            text = (f"{ev.name} raised recall on {label!r} from {mb['recall']:.2f} to {m['recall']:.2f} ({_noise(rec)}): "
                    f"about {_count(d_caught)} more caught per 1,000 cases")  # fmt: skip
        else:
            text = (f"{ev.name} caught fewer {label!r} than {base.name}: recall {m['recall']:.2f} against "
                    f"{mb['recall']:.2f} ({_noise(rec)}), about {_count(-d_caught)} fewer per 1,000 cases")  # fmt: skip
        if math.isnan(mb["precision"]) and math.isnan(m["precision"]):
            text += "; neither flagged any case, so neither has a precision."
        elif math.isnan(mb["precision"]):
            text += (f". {base.name} flagged no case, so its precision is undefined; {ev.name}'s is "
                     f"{m['precision']:.2f}.")  # fmt: skip
        elif math.isnan(m["precision"]):
            text += f". {ev.name} flagged no case, so its precision is undefined."
        elif prec.verdict == "within noise":
            text += f"; precision {m['precision']:.2f} against {mb['precision']:.2f}, within noise."
        else:
            verb = "raised" if prec.delta > 0 else "lowered"
            text += f", and {verb} precision from {mb['precision']:.2f} to {m['precision']:.2f} ({_noise(prec)})"
            text += (
                f", with {_count(abs(d_alarms))} {'more' if d_alarms > 0 else 'fewer'} false alarms per 1,000 cases."
                if abs(d_alarms) > 0.05
                else "."
            )
        if ev.tuned is not None:
            t = ev.tuned
            text += (f" Its threshold, {t.threshold:.2f}, was {t.label} on training folds "
                     f"(the folds' own best: {t.per_fold.min():.2f} to {t.per_fold.max():.2f}).")  # fmt: skip
            if not t.reached:
                text += (f" No threshold reached precision {ev.strategy.tuning.min_precision:g} on the training folds, "
                         "so the one nearest to it was taken.")  # fmt: skip
        out.append(text)
    out.append(_ranking_sentence(evals))
    return out


def _ranking_sentence(evals: list[Evaluation]) -> str:
    """Which strategy ranks cases best by PR-AUC, and whether that beats the baseline beyond noise."""
    base = evals[0]
    aps = [metrics(ev)["pr_auc"] for ev in evals]
    top = max(aps)
    leaders = [ev.name for ev, ap in zip(evals, aps, strict=True) if ap >= top - 1e-12]
    chance = f"guessing scores {base.prevalence:.3f}"
    if len(leaders) == len(evals):
        return f"By PR-AUC, which does not depend on a threshold, every strategy ties ({top:.3f}; {chance})."
    clearly = [ev.name for i, ev in enumerate(evals[1:], start=1) if difference(evals, i, "pr_auc").verdict == "better"]
    if clearly:
        best = max(clearly, key=lambda name: aps[[e.name for e in evals].index(name)])
        i = [e.name for e in evals].index(best)
        return (f"By PR-AUC, which does not depend on a threshold, {best} ranks cases better than {base.name} "
                f"({aps[i]:.3f} against {aps[0]:.3f}, {_noise(difference(evals, i, 'pr_auc'))}; {chance}).")  # fmt: skip
    if leaders[0] == base.name:
        text = (
            f"By PR-AUC, which does not depend on a threshold, no strategy ranked cases better than {base.name} "
            f"({aps[0]:.3f}; {chance})"
        )
        others = [i for i in range(1, len(evals)) if aps[i] < aps[0] - 1e-12]
        if others:
            i = max(others, key=lambda j: aps[j])
            d = difference(evals, i, "pr_auc")
            verdict = "within noise" if d.verdict == "within noise" else "clearly lower"
            text += f"; the next, {evals[i].name} at {aps[i]:.3f}, is {verdict} ({_noise(d)})"
        return text + ". The others mostly move the decision rather than rank cases better."
    i = [e.name for e in evals].index(leaders[0])
    return (f"By PR-AUC, {leaders[0]} scored highest ({aps[i]:.3f} against {aps[0]:.3f} for {base.name}), but the "
            f"difference is within noise ({_noise(difference(evals, i, 'pr_auc'))}); {chance}.")  # fmt: skip


def _multiclass_takeaways(evals: list[Evaluation]) -> list[str]:
    base = evals[0]
    mb = metrics(base)
    out: list[str] = []
    for i, ev in enumerate(evals[1:], start=1):
        m = metrics(ev)
        d = difference(evals, i, "balanced_accuracy")
        if d.verdict in {"within noise", "undefined"}:
            out.append(
                f"{ev.name} and {base.name} have about the same balanced accuracy ({m['balanced_accuracy']:.3f} against "
                f"{mb['balanced_accuracy']:.3f}, within noise: {_noise(d)})."
            )
        else:
            verb = "raised" if d.delta > 0 else "lowered"
            out.append(
                f"{ev.name} {verb} balanced accuracy from {mb['balanced_accuracy']:.3f} to {m['balanced_accuracy']:.3f} "
                f"({_noise(d)}; the mean recall over the {len(ev.classes)} classes)."
            )
    code = len(base.classes) - 1
    smallest = base.classes[code]
    if not (base.y_test == code).any():
        out.append(f"The test split has no rows of the rarest class, {smallest!r}, so its recall cannot be measured.")
        return out
    recalls = {ev.name: _class_recall(ev, code) for ev in evals}
    top = max(recalls.values())
    leaders = [name for name, r in recalls.items() if r >= top - 1e-12]
    if len(leaders) == len(evals):
        out.append(f"Every strategy finds the rarest class, {smallest!r}, equally often (recall {top:.2f}).")
    elif len(leaders) > 1:
        out.append(
            f"The rarest class, {smallest!r}, is found most often by {', '.join(leaders)} (recall {top:.2f} each)."
        )
    else:
        n = int((base.y_test == code).sum())
        out.append(
            f"The rarest class, {smallest!r}, is found most often by {leaders[0]} (recall {top:.2f}); with {n} test "
            f"row{'s' if n != 1 else ''} of it, a difference of one row moves recall by {1 / n:.2f}."
        )
    return out


def _class_recall(ev: Evaluation, code: int) -> float:
    cm = confusion(ev)
    row = cm[code].sum()
    return float(cm[code, code] / row) if row else float("nan")


def _count(x: float) -> str:
    """A per-1,000 figure in words: whole numbers, or one decimal below 10."""
    return f"{x:.0f}" if x >= 9.5 else f"{x:.1f}".rstrip("0").rstrip(".") or "0"


def _family(strategy: Strategy, base: Strategy) -> str:
    """Which way of handling the imbalance a strategy tries, against the baseline."""
    if strategy.threshold != "fixed":
        return "thresholding"
    if strategy.calibration != "none":
        return "calibration"
    if strategy.sampler.key != "none":
        return "resampling"
    if strategy.weighting != "none":
        return "class weights"
    if strategy.model != base.model:
        return "another model"
    return "same as the baseline"


def summary(evals: list[Evaluation]) -> list[str]:
    """Which of resampling, class weights, thresholding (and calibration, another model) helped here, with intervals.

    Each family's best member (by the headline metric: the small class's F1 for two classes, balanced
    accuracy otherwise) is set against the baseline by the paired interval of the difference.
    """
    if len(evals) < 2:
        return []
    base = evals[0]
    headline = "f1" if base.binary else "balanced_accuracy"
    name = METRIC_LABELS[headline]
    if base.binary and not (base.y_test == 1).any():
        return ["The test split has no rows of the small class, so nothing can be judged on it."]
    groups: dict[str, list[int]] = {}
    for i, ev in enumerate(evals[1:], start=1):
        groups.setdefault(_family(ev.strategy, base.strategy), []).append(i)
    out = []
    for family in ("resampling", "class weights", "thresholding", "calibration", "another model"):
        if family not in groups:
            continue
        diffs = [difference(evals, i, headline) for i in groups[family]]
        j = int(np.nanargmax([d.value for d in diffs])) if not all(math.isnan(d.value) for d in diffs) else 0
        d, ev = diffs[j], evals[groups[family][j]]
        verdict = {"better": "helped", "worse": "hurt", "within noise": "made no clear difference",
                   "undefined": "could not be judged"}[d.verdict]  # fmt: skip
        out.append(
            f"{family.capitalize()} {verdict} here: the best of it, {ev.name}, has {name} {_number(d.value)} against "
            f"{_number(d.base)} for {base.name} (difference {d.text()}, paired 95 % interval)."
        )
    return out


def _folds(t: TuningSettings) -> str:
    if t.folds:
        return f"{t.folds} training folds"
    return f"training folds ({AUTO_FOLDS}, or 2 from {LARGE:,} training rows)"


def describe(strategy: Strategy) -> str:
    """The strategy's settings in one line, for the report."""
    model = {m.key: m.name for m in MODELS}[strategy.model]
    parts = [f"resampling: {get_spec(strategy.sampler.key).name}", f"model: {model}"]
    if strategy.weighting != "none":
        parts.append(f"class weights: {strategy.weighting}")
    if strategy.threshold != "fixed":
        t = strategy.tuning
        extra = {"cost": f" (false alarm {t.cost_fp:g}, missed case {t.cost_fn:g})",
                 "recall_at_precision": f" (precision at least {t.min_precision:g})"}.get(strategy.threshold, "")  # fmt: skip
        parts.append(
            f"threshold {OBJECTIVES[strategy.threshold]}{extra} on {_folds(t)} "
            "(the cross-validation folds when cross-validation runs)"
        )
    if strategy.calibration != "none":
        parts.append(f"calibration: {strategy.calibration} on {_folds(strategy.tuning)}")
    if strategy.model in {"rf", "brf"}:
        f = strategy.forest
        parts.append(
            f"trees {f.n_estimators}, rows per tree "
            + (f"{f.max_rows_per_tree:,} above {f.cap_from_rows:,} rows" if f.max_rows_per_tree else "all")
        )
    parts.append(f"seed {strategy.random_state}")
    return "; ".join(parts)
