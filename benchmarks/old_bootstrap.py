"""The app's intervals before this round, kept as the coverage benchmark's reference: stratified percentile bootstrap.

The test split is resampled with replacement within each class (so every replicate keeps the
split's class mix), ``N_BOOT`` times; each metric is recomputed on every replicate, and the 2.5th
and 97.5th percentiles bound a 95 % interval. The replicates are drawn from a seed and the true
classes only, so every strategy scored on the same split sees the *same* replicates: the difference
between two strategies on each replicate gives a paired interval, much narrower than comparing two
separate intervals when the strategies make the same mistakes.

Each replicate is a vector of row counts (how often each test row was drawn); every metric is a
weighted sum over rows or over the rows sorted by score, so all replicates are computed at once
with array operations, a block of replicates at a time to bound memory.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse

from core.modelling.evaluation import predict
from core.modelling.metrics import confusion_metrics

__all__ = ["BLOCK", "LEVEL", "N_BOOT", "interval", "replicate_counts", "replicates"]

#: Replicates per interval, the interval's level, and replicates computed at once.
N_BOOT = 1000
LEVEL = 0.95
BLOCK = 100


def replicate_counts(y: np.ndarray, *, block: int, size: int, random_state: int = 0) -> np.ndarray:
    """Row counts of ``size`` stratified bootstrap replicates of the rows with class codes ``y``: ``(size, n)``.

    Replicate block ``block`` is drawn from its own seed, so any block can be drawn again alone and
    every caller with the same ``y`` and ``random_state`` gets the same replicates.
    """
    y = np.asarray(y)
    rng = np.random.default_rng([random_state, block])
    counts = np.zeros((size, len(y)))
    for c in np.unique(y):
        rows = np.flatnonzero(y == c)
        counts[:, rows] = _row_counts(rng, len(rows), size)
    return counts


def _confusion_metrics(cells: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Threshold metrics from per-replicate confusion matrices (the app's one formula)."""
    return confusion_metrics(cells)


