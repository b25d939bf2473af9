"""Compare several strategies: the default set, a leaderboard with intervals, paired differences, takeaways.

Every number on the test split comes with its 95 % interval, and every strategy is compared with the
first one (the baseline) by a *paired* interval of the difference on the same rows (:mod:`core.intervals`
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

from core.evaluation import METRIC_LABELS, Evaluation, kept, metrics, predict
from core.intervals import (
    LOWER_IS_BETTER,
    Estimate,
    Verdict,
    difference_intervals,
    format_difference,
    jeffreys,
    methods_caption,
    metric_intervals,
    verdict,
)
from core.models import AUTO_FOLDS, LARGE, MODELS, Strategy, TuningSettings
from core.samplers import CATALOGUE, get_spec
from core.thresholds import OBJECTIVES

__all__ = [
    "FOLDS",
    "LOWER_IS_BETTER",
    "MARKS",
    "MIN_SMALL_CLASS",
    "TEST",
    "Difference",
    "best_in_column",
    "default_strategies",
    "describe",
    "difference",
    "differences",
    "differences_caption",
    "estimates",
    "evidence",
    "fewer_than_needed",
    "intervals_caption",
    "leaderboard",
    "noise_warning",
    "strategy_choices",
    "summary",
    "takeaways",
    "with_intervals",
]

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


def _rows(ev: Evaluation, source: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True codes, probabilities and decisions of ``ev`` on the rows ``source`` names."""
    if source == FOLDS:
        h = ev.held_out
        return h.y, h.proba, h.pred
    return ev.y_test, ev.proba, predict(ev.proba, threshold=ev.threshold)


def _identity(evals: list[Evaluation]) -> tuple:
    """What tells these evaluations apart in the memo of the first (two may share a strategy)."""
    return tuple((ev.name, ev.strategy, ev.threshold, len(ev.y_test)) for ev in evals)


def estimates(evals: list[Evaluation], *, source: str = TEST) -> list[Mapping[str, Estimate]]:
    """Each strategy's metrics on ``source`` with their intervals (:func:`core.intervals.metric_intervals`),
    kept with the first evaluation."""

    def compute():
        return [MappingProxyType(metric_intervals(*_rows(ev, source))) for ev in evals]

    return kept(evals[0], ("estimates", source, _identity(evals)), compute)


def _pair(evals: list[Evaluation], i: int, j: int, source: str) -> Mapping[str, tuple[float, float, float, bool]]:
    """Every metric of ``evals[i]`` minus ``evals[j]`` on ``source``, paired row by row; every pair of one list is
    kept in one table with the first evaluation (two threads may compute a pair twice, with the same result)."""
    table = kept(evals[0], ("pairs", source, _identity(evals)), dict)
    if (i, j) not in table:
        y, proba_j, pred_j = _rows(evals[j], source)
        _, proba_i, pred_i = _rows(evals[i], source)
        table[(i, j)] = MappingProxyType(difference_intervals(y, (proba_j, pred_j), (proba_i, pred_i)))
    return table[(i, j)]


def leaderboard(evals: list[Evaluation]) -> pd.DataFrame:
    """One row per strategy: its threshold, then each metric on the test split with its 95 % interval.

    A metric's columns are its label (the value), "<label> low" and "<label> high" (the interval's
    bounds, :mod:`core.intervals`); recall and precision also carry their counts ("<label> hits" of
    "<label> of"). Cross-validation means and standard deviations follow where it ran.
    """
    keys = _keys(evals[0].binary)
    rows = []
    for ev, est in zip(evals, estimates(evals), strict=True):
        m = metrics(ev)
        row: dict[str, object] = {"strategy": ev.name}
        if ev.binary:
            row["threshold"] = ev.threshold
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


