"""How sure a test-split number is: a 95 % interval fit for each metric, paired differences, and one verdict rule.

The test split is a stratified sample: its class counts are fixed, and what varies from one split to
the next is which rows of each class it holds. Each metric's interval is built for that, and chosen
by its measured coverage (``benchmarks/coverage.py``, recorded in ``docs/benchmarks.md``):

- **Rates with a fixed denominator** (recall, and any "caught of the cases"): the Jeffreys interval,
  the 2.5 % and 97.5 % quantiles of Beta(k + ½, n − k + ½), with the bound at 0 when k = 0 and at 1
  when k = n (Brown, Cai & DasGupta 2001).
- **Everything else read off the confusion matrix** (precision, F1, balanced accuracy, G-mean, MCC,
  macro F1, accuracy): each true class's row of the matrix is a draw from its own multinomial, so
  its shares get the Jeffreys posterior Dirichlet(counts + ½); the metric is computed on
  :data:`N_DRAWS` draws of every row at the split's class counts, and its 2.5 % and 97.5 % quantiles
  bound it (Tötsch & Hoffmann 2021). The bootstrap resamples the rows it has, so 6 of 6 caught stays
  6 of 6 in every replicate; the posterior does not.
- **ROC-AUC**: Newcombe's score interval (2006, method 5): the θ whose Hanley–McNeil variance at θ,
  with both class sizes replaced by their mean, puts θ̂ within 1.96 standard errors. It does not
  collapse at 1.
- **PR-AUC** (average precision): the Wilson score interval with the number of cases as its n,
  the binomial interval of Boyd, Eng & Page (2013) in a form that does not collapse at 0 or 1.
- **Brier score**: each class's mean row error gets the Bayesian bootstrap with half a row at each
  bound of the error (for 0/1 errors, exactly the Jeffreys posterior), drawn from the normal with the
  same spread above :data:`BAYES_ROWS` rows, and the classes are weighted by their shares. A plain
  normal interval falls short with few cases, whose errors are skewed (``docs/benchmarks.md``).

Every interval holds its own point value. For a multi-class target, ROC-AUC and PR-AUC are one-vs-rest
macro averages: their interval is the average of the per-class bounds (a conservative combination).

**Paired differences** (strategy minus baseline on the same rows): for the confusion-matrix metrics,
each true class's rows are counted by the pair of decisions the two strategies made on them, with a
Dirichlet posterior over those pairs (½ per pair, as Agresti & Min (2005) add to each cell); for the
AUCs, the difference's interval is recovered from the two intervals and the correlation of the two
areas (MOVER, Zou & Donner 2008): DeLong's for ROC-AUC, the stratified jackknife's for PR-AUC; for the
Brier score, each class's mean row difference drawn by the Bayesian bootstrap with half a row at each end of the
class's largest change either way (a stratified normal interval held the true difference only 80 % of the time at
6 cases; half a row at ±1 held it always and found almost no real difference).

**The verdict** of a difference, the captions that name each method, and the rounding a bound is judged at live
in :mod:`core.comparison.verdicts`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from core.modelling.metrics import average_precision, confusion_metrics, placements

__all__ = [
    "BAYES_ROWS",
    "LEVEL",
    "N_DRAWS",
    "Estimate",
    "cost_difference",
    "cost_interval",
    "difference_intervals",
    "jeffreys",
    "metric_intervals",
    "metric_range",
]

#: The intervals' level and the posterior draws per interval.
LEVEL = 0.95
N_DRAWS = 4000


@dataclass(frozen=True)
class Estimate:
    """A metric's value with its interval; for a rate, the counts it is made of (``hits`` of ``of``)."""

    value: float
    low: float
    high: float
    hits: int | None = None
    of: int | None = None


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def metric_range(metric: str, *, n_classes: int = 2) -> tuple[float, float]:
    """The values ``metric`` can take: MCC from -1 to 1, the Brier score from 0 to 1 (2 for several classes), a cost
    from 0 up, every other metric from 0 to 1. Every interval here lies within it."""
    if metric == "mcc":
        return -1.0, 1.0
    if metric == "brier":
        return 0.0, 1.0 if n_classes == 2 else 2.0
    if metric == "cost":
        return 0.0, math.inf
    return 0.0, 1.0


