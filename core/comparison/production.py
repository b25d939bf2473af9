"""What happens when a strategy ships: its outcomes at the production rate of cases, probabilities moved to that
rate, and the decision curve.

A stratified test split measures two rates that do not depend on how common the small class is: the
share of cases a strategy catches (recall, the true-positive rate ``tpr``) and the share of non-cases it
flags (the false-alarm rate ``fpr``). Everything a stakeholder counts follows from those two and the
production rate ``q`` of cases:

- per ``n`` cases scored: flagged ``n (tpr q + fpr (1 − q))``, caught ``n tpr q``, missed ``n (1 − tpr) q``,
  false alarms ``n fpr (1 − q)``, and cost ``n (cost_fp fpr (1 − q) + cost_fn (1 − tpr) q)``;
- precision ``tpr q / (tpr q + fpr (1 − q))`` and NPV ``(1 − fpr)(1 − q) / ((1 − fpr)(1 − q) + (1 − tpr) q)``.

The same figures come out of reweighting the test rows to the production rate (a test holds them to
that). Their intervals draw ``tpr`` and ``fpr`` from their Jeffreys posteriors (Beta(k + ½, n − k + ½)),
as :mod:`core.comparison.intervals` does for every rate, so they carry the test split's uncertainty.

**Probabilities at the production rate.** A model fitted on rows whose rate of cases was ``r`` (after
resampling, or the weights' effective rate) estimates probabilities for a world with that rate. The
prior-shift correction (Elkan 2001; Saerens, Latinne & Decaestecker 2002) moves them to the rate
``q``: ``p' = p (q / r) / (p (q / r) + (1 − p)(1 − q) / (1 − r))``. It keeps the order of the scores,
so every decision made at a threshold ``t`` is made at the moved threshold ``shift(t)``: the same
decisions on a truthful scale.

**Decision curve** (Vickers & Elkin 2006): the net benefit of flagging at threshold probability ``t`` is
``TP/n − FP/n · t / (1 − t)``; at the production rate, ``tpr q − fpr (1 − q) t / (1 − t)``, against
"flag everyone" (``q − (1 − q) t / (1 − t)``) and "flag no one" (0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FAR_FACTOR",
    "Deployment",
    "Outcome",
    "calibration_error",
    "check_rate",
    "check_volume",
    "decision_curve",
    "fitted_words",
    "outcome",
    "outcome_table",
    "people",
    "prior_shift",
    "production_line",
    "rate_note",
    "takeaway",
    "threshold_sentence",
    "trained_rate",
    "whole",
]

#: A production rate more than this many times lower or higher than the test split's is accepted with a note.
FAR_FACTOR = 100


def whole(x: float) -> str:
    """``x`` rounded to a whole number (halves up), with thousands separated: 108.5 cases are "109"."""
    return f"{math.floor(x + 0.5):,}"


def people(x: float) -> str:
    """An expected count of people or cases as a person reads it: "about 2" for 2.3, "fewer than 1" below a half,
    "none" at 0, "–" when undefined."""
    if math.isnan(x):
        return "–"
    if x <= 0:
        return "none"
    if x < 0.5:
        return "fewer than 1"
    return f"about {whole(x)}"


def check_rate(value: object) -> float:
    """The production rate of cases as a share (0–1) from a user's percentage, or a ``ValueError`` saying what is wrong."""
    try:
        percent = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"The production rate must be a number (a percentage), not {value!r}.") from None
    if not math.isfinite(percent) or percent <= 0 or percent >= 100:
        raise ValueError(
            f"The production rate must be above 0 % and below 100 % (it was {percent:g} %): at 0 % there is "
            "nothing to catch and at 100 % nothing to tell apart."
        )
    return percent / 100


def check_volume(value: object) -> float:
    """Cases scored per day (at least 1), or a ``ValueError`` saying what is wrong."""
    try:
        volume = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"The cases scored per day must be a number, not {value!r}.") from None
    if not math.isfinite(volume) or volume < 1:
        raise ValueError(f"The cases scored per day must be at least 1 (it was {volume:g}).")
    return volume


def rate_note(rate: float, test_rate: float) -> str | None:
    """What the test split can and cannot say about a production rate far from its own, else None."""
    factor = rate / test_rate if test_rate > 0 else math.inf
    if 1 / FAR_FACTOR <= factor <= FAR_FACTOR:
        return None
    way = "lower" if factor < 1 else "higher"
    return (
        f"The production rate, {rate:.4%}, is more than {FAR_FACTOR} times {way} than the test split's "
        f"({test_rate:.2%}). Recall and the false-alarm rate carry over to it, but only if the cases and the "
        "non-cases look in production as they do in the data; the figures below are that extrapolation, and "
        "a small error in the false-alarm rate moves precision a lot at a very low rate."
    )


