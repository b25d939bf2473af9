"""A small, transparent SMOTE generator for the step-by-step teaching view.

imbalanced-learn does not record which two rows each synthetic row came from, so the teaching
view uses this generator, which follows the SMOTE definition (Chawla et al., 2002): for a row
x of the small class, find its k nearest neighbours of the same class; each new row picks one
neighbour n at random and a gap g uniformly in [0, 1), and lies at x + g * (n - x).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SmoteSteps", "formula_text", "nearest_neighbours", "smote_steps", "toy_points"]


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


def smote_steps(
    points: np.ndarray, *, index: int, k: int, n_new: int, random_state: int, space: np.ndarray | None = None
) -> SmoteSteps:
    """Generate ``n_new`` synthetic rows from ``points[index]`` and its ``k`` nearest neighbours.

    ``space`` (one row per point, every feature, on comparable scales) is where the neighbours are found,
    as SMOTE finds them; without it, in ``points``' own plane. The new rows are drawn in ``points``' plane,
    which is what SMOTE's rows look like there when the plane is a linear view of ``space`` (two of its
    features, or a PCA of them): a point a share ``g`` along a line stays a share ``g`` along its picture.

    Raises ``ValueError`` when there are fewer than two points, ``index`` is out of range,
    ``k`` is not between 1 and ``len(points) - 1``, ``n_new`` is negative, or ``space`` has another number
    of rows.
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
    if space is not None and len(space) != n:
        raise ValueError("space must have one row per point")
    rng = np.random.default_rng(random_state)
    neighbours = nearest_neighbours(points if space is None else np.asarray(space, dtype=float), index=index, k=k)
    parents = neighbours[rng.integers(0, k, size=n_new)]
    gaps = rng.random(n_new)
    new_points = points[index] + gaps[:, None] * (points[parents] - points[index])
    return SmoteSteps(points, index, neighbours, parents, gaps, new_points)


def toy_points(*, random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A clean two-feature teaching dataset: 12 rows of a small class in two loose groups and 80 of a large class
    around them. Returns ``(small, large)``; in two dimensions the plane is the whole feature space, so
    neighbours and new rows are exactly SMOTE's."""
    rng = np.random.default_rng(random_state)
    small = np.r_[rng.normal([2.0, 2.0], 0.45, size=(7, 2)), rng.normal([3.6, 0.8], 0.4, size=(5, 2))]
    large = rng.normal([0.0, 0.0], 1.3, size=(80, 2))
    return small.round(2), large.round(2)


def formula_text(steps: SmoteSteps, row: int) -> str:
    """The SMOTE formula with the numbers of new row ``row`` (from 0): x_new = x + g · (x_nn − x) = ..."""

    def v(a: np.ndarray) -> str:
        return "(" + ", ".join(f"{x:.2f}" for x in a[:2]) + ")"

    x, nn, g = steps.points[steps.chosen], steps.points[steps.parents[row]], float(steps.gaps[row])
    return f"x_new = x + g · (x_nn − x) = {v(x)} + {g:.2f} · ({v(nn)} − {v(x)}) = {v(steps.new_points[row])}"
