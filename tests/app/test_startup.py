"""A fresh server's first page does not wait for scikit-learn; the modelling modules follow in the background."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.app.conftest import ROOT

HEAVY = ("sklearn", "imblearn", "scipy")


def _imports(path) -> list[str]:
    tree = ast.parse((ROOT / path).read_text())
    return [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]


def test_the_router_and_the_first_pages_import_no_modelling_library():
    modules = sorted({m for f in ("app.py", "pages/data.py", "pages/class_balance.py") for m in _imports(f)})
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    if m != '__future__': importlib.import_module(m)\n"
        f"print(sorted(h for h in {HEAVY!r} if h in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_warm_up_imports_every_modelling_module():
    code = (
        "import sys\n"
        "from components.warmup import MODULES, warm_up\n"
        "assert warm_up().wait(120)\n"
        "assert warm_up().is_set()  # a second call starts nothing new\n"
        "print(all(m in sys.modules for m in MODULES), 'sklearn' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"], out.stdout + out.stderr
