"""How often the app's 95 % intervals hold the truth: a simulation with known truth.

A population is a pool of 1,000,000 scored rows (2 % of them cases) from a binormal model: non-cases
score N(0, 1), cases N(mu, 1), with mu set for a stated ROC-AUC, and the probability is the exact
posterior at the pool's rate (a calibrated model) or at a 50 : 50 rate (a model trained on rebalanced
rows, whose probabilities are too high). Optionally the probabilities are rounded to 0.01, as a forest's
votes are, so that scores tie. A threshold flags half as many rows as there are cases, as many, or three
times as many. The truth is every metric on the whole pool.

Each case draws stratified test splits from the pool (3 to 200 cases and 49 non-cases per case) and
computes the app's intervals on each (``core.comparison.intervals``), and the stratified percentile bootstrap the
app used before (``benchmarks/old_bootstrap.py``). It prints, per metric and number of cases, the share
of splits whose interval held the truth and the mean width, averaged over the models and thresholds,
with the lowest single case.

Cross-validation: a logistic regression cross-validated on training samples of 10 to 50 cases, the
intervals computed on the pooled held-out predictions, the truth the fold models' mean on fresh rows.

Paired differences: two models of the same pool whose scores correlate (0.7 within a class). With
equal true quality, how often the verdict names a winner (the false-winner rate); with unequal quality,
how often the interval of the difference holds the true difference, and how often the better model is
found.

    .venv/bin/python benchmarks/coverage.py            # about 15 minutes on 2 cores
    .venv/bin/python benchmarks/coverage.py --quick    # fewer splits, a rough look
    .venv/bin/python benchmarks/coverage.py --speed    # the time of six strategies' intervals at 60,000 rows
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from old_bootstrap import interval as old_interval
from old_bootstrap import replicates as old_replicates

from core.comparison.intervals import cost_difference, cost_interval, difference_intervals, metric_intervals
from core.comparison.verdicts import verdict
from core.modelling.metrics import confusion_metrics

PREVALENCE = 0.02
POOL = 1_000_000
CASES = (3, 5, 10, 20, 50, 200)
AUCS = (0.6, 0.75, 0.9, 0.99, 0.999)
FLAG_RATES = (0.5, 1.0, 3.0)  # rows flagged per case in the pool
METRICS = ("recall", "precision", "f1", "balanced_accuracy", "g_mean", "mcc", "accuracy", "roc_auc", "pr_auc",
           "brier", "cost")  # fmt: skip
#: The costs of the "cost" metric: a false alarm, a missed case (the app's defaults).
COST_FP, COST_FN = 1.0, 10.0
LEVEL = 0.95


def _posterior(score: np.ndarray, mu: float, rate: float) -> np.ndarray:
    log_odds = math.log(rate / (1 - rate)) + mu * score - mu * mu / 2
    return 1 / (1 + np.exp(-log_odds))


def _pool(
    auc: float, *, seed: int, calibrated: bool, rounded: bool, rho: float | None = None, auc_b: float | None = None
):
    rng = np.random.default_rng(seed)
    n_pos = int(POOL * PREVALENCE)
    y = np.r_[np.ones(n_pos, dtype=int), np.zeros(POOL - n_pos, dtype=int)]
    shared = rng.standard_normal(POOL)
    out = []
    for a in [auc] if rho is None else [auc, auc_b]:
        mu = math.sqrt(2) * stats.norm.ppf(a)
        noise = shared if rho is None else math.sqrt(rho) * shared + math.sqrt(1 - rho) * rng.standard_normal(POOL)
        score = mu * y + noise
        p = _posterior(score, mu, PREVALENCE if calibrated else 0.5)
        if rounded:
            p = np.round(p, 2)
        out.append(p)
    return y, out


def _truth(y: np.ndarray, p: np.ndarray, t: float) -> dict[str, float]:
    pred = (p >= t).astype(int)
    cm = np.bincount(y * 2 + pred, minlength=4).reshape(2, 2)
    truth = {m: float(v) for m, v in confusion_metrics(cm).items()}
    from sklearn.metrics import average_precision_score, roc_auc_score

    truth["roc_auc"] = float(roc_auc_score(y, p))
    truth["pr_auc"] = float(average_precision_score(y, p))
    truth["brier"] = float(np.mean((p - y) ** 2))
    truth["cost"] = float((COST_FP * cm[0, 1] + COST_FN * cm[1, 0]) / len(y))  # the pool holds the split's mix
    return truth


def _threshold(p: np.ndarray, rate: float) -> float:
    """The threshold that flags ``rate`` × the pool's cases (the score at that rank)."""
    k = int(rate * PREVALENCE * len(p))
    return float(np.sort(p)[::-1][k - 1])


