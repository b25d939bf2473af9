"""Data: loading tables, the server's data folder, large files, bundled and generated datasets, column roles, the target, the class mix, the prepared data and the split.

May import core.errors and core.safe_text only. A test (tests/unit/test_core_purity.py) holds the direction.
"""
