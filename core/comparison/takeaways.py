"""What a comparison says in words: takeaways, what helped here, the small-test-split warning and the captions.

Every sentence follows the one verdict rule (:func:`core.comparison.intervals.verdict`) on the rows the verdicts read
(:func:`core.comparison.compare.evidence`): a strategy "raised" or "lowered" a metric only when the paired interval
says so; otherwise there is no clear difference. The numbers come from :mod:`core.comparison.compare`.
"""

from __future__ import annotations

import math

import numpy as np

from core.comparison.compare import (
    FOLDS,
    NOT_RANKED,
    TEST,
    Difference,
    difference,
    estimates,
    evidence,
    metric_keys,
    number_text,
    rows_of,
)
from core.comparison.decision import effects
from core.comparison.intervals import Estimate, jeffreys
from core.comparison.production import Deployment
from core.comparison.verdicts import methods_caption
from core.modelling.evaluation import METRIC_LABELS, Evaluation
from core.modelling.strategies import Strategy

__all__ = [
    "MIN_SMALL_CLASS",
    "differences_caption",
    "fewer_than_needed",
    "intervals_caption",
    "noise_warning",
    "summary",
    "takeaways",
]

#: Below this many test rows of the small class, every number swings too much to trust alone.
MIN_SMALL_CLASS = 30


def intervals_caption(binary: bool) -> str:
    """What the leaderboard's brackets and highlights mean, naming each interval's method."""
    shown = metric_keys(binary)
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
    y, proba, pred = rows_of(ev, source)
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

    A strategy "raised" or "lowered" a metric only when the verdict (:func:`core.comparison.intervals.verdict`) says
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
    y = rows_of(base, source)[0]
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
    prevalence = float(np.mean(rows_of(base, source)[0] == base.positive))
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
    y = rows_of(base, source)[0]
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


def summary(evals: list[Evaluation], setting: Deployment | None = None) -> list[str]:
    """Which of resampling, class weights, thresholding (and calibration, another model) helped here, with intervals.

    For two classes with the user's costs and production rate (``setting``), the two effects apart
    (:func:`core.comparison.decision.effects`): what moving the baseline's threshold for the costs did, then what
    each other way bought beyond moving the threshold, every model at a threshold tuned for the costs, by
    the paired interval of the cost difference at the rate. Otherwise each family's best member (by the
    headline metric: the small class's F1 for two classes, balanced accuracy otherwise) is set against the
    baseline by the paired interval of the difference, on the rows :func:`evidence` names.
    """
    if len(evals) < 2 and (setting is None or not evals or not evals[0].binary):
        return []
    if setting is not None and evals[0].binary:
        return [e.sentence(setting.unit) for e in effects(evals, setting)]
    base = evals[0]
    source = evidence(evals)
    headline = "f1" if base.binary else "balanced_accuracy"
    name = METRIC_LABELS[headline]
    if base.binary and not (rows_of(base, source)[0] == 1).any():
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
            f"{family.capitalize()} {verdict_text} here: the best of it, {ev.name}, has {name} {number_text(d.value)} against "
            f"{number_text(d.base)} for {base.name} (difference {d.text()}, paired 95 % interval, {source})."
        )
    return out