def _split(rng: np.random.Generator, pos: np.ndarray, neg: np.ndarray, cases: int) -> np.ndarray:
    return np.r_[rng.choice(pos, cases, replace=False), rng.choice(neg, cases * 49, replace=False)]


def _one_case(args) -> list[dict]:
    """Every threshold of one model and one number of cases: coverage and width of both methods."""
    auc, calibrated, rounded, cases, sims, old_sims, seed = args
    y, (p,) = _pool(auc, seed=seed, calibrated=calibrated, rounded=rounded)
    thresholds = [_threshold(p, r) for r in FLAG_RATES]
    truths = [_truth(y, p, t) for t in thresholds]
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    rng = np.random.default_rng(seed + 1)
    tallies = {(method, i): {m: [0, 0.0, 0] for m in METRICS} for method in ("old", "new") for i in range(3)}
    for s in range(sims):
        rows = _split(rng, pos, neg, cases)
        yt, pt = y[rows], p[rows]
        proba = np.column_stack([1 - pt, pt])
        old = (
            old_replicates(yt, [proba] * 3, thresholds=thresholds, n_boot=1000, random_state=s)
            if s < old_sims
            else None
        )
        for i, t in enumerate(thresholds):
            new = metric_intervals(yt, proba, (pt >= t).astype(int), random_state=s)
            new["cost"] = cost_interval(yt, (pt >= t).astype(int), cost_fp=COST_FP, cost_fn=COST_FN, random_state=s)
            for m in METRICS:
                est = new[m]
                _tally(tallies[("new", i)][m], est.low, est.high, truths[i][m])
                if old is not None and m in old[i]:
                    low, high = old_interval(old[i][m])
                    _tally(tallies[("old", i)][m], low, high, truths[i][m])
    rows_out = []
    for (method, i), per in tallies.items():
        for m, (held, width, n) in per.items():
            if n:
                rows_out.append({"auc": auc, "calibrated": calibrated, "rounded": rounded, "cases": cases,
                                 "flag_rate": FLAG_RATES[i], "method": method, "metric": m, "coverage": held / n,
                                 "width": width / n, "n": n, "truth": truths[i][m]})  # fmt: skip
    return rows_out


def _tally(slot: list, low: float, high: float, truth: float) -> None:
    """Count one interval: an undefined one (NaN bounds, e.g. precision with nothing flagged) is left out."""
    if math.isnan(low) or math.isnan(high) or math.isnan(truth):
        return
    slot[0] += int(low - 1e-12 <= truth <= high + 1e-12)
    slot[1] += high - low
    slot[2] += 1


