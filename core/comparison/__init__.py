"""Comparison: each metric's interval, paired differences and the one verdict rule, the review budget, the leaderboard and the takeaways in words.

May import core.data, core.resampling and core.modelling. A test (tests/unit/test_core_purity.py) holds the direction.
"""