@dataclass(frozen=True)
class Deployment:
    """The user's costs and production setting, which every copy of the story reads (the decision, the tables, the
    report, the script, the model file): the ``rate`` of cases, the cases scored per period (``per``, named by
    ``unit``), the costs of a false alarm and of a missed case, and each strategy's training rate of cases by
    name (``fitted_at``; None where the scores are no probabilities to move, see :func:`trained_rate`)."""

    rate: float
    per: float = 10_000.0
    unit: str = "per 10,000 cases scored"
    cost_fp: float = 1.0
    cost_fn: float = 10.0
    fitted_at: tuple[tuple[str, float | None], ...] = ()

    def fitted_rate(self, name: str) -> float | None:
        """The training rate of the strategy called ``name`` (None when unknown or not a probability)."""
        return dict(self.fitted_at).get(name)


@dataclass(frozen=True)
class Outcome:
    """One strategy at its threshold, per ``per`` cases scored at the production ``rate``: each figure as
    ``(value, low, high)``, the 95 % interval carrying the test split's uncertainty."""

    rate: float
    per: float
    flagged: tuple[float, float, float]
    caught: tuple[float, float, float]
    missed: tuple[float, float, float]
    false_alarms: tuple[float, float, float]
    cost: tuple[float, float, float]
    precision: tuple[float, float, float]
    npv: tuple[float, float, float]
    recall: tuple[float, float, float]
    false_alarm_rate: tuple[float, float, float]


def _beta_draws(hits: int, of: int, size: int, rng: np.random.Generator) -> np.ndarray:
    return rng.beta(hits + 0.5, of - hits + 0.5, size=size) if of > 0 else np.full(size, np.nan)


