"""No command writes over a project's own files; other existing files are replaced only when they are a
previous export of the same kind, or with --force."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile

import pytest

from qcode.errors import InputError
from qcode.project.outputs import check_output_path

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture

# Every command that writes a file, as (arguments before the file, how the file is given).
WRITERS = {
    "export qdpx": (["export", "qdpx"], None),
    "export qdc": (["export", "qdc"], None),
    "export xlsx": (["export", "xlsx"], None),
    "codings export": (["codings", "export"], "-o"),
    "quotes md": (["quotes", "Q"], "-o"),
    "quotes xlsx": (["quotes", "Q", "--format", "xlsx"], "-o"),
    "quotes csv": (["quotes", "Q", "--format", "csv"], "-o"),
    "codebook export": (["codebook", "export"], "-o"),
    "codebook export yaml": (["codebook", "export", "--format", "yaml"], "-o"),
    "codebook show": (["codebook", "show"], "-o"),
    "backup": (["backup"], None),
    "freq": (["freq"], "-o"),
    "freq xlsx": (["freq", "--format", "xlsx"], "-o"),
    "cooccur": (["cooccur", "--format", "csv"], "-o"),
    "agree": (["agree", "--format", "json", "--include-incomplete"], "-o"),
    "agree methods": (["agree", "--methods", "zh", "--include-incomplete"], "-o"),
    "disagreements": (["disagreements", "--include-incomplete"], "-o"),
    "transcripts": (["transcripts", "--format", "csv"], "-o"),
    "words": (["words"], "-o"),
    "search": (["search", "公众号"], "-o"),
    "matrix": (["matrix"], "-o"),
    "memos": (["memos"], "-o"),
    "consensus export": (["consensus", "export"], "-o"),
    "attributes export": (["attributes", "export"], "-o"),
}


def command(name: str, target, root) -> list[str]:
    args, flag = WRITERS[name]
    return [*args, *([flag] if flag else []), str(target), "-p", str(root)]


def fingerprint(root) -> dict[str, str]:
    """The database's content (SQL dump) and every other project file's bytes. The -wal and -shm files
    change whenever SQLite checkpoints; what they hold is part of the dump."""
    files = [p for p in sorted(root.rglob("*")) if p.is_file() and "exports" not in p.parts
             and not p.name.startswith("qcode.db")]
    found = {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    connection = sqlite3.connect(root / "qcode.db")
    try:
        found["qcode.db"] = hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()
    return found


@pytest.fixture
def project_with_codebook_file(report_project):
    root = report_project.root
    (root / "codebooks" / "mine.yaml").write_text("# my commented codebook\ncodes: []\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("name", list(WRITERS))
@pytest.mark.parametrize("own", ["qcode.db", "qcode.db-wal", "qcode.db-shm", "qcode.toml", "dictionary.txt",
                                 "codebooks/mine.yaml"])
def test_no_command_writes_over_a_project_file(name, own, project_with_codebook_file, run):
    root = project_with_codebook_file
    before = fingerprint(root)
    for force in ([], ["--force"]):
        if force and name == "backup":
            continue  # backup has no --force: it never replaces anything
        result = run(*command(name, root / own, root), *force)
        assert result.exit_code != 0, (name, own, result.stdout)
        assert "project's own files" in result.stderr or "SQLite database" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert fingerprint(root) == before


def test_a_link_to_the_database_under_another_name_is_refused(report_project, run, tmp_path):
    root = report_project.root
    link = tmp_path / "innocent.qdpx"
    link.hardlink_to(root / "qcode.db")
    before = fingerprint(root)
    result = run(*command("export qdpx", link, root), "--force")
    assert result.exit_code == 1 and "project's own files" in result.stderr
    symlink = tmp_path / "innocent.csv"
    symlink.symlink_to(root / "qcode.toml")
    assert run(*command("codings export", symlink, root), "--force").exit_code == 1
    assert fingerprint(root) == before


@pytest.mark.parametrize("name", ["export qdpx", "export qdc", "export xlsx", "codings export", "quotes xlsx",
                                  "codebook export", "freq", "agree methods"])
def test_a_previous_export_of_the_same_kind_is_replaced_anything_else_needs_force(name, report_project, run,
                                                                                   tmp_path):
    root = report_project.root
    target = tmp_path / "out.file"
    first = run(*command(name, target, root))
    assert first.exit_code == 0, first.stderr
    again = run(*command(name, target, root))
    assert again.exit_code == 0, again.stderr  # a previous export of the same kind

    other = tmp_path / "notes.file"
    other.write_text("my thesis notes\n", encoding="utf-8")
    refused = run(*command(name, other, root))
    assert refused.exit_code == 1 and "use --force" in refused.stderr
    assert other.read_text(encoding="utf-8") == "my thesis notes\n"
    forced = run(*command(name, other, root), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert other.read_text(encoding="utf-8", errors="replace") != "my thesis notes\n"


def test_kinds_are_told_apart(report_project, run, tmp_path):
    root = report_project.root
    qdpx, xlsx = tmp_path / "a.qdpx", tmp_path / "a.xlsx"
    assert run(*command("export qdpx", qdpx, root)).exit_code == 0
    assert run(*command("export xlsx", xlsx, root)).exit_code == 0
    # A .qdpx is no workbook, a workbook is no .qdpx, and someone else's zip is neither.
    assert run(*command("export xlsx", qdpx, root)).exit_code == 1
    assert run(*command("export qdpx", xlsx, root)).exit_code == 1
    foreign = tmp_path / "foreign.xlsx"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("docProps/core.xml", "<cp:coreProperties>Written by Excel</cp:coreProperties>")
    assert run(*command("export xlsx", foreign, root)).exit_code == 1
    assert zipfile.ZipFile(qdpx).namelist()[0] == "project.qde"


def test_a_backup_is_never_replaced_and_other_databases_are_never_written_over(report_project, run, tmp_path):
    root = report_project.root
    copy = tmp_path / "copy.db"
    assert run("backup", copy, "-p", root).exit_code == 0
    assert run("backup", copy, "-p", root).exit_code == 1
    result = run(*command("codings export", copy, root), "--force")
    assert result.exit_code == 1 and "SQLite database" in result.stderr


def test_folders_and_pipes_are_refused(tmp_path):
    import os

    with pytest.raises(InputError, match="is a folder"):
        check_output_path(tmp_path, "text")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        check_output_path(fifo, "text", force=True)


def test_text_outputs_are_recognised_by_their_first_line(tmp_path):
    previous = tmp_path / "codings.csv"
    previous.write_text("\ufeffcoder,transcript,start,end,code,memo\nann,t1,0,3,Q,\n", encoding="utf-8")
    assert check_output_path(previous, "text", first_line="coder,transcript,start,end,code,memo") == previous
    with pytest.raises(InputError, match="use --force"):
        check_output_path(previous, "text", first_line="code,name,codings")
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    assert check_output_path(empty, "text", first_line="## Quotes") == empty
