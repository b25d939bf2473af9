"""Why is this data hard? The kinds of small-class rows, and data-complexity measures.

Rarity alone does not say how hard a class is to learn. Following Napierala & Stefanowski (2016,
"Types of minority class examples and their influence on learning classifiers from imbalanced
data"), each row of a small class is labelled by how many of its ``k = 5`` nearest neighbours (on
the training rows, numeric features standardised and categories one-hot encoded, fitted on the
training rows) share its class: 5–4 safe, 3–2 borderline, 1 rare, 0 outlier. The complexity
measures of Ho & Basu are computed by the ``problexity`` package, not by formulas of our own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.data.distribution import class_codes
from core.data.roles import FeaturePlan
from core.data.split import Split

__all__ = [
    "KINDS",
    "Complexity",
    "Kinds",
    "complexity",
    "encoded_training",
    "kinds_of_rows",
    "row_kinds",
    "stratified_sample",
]

#: The kinds, from easiest to hardest, and the neighbour counts (of 5) that define them.
KINDS = ("safe", "borderline", "rare", "outlier")
RULE = "of its 5 nearest training rows, 5 or 4 share its class: safe; 3 or 2: borderline; 1: rare; 0: outlier"
#: Small-class rows labelled per class at most (a uniform sample above this; the page says so).
MAX_LABELLED = 5_000
#: Rows the complexity measures see at most: problexity's N1 builds a minimum spanning tree over all pairwise
#: distances, so its time grows with the square of the rows (docs/benchmarks.md, the diagnosis).
MEASURE_ROWS = 2_000
#: Rows of each class the measures' sample keeps at least (or all it has), so a rare class is not lost.
MEASURE_MIN_PER_CLASS = 200


def kinds_of_rows(
    X: np.ndarray, codes: np.ndarray, *, rows: np.ndarray, k: int = 5
) -> np.ndarray:  # fmt: skip
    """The kind of each row in ``rows`` (positions into ``X``) as an index into :data:`KINDS`.

    Neighbours are searched among all rows of ``X`` (Euclidean), the row itself excluded (an exact
    duplicate of it still counts as a neighbour). ``k`` must be 5 for the kinds' rule; other values
    scale the rule (same class among k: ≥ 0.8 k safe, ≥ 0.4 k borderline, ≥ 1 rare, 0 outlier).
    """
    from sklearn.neighbors import NearestNeighbors

    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int8)
    n_neighbors = min(k + 1, len(X))
    index = NearestNeighbors(n_neighbors=n_neighbors).fit(X)
    _, idx = index.kneighbors(X[rows])
    own = idx == rows[:, None]
    # Drop the row itself where it was found, else the farthest of the k + 1 (a tie pushed it out).
    keep = ~own
    keep[~own.any(axis=1), -1] = False
    neighbours = idx[keep].reshape(len(rows), n_neighbors - 1)
    same = (codes[neighbours] == codes[rows][:, None]).sum(axis=1)
    share = same / k
    kind = np.full(len(rows), 3, dtype=np.int8)  # outlier
    kind[same >= 1] = 2
    kind[share >= 0.4] = 1
    kind[share >= 0.8] = 0
    return kind


def encoded_training(split: Split, plan: FeaturePlan) -> tuple[np.ndarray, np.ndarray, list]:
    """The training rows as the distance-based samplers see them (float64), their class codes (0 =
    largest class), and the classes in code order."""
    from core.data.preprocessing import preprocessor

    classes = list(split.counts("train"))
    code_of, _ = class_codes(classes)
    codes = split.y_train.map(code_of).to_numpy(dtype=np.int64)
    X = preprocessor(plan, ordinal=False).fit_transform(
        split.model_input(split.train_rows, categorical=list(plan.categorical))
    )
    return np.asarray(X, dtype=np.float64), codes, classes


@dataclass(frozen=True)
class Kinds:
    """The kinds of the small classes' training rows.

    ``table`` has one row per small class (every class but the largest): its training rows, the rows
    labelled (all, or a uniform sample of :data:`MAX_LABELLED`), and the count and share of each kind.
    ``rows`` are positions into the training split and ``kind`` their kinds (indices into :data:`KINDS`).
    """

    table: pd.DataFrame
    rows: np.ndarray
    kind: np.ndarray

    def shares(self) -> dict[str, float]:
        """Shares of each kind over every labelled small-class row."""
        n = max(len(self.kind), 1)
        return {name: float((self.kind == i).sum()) / n for i, name in enumerate(KINDS)}

    def reading(self) -> str:
        """One sentence on what the mix suggests, with its numbers."""
        s = self.shares()
        hard = s["rare"] + s["outlier"]
        numbers = (
            f"{s['safe']:.0%} safe, {s['borderline']:.0%} borderline, {s['rare']:.0%} rare, {s['outlier']:.0%} outliers"
        )
        if s["safe"] >= max(s["borderline"], hard):
            return (
                f"Mostly safe ({numbers}): small-class rows sit in regions of their own, so a model can find "
                "them; the decision threshold matters more than resampling."
            )
        if s["borderline"] >= hard:
            return (
                f"Many borderline rows ({numbers}): the classes overlap at their edges, where cleaning "
                "(Tomek links, edited nearest neighbours) or Borderline-SMOTE may help."
            )
        return (
            f"Many rare rows and outliers ({numbers}): small-class rows sit alone among the other classes; "
            "resampling mostly copies or interpolates noise, and no method may separate them well."
        )


def row_kinds(split: Split, plan: FeaturePlan, *, random_state: int = 0) -> Kinds:
    """Label the small classes' training rows (see the module docstring), on all training rows."""
    X, codes, classes = encoded_training(split, plan)
    rng = np.random.default_rng(random_state)
    chosen, records = [], []
    for code in range(1, len(classes)):
        members = np.flatnonzero(codes == code)
        labelled = (
            members if len(members) <= MAX_LABELLED else np.sort(rng.choice(members, MAX_LABELLED, replace=False))
        )
        chosen.append(labelled)
        records.append((classes[code], len(members), len(labelled)))
    rows = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)
    kind = kinds_of_rows(X, codes, rows=rows)
    table_rows, start = [], 0
    for (label, n, m), part in zip(records, chosen, strict=True):
        k = kind[start : start + len(part)]
        start += len(part)
        row = {"class": label, "training rows": n, "labelled": m}
        for i, name in enumerate(KINDS):
            row[name] = int((k == i).sum())
        for i, name in enumerate(KINDS):
            row[f"{name} %"] = 100.0 * float((k == i).sum()) / max(m, 1)
        table_rows.append(row)
    return Kinds(table=pd.DataFrame(table_rows), rows=rows, kind=kind)


