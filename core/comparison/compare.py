"""Compare several strategies: the default set, a leaderboard with intervals, paired differences, takeaways.

Every number on the test split comes with its 95 % interval, and every strategy is compared with the
first one (the baseline) by a *paired* interval of the difference on the same rows (:mod:`core.comparison.intervals`
owns both, and the one verdict rule). The verdicts and takeaways read the test split, or, when every
strategy was cross-validated, the folds' pooled held-out predictions (:func:`evidence`). A takeaway
names a difference only when the verdict says so; otherwise it says there is no clear difference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from core.comparison.decision import cost_column
from core.comparison.intervals import Estimate, difference_intervals, metric_intervals
from core.comparison.verdicts import LOWER_IS_BETTER, Verdict, format_difference, verdict
from core.modelling.evaluation import METRIC_LABELS, Evaluation, keep_with, metrics, predict
from core.modelling.strategies import MODELS, Strategy, TuningSettings
from core.modelling.thresholds import OBJECTIVES
from core.resampling.catalogue import CATALOGUE, get_spec

__all__ = [
    "FOLDS",
    "LOWER_IS_BETTER",
    "MARKS",
    "NOT_RANKED",
    "TEST",
    "Difference",
    "best_in_column",
    "default_strategies",
    "describe",
    "difference",
    "differences",
    "estimates",
    "evidence",
    "leaderboard",
    "metric_keys",
    "number_text",
    "rows_of",
    "strategy_choices",
    "with_intervals",
]


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


def metric_keys(binary: bool) -> list[str]:
    """The leaderboard's metrics, in display order (the small class's rates only for two classes)."""
    return [k for k in METRIC_LABELS if binary or k not in {"recall", "precision", "f1"}]


#: Where a verdict reads its rows: the test split, or the cross-validation folds' held-out predictions.
TEST, FOLDS = "test split", "cross-validation folds"


def evidence(evals: list[Evaluation]) -> str:
    """What the verdicts and takeaways read: the folds' pooled held-out predictions when every strategy was
    cross-validated (every training row, more cases than the test split holds), else the test split.

    Only where the training rows keep the test split's class mix (a stratified split does; a working
    sample of a large file enriches the training rows in the small classes, and then precision on them
    would not be the file's): each class's share within a fifth of its test share.
    """
    if not all(ev.held_out is not None for ev in evals):
        return TEST
    ev = evals[0]
    k = len(ev.classes)
    train = np.bincount(ev.held_out.y, minlength=k) / len(ev.held_out.y)
    test = np.bincount(ev.y_test, minlength=k) / len(ev.y_test)
    same_mix = bool(np.all((test > 0) & (np.abs(train - test) <= 0.2 * test)))
    return FOLDS if same_mix else TEST


def rows_of(ev: Evaluation, source: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True codes, probabilities and decisions of ``ev`` on the rows ``source`` names (:data:`TEST` or :data:`FOLDS`)."""
    if source == FOLDS:
        h = ev.held_out
        return h.y, h.proba, h.pred
    return ev.y_test, ev.proba, predict(ev.proba, threshold=ev.threshold)


def _identity(evals: list[Evaluation]) -> tuple:
    """What tells these evaluations apart in the memo of the first (two may share a strategy)."""
    return tuple((ev.name, ev.strategy, ev.threshold, len(ev.y_test)) for ev in evals)


def estimates(evals: list[Evaluation], *, source: str = TEST) -> list[Mapping[str, Estimate]]:
    """Each strategy's metrics on ``source`` with their intervals (:func:`core.comparison.intervals.metric_intervals`),
    kept with the first evaluation."""

    def compute():
        return [MappingProxyType(metric_intervals(*rows_of(ev, source))) for ev in evals]

    return keep_with(evals[0], ("estimates", source, _identity(evals)), compute)


def _pair(evals: list[Evaluation], i: int, j: int, source: str) -> Mapping[str, tuple[float, float, float, bool]]:
    """Every metric of ``evals[i]`` minus ``evals[j]`` on ``source``, paired row by row; every pair of one list is
    kept in one table with the first evaluation (two threads may compute a pair twice, with the same result)."""
    table = keep_with(evals[0], ("pairs", source, _identity(evals)), dict)
    if (i, j) not in table:
        y, proba_j, pred_j = rows_of(evals[j], source)
        _, proba_i, pred_i = rows_of(evals[i], source)
        table[(i, j)] = MappingProxyType(difference_intervals(y, (proba_j, pred_j), (proba_i, pred_i)))
    return table[(i, j)]


#: The leaderboard's cost column (two classes, when costs are given).
COST_LABEL = "cost per case"


