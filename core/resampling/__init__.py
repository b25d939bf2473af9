"""Resampling: the sampler catalogue, resampling the training split with each row's origin, 2-D views of before and after, and a transparent SMOTE for the step-by-step view.

May import core.data (and core.errors, core.safe_text). A test (tests/unit/test_core_purity.py) holds the direction.
"""
