"""Pure-Python core of Imbalance Explorer.

Nothing in this package imports streamlit (a unit test enforces it): every function here can be
called from a notebook, a test or a benchmark. It is laid out by the stage of the user's flow, each
stage a sub-package that may import only the stages above it in this list (a test holds that):
data, resampling, modelling, comparison, then output and teaching (which do not import each other).
``core.errors`` and ``core.safe_text`` serve every stage.


Data (``core/data``)
    - :mod:`core.data.loading` -- uploaded bytes (CSV, Parquet, Excel) into a table, with clear errors.
    - :mod:`core.data.data_folder` -- the server's data folder: its files, and nothing outside it.
    - :mod:`core.data.large_file` -- large files: counts over every row and a working sample, by DuckDB.
    - :mod:`core.data.bundled` -- the bundled sample datasets.
    - :mod:`core.data.generated` -- the lesson's generated dataset with a chosen imbalance.
    - :mod:`core.data.dataset` -- the loaded dataset and its content fingerprint.
    - :mod:`core.data.roles` -- column roles (numeric, categorical, ID-like, ...), treatments, the feature plan.
    - :mod:`core.data.target` -- guessing and checking the target column.
    - :mod:`core.data.numeric_target` -- a skewed numeric target: its rare range, its split, and a rare class made from it.
    - :mod:`core.data.distribution` -- class counts, imbalance ratio, severity, class codes.
    - :mod:`core.data.prepared` -- the dataset with its target and plan resolved: what every page reads.
    - :mod:`core.data.leakage` -- columns that give the answer away: each feature alone, out of fold.
    - :mod:`core.data.split` -- the stratified train/test split every page shares.
    - :mod:`core.data.preprocessing` -- impute, scale and encode, fit inside every pipeline.

Resampling (``core/resampling``)
    - :mod:`core.resampling.catalogue` -- the one catalogue of imbalanced-learn samplers and how to build them.
    - :mod:`core.resampling.chunked_smote` -- SMOTE that writes its output in place (less memory, same rows).
    - :mod:`core.resampling.resample` -- resampling the training split, with each row's origin.
    - :mod:`core.resampling.projection` -- 2-D views (PCA, t-SNE, two features) of before and after.
    - :mod:`core.resampling.smote_steps` -- a transparent SMOTE for the step-by-step teaching view.
    - :mod:`core.resampling.number_samplers` -- SMOTER, SMOGN, under-sampling and DenseWeight for a numeric target (self-contained: the script carries it).
    - :mod:`core.resampling.number_resample` -- a numeric target's training rows resampled, in their own units, marked synthetic.

Modelling (``core/modelling``)
    - :mod:`core.modelling.forest` -- scikit-learn's forest with progress, and the capped forest for large data.
    - :mod:`core.modelling.strategies` -- models and strategies (sampler + model + weighting) as one pipeline; the declared vocabularies (:class:`~core.modelling.strategies.Weighting`, :class:`~core.modelling.strategies.Threshold`, :class:`~core.modelling.strategies.Calibration`).
    - :mod:`core.modelling.estimators` -- two small estimators: the anomaly view and class weights by sample weight.
    - :mod:`core.modelling.fit_cost` -- how many fits a strategy makes and about how long they take.
    - :mod:`core.modelling.thresholds` -- decision thresholds tuned on training folds.
    - :mod:`core.modelling.tuned` -- a fitted model at a tuned threshold, read off its fold scores (no fit).
    - :mod:`core.modelling.fitting` -- the grid of fits (strategies × folds) as jobs, here or on a Dask cluster.
    - :mod:`core.modelling.training` -- a page's request: reuse what is known, waves, cluster fallback, stop.
    - :mod:`core.modelling.metrics` -- the one home of each metric formula.
    - :mod:`core.modelling.number_models` -- strategies for a skewed numeric target (transformed target, weights, SMOTER, SMOGN), fitted on the training split.
    - :mod:`core.modelling.evaluation` -- a fitted strategy's test-split scores and what is read off them (curves, costs).

Comparison (``core/comparison``)
    - :mod:`core.comparison.intervals` -- each metric's 95 % interval and paired differences, within the metric's range.
    - :mod:`core.comparison.verdicts` -- the one verdict rule on the bounds as shown, and the methods' words.
    - :mod:`core.comparison.production` -- outcomes at the production rate, the prior-shift correction, net benefit.
    - :mod:`core.comparison.decision` -- the decision: fair rivals at the user's costs and rate, in whole cases, and what each way bought beyond the threshold.
    - :mod:`core.comparison.gains` -- cumulative gains, lift and the review budget.
    - :mod:`core.comparison.compare` -- the comparison: strategies on offer, leaderboard, paired differences, highlights.
    - :mod:`core.comparison.number_errors` -- a numeric target's errors in the rare and common ranges, with distribution-free intervals.
    - :mod:`core.comparison.takeaways` -- the comparison in words: takeaways, what helped, the small-split warning.
    - :mod:`core.comparison.too_good` -- a result too good to be true, and the columns its model leaned on.

Output (``core/output``)
    - :mod:`core.output.style` -- what every figure shares: the palettes, marker shapes, legends under the axis.
    - :mod:`core.output.figures` -- plotly figures of the data, the resampling and the lessons.
    - :mod:`core.output.result_figures` -- plotly figures of trained strategies (confusion, curves, gains, costs).
    - :mod:`core.output.number_figures` -- plotly figures of a numeric target: its distribution, errors by range, predicted against actual, before and after.
    - :mod:`core.output.chart_text` -- every chart's text alternative, read off the figure.
    - :mod:`core.output.figure_export` -- the figures as PNG and SVG for slides.
    - :mod:`core.output.python_source` -- estimators as Python source in library classes, for the script and the model.
    - :mod:`core.output.script_parts` -- what both scripts share: comments, reading the data (a working sample too), the preparation.
    - :mod:`core.output.script` -- the standalone script that repeats what the app fitted.
    - :mod:`core.output.script_story` -- the class script's production section and its decision between fair rivals.
    - :mod:`core.output.number_script` -- the script behind a numeric target's strategies, written from the same estimators (it carries the samplers' source).
    - :mod:`core.output.model_export` -- the fitted model as a skops file.
    - :mod:`core.output.report` -- the self-contained HTML report.
    - :mod:`core.output.shared_settings` -- a comparison's settings as JSON or a link token, validated on import.
    - :mod:`core.output.safe_download` -- downloads safe to open in a spreadsheet.

Teaching and diagnosis (``core/teaching``)
    - :mod:`core.teaching.diagnosis` -- why the data is hard: kinds of small-class rows, complexity measures.
    - :mod:`core.teaching.boundaries` -- decision regions of one model four ways, for teaching.
    - :mod:`core.teaching.lessons` -- the lesson's demos (accuracy paradox, leakage, ratio sweep, threshold or rebalance).
    - :mod:`core.teaching.glossary` -- the lesson's fixed words: the glossary with where to try each term, and the tour.

Shared
    - :mod:`core.errors` -- errors whose message is written for the user.
    - :mod:`core.safe_text` -- user strings made safe to show.
    - :mod:`core.flights` -- heavy work shared by every session: identical work once, the rest in arrival order.
"""
