"""Streamlit pieces of Imbalance Explorer: the panels the pages are made of, the cached wrappers around ``core`` and
every session-state key. A page reads state, calls these, and renders; what to compute is decided in ``core``.

Frame and state
    - :mod:`components.state` -- every session-state key in one place, and small typed accessors.
    - :mod:`components.page_setup` -- the shared frame: the per-page guard, the sidebar, the data and split a page needs.
    - :mod:`components.presenting` -- presentation mode: larger type, settings folded away, one chart per width.
    - :mod:`components.messages` -- messages and labels with user strings, escaped so nothing renders as HTML.
    - :mod:`components.charts` -- every chart with its text alternative ("Chart as numbers").
    - :mod:`components.warmup` -- the modelling libraries imported in the background after the first page.

Shared work and caches
    - :mod:`components.shared_work` -- heavy work every session shares: the board, the stores, the wait with progress and Stop, the Dask runner.
    - :mod:`components.cache` -- cached wrappers around core calls, keyed by the run identity.

Data
    - :mod:`components.dataset_picker` -- a bundled sample or an uploaded file, errors shown in the page.
    - :mod:`components.large_data` -- large files of the data folder: a working sample drawn by DuckDB.
    - :mod:`components.column_roles` -- the target picker (and why it was guessed) and the column-roles table.
    - :mod:`components.data_summary` -- the table's preview and its missing values.
    - :mod:`components.class_balance` -- the class-distribution panel: chart, table, ratio and severity.
    - :mod:`components.leak_views` -- too good to be true: columns that give the answer away, with drop and undo.
    - :mod:`components.diagnosis_views` -- why the data is hard: kinds of rows, complexity measures, decision regions.
    - :mod:`components.number_target` -- a numeric target on the Data page: its rare range, and a class made of it.

Resampling
    - :mod:`components.split_controls` -- the split settings every page shares.
    - :mod:`components.sampler_controls` -- the method picker and its parameters, from the one catalogue.
    - :mod:`components.resample_views` -- what a resampling did: counts, the two scatter panels, the download.
    - :mod:`components.feature_pair` -- choosing a 2-D view: two features or a projection.
    - :mod:`components.smote_walkthrough_view` -- SMOTE step by step.

Models and results
    - :mod:`components.strategy_controls` -- strategy slots, forest and tuning settings, the training estimate.
    - :mod:`components.evaluation_views` -- results of trained strategies: the decision, scores, curves, threshold, budget.
    - :mod:`components.production_views` -- what happens in production: the rate, the volume, the outcome table.
    - :mod:`components.compare_views` -- the comparison: picker, leaderboard, differences, takeaways, downloads.
    - :mod:`components.code_views` -- take-aways to run: the script, its data file, a fitted model.
    - :mod:`components.settings_io` -- settings from a JSON file or a link, applied to the widgets.
    - :mod:`components.number_views` -- a numeric target explored as a number: Train and Resample.

Learning
    - :mod:`components.lesson_views` -- the lesson's steps, the generator, the ratio sweep, the glossary and the tour.
"""
