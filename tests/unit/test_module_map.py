"""The module map in core/__init__.py names every module of core, so a newcomer finds each room."""

from __future__ import annotations

from pathlib import Path

import core

CORE = Path(core.__file__).parent


def test_the_module_map_lists_every_module_and_no_module_that_is_gone():
    modules = {
        ".".join(p.relative_to(CORE).with_suffix("").parts) for p in CORE.glob("**/*.py") if p.stem != "__init__"
    }
    doc = core.__doc__ or ""
    named = {part.split("`")[0] for part in doc.split(":mod:`core.")[1:]}
    assert modules - named == set(), "modules missing from the map"
    assert named - modules == set(), "the map names modules that no longer exist"


def test_every_stage_says_what_lives_there_and_what_it_may_import():
    for init in CORE.glob("*/__init__.py"):
        doc = init.read_text()
        assert doc.startswith('"""') and "May import" in doc, init.parent.name