def _within(bounds: tuple[float, float], lo: float, hi: float) -> tuple[float, float]:
    """Interval bounds clipped to ``[lo, hi]`` (a normal approximation can step outside what a metric can take)."""
    low, high = bounds
    return (low if math.isnan(low) else min(max(low, lo), hi)), (high if math.isnan(high) else min(max(high, lo), hi))


def _holding(value: float, low: float, high: float) -> tuple[float, float]:
    """Bounds widened, where needed, to hold the point value (a value at 0 or 1 gets its bound there)."""
    if math.isnan(value):
        return float("nan"), float("nan")
    return float(min(low, value)), float(max(high, value))


def jeffreys(hits: float, of: float, *, level: float = LEVEL) -> tuple[float, float]:
    """The Jeffreys interval of ``hits`` out of ``of``: Beta(hits + ½, of − hits + ½) quantiles, 0 at 0, 1 at ``of``.

    Never of zero width for ``of`` ≥ 1; NaN bounds when ``of`` is 0.
    """
    if of <= 0:
        return float("nan"), float("nan")
    tail = (1 - level) / 2
    low = 0.0 if hits <= 0 else float(stats.beta.ppf(tail, hits + 0.5, of - hits + 0.5))
    high = 1.0 if hits >= of else float(stats.beta.ppf(1 - tail, hits + 0.5, of - hits + 0.5))
    return low, high


def _confusion(y: np.ndarray, pred: np.ndarray, k: int) -> np.ndarray:
    return np.bincount(y * k + pred, minlength=k * k).reshape(k, k).astype(np.float64)


def _posterior_cells(counts: np.ndarray, *, prior: float, size: int, rng: np.random.Generator) -> np.ndarray:
    """Draws of each row's expected counts ``(size, rows, cols)``: Dirichlet(counts + prior) times the row's size."""
    rows, cols = counts.shape
    gamma = rng.standard_gamma(counts + prior, size=(size, rows, cols))
    shares = gamma / gamma.sum(axis=-1, keepdims=True)
    return shares * counts.sum(axis=-1)[None, :, None]


def _quantiles(samples: np.ndarray, level: float) -> tuple[float, float]:
    finite = samples[np.isfinite(samples)]
    if len(finite) < len(samples) / 2:  # undefined on most draws (nothing flagged): no interval
        return float("nan"), float("nan")
    tail = (1 - level) / 2
    low, high = np.quantile(finite, [tail, 1 - tail])
    return float(low), float(high)


def _newcombe(theta: float, m: int, n: int, *, level: float) -> tuple[float, float]:
    """Newcombe's (2006) method-5 score interval for an AUC of ``theta`` from ``m`` cases and ``n`` non-cases."""
    z = _z(level)
    star = (m + n) / 2
    grid = np.linspace(0.0, 1.0, 20_001)
    var = grid * (1 - grid) / (m * n) * (1 + (star - 1) * ((1 - grid) / (2 - grid) + grid / (1 + grid)))
    inside = grid[(theta - grid) ** 2 <= z * z * var]
    if len(inside) == 0:
        return theta, theta
    return _holding(theta, float(inside.min()), float(inside.max()))


def _wilson(p: float, n: int, *, level: float) -> tuple[float, float]:
    z = _z(level)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(max(p * (1 - p), 0.0) / n + z * z / (4 * n * n))
    return _holding(p, max(0.0, centre - half), min(1.0, centre + half))


