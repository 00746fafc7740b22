"""Hostile and broken REFI-QDA files are refused with a clear message, and nothing is written anywhere:
no project, no half-made project, no file outside it."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import click
import pytest

from qcode.cli.common import run_cli
from qcode.cli.exchange_cmds import init_from_qdpx
from qcode.errors import InputError
from qcode.interop import safe_zip
from qcode.interop.qdpx_import import init_project_from_qdpx
from qcode.interop.refi_codebook import read_qdc
from tests.interop_support import (
    codes_xml,
    gid,
    project_xml,
    selection_xml,
    text_source_xml,
    users_xml,
    write_qdpx,
)

TEXT = b"interview text"


def good_body(selections: str = "") -> str:
    return users_xml("ann") + codes_xml("Quality") + "<Sources>" + text_source_xml("s1", "t", selections) + "</Sources>"


def good_files() -> dict[str, bytes]:
    return {f"sources/{gid('src:s1')}.txt": TEXT}


def refused(tmp_path: Path, path: Path, match: str) -> InputError:
    """Import `path`, expect refusal, and check that nothing new exists anywhere under tmp_path."""
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    with pytest.raises(InputError, match=match) as caught:
        init_project_from_qdpx(tmp_path / "project", path)
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    return caught.value


def test_zip_slip_entry_names_are_refused(tmp_path):
    path = write_qdpx(tmp_path / "in.qdpx", project_xml(good_body()), {**good_files(), "../../evil.txt": b"pwned"})
    refused(tmp_path, path, r"unsafe entry name '\.\./\.\./evil\.txt'.*climbs out")
    assert not (tmp_path.parent / "evil.txt").exists()


@pytest.mark.parametrize("name", ["/etc/cron.d/evil", "C:/Windows/evil.txt", "sources\\..\\..\\evil.txt"])
def test_absolute_and_backslash_entry_names_are_refused(tmp_path, name):
    path = write_qdpx(tmp_path / "in.qdpx", project_xml(good_body()), {**good_files(), name: b"pwned"})
    refused(tmp_path, path, "unsafe entry name")


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_zip, "MAX_ENTRY_BYTES", 1024 * 1024)
    path = write_qdpx(tmp_path / "in.qdpx", project_xml(good_body()),
                      {**good_files(), "sources/bomb.txt": b"\0" * (8 * 1024 * 1024)})
    assert path.stat().st_size < 64 * 1024  # 8 MiB of zeros packs into a few KiB
    refused(tmp_path, path, "would unpack to 8 MiB, more than the 1 MiB")


def test_the_whole_archive_is_limited_too(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_zip, "MAX_TOTAL_BYTES", 3 * 1024 * 1024)
    files = {**good_files(), **{f"sources/{i}.txt": b"\0" * (1024 * 1024) for i in range(4)}}
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", project_xml(good_body()), files), "more than the 3 MiB")


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_zip, "MAX_ENTRIES", 10)
    files = {**good_files(), **{f"sources/{i}.txt": b"x" for i in range(20)}}
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", project_xml(good_body()), files), "22 entries")


def _lie_about_size(path: Path, entry: str, declared: int) -> None:
    """Rewrite the sizes an archive declares for `entry` (local header and central directory)."""
    data = bytearray(path.read_bytes())
    name = entry.encode()
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at >= 0:
            name_length = struct.unpack_from("<H", data, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            start = at + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(data[start:start + name_length]) == name:
                struct.pack_into("<I", data, at + size_offset, declared)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def test_a_bomb_that_lies_in_its_headers_is_caught_while_unpacking(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_zip, "MAX_ENTRY_BYTES", 1024 * 1024)
    big = b"interview " * (400 * 1024)  # 4 MiB of text, declared as 100 bytes
    path = write_qdpx(tmp_path / "in.qdpx", project_xml(good_body()), {f"sources/{gid('src:s1')}.txt": big})
    _lie_about_size(path, f"sources/{gid('src:s1')}.txt", 100)
    assert zipfile.ZipFile(path).getinfo(f"sources/{gid('src:s1')}.txt").file_size == 100
    # Python's zipfile stops at the declared size, so the CRC check fails; were it to read on, the bytes
    # counted while unpacking would stop it at the limit.
    refused(tmp_path, path, "is damaged: Bad CRC-32")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>&secret;</Description></Project>
"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"])
def test_entity_declarations_are_refused(tmp_path, xml):
    error = refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", xml), "document type declaration")
    assert "root:" not in str(error)  # nothing of /etc/passwd was read into the message


def test_a_doctype_hidden_after_a_long_prolog_is_refused_too(tmp_path):
    xml = '<?xml version="1.0"?>\n' + "<!--" + "x" * 5000 + "-->\n" + EXTERNAL_ENTITY.split("\n", 1)[1]
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", xml), "document type declaration")


def test_entity_declarations_in_a_codebook_file_are_refused(tmp_path):
    path = tmp_path / "book.qdc"
    path.write_text(BILLION_LAUGHS.replace("Project", "CodeBook").replace("project", "codebook"))
    with pytest.raises(InputError, match="document type declaration"):
        read_qdc(path)


@pytest.mark.parametrize("root,hint", [
    ('<Project name="x">', "no namespace"),
    ('<Project xmlns="urn:QDA-XML:project:2.0" name="x">', 'its namespace is "urn:QDA-XML:project:2.0"'),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0">', "not <Project>"),
])
def test_a_wrong_namespace_or_root_is_refused(tmp_path, root, hint):
    tag = root[1:].split()[0].rstrip(">")
    xml = f'<?xml version="1.0"?>{root}</{tag}>'
    error = refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", xml), hint)
    assert error.problems[0].path.endswith("in.qdpx:project.qde") and error.problems[0].line == 1


def test_a_missing_source_file_is_refused_with_its_line(tmp_path):
    error = refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", project_xml(good_body())), "missing from the archive")
    assert error.problems[0].line == 2  # project_xml() puts the whole project on line 2


def test_selections_outside_the_text_are_refused(tmp_path):
    body = good_body(selection_xml("a", 0, 5, "Quality", "ann") + selection_xml("b", 3, len(TEXT) + 40, "Quality", "ann"))
    error = refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", project_xml(body), good_files()), "outside its text")
    assert len(error.problems) == 1 and gid("sel:b") in error.problems[0].message


def test_references_to_nothing_are_refused(tmp_path):
    body = good_body(selection_xml("a", 0, 5, "Nope", "ann"))
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", project_xml(body), good_files()), "not in the codebook")


def test_malformed_xml_is_refused_with_its_line(tmp_path):
    error = refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", '<?xml version="1.0"?>\n<Project name="x">\n<oops>'),
                    "cannot be read")
    assert error.problems[0].line is not None


@pytest.mark.parametrize("content,match", [(b"not a zip at all", "not a ZIP archive"), (None, "no such file")])
def test_not_an_archive(tmp_path, content, match):
    path = tmp_path / "in.qdpx"
    if content is not None:
        path.write_bytes(content)
    refused(tmp_path, path, match)


def test_an_archive_without_project_xml(tmp_path):
    path = tmp_path / "in.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("folder/project.qde", "<x/>")
    refused(tmp_path, path, "zip the folder's contents")


def test_the_cli_prints_the_problem_with_file_and_line_and_no_traceback(tmp_path, capsys):
    path = write_qdpx(tmp_path / "in.qdpx", project_xml(good_body()))
    command = click.Command("init", callback=lambda: init_from_qdpx(str(tmp_path / "project"), str(path)))
    assert run_cli(command, []) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}:project.qde:2: text source 't': its file")
    assert "Traceback" not in err
    assert not (tmp_path / "project").exists()


def test_compressed_streams_that_are_damaged_are_refused(tmp_path):
    path = write_qdpx(tmp_path / "in.qdpx", project_xml(good_body()), good_files())
    data = bytearray(path.read_bytes())
    compressed = zlib.compress(TEXT)[2:-4]
    at = data.find(compressed[:6])
    if at < 0:
        pytest.skip("could not locate the compressed stream")
    data[at:at + 6] = b"\xff" * 6
    path.write_bytes(bytes(data))
    refused(tmp_path, path, "damaged|not UTF-8")


def test_a_code_tree_nested_without_end_is_refused(tmp_path):
    depth = 40
    codes = "".join(f'<Code guid="{gid(f"deep{i}")}" name="c{i}" isCodable="true">' for i in range(depth)) + \
        "</Code>" * depth
    body = users_xml("ann") + f"<CodeBook><Codes>{codes}</Codes></CodeBook>"
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", project_xml(body)), "nested more than 24 levels")
