"""Static promises: no unpickling or eval of anything, no raw HTML from our code, safe server settings."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for folder in ("core", "components", "pages") for p in (ROOT / folder).glob("**/*.py")] + [ROOT / "app.py"]
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_MODULES = {"pickle", "joblib", "dill", "cloudpickle", "shelve", "marshal"}
#: What may be imported from them: joblib's parallel loop, which sends the app's own fits to a Dask cluster
#: the server is configured with (never a user's file); not ``joblib.load``.
ALLOWED = {("joblib", "Parallel"), ("joblib", "delayed"), ("joblib", "parallel_config")}


def test_no_code_loads_pickles_or_evaluates_strings():
    problems = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                if isinstance(node, ast.ImportFrom) and all((node.module, a.name) in ALLOWED for a in node.names):
                    continue
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                problems += [f"{path.name}: imports {n}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES]
            if isinstance(node, ast.Call):
                fn = node.func
                if isinstance(fn, ast.Name) and fn.id in FORBIDDEN_CALLS:  # the builtins, not re.compile
                    problems.append(f"{path.name}:{node.lineno}: {fn.id}")
                if isinstance(fn, ast.Attribute) and fn.attr in {"read_pickle", "loads", "load"}:
                    owner = ast.unparse(fn.value)
                    if fn.attr == "read_pickle" or owner.split(".")[0] in FORBIDDEN_MODULES:
                        problems.append(f"{path.name}:{node.lineno}: {ast.unparse(fn)}")
    assert problems == []


def test_no_raw_html_is_rendered_by_the_app():
    """No Markdown with HTML, no components; ``st.html`` only with a fixed string of its own module (the
    presentation style sheet), so no user string can reach it."""
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text, path.name
        assert "components.v1" not in text, path.name
        tree = ast.parse(text)
        constants = {
            t.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for t in node.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.html":
                (arg,) = node.args
                assert isinstance(arg, ast.Name) and arg.id in constants, (
                    f"{path.name}:{node.lineno}: {ast.unparse(node)}"
                )


def test_server_settings_for_deployment():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 200
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
