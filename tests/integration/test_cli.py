"""``labourgraph ingest`` through the command line: exit codes, problems, summary, progress."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from labourgraph.graph.store import open_store
from labourgraph.web.cli import main
from labourgraph.web.progress import TerminalProgress
from support import shared_path

MARC = "http://www.loc.gov/MARC21/slim"
GOOD = (
    "<marc:record><marc:leader>00000cam a22000007a 4500</marc:leader>"
    '<marc:controlfield tag="001">9001</marc:controlfield>'
    '<marc:datafield tag="245" ind1="1" ind2="0">'
    '<marc:subfield code="a">Living my life</marc:subfield>'
    "</marc:datafield></marc:record>"
)


def _folder_with_problems(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "README.txt").write_text("Curator's notes, not records.\n", encoding="utf-8")
    (folder / "good.xml").write_text(
        f'<marc:collection xmlns:marc="{MARC}">{GOOD}</marc:collection>', encoding="utf-8"
    )
    (folder / "broken.xml").write_text(
        f'<marc:collection xmlns:marc="{MARC}">{GOOD}', encoding="utf-8"
    )
    return folder


def test_ingest_exits_1_on_a_rejected_record_and_loads_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder_with_problems(tmp_path)
    code = main(["ingest", "--store", str(tmp_path / "store"), str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{folder}/broken.xml, record #1: malformed XML: ")
    assert lines[1] == f"{folder}/README.txt: not XML; skipped"
    assert out.startswith(
        "2 records read: 1 loaded, 0 unchanged, 1 rejected, 0 removed; 1 file(s) skipped; "
    )
    store = open_store(tmp_path / "store")
    assert len(store.graph_names()) == 1


def test_ingest_of_clean_records_exits_0_and_again_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marcxml = shared_path("fixtures", "iish", "marcxml")
    assert main(["ingest", "--store", str(tmp_path / "store"), str(marcxml)]) == 0
    first = capsys.readouterr().out
    assert main(["ingest", "--store", str(tmp_path / "store"), str(marcxml)]) == 0
    again = capsys.readouterr().out
    records = len(list(marcxml.glob("*.xml")))
    assert first.startswith(f"{records} records read: {records} loaded, 0 unchanged, 0 rejected")
    assert again == (
        f"{records} records read: 0 loaded, {records} unchanged, 0 rejected, 0 removed; "
        "0 triples added, 0 removed.\n"
    )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_only_on_a_terminal() -> None:
    quiet, terminal = io.StringIO(), _Terminal()
    for stream in (quiet, terminal):
        progress = TerminalProgress.for_stream(stream)
        progress.start(total_bytes=1000)
        progress.update(bytes_done=500, records=42)
        progress.finish()
    assert quiet.getvalue() == ""
    assert terminal.getvalue().startswith("\r[###############---------------]  50% 42 records ")
    assert terminal.getvalue().endswith("/s\n")


def test_ingest_of_a_missing_path_says_so_and_creates_no_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "dta"
    assert main(["ingest", "--store", str(tmp_path / "store"), str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"labourgraph ingest: {missing}: no such file or folder; expected files or folders "
        "of MARCXML, EAD or EAC-CPF records\n"
    )
    assert not (tmp_path / "store").exists()


def test_serve_refuses_a_store_without_a_graph_before_starting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABOURGRAPH_ALLOCATOR", "system")  # no restart of the test process
    empty = tmp_path / "empty"
    assert main(["serve", "--store", str(empty), "--port", "1"]) == 2
    assert capsys.readouterr().err == (
        f"labourgraph serve: {empty} is not a labourgraph store yet: "
        f"run `labourgraph ingest --store {empty} data/` first\n"
    )
