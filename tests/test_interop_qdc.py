"""`qcode export qdc`, `qcode codebook convert FILE.qdc OUT.yaml` (and `codebook load FILE.qdc` through
`read_qdc`), and the `qcode export qdpx` command."""

from __future__ import annotations

import pytest

from qcode.cli.common import run_cli
from qcode.cli.exchange_cmds import convert
from qcode.codebook import load_codebook, read_codebook
from qcode.errors import InputError
from qcode.interop.refi_codebook import qdc_bytes, read_qdc
from qcode.project.codebook_loading import install_codebook
from qcode.resources import bundled_codebook
from tests.interop_support import SAMPLES, require_shared, validate


@pytest.fixture
def with_codebook(project):
    install_codebook(project, load_codebook(bundled_codebook()), source="bundled")
    return project


def test_export_qdc_is_valid_and_reads_back_as_the_same_codebook(with_codebook, tmp_path, run):
    out = tmp_path / "book.qdc"
    result = run("export", "qdc", out, "-p", with_codebook.root)
    assert result.exit_code == 0, result.stderr
    checked = validate(out)
    assert checked.returncode == 0 and "valid (0 error(s), 0 warning(s))" in checked.stdout, checked.stdout
    book, warnings = read_qdc(out)
    assert warnings == []
    assert book.content_hash() == load_codebook(bundled_codebook()).content_hash()


def test_convert_writes_our_yaml(tmp_path, capsys):
    source = tmp_path / "book.qdc"
    source.write_bytes(qdc_bytes(load_codebook(bundled_codebook()), "test"))
    out = tmp_path / "book.yaml"
    assert run_cli(convert, [str(source), str(out)]) == 0
    reading = read_codebook(out)
    assert reading.errors == () and reading.codebook.content_hash() == load_codebook(bundled_codebook()).content_hash()
    assert "35 codes in 6 groups" in capsys.readouterr().err
    assert run_cli(convert, [str(source), str(out)]) == 1  # no silent overwrite
    assert "--force" in capsys.readouterr().err
    assert run_cli(convert, [str(source), str(out), "--force"]) == 0


def test_a_codebook_from_another_program(tmp_path):
    require_shared(SAMPLES / "minimal.qdc")
    book, warnings = read_qdc(SAMPLES / "minimal.qdc")
    assert [(c.id, c.codable) for c in book] == [("Barriers", False), ("Barriers.Cost", True),
                                                 ("Barriers.Transport", True), ("Feelings", True),
                                                 ("Feelings.Frustration", True)]
    assert [w.message for w in warnings] == ["1 code set not kept, qcode codebooks have no sets: 'Affect'"]


@pytest.mark.parametrize("xml,message", [
    ('<CodeBook xmlns="urn:QDA-XML:project:1.0"><Codes/></CodeBook>', 'its namespace is "urn:QDA-XML:project:1.0"'),
    ('<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', "not <CodeBook>"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "has no <Codes>/<Code>"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x" isCodable="true"/></Codes></CodeBook>',
     "no valid guid"),
])
def test_bad_codebook_files_are_refused_with_a_location(tmp_path, xml, message):
    path = tmp_path / "bad.qdc"
    path.write_text(f'<?xml version="1.0"?>\n{xml}', encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_qdc(path)
    assert caught.value.problems[0].path == str(path) and caught.value.problems[0].line == 2


def test_export_qdc_needs_a_codebook(project, tmp_path, run):
    result = run("export", "qdc", tmp_path / "x.qdc", "-p", project.root)
    assert result.exit_code == 1 and "no codebook yet" in result.stderr


def test_export_qdpx_command(with_codebook, tmp_path, run):
    out = tmp_path / "sub" / "project.qdpx"
    result = run("export", "qdpx", out, "-p", with_codebook.root)
    assert result.exit_code == 0, result.stderr
    assert f"Wrote {out}: 0 transcripts, 41 codes and groups, 0 coders, 0 codings, 0 memos." in result.stdout
    assert run("export", "qdpx", out, "-p", with_codebook.root).exit_code == 0  # exporting again replaces it
    assert sorted(p.name for p in out.parent.iterdir()) == ["project.qdpx"]  # no temporary files left


def test_export_qdpx_where_no_file_can_be_written(with_codebook, tmp_path, run):
    (tmp_path / "plain-file").write_text("not a folder")
    result = run("export", "qdpx", tmp_path / "plain-file" / "x.qdpx", "-p", with_codebook.root)
    assert result.exit_code == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr
