"""The fitted model of a strategy as a skops file (never pickle), built from library classes only.

The model is the pipeline :func:`core.output.python_source.library_estimator` makes of the strategy's (the one the generated
script builds), fitted on the training split, and — for a tuned threshold — wrapped in
scikit-learn's ``FixedThresholdClassifier`` at the threshold the app tuned, so its ``predict``
decides as the page does. It predicts class codes (0 = the largest class); :func:`load_snippet`
maps them back to labels. The app writes model files and never reads one.
"""

from __future__ import annotations

import skops.io as sio
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import FixedThresholdClassifier

from core.comparison.production import Deployment
from core.data.distribution import class_codes
from core.data.prepared import PreparedData
from core.data.split import Split
from core.errors import UserFacingError
from core.modelling.evaluation import Evaluation
from core.modelling.strategies import Strategy, build_estimator
from core.output.python_source import AT_RATE_SOURCE, comment_safe, library_estimator, render

__all__ = ["ModelExportError", "ModelFile", "load_snippet", "model_file"]


class ModelExportError(UserFacingError):
    """The strategy's model cannot be written as a file that loads with the libraries alone."""


class ModelFile:
    """A fitted model written with skops: its bytes, the fitted estimator and what differs from the app's."""

    def __init__(self, data: bytes, estimator, differs: tuple[str, ...]):
        self.data = data
        self.estimator = estimator
        self.differs = differs


def model_file(
    ev: Evaluation,
    *,
    prepared: PreparedData,
    split: Split,
) -> ModelFile:
    """Fit the evaluated strategy's library-only pipeline on the training split and write it with skops.

    The fit repeats the app's (same rows, parameters and seeds), so the model's test-split
    probabilities equal the page's, except where :func:`core.output.python_source.library_estimator` notes a difference (the
    capped forest). Raises :class:`ModelExportError` for a strategy that needs one of the app's own
    classes (AdaBoost with class weights, the isolation forest): use the generated script instead.
    """
    strategy: Strategy = ev.strategy
    labels = list(split.counts("train"))
    code, names = class_codes(labels)
    y_train = split.y_train.map(code).to_numpy(dtype=int)
    counts = {c: int((y_train == c).sum()) for c in names}
    estimator, _ = build_estimator(strategy.fitted_as, plan=prepared.plan, counts=counts, names=names,
                                   n_rows=len(y_train))  # fmt: skip
    made = library_estimator(estimator)
    if made.copied:
        raise ModelExportError(
            f"{strategy.name} uses a small wrapper of the app's own ({', '.join(c.__name__ for c in made.copied)}), "
            "so a model file of it would load only with the app's code. Use 'Show the code': the script defines "
            "the wrapper and fits the same model."
        )
    X_train = split.model_input(split.train_rows, categorical=prepared.plan.categorical)
    model = made.estimator
    model.fit(X_train, y_train)
    if strategy.tunes_threshold:
        model = FixedThresholdClassifier(FrozenEstimator(model), threshold=ev.threshold, pos_label=1,
                                         response_method="predict_proba").fit(X_train, y_train)  # fmt: skip
    return ModelFile(sio.dumps(model), model, made.differs)


def load_snippet(
    file_name: str,
    *,
    prepared: PreparedData,
    classes: tuple[str, ...],
    fitted_at: float | None = None,
    deployment: Deployment | None = None,
) -> str:
    """The lines that load the model file (checking its types first) and predict new rows.

    The file's ``predict_proba`` gives the probabilities as fitted. For a model fitted at a rate of cases
    ``fitted_at`` other than the ``deployment``'s production rate, the lines say so and carry the prior-shift
    correction with both rates, so ``in_production`` holds the probabilities at the production rate (the
    decisions of ``predict`` are the same either way)."""
    plan = prepared.plan

    def lit(value) -> str:
        return render(value)[0]

    lines = [
        "import numpy as np",
        "import pandas as pd",
        "from skops.io import get_untrusted_types, load",
        "",
        f"unknown = get_untrusted_types(file={lit(file_name)})",
        "print(unknown)  # read this list: trust the file only if every type is one you expect",
        f"model = load({lit(file_name)}, trusted=unknown)",
        "",
        f"NUMERIC = {lit(list(plan.numeric))}",
        f"CATEGORICAL = {lit(list(plan.categorical))}",
        'rows = pd.read_csv("new_rows.csv")[NUMERIC + CATEGORICAL]  # new rows with the same columns',
        'rows[NUMERIC] = rows[NUMERIC].astype("float64")',
        "for column in CATEGORICAL:  # categories as text, as the model learnt them",
        "    rows[column] = rows[column].map(lambda v: v if pd.isna(v) else str(v)).astype(object)",
        f"CLASSES = {lit(list(classes))}  # the model predicts 0, 1, ...: the largest class is 0",
        "predicted = np.asarray(CLASSES)[model.predict(rows)]",
        "probabilities = model.predict_proba(rows)  # one column per class, in that order",
    ]
    if fitted_at is not None and deployment is not None and abs(fitted_at - deployment.rate) > 0.1 * deployment.rate:
        label = comment_safe(repr(classes[-1]))
        lines += [
            "",
            f"# predict_proba gives the probabilities as fitted: for rows with {fitted_at:.2%} {label}, not the",
            f"# {deployment.rate:.4%} set as the production rate on the page. These lines move them there; the",
            "# decisions of predict stay the same, only the scale becomes truthful.",
            f"FITTED_AT, PRODUCTION_RATE = {lit(fitted_at)}, {lit(deployment.rate)}",
            "",
            "",
            AT_RATE_SOURCE.rstrip("\n"),
            "",
            "",
            "in_production = at_rate(probabilities[:, 1], FITTED_AT, PRODUCTION_RATE)  # the small class's chance",
        ]
    return "\n".join(lines)
