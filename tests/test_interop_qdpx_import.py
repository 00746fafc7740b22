"""`qcode init DIR --from FILE.qdpx` with files as other programs write them: paths, position conventions,
codes, users, notes, and everything that cannot be imported listed in the report."""

from __future__ import annotations

import click
import pytest

from qcode.cli.common import run_cli
from qcode.cli.exchange_cmds import init_from_qdpx
from qcode.errors import InputError
from qcode.interop.positions import Counting
from qcode.interop.qdpx_import import init_project_from_qdpx
from qcode.interop.qdpx_read import read_qdpx
from qcode.project.codebook_loading import current_codebook
from qcode.project.project import Project
from tests.interop_support import (
    SAMPLES,
    codes_xml,
    gid,
    project_xml,
    require_shared,
    selection_xml,
    text_source_xml,
    users_xml,
    write_qdpx,
)

TEXT = "访谈者：您觉得怎么样？\n受访者：公众号很好用。Great 👍 really.\n"


def _codings(root):
    """(coder, code, excerpt, memo) of every coding in a project, sorted."""
    with Project.open(root) as project:
        store = project.store
        return sorted((c.coder, c.code, store.transcripts.text(store.transcripts.by_name(c.transcript).id)[c.start:c.end],
                       c.memo) for c in store.codings.all())


def simple_file(tmp_path, selections: str, text: str = TEXT, **kwargs):
    body = users_xml("ann", "ben") + codes_xml("Quality", "Praise") + "<Sources>" + \
        text_source_xml("s1", "interview 1", selections) + "</Sources>"
    return write_qdpx(tmp_path / "in.qdpx", project_xml(body, **kwargs),
                      {f"sources/{gid('src:s1')}.txt": text.encode("utf-8")})


def test_a_standard_file_imports_users_codes_sources_and_codings(tmp_path):
    start = TEXT.index("公众号")
    selections = (selection_xml("a", start, start + 6, "Quality", "ann", name="公众号很好用。")
                  + selection_xml("b", TEXT.index("👍"), TEXT.index("👍") + 1, "Praise", "ben", name="👍"))
    report = init_project_from_qdpx(tmp_path / "p", simple_file(tmp_path, selections))
    assert (report.transcripts, report.codes, report.coders, report.codings) == (1, 2, 2, 2)
    assert report.counting.startswith("code points")
    assert _codings(tmp_path / "p") == [("ann", "Quality", "公众号很好用", ""), ("ben", "Praise", "👍", "")]
    with Project.open(tmp_path / "p") as project:
        [info] = project.store.transcripts.all()
        assert (info.guid, info.name) == (gid("src:s1"), "interview 1")
        assert [u.speaker for u in project.store.transcripts.units(info.id, "turn")] == ["访谈者", "受访者"]


def test_the_minimal_sample(tmp_path):
    require_shared(SAMPLES / "minimal.qdpx")
    report = init_project_from_qdpx(tmp_path / "p", SAMPLES / "minimal.qdpx")
    assert report.origin == "refi-qda sample generator 1.0"
    assert report.skipped == []  # variables and cases are imported as person attributes and persons
    with Project.open(tmp_path / "p") as project:
        from qcode.project.attributes import list_persons

        persons = {p["person"]: p for p in list_persons(project.store)}
        assert persons["P01"] == {"person": "P01", "speaks_as": [], "attributes": {"Role": "nurse", "Age": "34"}}
    codings = _codings(tmp_path / "p")
    assert len(codings) == 6
    assert ("bob", "Barriers.Transport", "𠮷野家", "") in codings
    assert ("bob", "Feelings.Frustration", "😤", "Emoji typed by the participant in the chat interview.") in codings
    assert ("alice", "Feelings.Frustration", "我觉得很难。", "P01 switches to Chinese when describing difficulty.") \
        in codings  # a note linked from the selection joins the coding's memo
    with Project.open(tmp_path / "p") as project:
        book = current_codebook(project.store)
        assert [(c.id, c.codable, c.parent) for c in book] == [
            ("Barriers", False, None), ("Barriers.Cost", True, "Barriers"), ("Barriers.Transport", True, "Barriers"),
            ("Feelings", True, None), ("Feelings.Frustration", True, "Feelings")]
        assert book["Barriers.Cost"].color == "#e53935"
        assert str(book["Barriers.Cost"].definition) == "Money spent or lacking."
        assert [(m.target_kind, m.coder, m.text) for m in project.store.memos.all()] == [
            ("project", "alice", "Started coding P01 with two coders.")]


