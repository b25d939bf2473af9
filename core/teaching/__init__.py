"""Teaching and diagnosis: why the data is hard (kinds of rows, complexity measures), decision regions, and the lesson's demos.

May import every stage below it (data, resampling, modelling, comparison); not core.output. A test (tests/unit/test_core_purity.py) holds the direction.
"""
