"""A standalone Python script for what the app fitted: same file, columns, split, pipeline and metrics.

The script uses only pandas, NumPy, scikit-learn and imbalanced-learn. Each strategy's pipeline is
the one :func:`core.modelling.strategies.build_estimator` builds for the page, turned into library classes by
:func:`core.output.python_source.library_estimator` and written out as source by :func:`core.output.python_source.render`, so the script cannot drift from what the
app runs. Two app classes have identical library equivalents (the chunked SMOTE and the forest
grown in batches); the forest that caps its rows per tree has none (the script grows scikit-learn's
forest on every row and says so); two small wrappers (class weights for AdaBoost, the isolation
forest as a classifier) are copied into the script as source. User strings (file, column and
class names) only ever appear in the script as Python literals (``repr``), never as bare text.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from datetime import UTC, datetime

from core.comparison.production import Deployment
from core.data.dataset import Source
from core.data.distribution import class_codes
from core.data.prepared import PreparedData
from core.data.split import Split
from core.modelling.evaluation import METRIC_LABELS
from core.modelling.strategies import (
    MODELS,
    THRESHOLDS,
    WEIGHTINGS,
    Strategy,
    build_estimator,
    folds_for,
)
from core.output.python_source import (
    COPIED_IMPORTS,
    WIDTH,
    SourceWriter,
    library_estimator,
)
from core.output.script_parts import comment, load_section, prepare_variable
from core.output.script_story import decision_section, fair_twins, production_section
from core.resampling.catalogue import get_spec

__all__ = ["data_file_name", "script", "script_file_name"]

#: Decimals the script prints; a test runs it with more to compare with the app to 1e-9.
DIGITS = 4


def script_file_name(title: str) -> str:
    """A file name for the script, from a title (letters, digits and underscores)."""
    stem = "".join(ch if ch.isalnum() else "_" for ch in title.lower()).strip("_")
    while "__" in stem:
        stem = stem.replace("__", "_")
    return f"imbalance_explorer_{stem[:60] or 'script'}.py"


def data_file_name(source: Source | None) -> str | None:
    """The data file the script reads (``None`` when it loads the data from scikit-learn)."""
    if source is None or source.reader == "load_breast_cancer":
        return None
    return source.file


def script(
    strategies: Sequence[Strategy],
    *,
    prepared: PreparedData,
    split: Split,
    cv_folds: int = 0,
    cv_repeats: int = 1,
    deployment: Deployment | None = None,
) -> str:
    """A standalone script that fits ``strategies`` on the same training split and prints the page's test metrics.

    It reads the data as the app read it, keeps the same feature columns, makes the same stratified
    split with the same seed, numbers the classes as the app does (largest first), builds each
    strategy's pipeline (preparation, sampler, model; threshold tuning and calibration as chosen)
    and prints scikit-learn's ``classification_report`` and the metrics of the page's leaderboard.
    A threshold is tuned on the same folds the app used (its cross-validation folds when
    ``cv_folds >= 2``). With a ``deployment`` (two classes), it then prints each strategy's outcome per
    ``deployment.per`` cases at the production rate (as :func:`core.comparison.production.outcome` works it out)
    and what its threshold means as a probability there, moved by the prior-shift correction.
    Raises :class:`core.modelling.strategies.StrategyError` when a pipeline cannot be built.
    """
    dataset, plan = prepared.dataset, prepared.plan
    train = split.counts("train")  # largest class first: the order of the class codes
    labels = list(train)
    _, names = class_codes(labels)
    counts = dict(enumerate(train.values()))
    binary = len(labels) == 2
    columns = {tuple(plan.numeric): "NUMERIC", tuple(plan.categorical): "CATEGORICAL"}
    writer = SourceWriter({k: v for k, v in columns.items() if k})
    differs: list[str] = []
    copied: list[type] = []
    prepares: dict[str, str] = {}
    blocks: list[str] = []
    tuned_any = {s.threshold for s in strategies if s.tunes_threshold}
    fair = fair_twins(strategies, deployment) if binary and deployment is not None else []
    if fair:
        tuned_any = tuned_any | {"fair"}
    for strategy in strategies:
        cv = folds_for(cv_folds, repeats=cv_repeats, random_state=strategy.random_state) if cv_folds >= 2 else None
        estimator, notes = build_estimator(
            strategy.fitted_as, plan=plan, counts=counts, names=names, n_rows=len(split.y_train)
        )
        made = library_estimator(estimator)
        differs += [d for d in made.differs if d not in differs]
        copied += [c for c in made.copied if c not in copied]
        pipeline = made.estimator if not strategy.calibrated else made.estimator.estimator
        steps = []
        for step, part in pipeline.steps:
            if step == "prepare":
                steps.append(f'("prepare", clone({prepare_variable(part, writer, prepares)}))')
            else:
                steps.append(f'("{step}", {writer(part, 4)})')
        lines = comment(f"{strategy.name}: {_describe(strategy)}.")
        for note in notes:
            lines += comment(f"The app noted: {note}")
        body = "Pipeline([\n" + "".join(f"    {s},\n" for s in steps) + "])"
        if strategy.calibrated:
            calibrate = made.estimator
            lines += comment(
                "Probabilities recalibrated on held-out folds of the training split (the calibration is fitted on "
                "rows that were never resampled), then the pipeline is refitted on every training row "
                "(ensemble=False)."
            )
            body = (f"CalibratedClassifierCV(\n    {_indent(body)},\n    method={writer(calibrate.method)},\n"
                    f"    cv={writer(calibrate.cv)},\n    ensemble=False,\n)")  # fmt: skip
            writer.imports.add(("sklearn.calibration", "CalibratedClassifierCV"))
        if strategy.tunes_threshold:
            folds = cv if cv is not None else folds_for(
                strategy.tuning.folds_for(len(split.y_train)), random_state=strategy.random_state
            )  # fmt: skip
            where = "the cross-validation folds" if cv is not None else "folds"
            lines += comment(
                f"The threshold is {_THRESHOLD_WORDS[strategy.threshold]}, chosen on {where} of the training "
                "split only; then the model is refitted on every training row."
            )
            body = (f"TunedThresholdClassifierCV(\n    {_indent(body)},\n    scoring={_SCORING[strategy.threshold]},\n"
                    f"    cv={writer(folds)},\n)")  # fmt: skip
            writer.imports.add(("sklearn.model_selection", "TunedThresholdClassifierCV"))
        blocks.append("\n".join(lines) + f"\nmodels[{writer(strategy.name)}] = {body}\n")
    title = strategies[0].name if len(strategies) == 1 else f"{len(strategies)} strategies compared"
    load = load_section(dataset, writer)
    columns_text = _columns(prepared, writer)
    split_text = _split_text(split, labels, writer, sample=dataset.sample, target=prepared.target)
    sections = [
        _header(title, dataset.name, differs),
        _imports(writer.imports | {("sklearn.base", "clone")}, copied, tuned_any, binary),
        _copied(copied),
        load,
        columns_text,
        split_text,
        "# ---- 4. How the rows are prepared (fitted on training rows only, inside each pipeline) ----\n"
        + "\n".join(f"{var} = {text}" for text, var in prepares.items()),
        _tuning(strategies, tuned_any),
        "# ---- 5. The strategies: preparation -> resampling (training rows only) -> model ----\n"
        "# An imbalanced-learn Pipeline resamples only while fitting, so the test rows are never resampled.\n"
        "models = {}\n\n" + "\n".join(blocks),
        _evaluate(binary, cv_folds, cv_repeats),
        production_section(deployment, labels[-1], writer) if binary and deployment is not None else "",
        decision_section(fair, strategies, cv_folds, cv_repeats, len(split.y_train), writer) if fair else "",
    ]
    return "\n\n".join(s.rstrip("\n") for s in sections if s) + "\n"


def _indent(text: str) -> str:
    return text.replace("\n", "\n    ")


_THRESHOLD_WORDS = {
    "f1": "tuned for the best F1 of the small class",
    "balanced_accuracy": "tuned for the best balanced accuracy",
    "cost": "tuned for the lowest cost (COST_FALSE_ALARM per false alarm, COST_MISSED_CASE per missed case)",
    "recall_at_precision": "tuned for the most recall at a precision of at least MIN_PRECISION",
}
_SCORING = {
    "f1": "make_scorer(f1_score, zero_division=0.0)",
    "balanced_accuracy": '"balanced_accuracy"',
    "cost": "make_scorer(minus_cost_per_case)",
    "recall_at_precision": "make_scorer(recall_at_min_precision)",
}


def _describe(strategy: Strategy) -> str:
    model = next(m.name for m in MODELS if m.key == strategy.model)
    parts = [get_spec(strategy.sampler.key).name if strategy.sampler.key != "none" else "no resampling", model]
    if strategy.weighting != "none":
        parts.append(f"class weights {WEIGHTINGS[strategy.weighting].split(' (')[0]}")
    if strategy.tunes_threshold:
        parts.append(f"threshold {THRESHOLDS[strategy.threshold]}")
    return ", ".join(parts)


def _header(title: str, dataset: str, differs: list[str]) -> str:
    lines = [
        *comment(f"Imbalance Explorer: {title} on {dataset!r}."),
        "#",
        f"# Written by Imbalance Explorer on {datetime.now(UTC):%Y-%m-%d}. It does what the app did: read the data,",
        "# keep the same columns, make the same stratified split with the same seed, fit each strategy's pipeline",
        "# on the training rows only, and print the metrics the app shows for the untouched test split.",
        "#",
        "# Needs pandas (and pyarrow for Parquet files), scikit-learn and imbalanced-learn. Run: python this_file.py",
        "# The app also gives each number a 95 % interval (Jeffreys for recall, a posterior of the per-class rates",
        "# for the other threshold metrics, score intervals for the areas); this script prints the numbers alone.",
    ]
    if differs:
        lines += ["#", "# How this script's numbers may differ from the app's:"]
        for text in differs:
            lines += comment(text)
    return "\n".join(lines)


def _imports(found: set[tuple[str, str]], copied: list[type], tuned: set[str], binary: bool) -> str:
    wanted = set(found) | {("imblearn.pipeline", "Pipeline"), ("sklearn.base", "clone"),
                           ("sklearn.model_selection", "train_test_split"),
                           ("sklearn.metrics", "classification_report"), ("sklearn.metrics", "matthews_corrcoef"),
                           ("sklearn.metrics", "balanced_accuracy_score"), ("sklearn.metrics", "accuracy_score"),
                           ("sklearn.metrics", "roc_auc_score"), ("sklearn.metrics", "average_precision_score"),
                           ("imblearn.metrics", "geometric_mean_score")}  # fmt: skip
    if binary:
        wanted |= {("sklearn.metrics", n) for n in ("precision_score", "recall_score", "f1_score", "brier_score_loss")}
    else:
        wanted |= {("sklearn.metrics", "f1_score"), ("sklearn.preprocessing", "label_binarize")}
    if tuned:
        wanted.add(("sklearn.metrics", "make_scorer"))
        if tuned & {"f1"}:
            wanted.add(("sklearn.metrics", "f1_score"))
        if tuned & {"cost", "recall_at_precision", "fair"}:
            wanted.add(("sklearn.metrics", "confusion_matrix"))
        if "fair" in tuned:
            wanted.add(("sklearn.model_selection", "TunedThresholdClassifierCV"))
    wanted |= {tuple(item.split(":")) for cls in copied for item in COPIED_IMPORTS[cls]}
    by_module: dict[str, set[str]] = {}
    for module, name in wanted:
        if module:
            by_module.setdefault(module, set()).add(name)
    lines = ["import numpy as np", "import pandas as pd"]
    for module, names in sorted(by_module.items(), key=lambda item: (item[0] != "typing", item[0])):
        line = f"from {module} import {', '.join(sorted(names))}"
        if len(line) > WIDTH:
            line = f"from {module} import (\n" + "".join(f"    {n},\n" for n in sorted(names)) + ")"
        lines.append(line)
    lines += ["", f"DIGITS = {DIGITS}  # decimals printed"]
    return "\n".join(lines)


def _copied(classes: list[type]) -> str:
    if not classes:
        return ""
    head = "# ---- The app's own small wrapper(s), copied so that this script needs nothing but the libraries ----\n"
    return head + "\n\n".join(inspect.getsource(cls) for cls in classes)


def _columns(prepared: PreparedData, w: SourceWriter) -> str:
    plan, target = prepared.plan, prepared.target
    frame = prepared.dataset.frame
    lines = [
        "# ---- 2. The target and the feature columns, as set on the Data page ----",
        f"TARGET = {w(target)}",
        "# Numbers: missing values are filled with the column's median, then standardised.",
        f"NUMERIC = {SourceWriter({})(list(plan.numeric))}",
        "# Categories: missing values are filled with the most common category, then encoded.",
        f"CATEGORICAL = {SourceWriter({})(list(plan.categorical))}",
    ]
    if plan.dropped:
        more = f" and {len(plan.dropped) - 20} more" if len(plan.dropped) > 20 else ""
        lines += comment(f"Left out (as on the Data page): {list(plan.dropped[:20])!r}{more}")
    lines += [
        "",
        "labelled = frame[frame[TARGET].notna()]  # rows with no label are left out",
        "y = labelled[TARGET]",
    ]
    values = frame[target].dropna()
    if values.dtype == object and len({type(v) for v in values}) > 1:
        lines.append("y = y.astype(str)  # the labels mix numbers and text: all are treated as text")
    lines += [
        "X = labelled[NUMERIC + CATEGORICAL].copy()",
        'X[NUMERIC] = X[NUMERIC].astype("float64")  # numbers stay float64 from the file to the model',
        "for column in CATEGORICAL:  # categories as text, missing values kept",
        "    X[column] = X[column].map(lambda v: v if pd.isna(v) else str(v)).astype(object)",
    ]
    return "\n".join(lines)


def _split_text(split: Split, labels: list[object], w: SourceWriter, *, sample=None, target=None) -> str:
    spec = split.spec
    if sample is None:
        head = [
            "# ---- 3. Split first: the test rows keep the real class mix and are never resampled ----",
            "X_train, X_test, y_train, y_test = train_test_split(",
            f"    X, y, test_size={spec.test_size!r}, stratify=y, random_state={spec.random_state!r}",
            ")",
        ]
    else:
        extra = sample.target == target
        head = [
            "# ---- 3. Split first: the test rows come from the uniformly drawn rows only, so they keep the file's",
            "# class mix and their scores estimate the whole file's; they are never resampled ----",
            "pool = uniform.loc[labelled.index].to_numpy()",
            "X_train, X_test, y_train, y_test = train_test_split(",
            f"    X[pool], y[pool], test_size={spec.test_size!r}, stratify=y[pool], random_state={spec.random_state!r}",
            ")",
        ]
        if extra:
            head += [
                "# The other rows of the small classes only ever train (the app says how much more common they are there).",
                "X_train, y_train = pd.concat([X_train, X[~pool]]), pd.concat([y_train, y[~pool]])",
            ]
    return "\n".join([
        *head,
        "# The app numbers the classes from the largest (0) to the smallest; with two classes, 1 is the small",
        '# ("positive") class that precision and recall are about.',
        f"CLASSES = {w(list(labels))}",
        "code = {label: i for i, label in enumerate(CLASSES)}",
        "y_train, y_test = y_train.map(code).to_numpy(), y_test.map(code).to_numpy()",
    ])  # fmt: skip


def _tuning(strategies: Sequence[Strategy], tuned: set[str]) -> str:
    lines = []
    if "cost" in tuned:
        t = next(s.tuning for s in strategies if s.threshold == "cost")
        lines += [
            f"COST_FALSE_ALARM = {t.cost_fp!r}",
            f"COST_MISSED_CASE = {t.cost_fn!r}",
        ]
        if t.rate is None:
            lines += [
                "",
                "",
                "def minus_cost_per_case(y_true, y_pred):",
                '    """Minus the cost per case (scikit-learn maximises a score)."""',
                "    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()",
                "    return -(COST_FALSE_ALARM * fp + COST_MISSED_CASE * fn) / (tp + fp + fn + tn)",
            ]
        else:
            lines += [
                f"COST_RATE = {t.rate!r}  # the rate of cases the costs are priced at (the production rate)",
                "",
                "",
                "def minus_cost_per_case(y_true, y_pred):",
                '    """Minus the cost per case at COST_RATE cases per row (scikit-learn maximises a score): the',
                '    false-alarm and miss rates of the held-out rows, priced and weighed by the rate."""',
                "    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()",
                "    false_alarms = fp / (fp + tn) if fp + tn > 0 else 0.0",
                "    misses = fn / (tp + fn) if tp + fn > 0 else 0.0",
                "    return -(COST_FALSE_ALARM * false_alarms * (1 - COST_RATE) + COST_MISSED_CASE * misses * COST_RATE)",
            ]
    if "recall_at_precision" in tuned:
        t = next(s.tuning for s in strategies if s.threshold == "recall_at_precision")
        lines += [
            "",
            "",
            f"MIN_PRECISION = {t.min_precision!r}",
            "",
            "",
            "def recall_at_min_precision(y_true, y_pred):",
            '    """The recall where precision reaches MIN_PRECISION; below it, the precision minus 1 (the nearest',
            '    miss wins when no threshold reaches the floor)."""',
            "    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()",
            "    precision = tp / (tp + fp) if tp + fp > 0 else 0.0",
            "    return tp / (tp + fn) if precision >= MIN_PRECISION else precision - 1.0",
        ]
    if not lines:
        return ""
    return "# ---- Threshold objectives ----\n" + "\n".join(lines).strip("\n")