def test_the_nvivo_style_sample_is_converted_from_utf16_units_and_crlf(tmp_path):
    require_shared(SAMPLES / "nvivo_style.qdpx")
    report = init_project_from_qdpx(tmp_path / "p", SAMPLES / "nvivo_style.qdpx")
    assert report.counting.startswith(str(Counting.UTF16))
    codings = _codings(tmp_path / "p")
    assert len(codings) == 14
    assert all(excerpt.startswith("Speaker ") and excerpt.endswith("about the topic.") for _, _, excerpt, _ in codings)


def nvivo_like(tmp_path, lines: list[str]):
    """Written the NVivo way: Sources/ folder, BOM, CRLF, empty names, positions in UTF-16 units."""
    text = "\r\n".join(lines) + "\r\n"
    selections, position = [], 0
    for i, line in enumerate(lines):
        start = len(text[:position].encode("utf-16-le")) // 2
        end = start + len(line.encode("utf-16-le")) // 2
        selections.append(selection_xml(f"n{i}", start, end, "Quality", "ann"))
        position += len(line) + 2
    body = users_xml("ann") + codes_xml("Quality") + "<Sources>" + text_source_xml("s1", "comments", "".join(selections)) \
        + "</Sources>"
    return write_qdpx(tmp_path / "nv.qdpx", project_xml(body, origin="NVivo for Windows 12.6"),
                      {f"Sources/{gid('src:s1')}.txt": b"\xef\xbb\xbf" + text.encode("utf-8")})


def test_nvivo_positions_are_recognised_from_where_selections_start_and_end(tmp_path):
    lines = [f"评论 {i}：这个公众号{'😀' * (i % 3)}更新很及时，点赞。" for i in range(8)] + \
            [f"Comment {i}: plain words only here." for i in range(6)]
    report = init_project_from_qdpx(tmp_path / "p", nvivo_like(tmp_path, lines))
    assert report.counting.startswith(str(Counting.UTF16))
    assert sorted(excerpt for _, _, excerpt, _ in _codings(tmp_path / "p")) == sorted(lines)
    with Project.open(tmp_path / "p") as project:
        [info] = project.store.transcripts.all()
        assert project.store.transcripts.text(info.id) == "\n".join(lines) + "\n"  # no BOM, LF


def test_code_points_over_crlf_text_follow_the_standard(tmp_path):
    text = "Q: 你好\r\nA: 很好 😀 yes\r\nQ: 再见\r\n"
    start = text.index("很好")
    selections = selection_xml("a", start, start + len("很好 😀 yes"), "Quality", "ann", name="很好 😀 yes")
    report = init_project_from_qdpx(tmp_path / "p", simple_file(tmp_path, selections, text))
    assert report.counting.startswith("code points:")
    assert _codings(tmp_path / "p") == [("ann", "Quality", "很好 😀 yes", "")]


def test_sources_inside_the_archive_by_relative_path_and_inline_text(tmp_path):
    body = users_xml("ann") + codes_xml("Quality") + "<Sources>" + \
        text_source_xml("r", "rel", selection_xml("r", 0, 8, "Quality", "ann"), path="relative://texts/rel.txt") + \
        f'<TextSource guid="{gid("src:i")}" name="inline"><PlainTextContent>inline text here</PlainTextContent>' + \
        selection_xml("i", 0, 6, "Quality", "ann") + "</TextSource></Sources>"
    files = {"sources/texts/rel.txt": b"relative text here"}
    report = init_project_from_qdpx(tmp_path / "p", write_qdpx(tmp_path / "in.qdpx", project_xml(body), files))
    assert sorted(e for _, _, e, _ in _codings(tmp_path / "p")) == ["inline", "relative"]
    assert report.warnings == []


