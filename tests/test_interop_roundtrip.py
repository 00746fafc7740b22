"""`qcode export qdpx` then `qcode init --from`: the same transcripts, codes, coders, codings, memos and
review status come back, and the export is a valid REFI-QDA 1.5 project with stable GUIDs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qcode.interop.qdpx_export import export_qdpx
from qcode.interop.qdpx_import import init_project_from_qdpx
from qcode.interop.refi_common import code_guid, selection_guid, user_guid
from qcode.project.codebook_loading import current_codebook
from qcode.project.coding import CodingSession
from qcode.project.demo import build_demo
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from tests.interop_support import NS, snapshot, validate

EXTRA = "访谈者：您用过公众号吗？\n受访者：用过👍，𠮷野家的优惠券也是在上面领的。\n访谈者：好的。\n"


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> Path:
    """The demo project plus a transcript with emoji and 𠮷, coded by two coders, with memos and review."""
    root = tmp_path_factory.mktemp("roundtrip") / "demo"
    extra = root.parent / "emoji-interview.txt"
    extra.write_text(EXTRA, encoding="utf-8")
    with build_demo(root, analysed=False) as project:  # the interviews only: the codings here are the test's
        import_transcripts(project, [extra])
        store = project.store
        emoji = store.transcripts.by_name("emoji-interview")
        a01 = store.transcripts.by_name("A01-editor")
        text = store.transcripts.text(emoji.id)
        alice, bob = CodingSession(store, "alice"), CodingSession(store, "bob"),
        thumb = text.index("👍")
        kichi = text.index("𠮷")
        alice.apply(emoji, "T.ADVANTAGE", thumb - 2, thumb + 1, memo="表情符号 👍 counts")
        bob.apply(emoji, "T.ADVANTAGE", thumb, thumb + 1)
        alice.apply(emoji, "E.PLATFORM", kichi, kichi + 3)
        bob.apply(emoji, "NPS.CITIZEN", kichi, text.index("。", kichi) + 1)
        alice.apply(a01, "NPS.CITIZEN", 100, 160)
        bob.apply(a01, "O.STAFF", 120, 200, memo="staff")
        alice.set_memo("project", "", "项目备忘：两位编码员")
        bob.set_memo("transcript", emoji.guid, "emoji 👍 and 𠮷")
        alice.set_memo("code", "NPS.CITIZEN", "definition is fuzzy <here> & there")
        alice.set_complete(emoji)
        bob.set_complete(a01)
        bob.set_complete(emoji, False)
    return root


@pytest.fixture(scope="module")
def exported(coded, tmp_path_factory) -> Path:
    with Project.open(coded) as project:
        summary = export_qdpx(project, tmp_path_factory.mktemp("out") / "demo.qdpx")
    assert (summary.transcripts, summary.coders, summary.codings, summary.memos) == (7, 2, 6, 3)
    return summary.path


def test_round_trip_gives_the_same_project(coded, exported, tmp_path):
    report = init_project_from_qdpx(tmp_path / "again", exported)
    assert (report.transcripts, report.codes, report.coders, report.codings, report.memos, report.review) == \
        (7, 41, 2, 6, 3, 3)
    assert report.skipped == [] and report.warnings == []
    with Project.open(coded) as original, Project.open(tmp_path / "again") as again:
        before, after = snapshot(original), snapshot(again)
        assert after == before
        # the imported transcripts are cut into turns and sentences like any import
        info = again.store.transcripts.by_name("emoji-interview")
        assert [u.speaker for u in again.store.transcripts.units(info.id, "turn")] == ["访谈者", "受访者", "访谈者"]


def test_spans_with_emoji_and_astral_characters_cover_the_same_text(coded, exported, tmp_path):
    init_project_from_qdpx(tmp_path / "again", exported)
    with Project.open(coded) as original, Project.open(tmp_path / "again") as again:
        def excerpts(project):
            store = project.store
            return sorted((c.guid, store.transcripts.text(store.transcripts.by_name(c.transcript).id)[c.start:c.end])
                          for c in store.codings.all())
        assert excerpts(again) == excerpts(original)
        assert ("👍" in dict(excerpts(again)).values()) and any(e.startswith("𠮷野家") for _, e in excerpts(again))


def test_export_is_valid_refi_qda(exported):
    result = validate(exported)
    assert result.returncode == 0, result.stdout
    assert "valid (0 error(s), 0 warning(s))" in result.stdout


def _qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_export_content(coded, exported):
    root = _qde(exported)
    q = f"{{{NS}}}"
    assert [u.get("name") for u in root.iter(q + "User")] == ["alice", "bob"]
    assert root.find(f"{q}Users/{q}User").get("guid") == user_guid("alice")
    group = root.find(f"{q}CodeBook/{q}Codes/{q}Code")
    assert (group.get("name"), group.get("isCodable"), group.get("guid")) == ("新公共服务理论原则", "false", code_guid("NPS"))
    child = group.find(q + "Code")
    assert child.get("isCodable") == "true" and child.get("color") == "#6973E5"
    with zipfile.ZipFile(exported) as archive:
        names = archive.namelist()
        with Project.open(coded) as project:
            definition = current_codebook(project.store)["NPS.CITIZEN"].definition
            assert child.find(q + "Description").text.startswith(f"{definition.get('zh')}\n\n{definition.get('en')}")
            info = project.store.transcripts.by_name("emoji-interview")
            assert f"sources/{info.guid}.txt" in names
            assert archive.read(f"sources/{info.guid}.txt") == EXTRA.encode("utf-8")  # canonical text, no BOM
            coding = next(c for c in project.store.codings.all() if c.memo == "表情符号 👍 counts")
    selection = next(s for s in root.iter(q + "PlainTextSelection") if s.get("guid") == selection_guid(coding.guid))
    assert (int(selection.get("startPosition")), int(selection.get("endPosition"))) == (coding.start, coding.end)
    assert selection.get("creatingUser") == user_guid("alice")
    assert selection.find(q + "Description").text == "表情符号 👍 counts"
    assert selection.find(q + "Coding").get("guid") == coding.guid
    assert selection.find(f"{q}Coding/{q}CodeRef").get("targetGUID") == code_guid("T.ADVANTAGE")
    notes = {n.get("guid"): n.find(q + "PlainTextContent").text for n in root.iter(q + "Note")}
    assert sorted(notes.values()) == sorted(["项目备忘：两位编码员", "emoji 👍 and 𠮷", "definition is fuzzy <here> & there"])
    assert root.find(q + "NoteRef").get("targetGUID") in notes  # the project memo
    assert {s.get("name") for s in root.iter(q + "Set")} == {"alice: coded completely", "bob: coded completely",
                                                            "bob: coding in progress"}


def test_guids_are_stable_from_one_export_to_the_next(coded, exported, tmp_path):
    with Project.open(coded) as project:
        second = export_qdpx(project, tmp_path / "second.qdpx").path

    def guids(path):
        return [(e.tag, e.get("guid"), e.get("targetGUID")) for e in _qde(path).iter()]

    assert guids(second) == guids(exported)


def test_export_import_export_gives_the_same_file(coded, exported, tmp_path):
    init_project_from_qdpx(tmp_path / "again", exported)
    with Project.open(tmp_path / "again") as again:
        second = export_qdpx(again, tmp_path / "second.qdpx").path
    first, other = _qde(exported), _qde(second)
    for root in (first, other):  # the project's name, creation and export times are allowed to differ
        for attribute in ("name", "creationDateTime", "modifiedDateTime"):
            root.attrib.pop(attribute, None)
        for source in root.iter(f"{{{NS}}}TextSource"):
            source.attrib.pop("creationDateTime", None)
    assert etree.tostring(other) == etree.tostring(first)


def test_merging_the_round_tripped_project_back_changes_nothing(coded, exported, tmp_path):
    from qcode.interop.merge import merge_projects
    from tests.interop_support import dump

    init_project_from_qdpx(tmp_path / "again", exported)
    with Project.open(coded) as original:
        before = dump(original.db_path)
        report = merge_projects(original, [tmp_path / "again"])
        assert report.applied and not report.conflicts
        assert sum(t.added + t.updated for t in report.files[0].tallies.values()) == 0
        assert dump(original.db_path) == before


def test_codes_stored_without_a_codebook_document_are_exported_too(project, tmp_path):
    from tests.conftest import code_row

    store = project.store
    with store.transaction() as tx:
        info = store.transcripts.insert(guid="8c6a2f0e-0000-4000-8000-000000000001", name="t", sha256="h",
                                        text="受访者：很好。", source_path=None, encoding="utf-8")
        store.codes.replace_all(tx, [code_row("G", 0, codable=False), code_row("G.A", 1, parent="G")])
    CodingSession(store, "ann").apply(info, "G.A", 4, 6)
    path = export_qdpx(project, tmp_path / "rows.qdpx").path
    result = validate(path)
    assert result.returncode == 0, result.stdout
    init_project_from_qdpx(tmp_path / "again", path)
    with Project.open(tmp_path / "again") as again:
        assert [(c.id, c.codable) for c in current_codebook(again.store)] == [("G", False), ("G.A", True)]
        assert [(c.code, c.start, c.end) for c in again.store.codings.all()] == [("G.A", 4, 6)]
