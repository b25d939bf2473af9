"""Pure-Python core of Imbalance Explorer.

Nothing in this package imports streamlit: every function here can be called from a
notebook, a test or a benchmark. One module per concept:

- :mod:`core.text` -- making user strings safe to show.
- :mod:`core.loading` -- reading uploaded bytes into a table, with clear errors.
- :mod:`core.dataset` -- the loaded dataset and its content fingerprint.
- :mod:`core.samples` -- the bundled sample datasets.
- :mod:`core.roles` -- column roles (numeric, categorical, ID-like, ...) and treatments.
- :mod:`core.target` -- guessing and validating the target column.
- :mod:`core.distribution` -- class counts, imbalance ratio and severity.
- :mod:`core.figures` -- plotly figure builders.
"""