@pytest.mark.parametrize("path", ["absolute://{secret}", "relative://../../../../{secret_rel}",
                                  "relative://texts/rel.txt", "relative:///etc/passwd", "relative://C:/x.txt"],
                         ids=["absolute", "escaping", "beside-on-disk", "rooted", "drive"])
def test_sources_outside_the_archive_are_refused_and_nothing_is_created(tmp_path, path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "rel.txt").write_text("a local file", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET=1", encoding="utf-8")
    reference = path.format(secret=secret, secret_rel=str(secret).lstrip("/"))
    body = users_xml("ann") + codes_xml("Quality") + "<Sources>" + \
        text_source_xml("x", "x", selection_xml("x", 0, 6, "Quality", "ann"), path=reference) + "</Sources>"
    with pytest.raises(InputError) as caught:
        init_project_from_qdpx(tmp_path / "p", write_qdpx(tmp_path / "in.qdpx", project_xml(body)))
    message = str(caught.value)
    assert "text source 'x'" in message and "only from inside the .qdpx archive" in message
    assert not (tmp_path / "p").exists()


def test_a_docx_source_is_read_through_its_plain_text_companion_and_rich_only_sources_are_listed(tmp_path):
    body = users_xml("ann") + codes_xml("Quality") + "<Sources>" + \
        f'<TextSource guid="{gid("src:d")}" name="word" richTextPath="internal://{gid("src:d")}.docx" ' \
        f'plainTextPath="internal://{gid("src:d")}.txt">' + selection_xml("d", 0, 5, "Quality", "ann") + \
        "</TextSource>" + \
        f'<TextSource guid="{gid("src:r")}" name="rich only" richTextPath="internal://{gid("src:r")}.docx">' + \
        selection_xml("r", 0, 5, "Quality", "ann") + "</TextSource></Sources>"
    files = {f"sources/{gid('src:d')}.txt": b"words in word", f"sources/{gid('src:d')}.docx": b"PK not read",
             f"sources/{gid('src:r')}.docx": b"PK not read"}
    report = init_project_from_qdpx(tmp_path / "p", write_qdpx(tmp_path / "in.qdpx", project_xml(body), files))
    assert _codings(tmp_path / "p") == [("ann", "Quality", "words", "")]
    assert [(s.kind, s.name) for s in report.skipped] == [("rich text source", "rich only")]
    assert "1 selection not imported" in report.skipped[0].reason


def test_pdf_picture_audio_and_video_sources_are_listed_not_dropped(tmp_path, capsys):
    others = "".join(
        f'<{kind} guid="{gid("src:" + kind)}" name="{kind} file" path="internal://{gid("src:" + kind)}.bin">{inner}</{kind}>'
        for kind, inner in (
            ("PDFSource", (f'<PDFSelection guid="{gid("pdfsel")}" page="1" firstX="0" firstY="0" secondX="5" '
                           f'secondY="5"><Coding guid="{gid("pdfcoding")}"><CodeRef '
                           f'targetGUID="{gid("code:Quality")}"/></Coding></PDFSelection>')),
            ("PictureSource", ""), ("AudioSource", ""), ("VideoSource", "")))
    body = users_xml("ann") + codes_xml("Quality") + "<Sources>" + text_source_xml("s1", "interview 1") + others + \
        "</Sources>"
    path = write_qdpx(tmp_path / "in.qdpx", project_xml(body), {f"sources/{gid('src:s1')}.txt": b"text"})
    result = run_cli(click.Command("init", callback=lambda: init_from_qdpx(str(tmp_path / "p"), str(path))), [])
    out = capsys.readouterr().out
    assert result == 0
    assert "Not imported:" in out
    for kind in ("PDF source", "picture source", "audio source", "video source"):
        assert kind in out
    assert "1 selection on it not imported" in out
    with Project.open(tmp_path / "p") as project:
        assert [t.name for t in project.store.transcripts.all()] == ["interview 1"]


def test_code_ids_are_readable_unique_and_follow_the_hierarchy(tmp_path):
    codes = (f'<CodeBook><Codes><Code guid="{gid("c1")}" name="政务 公开" isCodable="false" color="#ABC">'
             f'<Description>A group</Description>'
             f'<Code guid="{gid("c2")}" name="Cost. Money" isCodable="true"/>'
             f'<Code guid="{gid("c3")}" name="Cost. Money" isCodable="true"/></Code>'
             f'<Code guid="{gid("c4")}" name="" isCodable="true"><Description>no name</Description></Code>'
             "</Codes></CodeBook>")
    path = write_qdpx(tmp_path / "in.qdpx", project_xml(users_xml("ann") + codes))
    init_project_from_qdpx(tmp_path / "p", path)
    with Project.open(tmp_path / "p") as project:
        book = current_codebook(project.store)
        assert [c.id for c in book] == ["政务_公开", "政务_公开.Cost_Money", "政务_公开.Cost_Money_2", "code"]
        assert book["政务_公开"].color == "#aabbcc" and str(book["政务_公开"].description) == "A group"
        assert str(book["code"].name) == "unnamed code" and str(book["code"].definition) == "no name"


def test_a_coded_group_is_imported_as_codable_with_a_warning(tmp_path):
    codes = (f'<CodeBook><Codes><Code guid="{gid("code:Quality")}" name="Quality" isCodable="false"/>'
             "</Codes></CodeBook>")
    body = users_xml("ann") + codes + "<Sources>" + text_source_xml("s1", "t", selection_xml("a", 0, 4, "Quality", "ann")) \
        + "</Sources>"
    report = init_project_from_qdpx(tmp_path / "p", write_qdpx(tmp_path / "in.qdpx", project_xml(body),
                                                                 {f"sources/{gid('src:s1')}.txt": b"text"}))
    assert any("imported as codable" in w.message for w in report.warnings)
    assert _codings(tmp_path / "p") == [("ann", "Quality", "text", "")]


def test_unknown_and_missing_users_become_coders_of_their_own(tmp_path):
    selections = selection_xml("a", 0, 4, "Quality", "ghost").replace(
        f' creatingUser="{gid("user:ghost")}"', "", 1)  # the selection names nobody, its Coding names a stranger
    no_user = selection_xml("b", 5, 8, "Quality", "x").replace(f' creatingUser="{gid("user:x")}"', "")
    report = init_project_from_qdpx(tmp_path / "p", simple_file(tmp_path, selections + no_user))
    coders = {c for c, *_ in _codings(tmp_path / "p")}
    assert coders == {f"user-{gid('user:ghost')[:8]}", "imported"}
    assert any("not listed in <Users>" in w.message for w in report.warnings)


def test_notes_become_memos_on_what_links_them(tmp_path):
    ann = gid("user:ann")
    notes = ("<Notes>" + "".join(
        f'<Note guid="{gid("note:" + k)}" name="{k}" creatingUser="{ann}"><PlainTextContent>{k} text</PlainTextContent></Note>'
        for k in ("on-source", "on-code", "on-project", "second-on-code", "free")) + "</Notes>")
    codes = (f'<CodeBook><Codes><Code guid="{gid("code:Quality")}" name="Quality" isCodable="true">'
             f'<NoteRef targetGUID="{gid("note:on-code")}"/><NoteRef targetGUID="{gid("note:second-on-code")}"/>'
             "</Code></Codes></CodeBook>")
    source = (f'<TextSource guid="{gid("src:s1")}" name="t" plainTextPath="internal://{gid("src:s1")}.txt">'
              f'<NoteRef targetGUID="{gid("note:on-source")}"/></TextSource>')
    body = users_xml("ann") + codes + f"<Sources>{source}</Sources>" + notes + \
        f'<NoteRef targetGUID="{gid("note:on-project")}"/>'
    init_project_from_qdpx(tmp_path / "p", write_qdpx(tmp_path / "in.qdpx", project_xml(body),
                                                       {f"sources/{gid('src:s1')}.txt": b"text"}))
    with Project.open(tmp_path / "p") as project:
        memos = {(m.target_kind, m.target): m.text for m in project.store.memos.all()}
    assert memos == {
        ("transcript", gid("src:s1")): "on-source text",
        ("code", "Quality"): "on-code\non-code text\n\nsecond-on-code\nsecond-on-code text",
        ("project", ""): "on-project\non-project text\n\nfree\nfree text",
    }


def test_empty_selections_are_listed_and_whole_source_codings_cover_the_text(tmp_path):
    whole = f'<Coding guid="{gid("whole")}" creatingUser="{gid("user:ann")}"><CodeRef targetGUID="{gid("code:Praise")}"/></Coding>'
    body = users_xml("ann") + codes_xml("Quality", "Praise") + "<Sources>" + \
        f'<TextSource guid="{gid("src:s1")}" name="t" plainTextPath="internal://{gid("src:s1")}.txt">' + \
        selection_xml("e", 2, 2, "Quality", "ann") + whole + "</TextSource></Sources>"
    report = init_project_from_qdpx(tmp_path / "p", write_qdpx(tmp_path / "in.qdpx", project_xml(body),
                                                                {f"sources/{gid('src:s1')}.txt": b"all of it"}))
    assert _codings(tmp_path / "p") == [("ann", "Praise", "all of it", "")]
    assert [(s.kind, s.name) for s in report.skipped] == [("selection", "1 selection")]


def test_reading_does_not_need_a_project(tmp_path):
    refi = read_qdpx(simple_file(tmp_path, selection_xml("a", 0, 5, "Quality", "ann")))
    assert [c.code for c in refi.codings] == ["Quality"] and refi.coders == ["ann", "ben"]


def test_a_failed_import_leaves_no_project_behind(tmp_path):
    path = simple_file(tmp_path, selection_xml("a", 0, 999, "Quality", "ann"))
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(InputError, match="outside its text"):
        init_project_from_qdpx(tmp_path / "p", path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_failure_while_storing_removes_the_half_made_project(tmp_path, monkeypatch):
    import qcode.interop.qdpx_import as module

    def fail(project, refi):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "store_refi_project", fail)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(RuntimeError):
        init_project_from_qdpx(tmp_path / "p", simple_file(tmp_path, ""))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "in.qdpx"])


