"""Pure-Python core of Imbalance Explorer.

Nothing in this package imports streamlit (a unit test enforces it): every function here can be
called from a notebook, a test or a benchmark. The modules, by the stage of the user's flow:

Data
    - :mod:`core.loading` -- uploaded bytes (CSV, Parquet, Excel) into a table, with clear errors.
    - :mod:`core.data_folder` -- the server's data folder: its files, and nothing outside it.
    - :mod:`core.working_sample` -- large files: counts over every row and a working sample, by DuckDB.
    - :mod:`core.samples` -- the bundled sample datasets.
    - :mod:`core.generated_data` -- the lesson's generated dataset with a chosen imbalance.
    - :mod:`core.dataset` -- the loaded dataset and its content fingerprint.
    - :mod:`core.roles` -- column roles (numeric, categorical, ID-like, ...), treatments, the feature plan.
    - :mod:`core.target` -- guessing and checking the target column.
    - :mod:`core.distribution` -- class counts, imbalance ratio, severity, class codes.
    - :mod:`core.diagnosis` -- why the data is hard: kinds of small-class rows, complexity measures.
    - :mod:`core.boundaries` -- decision regions of one model four ways, for teaching.
    - :mod:`core.prepared` -- the dataset with its target and plan resolved: what every page reads.
    - :mod:`core.split` -- the stratified train/test split every page shares.

Resample
    - :mod:`core.samplers` -- the one catalogue of imbalanced-learn samplers and how to build them.
    - :mod:`core.chunked_smote` -- SMOTE that writes its output in place (less memory, same rows).
    - :mod:`core.resampling` -- resampling the training split, with each row's origin.
    - :mod:`core.projection` -- 2-D views (PCA, t-SNE, two features) of before and after.
    - :mod:`core.smote_walkthrough` -- a transparent SMOTE for the step-by-step teaching view.

Model
    - :mod:`core.preprocessing` -- impute, scale and encode, fit inside every pipeline.
    - :mod:`core.forest` -- scikit-learn's forest with progress, and the capped forest for large data.
    - :mod:`core.models` -- models and strategies (sampler + model + weighting) as one pipeline; the
      declared vocabularies (:class:`~core.models.Weighting`, :class:`~core.models.Threshold`,
      :class:`~core.models.Calibration`).
    - :mod:`core.estimators` -- two small estimators: the anomaly view and class weights by sample weight.
    - :mod:`core.fit_cost` -- how many fits a strategy makes and about how long they take.
    - :mod:`core.thresholds` -- decision thresholds tuned on training folds.
    - :mod:`core.fitting` -- the grid of fits (strategies × folds) as jobs, here or on a Dask cluster.
    - :mod:`core.training` -- a page's request: reuse what is known, waves, cluster fallback, stop.
    - :mod:`core.metrics` -- the one home of each metric formula.
    - :mod:`core.evaluation` -- a fitted strategy's test-split scores and what is read off them (curves, costs).
    - :mod:`core.intervals` -- each metric's 95 % interval, paired differences, the one verdict rule.
    - :mod:`core.gains` -- cumulative gains, lift and the review budget.
    - :mod:`core.compare` -- the comparison: strategies on offer, leaderboard, paired differences, highlights.
    - :mod:`core.takeaways` -- the comparison in words: takeaways, what helped, the small-split warning.
    - :mod:`core.lessons` -- the lesson's demos (accuracy paradox, leakage, ratio sweep).

Output
    - :mod:`core.figures` -- plotly figures of the data, the resampling and the lessons; the palettes.
    - :mod:`core.result_figures` -- plotly figures of trained strategies (confusion, curves, gains, costs).
    - :mod:`core.chart_text` -- every chart's text alternative, read off the figure.
    - :mod:`core.figure_export` -- the figures as PNG and SVG for slides.
    - :mod:`core.python_source` -- estimators as Python source in library classes, for the script and the model.
    - :mod:`core.script` -- the standalone script that repeats what the app fitted.
    - :mod:`core.model_export` -- the fitted model as a skops file.
    - :mod:`core.report` -- the self-contained HTML report.
    - :mod:`core.shared_settings` -- a comparison's settings as JSON or a link token, validated on import.
    - :mod:`core.export` -- downloads safe to open in a spreadsheet.
    - :mod:`core.text` -- user strings made safe to show.
    - :mod:`core.errors` -- errors whose message is written for the user.
"""
