"""The house's shape, held: every module of core/ and components/ on its map, no module reaching into another's
private names, and no module grown past what a newcomer reads in one sitting."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import components

ROOT = Path(__file__).resolve().parents[2]
COMPONENTS = ROOT / "components"
#: The longest a module may grow (the sampler catalogue is a table, and allowed more).
LIMITS = {"core": 480, "components": 450, "pages": 200}
ALLOWED_LONGER = {"core/resampling/catalogue.py"}


def test_the_components_map_lists_every_module_and_no_module_that_is_gone():
    modules = {p.stem for p in COMPONENTS.glob("*.py") if p.stem != "__init__"}
    named = {part.split("`")[0] for part in (components.__doc__ or "").split(":mod:`components.")[1:]}
    assert modules - named == set(), "modules missing from the map"
    assert named - modules == set(), "the map names modules that no longer exist"


def _ours(module: str) -> bool:
    return module.split(".")[0] in {"core", "components", "pages"}


@pytest.mark.parametrize("folder", ["core", "components", "pages"])
def test_no_module_imports_another_modules_private_name(folder):
    """A name with a leading underscore belongs to its module: another module of ours that needs it asks for a
    public one (tests may reach in; the product may not)."""
    found = []
    for path in (ROOT / folder).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and _ours(node.module):
                found += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and a.name != "__version__"]  # fmt: skip
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                base = node.value
                if isinstance(base, ast.Name) and base.id in {"state", "shared_work", "cache"}:
                    found.append(f"{path.relative_to(ROOT)}: {base.id}.{node.attr}")
    assert not found, found


@pytest.mark.parametrize("folder", ["core", "components", "pages"])
def test_no_module_grows_past_its_limit(folder):
    long = {}
    for path in (ROOT / folder).rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LIMITS[folder] and name not in ALLOWED_LONGER:
            long[name] = lines
    assert not long, f"over {LIMITS[folder]} lines: {long}"
