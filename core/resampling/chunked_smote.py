"""SMOTE that builds its output in one array, a block of rows at a time.

imbalanced-learn's SMOTE copies the training rows, builds every synthetic row at once in float64
(the data's own size several times over), then stacks the pieces into a new array. On large data
that is several times the training split's memory for a moment. :class:`ChunkedSMOTE` draws exactly
the same rows (the same random numbers, the same arithmetic, a unit test compares the two), but
writes them into the final array block by block.
"""

from __future__ import annotations

import numpy as np
from imblearn.over_sampling import SMOTE
from scipy import sparse

__all__ = ["ChunkedSMOTE"]

#: Synthetic rows built per block: a block's float64 temporaries stay under 1 MB at 30 features.
CHUNK_ROWS = 1_024


class ChunkedSMOTE(SMOTE):
    """imbalanced-learn's :class:`~imblearn.over_sampling.SMOTE` with the same parameters and output,
    using a fraction of its memory on large data.

    The output array (original rows first, then the synthetic rows of each class, as SMOTE orders
    them) is allocated once; each class's synthetic rows are generated straight into their place in
    blocks of :data:`CHUNK_ROWS`. Sparse input takes SMOTE's own path.

    This overrides two private methods of imbalanced-learn's SMOTE (``_fit_resample`` and the
    ``_generate_samples`` hook that ``_make_samples`` calls). The rows ``_make_samples`` returns are
    always used, so a release that stops calling the hook still gives SMOTE's rows (only the memory
    saving is lost); ``tests/unit/test_chunked_smote.py`` fails when that happens, and ``requirements.txt``
    keeps imbalanced-learn below its next minor release.
    """

    _into: np.ndarray | None = None

    def _fit_resample(self, X, y):
        if sparse.issparse(X):
            return super()._fit_resample(X, y)
        self._validate_estimator()
        wanted = [(label, int(n)) for label, n in self.sampling_strategy_.items() if n > 0]
        total = len(X) + sum(n for _, n in wanted)
        X_out = np.empty((total, X.shape[1]), dtype=X.dtype)
        y_out = np.empty(total, dtype=y.dtype)
        X_out[: len(X)], y_out[: len(y)] = X, y
        at = len(X)
        for label, n_samples in wanted:
            X_class = X[np.flatnonzero(y == label)]
            self.nn_k_.fit(X_class)
            nns = self.nn_k_.kneighbors(X_class, return_distance=False)[:, 1:]
            into = X_out[at : at + n_samples]
            self._into = into
            try:
                X_new, y_new = self._make_samples(X_class, y.dtype, label, X_class, nns, n_samples, 1.0)
            finally:
                self._into = None
            if not np.shares_memory(X_new, into):  # imbalanced-learn built the rows without our hook: use its own
                into[:] = X_new
            y_out[at : at + n_samples] = y_new
            at += n_samples
        return X_out, y_out

    def _generate_samples(self, X, nn_data, nn_num, rows, cols, steps, y_type=None, y=None):
        if y is not None or sparse.issparse(X):  # BorderlineSMOTE-2 draws more numbers per call: keep it whole
            return super()._generate_samples(X, nn_data, nn_num, rows, cols, steps, y_type, y)
        out = self._into if self._into is not None else np.empty((len(rows), X.shape[1]), dtype=X.dtype)
        for start in range(0, len(rows), CHUNK_ROWS):
            block = slice(start, start + CHUNK_ROWS)
            out[block] = super()._generate_samples(X, nn_data, nn_num, rows[block], cols[block], steps[block])
        return out