def leaderboard(
    evals: list[Evaluation], *, costs: tuple[float, float] | None = None, rate: float | None = None
) -> pd.DataFrame:
    """One row per strategy: its threshold, then each metric on the test split with its 95 % interval.

    With ``costs`` (a false alarm, a missed case) and two classes, a :data:`COST_LABEL` column follows the
    threshold: the cost per case at the strategy's threshold, at the production ``rate`` of cases when given
    (else the test split's own mix), :func:`core.comparison.decision.cost_column`.

    A metric's columns are its label (the value), "<label> low" and "<label> high" (the interval's
    bounds, :mod:`core.comparison.intervals`); recall and precision also carry their counts ("<label> hits" of
    "<label> of"). Cross-validation means and standard deviations follow where it ran.
    """
    keys = metric_keys(evals[0].binary)
    priced = cost_column(evals, cost_fp=costs[0], cost_fn=costs[1], rate=rate) if costs and evals[0].binary else None
    rows = []
    for i, (ev, est) in enumerate(zip(evals, estimates(evals), strict=True)):
        m = metrics(ev)
        row: dict[str, object] = {"strategy": ev.name}
        if ev.binary:
            row["threshold"] = ev.threshold
        if priced is not None:
            row[COST_LABEL], row[f"{COST_LABEL} low"], row[f"{COST_LABEL} high"] = priced[i]
        for k in keys:
            label = METRIC_LABELS[k]
            row[label] = m[k]
            if k in est:
                row[f"{label} low"], row[f"{label} high"] = est[k].low, est[k].high
                if est[k].of is not None:
                    row[f"{label} hits"], row[f"{label} of"] = est[k].hits, est[k].of
        if ev.cv is not None:
            for k in ("pr_auc", "balanced_accuracy"):
                row[f"CV {METRIC_LABELS[k]} mean"] = float(ev.cv[k].mean())
                row[f"CV {METRIC_LABELS[k]} sd"] = float(ev.cv[k].std(ddof=1)) if len(ev.cv) > 1 else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def number_text(x: float) -> str:
    """Three decimals, or "–" where the number is undefined."""
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


_EXTRA = (" low", " high", " sd", " hits", " of")


def with_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """The leaderboard for reading: each metric as ``0.470 [0.320, 0.620]``, a rate with its counts
    (``1.000 [0.705, 1.000], 6 of 6``), undefined values as "–"."""
    out = pd.DataFrame({"strategy": table["strategy"]})
    if "threshold" in table:
        out["threshold"] = table["threshold"].map(lambda t: f"{t:.2f}")
    for col in table.columns:
        if col in {"strategy", "threshold"} or col.endswith(_EXTRA):
            continue
        if col.endswith(" mean"):
            label = col.removesuffix(" mean")
            out[label] = [
                f"{number_text(m)} ± {number_text(s)}" for m, s in zip(table[col], table[f"{label} sd"], strict=True)
            ]
        elif f"{col} low" in table:
            texts = []
            for r, (v, lo, hi) in enumerate(zip(table[col], table[f"{col} low"], table[f"{col} high"], strict=True)):
                text = (
                    f"{number_text(v)} [{number_text(lo)}, {number_text(hi)}]" if not math.isnan(lo) else number_text(v)
                )
                if f"{col} of" in table and not pd.isna(table[f"{col} of"].iloc[r]):
                    hits, of = int(table[f"{col} hits"].iloc[r]), int(table[f"{col} of"].iloc[r])
                    text += f", {hits} of {of}" if of else " (nothing flagged)"
                texts.append(text)
            out[col] = texts
        else:
            out[col] = table[col].map(number_text)
    return out


#: Never highlighted as best: accuracy means little under imbalance, and its baseline is no strategy's.
NOT_RANKED = frozenset({"accuracy", "baseline_accuracy"})


def best_in_column(evals: list[Evaluation]) -> dict[str, str]:
    """For each test-split metric, the strategy that is best beyond noise: ahead of *every* other strategy by
    the paired interval of the difference (:func:`core.comparison.intervals.verdict`). A metric where the top is tied
    or within noise of another has no entry; accuracy never has one."""
    out = {}
    if len(evals) < 2:
        return out
    values = estimates(evals)
    for k in metric_keys(evals[0].binary):
        if k in NOT_RANKED or k not in values[0]:
            continue
        scores = np.array([v[k].value for v in values], dtype=float)
        if np.isnan(scores).all():
            continue
        top = int(np.nanargmin(scores) if k in LOWER_IS_BETTER else np.nanargmax(scores))
        if all(difference(evals, top, k, against=j).verdict == Verdict.BETTER.value
               for j in range(len(evals)) if j != top):  # fmt: skip
            out[METRIC_LABELS[k]] = evals[top].name
    return out


