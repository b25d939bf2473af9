"""Modelling: strategies as pipelines, the small estimators and forests, tuned thresholds, the grid of fits and a page's training request, a fitted strategy's test-split scores and the metric formulas.

May import core.data and core.resampling. A test (tests/unit/test_core_purity.py) holds the direction.
"""