def test_the_target_must_be_new_or_empty(tmp_path):
    path = simple_file(tmp_path, "")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(Exception, match="not empty"):
        init_project_from_qdpx(tmp_path / "busy", path)
    (tmp_path / "empty").mkdir()
    init_project_from_qdpx(tmp_path / "empty", path)
    assert (tmp_path / "empty" / "qcode.db").is_file()


def test_a_note_about_two_things_becomes_two_memos(tmp_path):
    ann = gid("user:ann")
    note = f'<Notes><Note guid="{gid("note:n")}" name="n" creatingUser="{ann}"><PlainTextContent>shared</PlainTextContent></Note></Notes>'
    codes = (f'<CodeBook><Codes><Code guid="{gid("code:Quality")}" name="Quality" isCodable="true">'
             f'<NoteRef targetGUID="{gid("note:n")}"/></Code></Codes></CodeBook>')
    body = users_xml("ann") + codes + note + f'<NoteRef targetGUID="{gid("note:n")}"/>'
    init_project_from_qdpx(tmp_path / "p", write_qdpx(tmp_path / "in.qdpx", project_xml(body)))
    with Project.open(tmp_path / "p") as project:
        memos = project.store.memos.all()
    assert sorted((m.target_kind, m.text) for m in memos) == [("code", "shared"), ("project", "shared")]
    assert len({m.guid for m in memos}) == 2


def test_a_project_without_codes_imports_its_texts(tmp_path):
    body = users_xml("ann") + "<CodeBook><Codes/></CodeBook><Sources>" + text_source_xml("s1", "t") + "</Sources>"
    report = init_project_from_qdpx(tmp_path / "p", write_qdpx(tmp_path / "in.qdpx", project_xml(body),
                                                                {f"sources/{gid('src:s1')}.txt": b"text"}))
    assert (report.transcripts, report.codes, report.codings) == (1, 0, 0)
    with Project.open(tmp_path / "p") as project:
        assert current_codebook(project.store) is None
