"""The one home of each metric formula: what every page, interval and tuned threshold computes from.

- :func:`confusion_metrics`: every threshold metric from confusion matrices (counts, or expected counts).
- :func:`placements`: DeLong's structural components, whose mean is the ROC-AUC.
- :func:`average_precision`: the area under the precision-recall curve as scikit-learn steps it.

Tests hold each to scikit-learn's and imbalanced-learn's own functions.
"""

from __future__ import annotations

import numpy as np

__all__ = ["average_precision", "confusion_metrics", "placements"]


def confusion_metrics(cells: np.ndarray) -> dict[str, np.ndarray]:
    """Every threshold metric from confusion matrices ``cells`` of shape ``(..., k, k)`` (rows = true class).

    The one home of these formulas: recall, precision and F1 of the last class (two classes),
    balanced accuracy, G-mean, MCC, macro F1 and accuracy, as scikit-learn and imbalanced-learn define
    them (a test holds them to those). Cells may be fractional (expected counts). Precision is NaN where
    nothing is flagged; an F1 with nothing flagged and nothing to find is 0, as scikit-learn's.
    """
    cells = np.asarray(cells, dtype=np.float64)
    k = cells.shape[-1]
    true = cells.sum(axis=-1)
    pred = cells.sum(axis=-2)
    diag = np.diagonal(cells, axis1=-2, axis2=-1)
    total = cells.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = diag / true
        f1_all = np.where(true + pred > 0, 2 * diag / (true + pred), 0.0)
        trace = diag.sum(axis=-1)
        cov_ytyp = trace * total - np.sum(pred * true, axis=-1)
        cov_ypyp = total**2 - np.sum(pred * pred, axis=-1)
        cov_ytyt = total**2 - np.sum(true * true, axis=-1)
        denominator = np.sqrt(cov_ytyt * cov_ypyp)
        out = {
            "balanced_accuracy": np.nanmean(recall, axis=-1),
            "g_mean": np.prod(np.nan_to_num(recall), axis=-1) ** (1.0 / k),
            "mcc": np.where(denominator > 0, cov_ytyp / np.where(denominator > 0, denominator, 1), 0.0),
            "macro_f1": f1_all.mean(axis=-1),
            "accuracy": trace / total,
        }
        if k == 2:
            out["recall"] = recall[..., 1]
            out["precision"] = diag[..., 1] / pred[..., 1]
            out["f1"] = f1_all[..., 1]
    return out


def placements(y_pos: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong's structural components: each case's share of non-cases scored below it (ties ½), and each
    non-case's share of cases scored above it."""
    pos, neg = np.sort(score[y_pos]), np.sort(score[~y_pos])
    s_pos, s_neg = score[y_pos], score[~y_pos]
    v10 = (np.searchsorted(neg, s_pos, side="left") + np.searchsorted(neg, s_pos, side="right")) / (2 * len(neg))
    v01 = 1 - (np.searchsorted(pos, s_neg, side="left") + np.searchsorted(pos, s_neg, side="right")) / (2 * len(pos))
    return v10, v01


def average_precision(y_pos: np.ndarray, score: np.ndarray) -> float:
    """Average precision as scikit-learn computes it (a step at every distinct score)."""
    order = np.argsort(-score, kind="stable")
    s, t = score[order], y_pos[order]
    last = np.r_[s[1:] != s[:-1], True]  # the last row of each tie group
    tp, fp = np.cumsum(t)[last], np.cumsum(~t)[last]
    recall_steps = np.diff(np.r_[0, tp]) / tp[-1]
    return float(np.sum(recall_steps * tp / (tp + fp)))
