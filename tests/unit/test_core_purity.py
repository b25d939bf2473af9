"""core/ must never import streamlit, directly or through what it imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"


def test_no_core_module_imports_streamlit_in_its_source():
    offenders = []
    for path in sorted(CORE.glob("**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_importing_every_core_module_does_not_load_streamlit():
    modules = [f"core.{p.stem}" for p in sorted(CORE.glob("*.py")) if p.stem != "__init__"]
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\nprint('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=CORE.parent, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
