"""Output: figures and their text alternatives, images for slides, the HTML report, the generated script, the model file, shareable settings and spreadsheet-safe downloads.

May import every stage below it (data, resampling, modelling, comparison); not core.teaching. A test (tests/unit/test_core_purity.py) holds the direction.
"""