def _number(x: float) -> str:
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
            out[label] = [f"{_number(m)} ± {_number(s)}" for m, s in zip(table[col], table[f"{label} sd"], strict=True)]
        elif f"{col} low" in table:
            texts = []
            for r, (v, lo, hi) in enumerate(zip(table[col], table[f"{col} low"], table[f"{col} high"], strict=True)):
                text = f"{_number(v)} [{_number(lo)}, {_number(hi)}]" if not math.isnan(lo) else _number(v)
                if f"{col} of" in table and not pd.isna(table[f"{col} of"].iloc[r]):
                    hits, of = int(table[f"{col} hits"].iloc[r]), int(table[f"{col} of"].iloc[r])
                    text += f", {hits} of {of}" if of else " (nothing flagged)"
                texts.append(text)
            out[col] = texts
        else:
            out[col] = table[col].map(_number)
    return out


#: Never highlighted as best: accuracy means little under imbalance, and its baseline is no strategy's.
NOT_RANKED = frozenset({"accuracy", "baseline_accuracy"})


def best_in_column(evals: list[Evaluation]) -> dict[str, str]:
    """For each test-split metric, the strategy that is best beyond noise: ahead of *every* other strategy by
    the paired interval of the difference (:func:`core.intervals.verdict`). A metric where the top is tied
    or within noise of another has no entry; accuracy never has one."""
    out = {}
    if len(evals) < 2:
        return out
    values = estimates(evals)
    for k in _keys(evals[0].binary):
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
        """The one rule's word (:func:`core.intervals.verdict`): "better", "worse", "no clear difference",
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


def intervals_caption(binary: bool) -> str:
    """What the leaderboard's brackets and highlights mean, naming each interval's method."""
    shown = _keys(binary)
    return (
        f"In brackets: {methods_caption([k for k in shown if k not in NOT_RANKED or k == 'accuracy'])} A rate "
        "carries its counts (cases caught of the cases; cases among the flagged). A value is highlighted only where "
        "it beats every other strategy beyond noise (a paired interval of the difference); accuracy is never "
        "highlighted, since it means little under imbalance."
    )


def differences_caption(evals: list[Evaluation]) -> str:
    """What the "against the baseline" table reads and what its marks mean."""
    source = evidence(evals)
    rows = ("the same test rows" if source == TEST
            else "the same training rows' held-out predictions from the cross-validation folds")  # fmt: skip
    return (
        f"Each strategy minus the baseline on {rows}, a paired 95 % interval (a posterior over the pairs of "
        "decisions for the rates, DeLong's correlation for the areas). ▲ better and ▼ worse: the interval as "
        "shown excludes 0. ≈ no clear difference: it holds 0, so these rows cannot tell the two apart. "
        "= identical: the same decisions (or scores) on every row."
    )


def _smallest(y: np.ndarray, k: int) -> tuple[int, int]:
    counts = np.bincount(y, minlength=k)
    return int(np.argmin(counts)), int(counts.min())


def noise_warning(evals: list[Evaluation]) -> str | None:
    """A warning when the test split holds too few rows of the smallest class to judge by, else None.

    It says what the verdicts read: with cross-validation on, the folds; without, it proposes it.
    """
    ev = evals[0]
    code, smallest = _smallest(ev.y_test, len(ev.classes))
    if smallest >= MIN_SMALL_CLASS:
        return None
    label = ev.classes[code]
    text = (f"The test split holds only {smallest} row{'s' if smallest != 1 else ''} of {label!r}, so its numbers "
            "swing widely from one split to another: read them with their intervals.")  # fmt: skip
    if evidence(evals) == FOLDS:
        n_train = int((ev.held_out.y == code).sum())
        return (f"{text} The verdicts and takeaways read the cross-validation folds instead: every training row "
                f"predicted once by a fit that did not see it ({n_train} rows of {label!r}).")  # fmt: skip
    if all(e.held_out is not None for e in evals):
        return (f"{text} The verdicts still read the test split: the training rows do not have its class mix "
                "(a working sample keeps every row of the small classes), so the folds' precision would not be "
                "the data's. Use a larger test share or a larger row budget.")  # fmt: skip
    return (
        f"{text} Turn on cross-validation in the settings: the verdicts and takeaways then read every "
        "training row's held-out prediction, with more rows of the small class, or use a larger test share."
    )


def fewer_than_needed(y_test: np.ndarray) -> int | None:
    """The smallest class's test rows when fewer than :data:`MIN_SMALL_CLASS` (cross-validation is then
    proposed before training), else None."""
    _, counts = np.unique(np.asarray(y_test).astype(str), return_counts=True)
    return int(counts.min()) if len(counts) and counts.min() < MIN_SMALL_CLASS else None


def _confusion_of(ev: Evaluation, source: str) -> np.ndarray:
    y, proba, pred = _rows(ev, source)
    k = proba.shape[1]
    return np.bincount(y * k + pred, minlength=k * k).reshape(k, k).astype(float)


def _per_thousand(ev: Evaluation, source: str) -> tuple[float, float]:
    """Cases caught and false alarms per 1,000 cases scored at the strategy's threshold (binary)."""
    cm = _confusion_of(ev, source)
    n = cm.sum()
    return 1000 * cm[1, 1] / n, 1000 * cm[0, 1] / n


