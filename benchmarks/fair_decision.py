"""Does resampling buy anything once every model's threshold is tuned for the costs? And is the threshold the costs
imply (moved by the prior-shift correction) as good as the tuned one?

For each dataset (the bundled two-class samples and generated data at 1 : 10, 1 : 100 and 1 : 1,000, classes
well apart or overlapping), each model (logistic regression: weak here; histogram gradient boosting and a
random forest: strong) and each way of handling the imbalance (class weights, SMOTE, random under-sampling),
against the same model with no handling, at costs of 1 : 1, 1 : 10 and 1 : 100 at the data's rate:

- **as the old decision judged it**: both at 0.5, the paired interval of the cost difference on the test split
  (:func:`core.comparison.intervals.cost_difference`), by the one verdict rule;
- **as the decision judges it now**: both at a threshold tuned for the costs on their own training folds
  (:func:`core.comparison.decision.effects`).

It counts how often handling the imbalance is cheaper beyond noise, costlier beyond noise, or within noise.
It also derives each model's threshold from the costs alone, ``c_fp / (c_fp + c_fn)`` moved to the rate the model
was fitted at (:func:`core.comparison.production.prior_shift`), and compares it with the tuned one: the distance
between the two thresholds, and the paired cost difference on the test split (derived minus tuned).

    .venv/bin/python benchmarks/fair_decision.py           # about 5 minutes on 2 cores
    .venv/bin/python benchmarks/fair_decision.py --quick   # two generated datasets, a rough look
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.comparison.decision import effects, fair_rivals
from core.comparison.intervals import cost_difference
from core.comparison.production import Deployment, prior_shift, trained_rate
from core.comparison.verdicts import Verdict, verdict
from core.data.bundled import load_sample
from core.data.generated import generate
from core.data.prepared import prepare
from core.data.split import make_split
from core.modelling.evaluation import predict
from core.modelling.fitting import evaluate_many
from core.modelling.strategies import ForestSettings, Strategy
from core.resampling.catalogue import SamplerConfig

COSTS = ((1.0, 1.0), (1.0, 10.0), (1.0, 100.0))
MODELS = ("logreg", "hgb", "rf")
WAYS = {"class weights": {"weighting": "balanced"}, "SMOTE": {"sampler": SamplerConfig("smote")},
        "under-sampling": {"sampler": SamplerConfig("random_under")}}  # fmt: skip
FOREST = ForestSettings(n_estimators=50)


def datasets(quick: bool):
    """(name, prepared data) of every dataset the benchmark runs on."""
    out = []
    ratios = (10, 100) if quick else (10, 100, 1000)
    for ratio in ratios:
        for sep, how in ((2.0, "apart"), (0.7, "overlapping")):
            if quick and sep == 0.7 and ratio == 100:
                continue
            n_rows = 40_000 if ratio == 1000 else 12_000
            ds = generate(n_rows=n_rows, n_features=8, ratio=ratio, class_sep=sep, random_state=1)
            out.append((f"generated 1:{ratio}, {how}", prepare(ds, target="label", overrides={})))
    if not quick:
        for key in ("credit_card_fraud", "customer_churn", "breast_cancer"):
            ds = load_sample(key)
            out.append((ds.name.split(" (")[0], prepare(ds, target=None, overrides={})))
    return out


def run(quick: bool) -> dict:
    tally: dict[str, Counter] = {"at 0.5": Counter(), "tuned for the costs": Counter()}
    by_way: dict[tuple[str, str], Counter] = defaultdict(Counter)
    derived_rows = []
    started = time.perf_counter()
    for name, prepared in datasets(quick):
        split = make_split(prepared, test_size=0.25, random_state=0)
        counts = split.counts("train")
        for model in MODELS:
            strategies = [Strategy(model=model, forest=FOREST)]
            strategies += [Strategy(model=model, forest=FOREST, **kw) for kw in WAYS.values()]
            evals = evaluate_many(strategies, split, plan=prepared.plan)
            if any(not hasattr(ev, "proba") for ev in evals):
                print(f"  {name} / {model}: skipped ({[str(e) for e in evals if not hasattr(e, 'proba')][:1]})")
                continue
            q = float(np.mean(evals[0].y_test == 1))
            for cost_fp, cost_fn in COSTS:
                setting = Deployment(rate=q, cost_fp=cost_fp, cost_fn=cost_fn)
                digits = 0 if cost_fn * q * setting.per >= 100 else 2
                base = evals[0]
                pb = predict(base.proba, threshold=base.threshold)
                found = {
                    e.name.split(" at ")[0]: e for e in effects(evals, setting) if e.kind != "moving the threshold"
                }
                for way, ev in zip(WAYS, evals[1:], strict=True):
                    d, low, high, same = cost_difference(base.y_test, pb, predict(ev.proba, threshold=ev.threshold),
                                                         cost_fp=cost_fp, cost_fn=cost_fn, rate=q)  # fmt: skip
                    old = verdict("cost", d * setting.per, low * setting.per, high * setting.per, identical=same,
                                  digits=digits)  # fmt: skip
                    new = found[ev.strategy.name].verdict
                    tally["at 0.5"][old] += 1
                    tally["tuned for the costs"][new] += 1
                    by_way[(way, model)][new] += 1
                for ev, rival in zip(evals, fair_rivals(evals, setting), strict=True):
                    names = dict(enumerate(ev.classes))
                    code = {label: c for c, label in names.items()}
                    training = {code[str(k)]: v for k, v in counts.items()}
                    fitted = training
                    if ev.strategy.sampler.key != "none":  # balanced samplers: as many of each class
                        fitted = {0: 1, 1: 1}
                    r = trained_rate(ev.strategy, fitted_counts=fitted, training_counts=training, names=names)
                    t_star = cost_fp / (cost_fp + cost_fn)
                    derived = float(prior_shift(np.array([t_star]), trained_rate=q, rate=r)[0])
                    pd_ = predict(ev.proba, threshold=derived)
                    pt = predict(rival.proba, threshold=rival.threshold)
                    d, low, high, same = cost_difference(ev.y_test, pt, pd_, cost_fp=cost_fp, cost_fn=cost_fn,
                                                         rate=q)  # fmt: skip
                    derived_rows.append({
                        "dataset": name, "model": model, "strategy": ev.strategy.name, "costs": f"1:{cost_fn:g}",
                        "tuned": rival.threshold, "derived": derived, "gap": abs(derived - rival.threshold),
                        "cost derived - tuned per 10,000": d * setting.per,
                        "verdict": verdict("cost", d * setting.per, low * setting.per, high * setting.per,
                                           identical=same, digits=digits).value,
                    })  # fmt: skip
            print(f"  {name} / {model} done ({time.perf_counter() - started:,.0f} s)", flush=True)
    return {"tally": {k: dict(v) for k, v in tally.items()},
            "by_way": {f"{w} / {m}": dict(c) for (w, m), c in by_way.items()}, "derived": derived_rows}  # fmt: skip


def report(results: dict) -> None:
    words = {Verdict.BETTER: "cheaper beyond noise", Verdict.WORSE: "costlier beyond noise",
             Verdict.UNCLEAR: "within noise", Verdict.IDENTICAL: "identical"}  # fmt: skip
    print("\n### Handling the imbalance against the same model with no handling (cost at the data's rate)\n")
    print("| judged | comparisons | " + " | ".join(words.values()) + " |")
    print("|---|---:|" + "---:|" * len(words))
    for how, counts in results["tally"].items():
        n = sum(counts.values())
        cells = " | ".join(f"{counts.get(v.value, 0)} ({counts.get(v.value, 0) / n:.0%})" for v in words)
        print(f"| both {how} | {n} | {cells} |")
    print("\n### By way and model, both tuned for the costs\n")
    print("| way / model | " + " | ".join(words.values()) + " |")
    print("|---|" + "---:|" * len(words))
    for key, counts in sorted(results["by_way"].items()):
        print(f"| {key} | " + " | ".join(str(counts.get(v.value, 0)) for v in words) + " |")
    rows = results["derived"]
    print("\n### The threshold the costs imply against the tuned one\n")
    print("| strategy kind | cases | median gap in threshold | 90th percentile gap | derived costlier beyond noise | "
          "derived cheaper beyond noise |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|")
    kinds = defaultdict(list)
    for r in rows:
        s = r["strategy"]
        kind = ("no handling" if "+" not in s and "," not in s else "class weights" if "weights" in s
                else "resampled")  # fmt: skip
        kinds[kind].append(r)
    for kind, part in kinds.items():
        gaps = np.array([r["gap"] for r in part])
        worse = sum(r["verdict"] == "worse" for r in part)
        better = sum(r["verdict"] == "better" for r in part)
        print(f"| {kind} | {len(part)} | {np.median(gaps):.3f} | {np.quantile(gaps, 0.9):.3f} | {worse} | {better} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    results = run(args.quick)
    (Path(__file__).parent / "fair_decision_results.json").write_text(json.dumps(results, indent=1, default=str))
    report(results)


if __name__ == "__main__":
    main()