def _figures(tpr, fpr, q: float, per: float, cost_fp: float, cost_fn: float) -> dict[str, np.ndarray]:
    tpr, fpr = np.asarray(tpr, dtype=float), np.asarray(fpr, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        flagged = tpr * q + fpr * (1 - q)
        kept = (1 - fpr) * (1 - q) + (1 - tpr) * q
        return {
            "flagged": per * flagged,
            "caught": per * tpr * q,
            "missed": per * (1 - tpr) * q,
            "false_alarms": per * fpr * (1 - q),
            "cost": per * (cost_fp * fpr * (1 - q) + cost_fn * (1 - tpr) * q),
            "precision": np.where(flagged > 0, tpr * q / flagged, np.nan),
            "npv": np.where(kept > 0, (1 - fpr) * (1 - q) / kept, np.nan),
            "recall": tpr,
            "false_alarm_rate": fpr,
        }


def outcome(
    confusion: np.ndarray,
    *,
    rate: float,
    per: float = 10_000,
    cost_fp: float = 1.0,
    cost_fn: float = 1.0,
    level: float = 0.95,
    draws: int = 4_000,
    random_state: int = 0,
) -> Outcome:
    """The outcomes of a two-class confusion matrix (rows true, columns predicted; code 1 the cases) at the
    production ``rate``, per ``per`` cases scored, with intervals (see the module docstring)."""
    cm = np.asarray(confusion, dtype=float)
    if cm.shape != (2, 2):
        raise ValueError("outcome() takes a two-class confusion matrix")
    tn, fp, fn, tp = (round(float(v)) for v in cm.ravel())
    point = _figures(tp / (tp + fn) if tp + fn else np.nan, fp / (fp + tn) if fp + tn else np.nan, rate, per,
                     cost_fp, cost_fn)  # fmt: skip
    rng = np.random.default_rng(random_state)
    sampled = _figures(_beta_draws(tp, tp + fn, draws, rng), _beta_draws(fp, fp + tn, draws, rng), rate, per,
                       cost_fp, cost_fn)  # fmt: skip
    tail = (1 - level) / 2
    out = {}
    for key, value in point.items():
        v = float(value)
        finite = sampled[key][np.isfinite(sampled[key])]
        if math.isnan(v) or len(finite) < draws / 2:
            out[key] = (v, float("nan"), float("nan"))
            continue
        low, high = np.quantile(finite, [tail, 1 - tail])
        out[key] = (v, float(min(low, v)), float(max(high, v)))
    return Outcome(rate=rate, per=per, **out)


def prior_shift(p: np.ndarray, *, trained_rate: float, rate: float) -> np.ndarray:
    """Probabilities of the cases ``p`` from a model trained at ``trained_rate``, moved to the production ``rate``."""
    p = np.asarray(p, dtype=float)
    up = p * (rate / trained_rate)
    down = (1 - p) * ((1 - rate) / (1 - trained_rate))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(up + down > 0, up / (up + down), 0.0)


def decision_curve(
    y: np.ndarray, score: np.ndarray, *, rate: float, thresholds: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Net benefit at each threshold probability ``t`` of flagging ``score >= t``, at the production ``rate``, with
    "flag everyone"; ``score`` must be probabilities at that rate (:func:`prior_shift`). Returns ``thresholds``,
    ``net_benefit`` and ``everyone``."""
    y = np.asarray(y) == 1
    t = np.linspace(0.01, 0.99, 99) if thresholds is None else np.asarray(thresholds, dtype=float)
    s = np.sort(np.asarray(score, dtype=float)[y])
    n = np.sort(np.asarray(score, dtype=float)[~y])
    tpr = (len(s) - np.searchsorted(s, t, side="left")) / max(len(s), 1)
    fpr = (len(n) - np.searchsorted(n, t, side="left")) / max(len(n), 1)
    odds = t / (1 - t)
    return {
        "thresholds": t,
        "net_benefit": tpr * rate - fpr * (1 - rate) * odds,
        "everyone": rate - (1 - rate) * odds,
    }


#: Models that balance the classes inside themselves (every tree or round on a balanced under-sample).
BALANCING_MODELS = frozenset({"brf", "easy_ensemble", "rusboost"})


def trained_rate(strategy, *, fitted_counts: dict, training_counts: dict, names: dict) -> float | None:
    """The rate of cases (code 1, the smaller class) the strategy's model was fitted at, exactly: ``None`` where its
    scores are no probabilities to move (the anomaly view).

    ``fitted_counts`` are the class counts (by code) the model saw after the strategy's resampling,
    ``training_counts`` the training split's, ``names`` the class labels by code (custom weights name labels). Class weights count each row by its weight (balanced: half and half); a model that
    balances inside itself sees half and half; a calibrated strategy was recalibrated on unresampled training
    rows, so its probabilities are at the training split's rate.
    """
    if strategy.model == "isolation_forest":
        return None
    if strategy.calibrated:
        n0, n1 = training_counts[0], training_counts[1]
        return n1 / (n0 + n1)
    if strategy.model in BALANCING_MODELS or strategy.weighting in {"balanced", "balanced_subsample"}:
        return 0.5
    n0, n1 = fitted_counts[0], fitted_counts[1]
    if strategy.weighting == "custom":
        wanted = dict(strategy.custom_weights)
        w0, w1 = (float(wanted.get(names[c], 1.0)) for c in (0, 1))
        return w1 * n1 / (w0 * n0 + w1 * n1)
    return n1 / (n0 + n1)


def _figure_text(v: tuple[float, float, float], *, percent: bool = False) -> str:
    """A figure and its interval: whole cases, rounded as the sentences round them (an expected 2.3 cases is 2), or
    a percentage."""
    value, low, high = v
    if math.isnan(value):
        return "–"
    if percent:
        return f"{value:.1%} [{low:.1%}, {high:.1%}]"
    return f"{whole(value)} [{whole(low)}, {whole(high)}]"


def outcome_table(rows: list[tuple[str, str, Outcome]], *, nothing: float) -> list[dict[str, str]]:
    """The outcome table stakeholders read: per strategy (its name, its threshold in words, its outcome), what it
    does per ``per`` cases scored, in whole cases, with intervals; its cost and what it saves against flagging no
    one, whose cost is ``nothing``; then a last row for flagging no one itself."""
    out = []
    money = 0
    for name, threshold, o in rows:
        money = 0 if max(nothing, o.cost[2]) >= 100 else 2
        out.append({
            "strategy": name,
            "threshold": threshold,
            "flagged": _figure_text(o.flagged),
            "cases caught": _figure_text(o.caught),
            "cases missed": _figure_text(o.missed),
            "false alarms": _figure_text(o.false_alarms),
            "cost": f"{o.cost[0]:,.{money}f} [{o.cost[1]:,.{money}f}, {o.cost[2]:,.{money}f}]",
            "saving": f"{nothing - o.cost[0]:,.{money}f} [{nothing - o.cost[2]:,.{money}f}, {nothing - o.cost[1]:,.{money}f}]",
            "precision": _figure_text(o.precision, percent=True),
        })  # fmt: skip
    if rows:  # the baseline every saving is against; exact at the rate, so no interval
        cases = rows[0][2].rate * rows[0][2].per
        out.append({"strategy": "flag no one (doing nothing)", "threshold": "–", "flagged": "0", "cases caught": "0",
                    "cases missed": whole(cases), "false alarms": "0", "cost": f"{nothing:,.{money}f}", "saving": "0",
                    "precision": "–"})  # fmt: skip
    return out


def fitted_words(strategy, *, trained: float | None, label: str) -> str | None:
    """How the strategy's model came to see another rate of cases than the data's, in words that fit it: rows a
    sampler made, weights (which change no rows), or a model that balances inside itself; None when its scores
    are probabilities at the data's rate or no probabilities at all."""
    if trained is None:
        return None
    if strategy.calibrated:
        return None
    if strategy.sampler.key != "none":
        return f"was fitted on rows with {trained:.1%} {label} (its resampling made them)"
    if strategy.model in BALANCING_MODELS:
        return f"balances the classes inside itself, as if {trained:.0%} of the rows were {label}"
    if strategy.weighting != "none":
        return f"weighs {label} rows as if they were {trained:.1%} of the training rows (weights change no rows)"
    return None


def production_line(name: str, o: Outcome, *, label: str, unit: str, nothing: float, fitted: str | None = None,
                    trained: float | None = None) -> str:  # fmt: skip
    """One line per strategy at the production rate: what it flags and catches in whole cases, its cost against
    doing nothing, and, for a model ``fitted`` at another rate (``trained``), what its score of 0.50 means there."""
    money = 0 if max(nothing, o.cost[0]) >= 100 else 2
    text = (f"{name} flags {people(o.flagged[0])} {unit} and catches {people(o.caught[0])} of the "
            f"{whole(o.rate * o.per)} {label}: a cost of {o.cost[0]:,.{money}f} against "
            f"{nothing:,.{money}f} for flagging no one.")  # fmt: skip
    if fitted and trained is not None and abs(trained - o.rate) > 0.1 * o.rate:
        meant = float(prior_shift(np.array([0.5]), trained_rate=trained, rate=o.rate)[0])
        text += (f" It {fitted}, so its score of 0.50 means about a {meant:.2%} chance of {label} at the production "
                 "rate; the corrected scores below keep its decisions.")  # fmt: skip
    return text


def threshold_sentence(
    name: str, *, threshold: float, tuned: float | None, trained: float | None, rate: float, label: str
) -> str | None:
    """The slider's ``threshold`` (and the ``tuned`` one) of a model fitted at ``trained`` as probabilities at the
    production ``rate``: the same decisions on a truthful scale. None when the two rates agree (within 10 %)."""
    if trained is None or abs(trained - rate) <= 0.1 * rate:
        return None
    moved = prior_shift(np.array([threshold, 0.5 if tuned is None else tuned]), trained_rate=trained, rate=rate)
    also = "" if tuned is None else f", and its tuned threshold {tuned:.2f} is {moved[1]:.2%}"
    return (
        f"On the production scale: {name} was fitted on rows with {trained:.1%} {label}, so its threshold "
        f"{threshold:.2f} is a {moved[0]:.2%} chance of {label} at the production rate of {rate:.3%}{also}. Flagging "
        "above either number flags the same rows."
    )


def calibration_error(y: np.ndarray, p: np.ndarray, *, bins: int = 10) -> float:
    """Expected calibration error: over ``bins`` equal-count bins of the predicted probability ``p`` of the cases,
    the rows' share-weighted gap between the mean prediction and the share of cases."""
    y, p = np.asarray(y) == 1, np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    return float(sum(abs(p[b].mean() - y[b].mean()) * len(b) for b in np.array_split(order, bins) if len(b)) / len(p))


def takeaway(name: str, o: Outcome, *, label: str) -> str:
    """The production outcome of one strategy in one short sentence, for the takeaways, in whole cases."""
    unit = "a day" if o.per != 10_000 else "per 10,000 cases scored"
    money = 0 if o.cost[0] >= 100 else 2
    return (f"In production ({o.rate:.3%} {label}, {unit}), {name} would catch {people(o.caught[0])} of the "
            f"{whole(o.rate * o.per)} {label} with {people(o.false_alarms[0])} false alarms "
            f"(cost {o.cost[0]:,.{money}f}).")  # fmt: skip
