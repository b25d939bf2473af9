"""A small, transparent SMOTE generator for the step-by-step teaching view.

imbalanced-learn does not record which two rows each synthetic row came from, so the teaching
view uses this generator, which follows the SMOTE definition (Chawla et al., 2002): for a row
x of the small class, find its k nearest neighbours of the same class; each new row picks one
neighbour n at random and a gap g uniformly in [0, 1), and lies at x + g * (n - x).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SmoteSteps", "nearest_neighbours", "smote_steps"]


@dataclass(frozen=True)
class SmoteSteps:
    """Every step of generating ``len(new_points)`` rows from one chosen row.

    Attributes
    ----------
    points : ndarray of shape (n, d)
        The rows of the small class.
    chosen : int
        Index of the row new rows are drawn from.
    neighbours : ndarray of int, shape (k,)
        Indices of its k nearest neighbours (nearest first), never ``chosen`` itself.
    parents : ndarray of int, shape (n_new,)
        For each new row, the neighbour it was drawn towards.
    gaps : ndarray of shape (n_new,)
        For each new row, how far along the segment it lies (0 = at the chosen row).
    new_points : ndarray of shape (n_new, d)
        The new rows.
    """

    points: np.ndarray
    chosen: int
    neighbours: np.ndarray
    parents: np.ndarray
    gaps: np.ndarray
    new_points: np.ndarray


def nearest_neighbours(points: np.ndarray, *, index: int, k: int) -> np.ndarray:
    """Indices of the ``k`` rows nearest to ``points[index]`` (Euclidean), nearest first, excluding itself.

    Ties are broken by index, so the result is deterministic.
    """
    d = np.linalg.norm(points - points[index], axis=1)
    d[index] = np.inf
    order = np.lexsort((np.arange(len(points)), d))
    return order[:k]


def smote_steps(points: np.ndarray, *, index: int, k: int, n_new: int, random_state: int) -> SmoteSteps:
    """Generate ``n_new`` synthetic rows from ``points[index]`` and its ``k`` nearest neighbours.

    Raises ``ValueError`` when there are fewer than two points, ``index`` is out of range,
    ``k`` is not between 1 and ``len(points) - 1``, or ``n_new`` is negative.
    """
    points = np.asarray(points, dtype=float)
    n = len(points)
    if n < 2:
        raise ValueError("SMOTE needs at least two rows of the class")
    if not 0 <= index < n:
        raise ValueError(f"index must be between 0 and {n - 1}")
    if not 1 <= k <= n - 1:
        raise ValueError(f"k must be between 1 and {n - 1}")
    if n_new < 0:
        raise ValueError("n_new must not be negative")
    rng = np.random.default_rng(random_state)
    neighbours = nearest_neighbours(points, index=index, k=k)
    parents = neighbours[rng.integers(0, k, size=n_new)]
    gaps = rng.random(n_new)
    new_points = points[index] + gaps[:, None] * (points[parents] - points[index])
    return SmoteSteps(points, index, neighbours, parents, gaps, new_points)