@dataclass(frozen=True)
class Difference:
    """A strategy's metric minus another's (by default the baseline's), with its paired 95 % interval."""

    metric: str
    value: float
    base: float
    low: float
    high: float
    identical: bool = False
    source: str = TEST

    @property
    def delta(self) -> float:
        """The difference (strategy minus baseline)."""
        return self.value - self.base

    @property
    def verdict(self) -> str:
        """The one rule's word (:func:`core.comparison.intervals.verdict`): "better", "worse", "no clear difference",
        "identical" or "undefined"."""
        return verdict(self.metric, self.delta, self.low, self.high, identical=self.identical).value

    def text(self) -> str:
        """For example ``+0.120 [+0.050, +0.190]``, rounded as it is judged."""
        return format_difference(self.delta, self.low, self.high)


def difference(evals: list[Evaluation], i: int, metric: str, *, against: int = 0, source: str = TEST) -> Difference:
    """Strategy ``i`` against strategy ``against`` (the baseline) on ``metric``, paired on the same rows of ``source``."""
    values = estimates(evals, source=source)
    _d, low, high, same = _pair(evals, i, against, source)[metric]
    return Difference(metric, values[i][metric].value, values[against][metric].value, low, high, same, source)


#: How each verdict is marked in a table.
MARKS = {"better": "▲ better", "worse": "▼ worse", "no clear difference": "≈ no clear difference",
         "identical": "= identical"}  # fmt: skip


def differences(evals: list[Evaluation]) -> pd.DataFrame:
    """Each strategy against the baseline on the rows the verdicts read (:func:`evidence`): the difference of
    each headline metric, its paired interval, a verdict."""
    keys = (["recall", "precision", "f1", "balanced_accuracy", "mcc", "pr_auc", "roc_auc", "brier"] if evals[0].binary
            else ["balanced_accuracy", "macro_f1", "g_mean", "mcc", "pr_auc", "roc_auc", "brier"])  # fmt: skip
    source = evidence(evals)
    rows = []
    for i, ev in enumerate(evals[1:], start=1):
        row: dict[str, object] = {"strategy": ev.name}
        for k in keys:
            d = difference(evals, i, k, source=source)
            row[METRIC_LABELS[k]] = (
                "–" if d.verdict == "undefined" else "= identical" if d.identical else f"{d.text()} {MARKS[d.verdict]}"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def meaning(strategy: Strategy) -> str:
    """What the strategy does, in one plain line for a room that does not know the names: the model, its weights
    and threshold, then what its resampling does."""
    model = {m.key: m.name for m in MODELS}[strategy.model]
    parts = [model]
    if strategy.weighting != "none":
        parts.append("mistakes on the small class weigh more in training")
    if strategy.tunes_threshold:
        parts.append(f"its threshold {OBJECTIVES[strategy.threshold]} on training folds")
    if strategy.calibrated:
        parts.append("its probabilities recalibrated")
    spec = get_spec(strategy.sampler.key)
    rows = "on the rows as they are" if spec.factory is None else spec.summary[0].lower() + spec.summary[1:]
    return f"{', '.join(parts)}; {rows}".rstrip(".") + "."


def describe(strategy: Strategy, *, n_train: int, cv_folds: int = 0) -> str:
    """What was done for the strategy, in one line, for the report: on ``n_train`` training rows, with
    ``cv_folds`` cross-validation folds (0: none), the folds a threshold or calibration was fitted on."""
    model = {m.key: m.name for m in MODELS}[strategy.model]
    parts = [f"resampling: {get_spec(strategy.sampler.key).name}", f"model: {model}"]
    if strategy.weighting != "none":
        parts.append(f"class weights: {strategy.weighting}")
    folds = cv_folds if cv_folds >= 2 else strategy.tuning.folds_for(n_train)
    where = "the cross-validation folds" if cv_folds >= 2 else "training folds"
    if strategy.tunes_threshold:
        t = strategy.tuning
        extra = {"cost": f" (false alarm {t.cost_fp:g}, missed case {t.cost_fn:g})",
                 "recall_at_precision": f" (precision at least {t.min_precision:g})"}.get(strategy.threshold, "")  # fmt: skip
        parts.append(f"threshold {OBJECTIVES[strategy.threshold]}{extra} on {folds} {where}")
    if strategy.calibrated:
        parts.append(f"calibration: {strategy.calibration} on {folds} {where}")
    if strategy.model in {"rf", "brf"}:
        f = strategy.forest
        cap = f.max_rows_per_tree
        if not cap or 2 * n_train <= f.cap_from_rows:
            rows = "every training row per tree"
        elif n_train > f.cap_from_rows:
            rows = f"{cap:,} rows per tree"
        else:
            rows = f"{cap:,} rows per tree if resampling made more than {f.cap_from_rows:,} rows, else every row"
        parts.append(f"{f.n_estimators} trees, {rows}")
    parts.append(f"seed {strategy.random_state}")
    return "; ".join(parts)