def _noise(d: Difference) -> str:
    return f"difference {d.text()}"


def _rate(e: Estimate, name: str) -> str:
    """``recall 0.43 (3 of 7)``."""
    return f"{name} {e.value:.2f} ({e.hits} of {e.of})"


def _where(source: str, ev: Evaluation) -> str:
    if source == FOLDS:
        return (f"Read on the cross-validation folds' held-out predictions ({len(ev.held_out.y):,} training rows, "
                f"{int((ev.held_out.y == ev.positive).sum())} of {ev.classes[ev.positive]!r}).")  # fmt: skip
    return ""


def takeaways(evals: list[Evaluation]) -> list[str]:
    """Plain sentences comparing each strategy with the first one (the baseline), from the numbers and their noise.

    A strategy "raised" or "lowered" a metric only when the verdict (:func:`core.intervals.verdict`) says
    so; otherwise the sentence says there is no clear difference. They read :func:`evidence`'s rows.
    Undefined values (precision when nothing was flagged, anything about a class the rows lack) are
    named as such.
    """
    if len(evals) < 2:
        return []
    source = evidence(evals)
    out = _binary_takeaways(evals, source) if evals[0].binary else _multiclass_takeaways(evals, source)
    where = _where(source, evals[0])
    return ([where] if where else []) + out


def _binary_takeaways(evals: list[Evaluation], source: str) -> list[str]:
    base = evals[0]
    label = base.classes[-1]
    y = _rows(base, source)[0]
    if not (y == 1).any():
        return [
            f"The {source} has no rows of {label!r}, so recall, precision and PR-AUC cannot be measured and no "
            "strategy can be judged on it. Use a larger test share or cross-validation."
        ]
    values = estimates(evals, source=source)
    mb = values[0]
    caught_b, alarms_b = _per_thousand(base, source)
    out: list[str] = []
    for i, ev in enumerate(evals[1:], start=1):
        m = values[i]
        rec, prec = difference(evals, i, "recall", source=source), difference(evals, i, "precision", source=source)
        caught, alarms = _per_thousand(ev, source)
        d_caught, d_alarms = caught - caught_b, alarms - alarms_b
        if rec.verdict == "identical":
            out.append(
                f"{ev.name} made the same decision as {base.name} on every row ({_rate(m['recall'], 'recall')})."
            )
            continue
        if rec.verdict == "no clear difference":
            text = (f"{ev.name} and {base.name} show no clear difference in {label!r} caught: "
                    f"{_rate(m['recall'], 'recall')} against {mb['recall'].hits} of {mb['recall'].of} ({_noise(rec)})")  # fmt: skip
        elif rec.delta > 0:
            text = (f"{ev.name} raised recall on {label!r} from {mb['recall'].value:.2f} to {m['recall'].value:.2f} "
                    f"({m['recall'].hits} of {m['recall'].of} against {mb['recall'].hits} of {mb['recall'].of}; {_noise(rec)}): "
                    f"about {_count(d_caught)} more caught per 1,000 cases")  # fmt: skip
        else:
            text = (f"{ev.name} caught fewer {label!r} than {base.name}: {_rate(m['recall'], 'recall')} against "
                    f"{mb['recall'].hits} of {mb['recall'].of} ({_noise(rec)}), about {_count(-d_caught)} fewer per "
                    "1,000 cases")  # fmt: skip
        pb, pm = mb["precision"].value, m["precision"].value
        if math.isnan(pb) and math.isnan(pm):
            text += "; neither flagged any case, so neither has a precision."
        elif math.isnan(pb):
            text += f". {base.name} flagged no case, so its precision is undefined; {ev.name}'s is {pm:.2f}."
        elif math.isnan(pm):
            text += f". {ev.name} flagged no case, so its precision is undefined."
        elif prec.verdict in {"no clear difference", "undefined", "identical"}:
            text += f"; precision {pm:.2f} against {pb:.2f}, no clear difference ({_noise(prec)})."
        else:
            verb = "raised" if prec.delta > 0 else "lowered"
            text += f", and {verb} precision from {pb:.2f} to {pm:.2f} ({_noise(prec)})"
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
    out.append(_ranking_sentence(evals, source))
    return out


