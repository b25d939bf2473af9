"""The lesson's words that are not computed: the glossary (each term, its meaning and where to try it) and the tour.

Fixed text here states no figure that depends on the loaded data; every number the lesson shows is read
off the current data by :mod:`core.teaching.lessons`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GLOSSARY", "TOUR", "Link"]


@dataclass(frozen=True)
class Link:
    """Where a glossary term can be tried: a page, the Resample ``method`` to open it with, or the Lesson ``step``."""

    page: str
    method: str | None = None
    step: int | None = None

    @property
    def label(self) -> str:
        """The link's words."""
        return f"Try it (step {self.step})" if self.step is not None else "Try it"

    @property
    def params(self) -> dict[str, str]:
        """The page address's query parameters."""
        out = {}
        if self.method is not None:
            out["method"] = self.method
        if self.step is not None:
            out["step"] = str(self.step)
        return out


#: The tour: each page in the order of the user's flow, and what to look at there.
TOUR = (
    ("pages/data.py", "Data", "Load a bundled sample or your own file and check which column is the target."),
    ("pages/class_balance.py", "Class balance", "See how rare the smallest class is, and what accuracy would hide."),
    ("pages/resample.py", "Resample", "Pick SMOTE, then random under-sampling: watch rows appear and disappear."),
    ("pages/smote_steps.py", "SMOTE step by step", "See how one synthetic row is drawn between two real ones."),
    ("pages/train.py", "Train & evaluate", "Train RF and SMOTE + RF; compare their confusion matrices and PR curves."),
    ("pages/compare.py", "Compare & report", "Run the default set of strategies and read the takeaways."),
)

#: The glossary: each term, what it means, and where in the app to try it.
GLOSSARY: tuple[tuple[str, str, Link], ...] = (
    (
        "Random over-sampling",
        "Copies rows of the small class until the classes are the size you ask.",
        Link("pages/resample.py", method="random_over"),
    ),
    (
        "Random under-sampling",
        "Drops rows of the large class; fast, but throws information away.",
        Link("pages/resample.py", method="random_under"),
    ),
    (
        "SMOTE and its variants",
        "Create new rows between a small-class row and its neighbours (SMOTENC and SMOTEN for "
        "categories; Borderline, SVM, KMeans SMOTE and ADASYN choose where).",
        Link("pages/smote_steps.py"),
    ),
    (
        "Class weights (cost-sensitive learning)",
        "Make mistakes on the small class cost more in training, without changing the rows.",
        Link("pages/train.py"),
    ),
    (
        "Balanced ensembles",
        "Bagging (BalancedRandomForest, EasyEnsemble) or boosting (RUSBoost) where every model sees a balanced sample.",
        Link("pages/train.py"),
    ),
    (
        "Anomaly detection",
        "Treat the small class as unusual rows and learn only what usual looks like (IsolationForest).",
        Link("pages/train.py"),
    ),
    (
        "Data leakage",
        "Information from the test rows reaching training, e.g. resampling before the split: scores that look "
        "better than they will be on new data.",
        Link("pages/lesson.py", step=3),
    ),
    (
        "Imbalance ratio",
        "The size of the largest class over the smallest: 91 : 1 means 91 rows of one class for each row of the other.",
        Link("pages/class_balance.py"),
    ),
    (
        "Test split",
        "Rows set aside before anything is trained (stratified: with each class's real share) and used only to "
        "judge; never resampled.",
        Link("pages/resample.py"),
    ),
    (
        "Cross-validation",
        "Split the training rows into k folds; train on k − 1 and score on the one left out, k times. Resampling "
        "runs inside each training fold only.",
        Link("pages/compare.py"),
    ),
    (
        "Confusion matrix",
        "A table of true class against predicted class: the cases caught and missed, the false alarms and the "
        "rows rightly left alone.",
        Link("pages/train.py"),
    ),
    ("Precision", "Of the cases flagged, the share that really are the small class.", Link("pages/train.py")),
    ("Recall", "Of the real small-class cases, the share that were flagged.", Link("pages/train.py")),
    ("F1", "The harmonic mean of precision and recall: high only when both are.", Link("pages/train.py")),
    (
        "Balanced accuracy",
        "The mean of each class's recall; 0.5 for always guessing one class of two.",
        Link("pages/train.py"),
    ),
    ("G-mean", "The geometric mean of each class's recall: zero if any class is never found.", Link("pages/train.py")),
    ("MCC", "A correlation between truth and prediction from -1 to 1; 0 for guessing.", Link("pages/train.py")),
    (
        "ROC-AUC",
        "The chance that a random small-class case is ranked above a random other case.",
        Link("pages/train.py"),
    ),
    (
        "PR-AUC (average precision)",
        "The area under the precision-recall curve; guessing scores the prevalence, "
        "so it shows what ROC-AUC hides on rare classes.",
        Link("pages/compare.py"),
    ),
    (
        "Tuned decision threshold",
        "Flag a case when its score passes a threshold chosen on held-out parts of the training rows "
        "for a goal (best F1, lowest cost, ...), instead of 0.5; often as good as rebalancing, and cheaper.",
        Link("pages/lesson.py", step=4),
    ),
    (
        "Calibration",
        "Reshape a model's scores so that 0.3 means a 30 % chance, fitted on rows that were never resampled.",
        Link("pages/train.py"),
    ),
    (
        "95 % interval",
        "The range a score would fall in on 95 of 100 other test splits of the same size; the app checks by "
        "simulation that its intervals hold the truth that often.",
        Link("pages/compare.py"),
    ),
    (
        "Paired difference",
        "Two strategies compared row by row on the same test rows: if the interval of the difference holds 0, "
        "this test split cannot tell them apart.",
        Link("pages/compare.py"),
    ),
    (
        "Prior-shift correction",
        "Move a model's probabilities from the rate of cases it was trained at (50 % after SMOTE) to the rate in "
        "production, so a score means what it says; the decisions stay the same.",
        Link("pages/lesson.py", step=5),
    ),
    (
        "Skewed numeric target and its rare range",
        "A number to predict (a claim amount, a repair cost) whose rows that matter sit in a long tail; the rare "
        "range is the tail beyond the box-plot whisker (Q3 + 1.5 × IQR), or beyond a threshold you set.",
        Link("pages/lesson.py", step=7),
    ),
    (
        "SMOTER and SMOGN",
        "SMOTE for a number: new rows between two rare rows, their target weighted by distance (SMOTER); SMOGN adds "
        "small Gaussian noise instead where the neighbours are far apart.",
        Link("pages/resample.py"),
    ),
    (
        "Density weights (DenseWeight)",
        "Weight each training row by how rare its target value is (one minus its scaled density), so a model "
        "minds the tail.",
        Link("pages/train.py"),
    ),
    (
        "Transformed target",
        "Fit the model on log(1 + y) or a Yeo-Johnson transform of y and turn its predictions back: a long tail "
        "pulls less.",
        Link("pages/train.py"),
    ),
    (
        "MAE, RMSE and the median absolute error",
        "The mean absolute error, the root of the mean squared error (big misses count most), and the typical "
        "row's miss; only the median gets an interval that holds on a heavy tail.",
        Link("pages/train.py"),
    ),
)
