"""Imports point one way: web -> graph -> store; graph never imports flask or web."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
    return names


def test_graph_never_imports_flask_or_web() -> None:
    offenders = []
    for path in sorted((REPO / "graph").rglob("*.py")):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] in {"flask", "werkzeug", "uwsgi", "pyuwsgi"} or "web" in parts:
                offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_only_store_imports_pyoxigraph() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "graph").rglob("*.py")) + sorted((REPO / "web").rglob("*.py"))
        if any(n.split(".")[0] == "pyoxigraph" for n in _imports(path))
        and path.name not in {"store.py"}
    ]
    assert not offenders, f"only graph/store.py may import pyoxigraph: {offenders}"