def _ranking_sentence(evals: list[Evaluation], source: str) -> str:
    """Which strategy ranks cases best by PR-AUC, and only where the paired intervals say so."""
    base = evals[0]
    aps = [v["pr_auc"].value for v in estimates(evals, source=source)]
    prevalence = float(np.mean(_rows(base, source)[0] == base.positive))
    chance = f"guessing scores {prevalence:.3f}"
    head = "By PR-AUC, which does not depend on a threshold,"
    diffs = {i: difference(evals, i, "pr_auc", source=source) for i in range(1, len(evals))}
    if all(d.verdict in {"identical", "no clear difference"} for d in diffs.values()):
        if all(d.verdict == "identical" for d in diffs.values()):
            return f"{head} every strategy ranks the rows the same ({aps[0]:.3f}; {chance})."
        i = max(diffs, key=lambda j: abs(diffs[j].delta))
        return (f"{head} no strategy ranks cases clearly better or worse than {base.name} ({aps[0]:.3f}; the "
                f"largest gap, {evals[i].name} at {aps[i]:.3f}, has {_noise(diffs[i])}; {chance}).")  # fmt: skip
    better = [i for i, d in diffs.items() if d.verdict == "better"]
    worse = [i for i, d in diffs.items() if d.verdict == "worse"]
    parts = []
    if better:
        best = max(better, key=lambda j: aps[j])
        parts.append(f"{evals[best].name} ranks cases better than {base.name} ({aps[best]:.3f} against {aps[0]:.3f}, "
                     f"{_noise(diffs[best])})")  # fmt: skip
    if worse:
        names = ", ".join(evals[i].name for i in worse)
        parts.append(f"{names} rank{'s' if len(worse) == 1 else ''} cases worse than {base.name}")
    rest = len(diffs) - len(better) - len(worse)
    tail = f"; the other {rest} show no clear difference" if rest else ""
    return f"{head} " + "; ".join(parts) + f"{tail} ({chance})."


