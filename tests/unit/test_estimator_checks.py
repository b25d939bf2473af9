"""scikit-learn's and imbalanced-learn's common estimator checks over every estimator of ours.

Each expected failure is listed with its reason; a check that starts passing (or a new one that
fails) after an upgrade shows up here.
"""

from __future__ import annotations

import pytest
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


# -- The numeric target's estimators ------------------------------------------------------------------------------

_CLASS_ONLY = "a check for class targets (class labels as text, one class, one-vs-rest): a numeric target has none"
_NUMBER_SAMPLER_CHECKS = {  # imbalanced-learn's sampler checks; each that does not apply to a number says why
    "check_param_validation": None,
    "check_samplers_fit_resample": None,
    "check_samplers_2d_target": None,
    "check_samplers_sampling_strategy_fit_resample": None,
    "check_samplers_pandas": None,
    "check_samplers_nan": None,
    "check_samplers_preserve_dtype": (
        "a synthetic target lies between two targets, a fraction whatever the input's type: y comes out as float"
    ),
    "check_samplers_sample_indices": (
        "the check reads imbalanced-learn's own sampler tags, which only its BaseSampler declares; sample_indices_ "
        "is held by tests/unit/test_number_samplers.py"
    ),
    "check_dataframe_column_names_consistency": "a sampler here only resamples: it has no fit to remember names in",
    "check_samplers_string": _CLASS_ONLY,
    "check_samplers_list": _CLASS_ONLY,
    "check_samplers_one_label": _CLASS_ONLY,
    "check_target_type": _CLASS_ONLY,
    "check_samplers_multiclass_ova": _CLASS_ONLY,
    "check_samplers_sparse": "the samplers work on the dense rows the preparation step hands them",
}
_NEEDS_DISTANCES = "SMOTER measures distances between rows: in every pipeline missing values are imputed before it"


def _number_sampler_cases():
    from core.resampling.number_samplers import SMOGN, SMOTER, RareUnderSampler

    for sampler in (SMOTER(cut=0.5), SMOGN(cut=0.5), RareUnderSampler(cut=0.5)):
        for name, why in _NUMBER_SAMPLER_CHECKS.items():
            if name == "check_samplers_nan" and not isinstance(sampler, RareUnderSampler):
                why = _NEEDS_DISTANCES
            marks = [pytest.mark.xfail(reason=why, strict=True)] if why else []
            yield pytest.param(sampler, name, marks=marks, id=f"{type(sampler).__name__}-{name}")


@pytest.mark.parametrize(("sampler", "check"), list(_number_sampler_cases()))
def test_the_number_samplers_pass_imbalanced_learns_sampler_checks_that_apply_to_a_number(sampler, check):
    """SMOTER, SMOGN and the under-sampler against imbalanced-learn's own checks (the check's data targets 0, 1
    and 2, so a cut of 0.5 makes 1 and 2 the rare range); those written for class targets are expected to fail."""
    import imblearn.utils.estimator_checks as checks

    getattr(checks, check)(type(sampler).__name__, sampler)


def _dense_weight():
    from sklearn.linear_model import Ridge

    from core.resampling.number_samplers import DenseWeightRegressor

    return DenseWeightRegressor(Ridge())


@parametrize_with_checks([_dense_weight()])
def test_density_weights_pass_scikit_learns_estimator_checks(estimator, check):
    check(estimator)