def stratified_sample(codes: np.ndarray, *, size: int, min_per_class: int, random_state: int) -> np.ndarray:
    """Positions of at most ``size`` rows: each class at its share of ``size``, but at least
    ``min_per_class`` rows (or all it has); every row when there are at most ``size``."""
    n = len(codes)
    if n <= size:
        return np.arange(n)
    rng = np.random.default_rng(random_state)
    classes, counts = np.unique(codes, return_counts=True)
    floor = np.minimum(counts, min_per_class)
    want = np.maximum(floor, np.floor(counts / n * size).astype(int))
    extra = int(want.sum()) - size  # the floors may push the total over: take it from the classes above theirs
    for i in np.argsort(floor - want):  # most room above the floor first
        if extra <= 0:
            break
        take = min(extra, int(want[i] - floor[i]))
        want[i] -= take
        extra -= take
    picks = [rng.choice(np.flatnonzero(codes == c), int(w), replace=False) for c, w in zip(classes, want, strict=True)]
    return np.sort(np.concatenate(picks))


#: The measures shown, with what they mean in plain words (all from ``problexity``; 0 is easy, 1 hard).
MEASURES = {
    "F1": "Maximum Fisher's discriminant ratio, as 1 / (1 + ratio): low when a single feature already "
    "separates the classes, near 1 when none does.",
    "N1": "Fraction of borderline points: the share of rows joined to a row of another class in the minimum "
    "spanning tree; high when the classes overlap.",
    "N3": "Error of a 1-nearest-neighbour classifier (leave one out): the share of rows whose nearest row "
    "is of another class; high when the classes are mixed locally.",
    "C1": "Entropy of the class proportions, as 1 minus the normalised entropy: 0 for balanced classes, "
    "towards 1 the more one class dominates.",
    "C2": "Imbalance ratio measure: 0 for balanced classes, towards 1 as the imbalance grows.",
}


@dataclass(frozen=True)
class Complexity:
    """Complexity measures: ``table`` (measure, value, rows used, meaning) and ``rows``, the positions in
    the training split of the rows F1, N1 and N3 saw.

    F1, N1 and N3 are computed on ``sample_rows`` rows (see :func:`stratified_sample`); C1 and C2 depend on
    the class counts only and use every training row.
    """

    table: pd.DataFrame
    sample_rows: int
    training_rows: int
    rows: np.ndarray


def complexity(split: Split, plan: FeaturePlan, *, random_state: int = 0) -> Complexity:
    """F1, N1, N3 (on a stratified sample of at most :data:`MEASURE_ROWS` rows) and C1, C2 (on all
    training rows), as ``problexity`` computes them, on the encoded training rows."""
    import problexity as px

    X, codes, _ = encoded_training(split, plan)
    rows = stratified_sample(codes, size=MEASURE_ROWS, min_per_class=MEASURE_MIN_PER_CLASS, random_state=random_state)
    Xs, ys = X[rows], codes[rows]
    no_features = np.zeros((len(codes), 1))
    values = {
        "F1": px.f1(Xs, ys),
        "N1": px.n1(Xs, ys),
        "N3": px.n3(Xs, ys),
        "C1": px.c1(no_features, codes),
        "C2": px.c2(no_features, codes),
    }
    table = pd.DataFrame(
        {
            "measure": list(MEASURES),
            "value": [float(values[m]) for m in MEASURES],
            "rows used": [len(rows)] * 3 + [len(codes)] * 2,
            "meaning": list(MEASURES.values()),
        }
    )
    return Complexity(table=table, sample_rows=len(rows), training_rows=len(codes), rows=rows)
