"""Columns that give the answer away: each feature alone, judged by how well it predicts the target on rows it did
not see.

A column recorded after the outcome (``reject`` beside ``approve``, the ``action`` taken on an application, a
closing date that only approved loans have) makes every model look perfect and is useless in production. For
each feature column this module measures its **out-of-fold ROC-AUC alone**:

- the column is cut into bins that ignore the target: each value its own bin when it has at most
  :data:`MAX_VALUES` of them (categories, codes, yes/no), else :data:`BINS` quantile bins; a missing value is a
  bin of its own (a column missing exactly when the outcome is one class leaks too);
- the rows are split into :data:`FOLDS` stratified folds; a row's score for each class is that class's share in
  its bin **on the other folds**, shrunk toward the class's overall share by one row (so a value never seen
  elsewhere scores the prior, and an identifier predicts nothing);
- the ROC-AUC of those scores (for several classes, the mean of each class against the rest).

A column is named a suspect at or above :data:`LEAK_AUC`, or, when it has at most :data:`MAX_VALUES` values (a
code, a flag, a status: what a post-outcome column usually is), at or above :data:`LEAK_AUC_FEW`; at 1.000 it
decides the target on every row. The thresholds were set by ``benchmarks/leak_check.py`` (``docs/benchmarks.md``,
"Too good to be true"): no bundled sample's column and no column of leak-free generated data reaches them (a
generated number can reach 0.997 when the classes are set far apart), while copies, complements, post-outcome
codes and dates do. At most :data:`MAX_ROWS` rows are read (a seeded sample, every row of the
small classes kept when they fit), so the check costs well under a second per hundred columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "BINS",
    "FOLDS",
    "LEAK_AUC",
    "LEAK_AUC_FEW",
    "MAX_ROWS",
    "MAX_VALUES",
    "Suspect",
    "column_auc",
    "leak_suspects",
]

#: Quantile bins of a column with many values; each value is a bin of its own up to MAX_VALUES values.
BINS, MAX_VALUES = 20, 50
#: Folds of the out-of-fold scores, and the rows read at most.
FOLDS, MAX_ROWS = 5, 20_000
#: A column whose out-of-fold ROC-AUC alone reaches this is named a suspect; a column of few values (at most
#: MAX_VALUES) already at LEAK_AUC_FEW (``docs/benchmarks.md``).
LEAK_AUC, LEAK_AUC_FEW = 0.999, 0.98


@dataclass(frozen=True)
class Suspect:
    """A feature column that predicts the target almost perfectly on its own: its name, its out-of-fold ROC-AUC
    alone, and the words for it."""

    column: str
    auc: float

    @property
    def exact(self) -> bool:
        """True when the column decides the target on every row read (ROC-AUC 1.000 as shown)."""
        return round(self.auc, 3) >= 1.0

    def sentence(self, target: str) -> str:
        """The suspect in one sentence, with its number."""
        how = "decides" if self.exact else "predicts almost perfectly"
        return (f"{self.column!r} alone {how} {target!r}: ROC-AUC {self.auc:.3f} on rows it did not see "
                "(cross-validated, the column by itself).")  # fmt: skip


def _bins(values: pd.Series) -> np.ndarray:
    """Bin codes of one column that ignore the target: its values (the MAX_VALUES most common, the rest one bin),
    or quantile bins of a number with more values; a missing value is a bin of its own."""
    missing = values.isna().to_numpy()
    if pd.api.types.is_numeric_dtype(values) and values.nunique(dropna=True) > MAX_VALUES:
        numbers = values.to_numpy(dtype=float)
        edges = np.unique(np.nanquantile(numbers[~missing], np.linspace(0, 1, BINS + 1)[1:-1]))
        out = np.searchsorted(edges, np.nan_to_num(numbers), side="right")
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        rank = np.empty(len(uniques), dtype=int)
        rank[np.argsort(-counts, kind="stable")] = np.arange(len(uniques))
        out = np.minimum(rank[codes.clip(0)], MAX_VALUES) if len(uniques) else np.zeros(len(values), dtype=int)
    return np.where(missing, MAX_VALUES + 1, out)


def _auc(y_pos: np.ndarray, score: np.ndarray) -> float:
    """ROC-AUC of ``score`` for the positives ``y_pos`` by ranks (ties counted half)."""
    ranks = pd.Series(score).rank(method="average").to_numpy()
    m = int(y_pos.sum())
    n = len(y_pos) - m
    if m == 0 or n == 0:
        return float("nan")
    return float((ranks[y_pos].sum() - m * (m + 1) / 2) / (m * n))


def column_auc(values: pd.Series, codes: np.ndarray, *, folds: np.ndarray) -> float:
    """The out-of-fold ROC-AUC of one column alone (see the module docstring): ``codes`` are the class codes
    ``0..k-1`` of its rows, ``folds`` each row's fold."""
    bins = _bins(values)
    n_bins, k = MAX_VALUES + 2, int(codes.max()) + 1
    prior = np.bincount(codes, minlength=k) / len(codes)
    total = np.zeros((n_bins, k))
    np.add.at(total, (bins, codes), 1.0)
    scores = np.zeros((len(codes), k))
    for f in np.unique(folds):
        held = folds == f
        inside = np.zeros((n_bins, k))
        np.add.at(inside, (bins[held], codes[held]), 1.0)
        other = total - inside
        rate = (other + prior) / (other.sum(axis=1, keepdims=True) + 1.0)
        scores[held] = rate[bins[held]]
    classes = [k - 1] if k == 2 else list(range(k))
    aucs = [_auc(codes == c, scores[:, c]) for c in classes]
    return float(np.nanmean(aucs)) if not all(np.isnan(aucs)) else float("nan")