def _row_counts(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Row counts of ``size`` bootstrap draws of ``n`` rows each: ``(size, n)`` small whole numbers (exact in float64)."""
    picks = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
    return np.bincount(picks.ravel(), minlength=size * n).reshape(size, n).astype(np.float64)


def _negative_cells(
    y: np.ndarray, scores: list[np.ndarray], thresholds: list[float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cells the negative rows of a two-class test split fall in: ``(cells, inverse, sizes)``.

    A negative row enters every metric but the Brier score only through its cell per scoring
    (``cells[c, s]``: 2 x the region it lies in, plus 1 if flagged; region 2m is strictly between the
    (m-1)th and mth distinct positive score, 2m+1 tied with the mth). ``inverse`` gives each negative
    row's cell and ``sizes`` how many rows each cell holds. Cells are shared by every scoring, so
    replicates drawn over them stay paired.
    """
    pos, neg = y == 1, y == 0
    keys = []
    for score, t in zip(scores, thresholds, strict=True):
        u = np.unique(score[pos])
        b = np.searchsorted(u, score[neg], side="left")
        tied = u[np.minimum(b, len(u) - 1)] == score[neg]
        keys.append((2 * b + tied) * 2 + (score[neg] >= t))
    radix = [int(2 * (2 * (y == 1).sum() + 1) + 2)] * len(keys)  # every key is below this
    if np.prod(np.array(radix, dtype=float)) < 2**62:  # one whole number per row: a much faster unique
        code = np.zeros(len(keys[0]), dtype=np.int64)
        for key, r in zip(keys, radix, strict=True):
            code = code * r + key
        codes, inverse, sizes = np.unique(code, return_inverse=True, return_counts=True)
        cells = np.empty((len(codes), len(keys)), dtype=np.int64)
        for j in range(len(keys) - 1, -1, -1):
            codes, cells[:, j] = np.divmod(codes, radix[j])
        return cells, inverse.ravel(), sizes
    cells, inverse, sizes = np.unique(np.column_stack(keys), axis=0, return_inverse=True, return_counts=True)
    return cells, inverse.ravel(), sizes


def _draw_block(
    rng: np.random.Generator, n_pos: int, inverse: np.ndarray, sizes: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """``size`` replicates: how often each positive row is drawn ``(size, n_pos)``, and how many negatives
    each cell gets ``(cells, size)`` (multinomial over the cells: drawn directly when they are few, else
    row by row and counted per cell, which costs the same whatever the number of cells)."""
    w_pos = _row_counts(rng, n_pos, size)
    n_neg, n_cells = len(inverse), len(sizes)
    if n_cells * 4 < n_neg:
        return w_pos, np.ascontiguousarray(rng.multinomial(n_neg, sizes / n_neg, size=size).T, dtype=np.float64)
    index = np.int32 if n_neg < 2**31 else np.int64  # half the memory traffic of the default
    picks = inverse.astype(index)[rng.integers(0, n_neg, size=(size, n_neg), dtype=index)]
    counts = np.empty((size, n_cells))
    for r in range(size):  # one replicate at a time: its counts stay in the processor's cache
        counts[r] = np.bincount(picks[r], minlength=n_cells)
    return w_pos, np.ascontiguousarray(counts.T)


def _binary_replicates(
    y: np.ndarray, scores: list[np.ndarray], thresholds: list[float], *, n_boot: int, random_state: int
) -> list[dict[str, np.ndarray]]:
    """Every metric of each binary scoring on the same ``n_boot`` stratified replicates (see :func:`replicates`)."""
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    n1, n0, n = len(pos), len(neg), len(y)
    cells, inverse, sizes = _negative_cells(y, scores, thresholds)
    errors = np.column_stack([(score - (y == 1)) ** 2 for score in scores])
    # The Brier score is a mean of row errors: its bootstrap is the normal with the same (co)variance.
    neg_err = errors[neg]
    spread = np.atleast_2d(np.cov(neg_err, rowvar=False)) * n0 if n0 > 1 else np.zeros((len(scores),) * 2)
    plans = []
    for s_i, (score, t) in enumerate(zip(scores, thresholds, strict=True)):
        u = np.unique(score[pos])
        region = cells[:, s_i] // 2
        order = np.argsort(score[pos], kind="stable")
        plans.append({
            "flagged": (cells[:, s_i] % 2).astype(float),
            "to_region": sparse.csr_matrix((np.ones(len(region)), (region, np.arange(len(region)))),
                                           shape=(2 * len(u) + 1, len(region))),
            "m": np.searchsorted(u, score[pos]),  # each positive row's distinct score
            "hit": (score[pos] >= t).astype(float),
            "order": order,
            "first": np.searchsorted(score[pos][order], score[pos], side="left"),  # positives scored below each
        })  # fmt: skip

    def block(start: int) -> list[dict[str, np.ndarray]]:
        rng = np.random.default_rng([random_state, start // BLOCK])  # each block its own stream: any order, same draws
        size = min(BLOCK, n_boot - start)
        w_pos, by_cell = _draw_block(rng, n1, inverse, sizes, size)  # by_cell: cells x replicates
        neg_brier = rng.multivariate_normal(neg_err.sum(axis=0), spread, size=size, method="eigh")
        outs = []
        for s_i, plan in enumerate(plans):
            flagged = plan["flagged"] @ by_cell
            per_region = (plan["to_region"] @ by_cell).T
            below_cum = np.concatenate([np.zeros((size, 1)), np.cumsum(per_region, axis=1)], axis=1)
            neg_below = below_cum[:, 2 * plan["m"] + 1]
            neg_tied = below_cum[:, 2 * plan["m"] + 2] - neg_below
            tp = w_pos @ plan["hit"]
            out = _confusion_metrics(np.stack([n0 - flagged, flagged, n1 - tp, tp], axis=1).reshape(size, 2, 2), 2)
            out["roc_auc"] = np.sum(w_pos * (neg_below + 0.5 * neg_tied), axis=1) / (n1 * n0)
            cum_pos = np.concatenate([np.zeros((size, 1)), np.cumsum(w_pos[:, plan["order"]], axis=1)], axis=1)
            tp_at_or_above = n1 - cum_pos[:, plan["first"]]
            fp_at_or_above = n0 - neg_below
            with np.errstate(divide="ignore", invalid="ignore"):
                precision = np.where(w_pos > 0, tp_at_or_above / (tp_at_or_above + fp_at_or_above), 0.0)
            out["pr_auc"] = np.sum(w_pos * precision, axis=1) / n1
            out["brier"] = (w_pos @ errors[pos, s_i] + neg_brier[:, s_i]) / n
            outs.append(out)
        return outs

    with ThreadPoolExecutor(max_workers=2) as pool:  # numpy lets go of the interpreter lock in the heavy parts
        blocks = list(pool.map(block, range(0, n_boot, BLOCK)))
    parts = [[b[s_i] for b in blocks] for s_i in range(len(scores))]
    return [{m: np.concatenate([p[m] for p in part]) for m in part[0]} for part in parts]


def _ranking_metrics(w: np.ndarray, truth: np.ndarray, score: np.ndarray) -> dict[str, np.ndarray]:
    """ROC-AUC and average precision of ``score`` for the rows where ``truth``, under row weights ``w`` ``(b, n)``.

    As scikit-learn computes them: tied scores count half for ROC-AUC, and average precision steps at
    every distinct score.
    """
    order = np.argsort(score, kind="stable")
    s, t = score[order], truth[order]
    start = np.searchsorted(s, s, side="left")  # first row of each row's tie group
    end = np.searchsorted(s, s, side="right")  # one past its last row
    ws = w[:, order]
    neg_cum = np.concatenate([np.zeros((len(w), 1)), np.cumsum(ws * ~t, axis=1, dtype=np.float64)], axis=1)
    pos_rows = np.flatnonzero(t)
    wp = ws[:, pos_rows].astype(np.float64)
    n_neg, n_pos = neg_cum[:, -1], wp.sum(axis=1)
    neg_below = neg_cum[:, start[pos_rows]]
    neg_tied = neg_cum[:, end[pos_rows]] - neg_below
    roc_auc = np.sum(wp * (neg_below + 0.5 * neg_tied), axis=1) / (n_pos * n_neg)
    pos_cum = np.concatenate([np.zeros((len(w), 1)), np.cumsum(wp, axis=1)], axis=1)
    first = np.searchsorted(s[pos_rows], s[pos_rows], side="left")  # positives scored below each one
    tp_at_or_above = n_pos[:, None] - pos_cum[:, first]
    fp_at_or_above = n_neg[:, None] - neg_below
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(wp > 0, tp_at_or_above / (tp_at_or_above + fp_at_or_above), 0.0)
    return {"roc_auc": roc_auc, "pr_auc": np.sum(wp * precision, axis=1) / n_pos}


def _rowwise_replicates(
    y: np.ndarray, proba: np.ndarray, pred: np.ndarray, *, n_boot: int, random_state: int
) -> dict[str, np.ndarray]:
    """Every metric of one scoring (predictions ``pred``) on ``n_boot`` stratified replicates drawn row by row."""
    k = proba.shape[1]
    cell = np.zeros((len(y), k * k))
    cell[np.arange(len(y)), y * k + pred] = 1.0
    onehot = np.eye(k, dtype=bool)[y]
    error = np.sum((proba - onehot) ** 2, axis=1) if k > 2 else (proba[:, 1] - onehot[:, 1]) ** 2
    classes = [c for c in range(k) if 0 < onehot[:, c].sum() < len(y)]
    parts: list[dict[str, np.ndarray]] = []
    for block, start in enumerate(range(0, n_boot, BLOCK)):
        w = replicate_counts(y, block=block, size=min(BLOCK, n_boot - start), random_state=random_state)
        out = _confusion_metrics((w @ cell).reshape(len(w), k, k), k)
        out["brier"] = (w @ error) / len(y)
        if k == 2:
            out |= {"roc_auc": np.full(len(w), np.nan), "pr_auc": np.full(len(w), np.nan)}
        elif classes:
            per = [_ranking_metrics(w, onehot[:, c], proba[:, c]) for c in classes]
            out["roc_auc"] = np.mean([p["roc_auc"] for p in per], axis=0)
            out["pr_auc"] = np.mean([p["pr_auc"] for p in per], axis=0)
        parts.append(out)
    return {m: np.concatenate([p[m] for p in parts]) for m in parts[0]}


def replicates(
    y: np.ndarray, probas: list[np.ndarray], *, thresholds: list[float] | None = None, n_boot: int = N_BOOT,
    random_state: int = 0,
) -> list[dict[str, np.ndarray]]:  # fmt: skip
    """Every metric of :func:`core.modelling.evaluation.score`, for each scoring in ``probas``, on the same ``n_boot``
    stratified bootstrap replicates of the test rows.

    ``y`` holds true class codes ``0..k-1`` and each ``probas[i]`` a column per code. With two
    classes the positive class is code 1, flagged at ``proba[:, 1] >= thresholds[i]`` (0.5 when not
    given); with more, the most probable class is predicted. Returns, per scoring, ``{metric: n_boot
    values}``; a metric undefined on a replicate (precision with nothing flagged) is NaN there.

    Two classes (the common case, and the large one): the larger class's rows are drawn as counts
    over the cells that decide every metric, and the Brier score's share of that class by its normal
    approximation, so the cost grows with the smaller class, not the test split. Otherwise every row
    is drawn, a block of replicates at a time.
    """
    y = np.asarray(y, dtype=int)
    thresholds = list(thresholds) if thresholds is not None else [0.5] * len(probas)
    k = probas[0].shape[1]
    if k == 2 and 0 < (y == 1).sum() < len(y):
        return _binary_replicates(
            y, [np.asarray(p[:, 1], dtype=float) for p in probas], thresholds, n_boot=n_boot,
            random_state=random_state,
        )  # fmt: skip
    return [
        _rowwise_replicates(y, p, predict(p, threshold=t), n_boot=n_boot, random_state=random_state)
        for p, t in zip(probas, thresholds, strict=True)
    ]


def interval(samples: np.ndarray, *, level: float = LEVEL) -> tuple[float, float]:
    """The percentile interval of bootstrap ``samples`` (NaN bounds when most replicates are undefined)."""
    finite = samples[np.isfinite(samples)]
    if len(finite) < len(samples) / 2:
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)