def _one_pair(args) -> list[dict]:
    """Paired differences: coverage of the true difference and how often a winner is named."""
    auc_a, auc_b, cases, sims, old_sims, seed = args
    y, (pa, pb) = _pool(auc_a, seed=seed, calibrated=True, rounded=False, rho=0.7, auc_b=auc_b)
    out = []
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    for rate in FLAG_RATES:
        ta, tb = _threshold(pa, rate), _threshold(pb, rate)
        true_a, true_b = _truth(y, pa, ta), _truth(y, pb, tb)
        truth = {m: true_b[m] - true_a[m] for m in METRICS}
        rng = np.random.default_rng(seed + 7)
        tally = {method: {m: [0, 0, 0, 0.0] for m in METRICS} for method in ("old", "new")}  # held, winner, n, width
        for s in range(sims):
            rows = _split(rng, pos, neg, cases)
            yt = y[rows]
            probas = [np.column_stack([1 - q[rows], q[rows]]) for q in (pa, pb)]
            preds = [(q[rows] >= t).astype(int) for q, t in ((pa, ta), (pb, tb))]
            new = difference_intervals(yt, (probas[0], preds[0]), (probas[1], preds[1]), random_state=s)
            new["cost"] = cost_difference(yt, preds[0], preds[1], cost_fp=COST_FP, cost_fn=COST_FN, random_state=s)
            for m in METRICS:
                d, low, high, same = new[m]
                _pair_tally(tally["new"][m], m, d, low, high, same, truth[m])
            if s < old_sims:
                old = old_replicates(yt, probas, thresholds=[ta, tb], n_boot=1000, random_state=s)
                for m in (m for m in METRICS if m in old[1]):
                    low, high = old_interval(old[1][m] - old[0][m])
                    _pair_tally(tally["old"][m], m, 0.0, low, high, False, truth[m])
        for method, per in tally.items():
            for m, (held, winner, n, width) in per.items():
                if n:
                    out.append({"auc_a": auc_a, "auc_b": auc_b, "cases": cases, "flag_rate": rate, "method": method,
                                "metric": m, "coverage": held / n, "winner": winner / n, "width": width / n, "n": n,
                                "truth": truth[m]})  # fmt: skip
    return out


def _pair_tally(slot: list, metric: str, d: float, low: float, high: float, same: bool, truth: float) -> None:
    if math.isnan(low) or math.isnan(high):
        return
    slot[0] += int(low - 1e-12 <= truth <= high + 1e-12)
    slot[1] += int(verdict(metric, d, low, high, identical=same).value in {"better", "worse"})
    slot[2] += 1
    slot[3] += high - low


