"""scikit-learn's and imbalanced-learn's common estimator checks over every estimator of ours.

Each expected failure is listed with its reason; a check that starts passing (or a new one that
fails) after an upgrade shows up here.
"""

from __future__ import annotations

from imblearn.utils.estimator_checks import parametrize_with_checks as imblearn_checks
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from core.modelling.estimators import AnomalyClassifier, ClassWeighted
from core.modelling.forest import CappedForestClassifier, GrowingForestClassifier
from core.resampling.chunked_smote import ChunkedSMOTE

_FOREST_WEIGHTS = (
    "sample_weight is not equivalent to removing or repeating rows in a bootstrapped forest "
    "(scikit-learn lists the same expected failure for RandomForestClassifier)"
)
EXPECTED_FAILURES: dict[type, dict[str, str]] = {
    GrowingForestClassifier: {
        "check_sample_weight_equivalence_on_dense_data": _FOREST_WEIGHTS,
        "check_sample_weight_equivalence_on_sparse_data": _FOREST_WEIGHTS,
    },
    CappedForestClassifier: {
        "check_class_weight_classifiers": (
            "the check's data has a few dozen rows, so with max_rows=50 every tree is a plain bootstrap "
            "and the check's accuracy bar for class weights depends on the draw; class weights are "
            "tested against scikit-learn's own names in tests/unit/test_forest.py"
        ),
    },
    AnomalyClassifier: {
        **{
            name: (
                "an isolation forest learns without labels: on the check's balanced, separable classes "
                "it flags the least usual rows, not the other class, so it cannot reach the check's accuracy"
            )
            for name in (
                "check_classifiers_train",
                "check_classifiers_train(readonly_memmap=True)",
                "check_classifiers_train(readonly_memmap=True,X_dtype=float32)",
            )
        },
    },
}


def expected_failures(estimator) -> dict[str, str]:
    return EXPECTED_FAILURES.get(type(estimator), {})


@parametrize_with_checks(
    [
        CappedForestClassifier(n_estimators=5, max_rows=50, random_state=0),
        GrowingForestClassifier(n_estimators=5, random_state=0),
        AnomalyClassifier(n_estimators=10, random_state=0),
        ClassWeighted(LogisticRegression(), class_weight="balanced"),
    ],
    expected_failed_checks=expected_failures,
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


@imblearn_checks([ChunkedSMOTE(random_state=0)])
def test_imbalanced_learn_sampler_checks(estimator, check):
    check(estimator)
