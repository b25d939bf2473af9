"""What training a strategy costs: how many fits it makes and about how long they take on this machine's scale.

The page shows the estimate before anything is trained; how close it comes is measured in
``docs/benchmarks.md`` ("The training-time estimate").
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from core.modelling.strategies import Strategy, Weighting
from core.resampling.catalogue import get_spec

__all__ = ["estimate_seconds", "fit_count"]


def fit_count(strategy: Strategy, *, cv_folds: int, cv_repeats: int = 1, n_rows: int = 0, n_classes: int = 2) -> int:
    """How many times :func:`core.modelling.fitting.evaluate` fits the strategy's pipeline.

    Once on the training split, once per cross-validation fold, for two classes once per tuning fold when
    cross-validation does not run (the fold scores that any threshold is tuned on; with cross-validation
    its folds serve), and each of those ``1 + tuning folds`` times over for a calibrated strategy (``n_rows``
    training rows). The count is the same for a tuned threshold: it is read off the same fits.
    """
    cv = cv_folds * cv_repeats if cv_folds >= 2 else 0
    k = strategy.tuning.folds_for(n_rows)
    tuning = k if n_classes == 2 and not cv else 0
    calibration = 1 + k if strategy.calibrated else 1
    return (1 + cv + tuning) * calibration


def estimate_seconds(strategy: Strategy, *, counts: Mapping[object, int], n_features: int) -> float:
    """A rough training-time estimate on this machine's scale (2 cores), for the page to show.

    ``counts`` are the training rows per class. The constants are fitted to measured training times
    on numeric data; how close it comes, and where it does not, is in ``docs/benchmarks.md``.
    """
    f = strategy.forest
    sizes = [int(n) for n in counts.values()]
    n_rows, n_classes = sum(sizes), len(sizes)
    spec = get_spec(strategy.sampler.key)
    rows, balanced = n_rows, False
    if spec.kind in {"over", "combined"}:
        rows, balanced = max(sizes) * n_classes, True
    elif spec.kind == "under" and spec.sets_size:
        rows, balanced = min(sizes) * n_classes, True
    if strategy.model in {"brf", "easy_ensemble", "rusboost"}:
        return 0.5 + rows * 1e-5
    per_cell = {"logreg": 7e-8, "hgb": 4e-7, "adaboost": 1.2e-5}.get(strategy.model)
    if per_cell is not None:  # seconds per row and feature (docs/benchmarks.md, "The training-time estimate")
        return 0.2 + rows * max(n_features, 1) * per_cell
    per_tree = f.rows_per_tree(rows)
    work = f.n_estimators * per_tree * math.log2(max(per_tree, 2)) * math.sqrt(max(n_features, 1))
    weighted = strategy.model == "rf" and strategy.weighting is not Weighting.NONE
    # How deep the trees grow: on equal classes; on a capped sample that keeps every small-class row (deeper:
    # the small class is enriched); on a plain bootstrap of skewed data. Weights flatten both.
    if balanced:
        depth = 1.6 if per_tree < rows else 1.3
    elif per_tree < rows:
        depth = 1.2 if weighted else 2.2
    else:
        depth = 0.75 if weighted else 1.4
    return 0.3 + 5e-6 * n_rows + 3.1e-8 * work * depth
