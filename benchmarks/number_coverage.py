"""How often the intervals for a numeric target's errors hold the truth: a simulation with known truth.

The population is 1,000,000 rows of the bundled claims generator (``sample_data/make_samples.py``);
two histogram gradient boosting models (no handling, and DenseWeight's weights) are fitted on 16,000
other rows, and the truth is each error measure over the whole population, in the rare range (the
box-plot rule on the training rows) and the common one. Each test sample draws ``n`` rows of a part
and computes the app's intervals (``core.comparison.number_errors``) and, for comparison, Student-t
intervals for MAE and RMSE (squared errors' mean, square-rooted), the usual choice. It prints the share
of samples whose interval held the truth.

    .venv/bin/python benchmarks/number_coverage.py           # about 2 minutes
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from scipy import stats
from sklearn.ensemble import HistGradientBoostingRegressor

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "sample_data")]

from make_samples import insurance_claims  # noqa: E402

from core.comparison.number_errors import median_interval  # noqa: E402
from core.data.numeric_target import box_plot_range  # noqa: E402
from core.resampling.number_samplers import dense_weights  # noqa: E402

FEATURES = ["age", "vehicle_value", "prior_claims", "policy_years"]
SIZES = (10, 20, 50, 200, 1000)


def _t(values: np.ndarray) -> tuple[float, float]:
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values))
    return values.mean() - half, values.mean() + half


def main(repeats: int = 2000) -> None:
    rng = np.random.default_rng(1)
    train, pool = insurance_claims(rng, 16_000), insurance_claims(rng, 1_000_000)
    y_train, y = train["claim_amount"].to_numpy(), pool["claim_amount"].to_numpy()
    base = HistGradientBoostingRegressor(random_state=0).fit(train[FEATURES], y_train)
    weighted = HistGradientBoostingRegressor(random_state=0).fit(
        train[FEATURES], y_train, sample_weight=dense_weights(y_train)
    )
    e0, e1 = base.predict(pool[FEATURES]) - y, weighted.predict(pool[FEATURES]) - y
    rare = box_plot_range(y_train).mask(y)
    print(f"rare range: {rare.mean():.1%} of the population; {repeats} samples per cell\n")
    print("| part | rows | median abs. error | paired median change | t: MAE | t: RMSE | t: paired MAE change |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for part, keep in (("rare", rare), ("common", ~rare)):
        a0, a1 = np.abs(e0[keep]), np.abs(e1[keep])
        truth = (np.median(a0), np.median(a1 - a0), a0.mean(), math.sqrt((a0**2).mean()), (a1 - a0).mean())
        for n in SIZES:
            hits = np.zeros(5)
            for _ in range(repeats):
                i = rng.integers(0, len(a0), n)
                m, d = median_interval(a0[i]), median_interval(a1[i] - a0[i])
                lo, hi = _t(a0[i] ** 2)
                bounds = [(m.low, m.high), (d.low, d.high), _t(a0[i]), (math.sqrt(max(lo, 0)), math.sqrt(hi)),
                          _t(a1[i] - a0[i])]  # fmt: skip
                hits += [low <= t <= high for (low, high), t in zip(bounds, truth, strict=True)]
            print(f"| {part} | {n:,} | " + " | ".join(f"{h / repeats:.3f}" for h in hits) + " |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