def _multiclass_takeaways(evals: list[Evaluation], source: str) -> list[str]:
    base = evals[0]
    values = estimates(evals, source=source)
    mb = values[0]
    out: list[str] = []
    for i, ev in enumerate(evals[1:], start=1):
        m = values[i]
        d = difference(evals, i, "balanced_accuracy", source=source)
        if d.verdict == "identical":
            out.append(f"{ev.name} made the same decision as {base.name} on every row (balanced accuracy "
                       f"{m['balanced_accuracy'].value:.3f}).")  # fmt: skip
        elif d.verdict in {"no clear difference", "undefined"}:
            out.append(
                f"{ev.name} and {base.name} show no clear difference in balanced accuracy "
                f"({m['balanced_accuracy'].value:.3f} against {mb['balanced_accuracy'].value:.3f}: {_noise(d)})."
            )
        else:
            verb = "raised" if d.delta > 0 else "lowered"
            out.append(
                f"{ev.name} {verb} balanced accuracy from {mb['balanced_accuracy'].value:.3f} to "
                f"{m['balanced_accuracy'].value:.3f} ({_noise(d)}; the mean recall over the {len(ev.classes)} classes)."
            )
    code = len(base.classes) - 1
    smallest = base.classes[code]
    y = _rows(base, source)[0]
    n = int((y == code).sum())
    if n == 0:
        out.append(f"The {source} has no rows of the rarest class, {smallest!r}, so its recall cannot be measured.")
        return out
    found = [int(_confusion_of(ev, source)[code, code]) for ev in evals]
    bounds = [jeffreys(f, n) for f in found]
    top = int(np.argmax(found))
    counts = ", ".join(f"{ev.name} {f} of {n}" for ev, f in zip(evals, found, strict=True))
    if all(bounds[top][0] > hi for j, (_, hi) in enumerate(bounds) if j != top):
        out.append(
            f"The rarest class, {smallest!r}, is found most often by {evals[top].name}, beyond noise ({counts})."
        )
    else:
        out.append(f"No strategy finds the rarest class, {smallest!r}, clearly more often than the others ({counts}; "
                   "their 95 % intervals overlap).")  # fmt: skip
    return out


def _count(x: float) -> str:
    """A per-1,000 figure in words: whole numbers, or one decimal below 10."""
    return f"{x:.0f}" if x >= 9.5 else f"{x:.1f}".rstrip("0").rstrip(".") or "0"


def _family(strategy: Strategy, base: Strategy) -> str:
    """Which way of handling the imbalance a strategy tries, against the baseline."""
    if strategy.tunes_threshold:
        return "thresholding"
    if strategy.calibrated:
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
    accuracy otherwise) is set against the baseline by the paired interval of the difference, on the
    rows :func:`evidence` names.
    """
    if len(evals) < 2:
        return []
    base = evals[0]
    source = evidence(evals)
    headline = "f1" if base.binary else "balanced_accuracy"
    name = METRIC_LABELS[headline]
    if base.binary and not (_rows(base, source)[0] == 1).any():
        return [f"The {source} has no rows of the small class, so nothing can be judged on it."]
    groups: dict[str, list[int]] = {}
    for i, ev in enumerate(evals[1:], start=1):
        groups.setdefault(_family(ev.strategy, base.strategy), []).append(i)
    out = []
    for family in ("resampling", "class weights", "thresholding", "calibration", "another model"):
        if family not in groups:
            continue
        diffs = [difference(evals, i, headline, source=source) for i in groups[family]]
        j = int(np.nanargmax([d.value for d in diffs])) if not all(math.isnan(d.value) for d in diffs) else 0
        d, ev = diffs[j], evals[groups[family][j]]
        verdict_text = {"better": "helped", "worse": "hurt", "no clear difference": "made no clear difference",
                        "identical": "changed nothing", "undefined": "could not be judged"}[d.verdict]  # fmt: skip
        out.append(
            f"{family.capitalize()} {verdict_text} here: the best of it, {ev.name}, has {name} {_number(d.value)} against "
            f"{_number(d.base)} for {base.name} (difference {d.text()}, paired 95 % interval, {source})."
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
    if strategy.tunes_threshold:
        t = strategy.tuning
        extra = {"cost": f" (false alarm {t.cost_fp:g}, missed case {t.cost_fn:g})",
                 "recall_at_precision": f" (precision at least {t.min_precision:g})"}.get(strategy.threshold, "")  # fmt: skip
        parts.append(
            f"threshold {OBJECTIVES[strategy.threshold]}{extra} on {_folds(t)} "
            "(the cross-validation folds when cross-validation runs)"
        )
    if strategy.calibrated:
        parts.append(f"calibration: {strategy.calibration} on {_folds(strategy.tuning)}")
    if strategy.model in {"rf", "brf"}:
        f = strategy.forest
        parts.append(
            f"trees {f.n_estimators}, rows per tree "
            + (f"{f.max_rows_per_tree:,} above {f.cap_from_rows:,} rows" if f.max_rows_per_tree else "all")
        )
    parts.append(f"seed {strategy.random_state}")
    return "; ".join(parts)