def _ap_jackknife(y_pos: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average precision with each row left out: for each case, and for each non-case, in row order.

    Average precision is the mean over cases of the precision at each case's score; leaving a row out
    changes the counts at or above the cases scored at or below it, so prefix and suffix sums over the
    cases (highest score first) give every leave-one-out value in O(n log n).
    """
    s_pos = np.sort(score[y_pos])[::-1]
    neg_sorted = np.sort(score[~y_pos])
    m = len(s_pos)
    tp = m - np.searchsorted(s_pos[::-1], s_pos, side="left")  # cases at or above each case
    fp = len(neg_sorted) - np.searchsorted(neg_sorted, s_pos, side="left")
    prefix = np.r_[0.0, np.cumsum(tp / (tp + fp))]
    with np.errstate(divide="ignore", invalid="ignore"):
        less_case = np.where(tp + fp > 1, (tp - 1) / (tp + fp - 1), 0.0)
        less_non_case = np.where(tp + fp > 1, tp / (tp + fp - 1), 0.0)
    suffix_case = np.r_[np.cumsum(less_case[::-1])[::-1], 0.0]
    suffix_non_case = np.r_[np.cumsum(less_non_case[::-1])[::-1], 0.0]

    def start(s: np.ndarray) -> np.ndarray:  # the first case, highest first, scored at or below s
        return np.searchsorted(-s_pos, -s, side="left")

    k = start(score[y_pos])
    without_case = (prefix[k] + suffix_case[k] - less_case[k]) / max(m - 1, 1)  # tied cases share one term
    g = start(score[~y_pos])
    without_non_case = (prefix[g] + suffix_non_case[g]) / m
    return without_case, without_non_case


def _ap_correlation(y_pos: np.ndarray, score_a: np.ndarray, score_b: np.ndarray) -> float:
    """The stratified jackknife's correlation between two scorings' average precisions on the same rows."""
    parts_a, parts_b = _ap_jackknife(y_pos, score_a), _ap_jackknife(y_pos, score_b)
    cov = np.zeros((2, 2))
    for h in (0, 1):  # cases, then non-cases: each class's rows are resampled apart
        values = np.stack([parts_a[h], parts_b[h]])
        n = values.shape[1]
        if n > 1:
            centred = values - values.mean(axis=1, keepdims=True)
            cov += (n - 1) / n * centred @ centred.T
    if cov[0, 0] <= 0 or cov[1, 1] <= 0:
        return 0.0
    return float(np.clip(cov[0, 1] / math.sqrt(cov[0, 0] * cov[1, 1]), -1, 1))


#: Above this many rows of a class, its mean's posterior is drawn from the normal with the same spread.
BAYES_ROWS = 300


def _bounded_mean_draws(
    values: np.ndarray, *, lower: float = 0.0, upper: float, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Draws of the mean of a quantity bounded by ``lower`` and ``upper``: the Bayesian bootstrap of ``values`` with
    half a row at each bound (for 0/1 values, exactly the Jeffreys posterior of the rate)."""
    n = len(values)
    if n > BAYES_ROWS:
        augmented = np.r_[values, lower, upper]
        weights = np.r_[np.ones(n), 0.5, 0.5]
        mean = float(np.average(augmented, weights=weights))
        var = float(np.average((augmented - mean) ** 2, weights=weights)) / (n + 1)
        return rng.normal(mean, math.sqrt(var), size=size)
    g = rng.standard_gamma(np.r_[np.ones(n), 0.5, 0.5], size=(size, n + 2))
    return (g[:, :n] @ values + g[:, -2] * lower + g[:, -1] * upper) / g.sum(axis=1)


def _class_weighted_draws(
    y: np.ndarray, values: np.ndarray, *, bounds: Callable[[np.ndarray], tuple[float, float]], rng
) -> np.ndarray:
    """Draws of a mean over a stratified sample: each class's mean drawn (:func:`_bounded_mean_draws`, with the bounds
    ``bounds(values of the class)``), weighted by its share of the rows (the classes' counts are fixed by the split)."""
    n = len(y)
    total = np.zeros(N_DRAWS)
    for c in np.unique(y):
        part = values[y == c]
        lower, upper = bounds(part)
        total += len(part) / n * _bounded_mean_draws(part, lower=lower, upper=upper, size=N_DRAWS, rng=rng)
    return total


def _largest_change(part: np.ndarray) -> tuple[float, float]:
    largest = float(np.abs(part).max())
    return -largest, largest


def _brier_interval(y: np.ndarray, errors: np.ndarray, *, upper: float, level: float, rng) -> tuple[float, float]:
    """The Brier score's interval: each class's mean error drawn, weighted by its share."""
    return _quantiles(_class_weighted_draws(y, errors, bounds=lambda _: (0.0, upper), rng=rng), level)


def _brier_errors(y: np.ndarray, proba: np.ndarray) -> np.ndarray:
    onehot = np.eye(proba.shape[1])[y]
    if proba.shape[1] == 2:
        return (proba[:, 1] - onehot[:, 1]) ** 2
    return np.sum((proba - onehot) ** 2, axis=1)


def _ranking_intervals(y: np.ndarray, proba: np.ndarray, *, level: float) -> dict[str, Estimate]:
    k = proba.shape[1]
    classes = [k - 1] if k == 2 else list(range(k))
    roc, pr = [], []
    for c in classes:
        y_pos = y == c
        m, n = int(y_pos.sum()), int((~y_pos).sum())
        if m == 0 or n == 0:
            continue
        v10, _ = placements(y_pos, proba[:, c])
        auc = float(v10.mean())
        roc.append((auc, *_newcombe(auc, m, n, level=level)))
        ap = average_precision(y_pos, proba[:, c])
        pr.append((ap, *_wilson(ap, m, level=level)))
    out = {}
    for key, parts in (("roc_auc", roc), ("pr_auc", pr)):
        if parts:
            value, low, high = np.mean(np.array(parts), axis=0)
            out[key] = Estimate(float(value), float(low), float(high))
        else:
            out[key] = Estimate(float("nan"), float("nan"), float("nan"))
    return out


def metric_intervals(
    y: np.ndarray, proba: np.ndarray, pred: np.ndarray, *, level: float = LEVEL, random_state: int = 0
) -> dict[str, Estimate]:
    """Every metric of one scoring on a stratified test split, with its interval (see the module docstring).

    ``y`` holds true class codes ``0..k-1``, ``proba`` a column of probabilities per code and ``pred``
    the predicted codes (for two classes, code 1 is the small, "positive" class). Returns
    ``{metric: Estimate}``; recall carries its counts (cases caught of the cases) and precision its
    own (cases among the flagged). A metric undefined on this split (precision with nothing flagged)
    has NaN value and bounds. The draws come from ``random_state``, so the same inputs give the same bounds.
    """
    y, pred = np.asarray(y, dtype=int), np.asarray(pred, dtype=int)
    k = proba.shape[1]
    cm = _confusion(y, pred, k)
    value = {m: float(v) for m, v in confusion_metrics(cm).items()}
    seen = cm.sum(axis=1) > 0
    draws = _posterior_cells(cm[seen], prior=0.5, size=N_DRAWS, rng=np.random.default_rng(random_state))
    full = np.zeros((N_DRAWS, k, k))
    full[:, seen] = draws
    sampled = confusion_metrics(full)
    out: dict[str, Estimate] = {}
    for m, v in value.items():
        out[m] = Estimate(v, *_holding(v, *_quantiles(sampled[m], level)))
    if k == 2:
        cases, flagged = int(cm[1].sum()), int(cm[:, 1].sum())
        tp = int(cm[1, 1])
        out["recall"] = Estimate(value["recall"], *_holding(value["recall"], *jeffreys(tp, cases, level=level)),
                                 hits=tp, of=cases)  # fmt: skip
        p = out["precision"]
        out["precision"] = Estimate(p.value, p.low, p.high, hits=tp, of=flagged)
    out |= _ranking_intervals(y, proba, level=level)
    errors = _brier_errors(y, proba)
    brier = float(errors.mean())
    low, high = _brier_interval(y, errors, upper=1.0 if k == 2 else 2.0, level=level,
                                rng=np.random.default_rng([random_state, 1]))  # fmt: skip
    out["brier"] = Estimate(brier, *_holding(brier, low, high))
    for m, e in out.items():  # by construction within what each metric can take
        lo, hi = metric_range(m, n_classes=k)
        out[m] = Estimate(e.value, *_within((e.low, e.high), lo, hi), hits=e.hits, of=e.of)
    return out


def _cost_per_case(cm: np.ndarray, cost_fp: float, cost_fn: float, rate: float | None = None) -> np.ndarray:
    """The cost per row of two-class confusion matrices ``(..., 2, 2)``: false alarms and missed cases, priced, at
    the matrices' own mix of cases, or at ``rate`` cases per row (the false-alarm and miss rates carry over)."""
    if rate is None:
        return (cost_fp * cm[..., 0, 1] + cost_fn * cm[..., 1, 0]) / cm.sum(axis=(-1, -2))
    with np.errstate(divide="ignore", invalid="ignore"):
        false_alarms = cm[..., 0, 1] / cm[..., 0, :].sum(axis=-1)
        misses = cm[..., 1, 0] / cm[..., 1, :].sum(axis=-1)
    return cost_fp * false_alarms * (1 - rate) + cost_fn * misses * rate


def cost_interval(
    y: np.ndarray,
    pred: np.ndarray,
    *,
    cost_fp: float,
    cost_fn: float,
    rate: float | None = None,
    level: float = LEVEL,
    random_state: int = 0,
) -> Estimate:
    """The cost per case of two-class decisions ``pred`` on a stratified test split (false alarms times
    ``cost_fp`` plus missed cases times ``cost_fn``, over the rows; at ``rate`` cases per row when given), with
    the interval every confusion-matrix metric gets: each true class's decisions drawn from their Jeffreys
    posterior at the split's class counts."""
    y, pred = np.asarray(y, dtype=int), np.asarray(pred, dtype=int)
    cm = _confusion(y, pred, 2)
    value = float(_cost_per_case(cm, cost_fp, cost_fn, rate))
    seen = cm.sum(axis=1) > 0
    full = np.zeros((N_DRAWS, 2, 2))
    full[:, seen] = _posterior_cells(cm[seen], prior=0.5, size=N_DRAWS, rng=np.random.default_rng(random_state))
    return Estimate(value, *_holding(value, *_quantiles(_cost_per_case(full, cost_fp, cost_fn, rate), level)))


def cost_difference(
    y: np.ndarray,
    pred_base: np.ndarray,
    pred_other: np.ndarray,
    *,
    cost_fp: float,
    cost_fn: float,
    rate: float | None = None,
    level: float = LEVEL,
    random_state: int = 0,
) -> tuple[float, float, float, bool]:
    """The cost per case of ``pred_other`` minus that of ``pred_base`` on the same rows (at ``rate`` cases per row when
    given): ``(difference, low, high, identical)``, paired as :func:`difference_intervals` pairs every
    confusion-matrix metric."""
    y = np.asarray(y, dtype=int)
    a, b = np.asarray(pred_base, dtype=int), np.asarray(pred_other, dtype=int)
    joint = np.bincount(y * 4 + a * 2 + b, minlength=8).reshape(2, 4).astype(np.float64)
    seen = joint.sum(axis=1) > 0
    full = np.zeros((N_DRAWS, 2, 4))
    full[:, seen] = _posterior_cells(joint[seen], prior=0.5, size=N_DRAWS, rng=np.random.default_rng(random_state))
    cube = full.reshape(N_DRAWS, 2, 2, 2)
    draws = _cost_per_case(cube.sum(axis=2), cost_fp, cost_fn, rate) - _cost_per_case(cube.sum(axis=3), cost_fp,
                                                                                       cost_fn, rate)  # fmt: skip
    d = float(_cost_per_case(_confusion(y, b, 2), cost_fp, cost_fn, rate)
              - _cost_per_case(_confusion(y, a, 2), cost_fp, cost_fn, rate))  # fmt: skip
    return (d, *_holding(d, *_quantiles(draws, level)), bool(np.array_equal(a, b)))


def _mover(d: float, a: tuple[float, float, float], b: tuple[float, float, float], r: float) -> tuple[float, float]:
    """The interval of ``b − a`` from each one's (value, low, high) and their correlation (Zou & Donner 2008)."""
    (va, la, ua), (vb, lb, ub) = a, b
    low = d - math.sqrt(max((vb - lb) ** 2 + (ua - va) ** 2 - 2 * r * (vb - lb) * (ua - va), 0.0))
    high = d + math.sqrt(max((ub - vb) ** 2 + (va - la) ** 2 - 2 * r * (ub - vb) * (va - la), 0.0))
    return low, high


def _delong_correlation(y_pos: np.ndarray, score_a: np.ndarray, score_b: np.ndarray) -> float:
    """DeLong's correlation between the two ROC-AUCs of the same rows (0 where either has no variance)."""
    a10, a01 = placements(y_pos, score_a)
    b10, b01 = placements(y_pos, score_b)
    m, n = len(a10), len(a01)
    if m < 2 or n < 2:
        return 0.0
    var_a = np.var(a10, ddof=1) / m + np.var(a01, ddof=1) / n
    var_b = np.var(b10, ddof=1) / m + np.var(b01, ddof=1) / n
    cov = np.cov(a10, b10)[0, 1] / m + np.cov(a01, b01)[0, 1] / n
    return float(np.clip(cov / math.sqrt(var_a * var_b), -1, 1)) if var_a > 0 and var_b > 0 else 0.0


def difference_intervals(
    y: np.ndarray,
    base: tuple[np.ndarray, np.ndarray],
    other: tuple[np.ndarray, np.ndarray],
    *,
    level: float = LEVEL,
    random_state: int = 0,
) -> dict[str, tuple[float, float, float, bool]]:
    """Each metric of ``other`` minus ``base`` on the same test rows: ``{metric: (difference, low, high, identical)}``.

    ``base`` and ``other`` are each ``(proba, pred)`` as :func:`metric_intervals` takes them;
    ``identical`` says the two gave the same decisions on every row (the confusion-matrix metrics) or
    the same scores (the others). See the module docstring for the methods.
    """
    y = np.asarray(y, dtype=int)
    (proba_a, pred_a), (proba_b, pred_b) = base, other
    pred_a, pred_b = np.asarray(pred_a, dtype=int), np.asarray(pred_b, dtype=int)
    k = proba_a.shape[1]
    # rows: true class; columns: (decision of the baseline, decision of the other)
    joint = np.bincount(y * k * k + pred_a * k + pred_b, minlength=k**3).reshape(k, k * k).astype(np.float64)
    seen = joint.sum(axis=1) > 0
    draws = _posterior_cells(joint[seen], prior=0.5, size=N_DRAWS, rng=np.random.default_rng(random_state))
    full = np.zeros((N_DRAWS, k, k * k))
    full[:, seen] = draws
    cube = full.reshape(N_DRAWS, k, k, k)
    sampled_a, sampled_b = confusion_metrics(cube.sum(axis=3)), confusion_metrics(cube.sum(axis=2))
    value_a = confusion_metrics(_confusion(y, pred_a, k))
    value_b = confusion_metrics(_confusion(y, pred_b, k))
    same_decisions = bool(np.array_equal(pred_a, pred_b))
    out: dict[str, tuple[float, float, float, bool]] = {}
    for m in value_a:
        d = float(value_b[m] - value_a[m])
        low, high = _holding(d, *_quantiles(sampled_b[m] - sampled_a[m], level))
        out[m] = (d, low, high, same_decisions)
    same_scores = bool(np.array_equal(proba_a, proba_b))
    ia = _ranking_intervals(y, proba_a, level=level)
    ib = _ranking_intervals(y, proba_b, level=level)
    r = {"roc_auc": 0.0, "pr_auc": 0.0}
    if k == 2:
        y_pos = y == 1
        if y_pos.any() and (~y_pos).any():
            r["roc_auc"] = _delong_correlation(y_pos, proba_a[:, 1], proba_b[:, 1])
            r["pr_auc"] = _ap_correlation(y_pos, proba_a[:, 1], proba_b[:, 1])
    for m in ("roc_auc", "pr_auc"):
        ea, eb = ia[m], ib[m]
        d = eb.value - ea.value
        if math.isnan(d):
            out[m] = (float("nan"), float("nan"), float("nan"), same_scores)
        elif same_scores:
            out[m] = (0.0, 0.0, 0.0, True)
        else:
            out[m] = (
                d,
                *_holding(d, *_mover(d, (ea.value, ea.low, ea.high), (eb.value, eb.low, eb.high), r[m])),
                False,
            )
    # the row-by-row differences of the errors, each class's mean drawn by the Bayesian bootstrap with half a row at
    # each end of the class's largest change either way (docs/benchmarks.md: the normal interval held 0.80 at 6 cases;
    # half a row at the metric's own bounds held 1.00 and found almost no real difference)
    change = _brier_errors(y, proba_b) - _brier_errors(y, proba_a)
    diff = float(change.mean())
    low, high = _quantiles(_class_weighted_draws(y, change, bounds=_largest_change,
                                                 rng=np.random.default_rng([random_state, 2])), level)  # fmt: skip
    out["brier"] = (diff, *_holding(diff, low, high), same_scores)
    for m, (d, low, high, same) in out.items():  # a difference lies within what two values of the metric can differ by
        lo, hi = metric_range(m, n_classes=k)
        out[m] = (d, *_within((low, high), lo - hi, hi - lo), same)
    return out