def _one_cv(args) -> list[dict]:
    """Cross-validation: a logistic regression fitted in 5 stratified folds of a training sample, the folds'
    held-out predictions pooled (as the page does) and the app's intervals computed on them. The truth is the
    mean, over the five fold models, of each metric on a pool of 100,000 fresh rows."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    cases, sims, shift, seed = args
    rng = np.random.default_rng(seed)

    def draw(n_pos: int, n_neg: int):
        y = np.r_[np.ones(n_pos, int), np.zeros(n_neg, int)]
        return rng.standard_normal((len(y), 5)) + shift * y[:, None], y

    pool_x, pool_y = draw(2_000, 98_000)
    t = 0.1
    tally = {m: [0, 0.0, 0] for m in METRICS}
    for _ in range(sims):
        x, y = draw(cases, 49 * cases)
        proba = np.zeros((len(y), 2))
        truths = []
        for fit, held in StratifiedKFold(5, shuffle=True, random_state=int(rng.integers(1 << 31))).split(x, y):
            model = LogisticRegression().fit(x[fit], y[fit])
            proba[held] = model.predict_proba(x[held])
            truths.append(_truth(pool_y, model.predict_proba(pool_x)[:, 1], t))
        truth = {m: float(np.mean([tr[m] for tr in truths])) for m in METRICS}
        pred = (proba[:, 1] >= t).astype(int)
        est = metric_intervals(y, proba, pred)
        est["cost"] = cost_interval(y, pred, cost_fp=COST_FP, cost_fn=COST_FN)
        for m in METRICS:
            _tally(tally[m], est[m].low, est[m].high, truth[m])
    return [{"cases": cases, "shift": shift, "method": "new", "metric": m, "coverage": held / n, "width": width / n,
             "n": n} for m, (held, width, n) in tally.items() if n]  # fmt: skip


def _table(rows: list[dict], key: str, *, worst=min) -> str:
    """Per metric and number of cases: ``key`` averaged over the regime's cases / its worst case / mean width."""
    lines = ["| cases | method | " + " | ".join(METRICS) + " |", "|---|---|" + "---:|" * len(METRICS)]
    for cases in sorted({r["cases"] for r in rows}):
        for method in ("old", "new"):
            cells = []
            for m in METRICS:
                part = [r for r in rows if r["cases"] == cases and r["method"] == method and r["metric"] == m]
                if not part:
                    cells.append("–")
                    continue
                cov = np.average([r[key] for r in part], weights=[r["n"] for r in part])
                low = worst(r[key] for r in part)
                width = np.average([r["width"] for r in part], weights=[r["n"] for r in part])
                cells.append(f"{cov:.3f} / {low:.2f} / {width:.3f}")
            if any(c != "–" for c in cells):
                lines.append(f"| {cases} | {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def speed(n_rows: int = 60_000, n_strategies: int = 6) -> float:
    """Seconds for everything the Compare page reads off six strategies' intervals at ``n_rows`` test rows
    (leaderboard, differences, highlights, takeaways, what helped, review budget), from a cold memo."""
    from core.comparison.compare import best_in_column, differences, leaderboard
    from core.comparison.gains import budget_table
    from core.comparison.takeaways import summary, takeaways
    from core.modelling.evaluation import Evaluation
    from core.modelling.strategies import Strategy

    rng = np.random.default_rng(0)
    y = (rng.random(n_rows) < 0.01).astype(int)
    evals = []
    for i in range(n_strategies):
        p = np.round(1 / (1 + np.exp(-(2.5 * y - 4 + rng.standard_normal(n_rows) * (1 + 0.1 * i)))), 2)
        evals.append(Evaluation(f"S{i}", Strategy(random_state=i), ("no", "yes"), y, np.column_stack([1 - p, p]),
                                (), 0.0, None, None, threshold=0.3))  # fmt: skip
    start = time.perf_counter()
    leaderboard(evals), differences(evals), best_in_column(evals), takeaways(evals), summary(evals)
    budget_table(evals, share=0.05)
    return time.perf_counter() - start


PAIRS = [(0.85, 0.85), (0.95, 0.95), (0.8, 0.9), (0.9, 0.97)]


def paired_only(sims: int, start: float) -> None:
    """The paired differences alone, the app's method, from 5 cases up."""
    jobs = [(a, b, cases, sims, 0, 50_000 + 100 * i + j)
            for i, (a, b) in enumerate(PAIRS) for j, cases in enumerate((5, 10, 20, 50, 200))]  # fmt: skip
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = [r for r in itertools.chain.from_iterable(pool.map(_one_pair, jobs)) if r["method"] == "new"]
    equal = [r for r in rows if r["auc_a"] == r["auc_b"]]
    print("### Paired differences, equal true quality: coverage of the true difference\n")
    print(_table(equal, "coverage"))
    print("\n### Paired differences, unequal quality: coverage\n")
    print(_table([r for r in rows if r["auc_a"] != r["auc_b"]], "coverage"))
    print("\n### Paired differences, equal true quality: false-winner rate\n")
    print(_table(equal, "winner", worst=max))
    print("\n### Paired differences, unequal quality: how often the better model is named (power)\n")
    print(_table([r for r in rows if r["auc_a"] != r["auc_b"]], "winner"))
    print(f"\n{time.perf_counter() - start:.0f} s")


def real_brier(sims: int) -> None:
    """The Brier score's paired interval on real scores: scikit-learn's digits, one digit against the rest, a logistic
    regression against a forest or naive Bayes (out-of-fold probabilities); the truth is the difference on all rows."""
    from sklearn.datasets import load_digits
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.naive_bayes import GaussianNB

    X, digit = load_digits(return_X_y=True)
    print("| digit | other model | cases | coverage | other model named |\n|---:|---|---:|---:|---:|")
    for d in (9, 3):
        y = (digit == d).astype(int)
        base = cross_val_predict(LogisticRegression(max_iter=2000), X, y, cv=5, method="predict_proba")
        for name, model in (("forest", RandomForestClassifier(200, random_state=0)), ("naive Bayes", GaussianNB())):
            other = cross_val_predict(model, X, y, cv=5, method="predict_proba")
            truth = np.mean((other[:, 1] - y) ** 2) - np.mean((base[:, 1] - y) ** 2)
            pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
            for cases in (6, 10, 20):
                rng, held, named = np.random.default_rng(3), 0, 0
                for s in range(sims):
                    rows = np.r_[rng.choice(pos, cases, replace=False), rng.choice(neg, 9 * cases, replace=False)]
                    pred = np.zeros(len(rows), dtype=int)
                    dif, low, high, same = difference_intervals(y[rows], (base[rows], pred), (other[rows], pred),
                                                                random_state=s)["brier"]  # fmt: skip
                    held += low - 1e-12 <= truth <= high + 1e-12
                    named += verdict("brier", dif, low, high, identical=same).value in {"better", "worse"}
                print(f"| {d} | {name} | {cases} | {held / sims:.3f} | {named / sims:.3f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sims", type=int, default=400, help="test splits per case (the app's intervals)")
    parser.add_argument("--old-sims", type=int, default=150, help="of those, how many also get the old bootstrap")
    parser.add_argument("--quick", action="store_true", help="80 splits per case, 40 with the old method")
    parser.add_argument("--out", default="benchmarks/coverage_results.json")
    parser.add_argument("--speed", action="store_true", help="only time the intervals of six strategies at 60,000 rows")
    parser.add_argument("--pairs", action="store_true", help="only the paired differences (the new method)")
    parser.add_argument("--real-brier", action="store_true", help="the Brier paired interval on real scores (digits)")
    args = parser.parse_args()
    if args.speed:
        times = [speed() for _ in range(3)]
        print(f"Intervals, differences, highlights and takeaways of 6 strategies at 60,000 test rows: "
              f"{min(times):.2f} s (best of 3; {', '.join(f'{t:.2f}' for t in times)})")  # fmt: skip
        return
    sims, old_sims = (80, 40) if args.quick else (args.sims, args.old_sims)
    start = time.perf_counter()
    if args.pairs:
        return paired_only(sims, start)
    if args.real_brier:
        return real_brier(300)
    models = [(auc, True, False) for auc in AUCS] + [(0.9, False, False), (0.9, True, True), (0.99, False, True)]
    jobs = [(auc, cal, rnd, cases, sims, old_sims, 1000 * i + j)
            for i, (auc, cal, rnd) in enumerate(models) for j, cases in enumerate(CASES)]  # fmt: skip
    pair_jobs = [(a, b, cases, sims, old_sims, 50_000 + 100 * i + j)
                 for i, (a, b) in enumerate(PAIRS) for j, cases in enumerate((5, 10, 20, 50, 200))]  # fmt: skip
    cv_jobs = [(cases, max(sims // 2, 40), shift, 90_000 + 10 * i + j)
               for i, shift in enumerate((0.5, 1.0)) for j, cases in enumerate((10, 20, 50))]  # fmt: skip
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = list(itertools.chain.from_iterable(pool.map(_one_case, jobs)))
        pair_rows = list(itertools.chain.from_iterable(pool.map(_one_pair, pair_jobs)))
        cv_rows = list(itertools.chain.from_iterable(pool.map(_one_cv, cv_jobs)))
    Path(args.out).write_text(json.dumps({"rows": rows, "pairs": pair_rows, "cv": cv_rows}, indent=0))
    print(f"### Coverage of the 95 % intervals ({sims} splits per case, {old_sims} with the old bootstrap)\n")
    print("Each cell: coverage averaged over the models and thresholds / the lowest single case / mean width.\n")
    print(_table(rows, "coverage"))
    equal = [r for r in pair_rows if r["auc_a"] == r["auc_b"]]
    unequal = [r for r in pair_rows if r["auc_a"] != r["auc_b"]]
    print("\n### Paired differences, equal true quality: coverage of the true difference\n")
    print(_table(equal, "coverage"))
    print("\n### Paired differences, equal true quality: false-winner rate (mean / highest case / width)\n")
    print(_table(equal, "winner", worst=max))
    print("\n### Paired differences, unequal quality (ROC-AUC 0.80 against 0.90, 0.90 against 0.97): coverage\n")
    print(_table(unequal, "coverage"))
    print("\n### Paired differences, unequal quality: how often the better model is named (power)\n")
    print(_table(unequal, "winner"))
    print("\n### Cross-validation: the intervals on the folds' pooled held-out predictions\n")
    print("Cases are the training sample's; the truth is the fold models' mean on fresh rows.\n")
    print(_table(cv_rows, "coverage"))
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
