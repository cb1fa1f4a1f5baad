"""`pip install .` alone gives a working labourgraph: the wheel holds code, data files and deps."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from email.parser import Parser

import pytest
from support import REPO

# import names of the runtime dependencies, as pyproject.toml names the distributions
# import name -> distribution; `uwsgi` is the module the pyuwsgi server gives its workers
DISTRIBUTIONS = {"SPARQLWrapper": "sparqlwrapper", "yaml": "pyyaml", "uwsgi": "pyuwsgi"}
STDLIB = set(sys.stdlib_module_names)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("labourgraph-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_holds_every_data_file_the_code_reads(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    wanted = [
        *(f"labourgraph/ontology/{p.name}" for p in (REPO / "ontology").glob("*.ttl")),
        *(
            f"labourgraph/sparql/{p.relative_to(REPO / 'sparql')}"
            for p in (REPO / "sparql").rglob("*.rq")
        ),
        *(
            f"labourgraph/web/templates/{p.name}"
            for p in (REPO / "web" / "templates").glob("*.html")
        ),
        *(
            f"labourgraph/web/{p.relative_to(REPO / 'web')}"
            for p in (REPO / "web" / "static").rglob("*.*")
        ),
    ]
    missing = [w for w in wanted if w not in names]
    assert not missing, f"not in the wheel: {missing}"


def test_the_wheel_declares_the_command_and_every_runtime_import(wheel: zipfile.ZipFile) -> None:
    meta_name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    meta = Parser().parsestr(wheel.read(meta_name).decode())
    required = {
        r.split(";")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower()
        for r in meta.get_all("Requires-Dist") or []
        if "extra ==" not in r
    }
    entry = next(n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt"))
    assert "labourgraph = labourgraph.web.cli:main" in wheel.read(entry).decode()
    imported: set[str] = set()
    for folder in ("graph", "web"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in STDLIB and m != "labourgraph"}
    undeclared = sorted(
        m for m in third_party if DISTRIBUTIONS.get(m, m).lower().replace("_", "-") not in required
    )
    assert not undeclared, f"imported at run time but not in [project] dependencies: {undeclared}"