def _rows(codes: np.ndarray, random_state: int) -> np.ndarray:
    """Positions of at most MAX_ROWS rows: every row of the classes that fit in a third of the budget, the rest
    drawn at random."""
    if len(codes) <= MAX_ROWS:
        return np.arange(len(codes))
    rng = np.random.default_rng(random_state)
    counts = np.bincount(codes)
    small = [c for c in range(len(counts)) if counts[c] <= MAX_ROWS // 3]
    keep = np.flatnonzero(np.isin(codes, small))[: MAX_ROWS // 3]
    rest = np.flatnonzero(~np.isin(codes, small))
    drawn = rng.choice(rest, size=min(len(rest), MAX_ROWS - len(keep)), replace=False)
    return np.sort(np.concatenate([keep, drawn]))


def leak_suspects(
    frame: pd.DataFrame, y: pd.Series, *, columns: tuple[str, ...], random_state: int = 0
) -> tuple[Suspect, ...]:
    """The ``columns`` of ``frame`` that predict the labels ``y`` (indexed like ``frame``'s labelled rows) almost
    perfectly on their own, highest ROC-AUC first; empty when none does (see the module docstring)."""
    codes = pd.factorize(y.astype(str), sort=True)[0]
    if len(np.unique(codes)) < 2:
        return ()
    rows = _rows(codes, random_state)
    codes = codes[rows]
    part = frame.loc[y.index].iloc[rows]
    rng = np.random.default_rng(random_state)
    folds = np.empty(len(codes), dtype=int)
    for c in np.unique(codes):  # stratified: each class spread over the folds
        where = np.flatnonzero(codes == c)
        folds[where] = rng.permutation(len(where)) % FOLDS
    found = []
    for column in columns:
        auc = column_auc(part[column], codes, folds=folds)
        few = part[column].nunique(dropna=True) <= MAX_VALUES
        if not np.isnan(auc) and auc >= (LEAK_AUC_FEW if few else LEAK_AUC):
            found.append(Suspect(str(column), auc))
    return tuple(sorted(found, key=lambda s: -s.auc))
