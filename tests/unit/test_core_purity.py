"""core/ must never import streamlit, directly or through what it imports, and its stages import only downwards."""

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


def core_modules() -> list[str]:
    """Every module of core, dotted (``core.data.split``), packages' ``__init__`` as the package itself."""
    out = []
    for path in sorted(CORE.glob("**/*.py")):
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def test_importing_every_core_module_does_not_load_streamlit():
    modules = core_modules()
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\nprint('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=CORE.parent, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


#: The stages, in the order they may import each other: a module may import its own stage, any stage on an
#: earlier floor, and the shared modules; output and teaching share a floor and do not import each other.
FLOORS = {"data": 1, "resampling": 2, "modelling": 3, "comparison": 4, "output": 5, "teaching": 5}
SHARED = {"core.errors", "core.flights", "core.safe_text"}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in FLOORS else None


def test_every_stage_imports_only_the_stages_below_it():
    wrong = []
    for module in core_modules():
        stage = _stage(module)
        path = CORE.parent / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = CORE.parent / module.replace(".", "/") / "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("core"):
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("core")]
            for target in targets:
                if target in SHARED or target == "core":
                    continue
                other = _stage(target)
                if stage is None:
                    wrong.append(f"{module} (shared) imports {target}")
                elif other is None or (other != stage and FLOORS[other] >= FLOORS[stage]):
                    wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_every_module_lives_in_a_stage_or_is_shared():
    loose = [m for m in core_modules() if m != "core" and _stage(m) is None and m not in SHARED
             and m.removeprefix("core.") not in FLOORS]  # fmt: skip
    assert loose == []