def _evaluate(binary: bool, cv_folds: int, cv_repeats: int) -> str:
    if binary:
        scores = [
            "    proba = model.predict_proba(X_test)[:, 1]  # the small class's probability",
            '    threshold = getattr(model, "best_threshold_", 0.5)  # tuned on training folds, or 0.5',
            "    y_pred = (proba >= threshold).astype(int)",
        ]
        metrics = {
            "recall": "recall_score(y_test, y_pred, zero_division=np.nan)",
            "precision": "precision_score(y_test, y_pred, zero_division=np.nan)",
            "f1": "f1_score(y_test, y_pred, zero_division=np.nan)",
            "balanced_accuracy": "balanced_accuracy_score(y_test, y_pred)",
            "g_mean": "geometric_mean_score(y_test, y_pred)",
            "mcc": "matthews_corrcoef(y_test, y_pred)",
            "roc_auc": "roc_auc_score(y_test, proba)",
            "pr_auc": "average_precision_score(y_test, proba)",
            "brier": "brier_score_loss(y_test, proba)",
            "macro_f1": 'f1_score(y_test, y_pred, average="macro", zero_division=0)',
        }
        chance = [
            '    print(f"PR-AUC of a model that guesses: {np.mean(y_test == 1):.{DIGITS}f} (the small class\'s share)")'
        ]
    else:
        scores = [
            "    proba = model.predict_proba(X_test)",
            "    y_pred = np.argmax(proba, axis=1)  # the most probable class",
            "    onehot = label_binarize(y_test, classes=range(len(CLASSES)))",
        ]
        metrics = {
            "balanced_accuracy": "balanced_accuracy_score(y_test, y_pred)",
            "g_mean": "geometric_mean_score(y_test, y_pred)",
            "mcc": "matthews_corrcoef(y_test, y_pred)",
            "roc_auc": 'roc_auc_score(onehot, proba, average="macro")',  # each class against the rest
            "pr_auc": 'average_precision_score(onehot, proba, average="macro")',
            "brier": "np.mean(np.sum((proba - onehot) ** 2, axis=1))",
            "macro_f1": 'f1_score(y_test, y_pred, average="macro", zero_division=0)',
        }
        chance = []
    lines = [
        "# ---- 6. Fit on the training split, measure on the untouched test split ----",
        "for name, model in models.items():",
        "    model.fit(X_train, y_train)",
        *scores,
        '    print(f"== {name} ==")',
        "    print(classification_report(y_test, y_pred, labels=range(len(CLASSES)),",
        "                                target_names=[str(c) for c in CLASSES], digits=DIGITS, zero_division=0))",
        "    metrics = {",
        *[f'        "{METRIC_LABELS[key]}": {code},' for key, code in metrics.items()],
        f'        "{METRIC_LABELS["accuracy"]}": accuracy_score(y_test, y_pred),',
        f'        "{METRIC_LABELS["baseline_accuracy"]}": np.max(np.bincount(y_test)) / len(y_test),  # always the largest',
        "    }",
        "    for label, value in metrics.items():",
        '        print(f"{label:<28} {value:.{DIGITS}f}")',
        *chance,
        "    print()",
    ]
    if cv_folds >= 2:
        splitter = f"RepeatedStratifiedKFold(n_splits={cv_folds}, n_repeats={cv_repeats}, random_state=...)" if (
            cv_repeats > 1) else f"StratifiedKFold(n_splits={cv_folds}, shuffle=True, random_state=...)"  # fmt: skip
        lines += [
            "",
            "# The app also cross-validated each strategy on the training split. To do the same here:",
            "#     from sklearn.model_selection import cross_validate",
            f"#     cross_validate(model, X_train, y_train, cv={splitter}, scoring=...)",
            "# (the pipeline is refitted, and so the resampling redone, inside every training fold).",
        ]
    return "\n".join(lines)
