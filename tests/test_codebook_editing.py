"""Codebook changes while coding: each one journalled, undoable across restarts, written back to the YAML."""

from __future__ import annotations

import pytest

from qcode.errors import ConflictError, InputError
from qcode.project.codebook_editing import CodebookEditor, in_vivo_name
from qcode.project.codebook_file import codebook_file
from qcode.project.codebook_loading import current_codebook, load_codebook_into
from qcode.project.code_relations import RelationEditor
from qcode.project.coding import CodingSession
from qcode.project.importing import import_transcripts
from qcode.project.project import Project

CODEBOOK = """\
# 扎根理论编码本（测试用）
format: 1
languages: [zh, en]
codes:
  - id: CAT
    name: {zh: 回应性, en: Responsiveness}
    codable: false
    children:
      # 回复速度相关的初始概念
      - id: SLOW
        name: 回复慢   # 受访者原话
        key: s
      - id: LATE
        name: 答复迟
  - id: TRUST
    name: 信任
"""

TRANSCRIPT = "访谈者：公众号留言多久回？\n受访者A：留言三天都没人回，打12345才有人管。我还是信官方号。\n"


@pytest.fixture
def gt(tmp_path):
    project = Project.init(tmp_path / "p")
    source = project.root / "codebooks" / "gt.yaml"
    source.write_text(CODEBOOK, encoding="utf-8")
    load_codebook_into(project, source)
    (tmp_path / "A01.txt").write_text(TRANSCRIPT, encoding="utf-8")
    import_transcripts(project, [tmp_path / "A01.txt"])
    yield project
    project.close()


def _span(word: str) -> tuple[int, int]:
    start = TRANSCRIPT.index(word)
    return start, start + len(word)


def _codes(project) -> list[tuple[str, str, str]]:
    return sorted((c.coder, c.code, c.memo) for c in project.store.codings.all())


def test_rename_changes_one_line_of_the_file_and_keeps_comments(gt):
    CodebookEditor(gt.store, "ann").rename("SLOW", "回复太慢", "Slow replies")
    text = (gt.root / "codebooks" / "gt.yaml").read_text(encoding="utf-8")
    assert "# 扎根理论编码本（测试用）" in text and "# 回复速度相关的初始概念" in text
    assert "name: {zh: 回复太慢, en: Slow replies}" in text
    changed = [a for a, b in zip(CODEBOOK.splitlines(), text.splitlines()) if a != b]
    assert changed == ["        name: 回复慢   # 受访者原话"]
    assert current_codebook(gt.store)["SLOW"].name.get("en") == "Slow replies"


def test_merge_moves_codings_collapses_duplicates_joins_memos_and_undo_restores_all(gt):
    transcript = gt.store.transcripts.by_name("A01")
    ann, bob = CodingSession(gt.store, "ann"), CodingSession(gt.store, "bob")
    ann.apply(transcript, "SLOW", *_span("三天都没人回"), memo="速度")
    ann.apply(transcript, "LATE", *_span("三天都没人回"), memo="时限")
    ann.apply(transcript, "LATE", *_span("打12345"))
    bob.apply(transcript, "LATE", *_span("三天都没人回"))
    ann.set_memo("code", "LATE", "答复迟的备忘")
    before = _codes(gt)

    result = CodebookEditor(gt.store, "ann").merge("LATE", "SLOW")

    assert result.codings_moved == 3
    assert _codes(gt) == [("ann", "SLOW", ""), ("ann", "SLOW", "速度\n\n时限"), ("bob", "SLOW", "")]
    assert "LATE" not in current_codebook(gt.store)
    assert ann.memo("code", "SLOW") == "答复迟的备忘"
    assert "id: LATE" not in codebook_file(gt.store).read_text(encoding="utf-8")

    # Undo from a new session (a restart) brings back the code, every coding and the memo.
    gt.close()
    reopened = Project.open(gt.root)
    session = CodingSession(reopened.store, "ann")
    change = session.undo()
    assert change is not None and change.codebook_changed
    assert _codes(reopened) == before
    assert "LATE" in current_codebook(reopened.store)
    assert session.memo("code", "LATE") == "答复迟的备忘"
    assert "id: LATE" in codebook_file(reopened.store).read_text(encoding="utf-8")
    assert session.redo() is not None
    assert "LATE" not in current_codebook(reopened.store)
    reopened.close()


def test_delete_is_refused_with_counts_when_a_code_has_codings_or_relations(gt):
    transcript = gt.store.transcripts.by_name("A01")
    CodingSession(gt.store, "ann").apply(transcript, "SLOW", 0, 3)
    editor = CodebookEditor(gt.store, "ann")
    with pytest.raises(ConflictError, match="1 coding"):
        editor.delete("SLOW")
    RelationEditor(gt.store, "ann").link("LATE", "TRUST", "结果")
    with pytest.raises(ConflictError, match="1 relation"):
        editor.delete("LATE")
    versions = len(gt.store.codes.codebook_versions())
    editor.add("NEW", "新概念", parent="CAT")
    editor.delete("NEW")
    assert "NEW" not in current_codebook(gt.store)
    assert len(gt.store.codes.codebook_versions()) == versions + 2


def test_split_moves_chosen_codings_to_a_new_sibling_code(gt):
    transcript = gt.store.transcripts.by_name("A01")
    session = CodingSession(gt.store, "ann")
    keep = session.apply(transcript, "SLOW", *_span("三天都没人回"), memo="m1")
    move = session.apply(transcript, "SLOW", *_span("打12345"), memo="m2")
    result = CodebookEditor(gt.store, "ann").split("SLOW", [move.guid], "转办热线")
    book = current_codebook(gt.store)
    assert book[result.code_id].parent == "CAT"
    assert [c.id for c in book.children_of("CAT")] == ["SLOW", result.code_id, "LATE"]
    moved = gt.store.codings.get(move.guid)
    assert (moved.code, moved.start, moved.end, moved.memo) == (result.code_id, move.start, move.end, "m2")
    assert gt.store.codings.get(keep.guid).code == "SLOW"


def test_recode_all_of_one_coder_keeps_span_and_memo(gt):
    transcript = gt.store.transcripts.by_name("A01")
    mine = CodingSession(gt.store, "ann").apply(transcript, "SLOW", 3, 9, memo="原备忘")
    theirs = CodingSession(gt.store, "bob").apply(transcript, "SLOW", 3, 9)
    CodebookEditor(gt.store, "ann").recode_all("SLOW", "TRUST", coder="ann")
    recoded = gt.store.codings.get(mine.guid)
    assert (recoded.code, recoded.start, recoded.end, recoded.memo) == ("TRUST", 3, 9, "原备忘")
    assert gt.store.codings.get(theirs.guid).code == "SLOW"
    with pytest.raises(InputError, match="not an applicable code"):
        CodebookEditor(gt.store, "ann").recode_all("SLOW", "CAT")


def test_add_and_apply_is_one_undo_step(gt):
    transcript = gt.store.transcripts.by_name("A01")
    editor = CodebookEditor(gt.store, "ann")
    result, coding = editor.add_and_apply("ann", transcript, *_span("信官方号"), in_vivo_name(" 信官方号。"),
                                          parent="CAT")
    assert current_codebook(gt.store).display_name(result.code_id) == "信官方号"
    assert gt.store.codings.get(coding.guid).code == result.code_id
    CodingSession(gt.store, "ann").undo()
    assert gt.store.codings.count() == 0 and result.code_id not in current_codebook(gt.store)


def test_refusals_leave_the_project_unchanged(gt):
    editor = CodebookEditor(gt.store, "ann")
    versions = len(gt.store.codes.codebook_versions())
    with pytest.raises(InputError, match="already exists"):
        editor.add("SLOW", "x")
    with pytest.raises(InputError, match="already exists there"):
        editor.add(None, "回复慢", parent="CAT")
    with pytest.raises(InputError, match="inside 'CAT' itself"):
        editor.move("CAT", "SLOW")
    with pytest.raises(InputError, match="hotkey 's'"):
        editor.edit("TRUST", key="s")
    with pytest.raises(InputError, match="into itself"):
        editor.merge("SLOW", "SLOW")
    assert len(gt.store.codes.codebook_versions()) == versions


def test_a_file_edited_outside_qcode_is_not_overwritten(gt):
    path = codebook_file(gt.store)
    path.write_text(CODEBOOK.replace("name: 信任", "name: 信任感"), encoding="utf-8")
    with pytest.raises(ConflictError, match="edited outside qcode"):
        CodebookEditor(gt.store, "ann").rename("SLOW", "慢")
    assert "信任感" in path.read_text(encoding="utf-8")
    # Comments added by hand are fine: the change is written into the user's text.
    path.write_text("# 我的新注释\n" + CODEBOOK, encoding="utf-8")
    CodebookEditor(gt.store, "ann").rename("SLOW", "慢")
    assert path.read_text(encoding="utf-8").startswith("# 我的新注释\n")


def test_in_vivo_names_are_one_trimmed_line_of_at_most_20_characters():
    assert in_vivo_name("  “留言三天\n都没人回”。 ") == "留言三天 都没人回"
    assert len(in_vivo_name("很长" * 30)) == 20


def test_undo_refuses_to_revert_someone_elses_later_codebook_change(gt):
    CodebookEditor(gt.store, "ann").add("NEW", "新概念", parent="CAT")
    CodebookEditor(gt.store, "bob").rename("TRUST", "信任感")
    with pytest.raises(ConflictError, match="changed since"):
        CodingSession(gt.store, "ann").undo()
    assert current_codebook(gt.store)["TRUST"].name.get() == "信任感" and "NEW" in current_codebook(gt.store)
    assert CodingSession(gt.store, "bob").undo() is not None  # bob's own, latest change undoes fine
    assert CodingSession(gt.store, "ann").undo() is not None  # and then ann's
    assert "NEW" not in current_codebook(gt.store)
    assert current_codebook(gt.store)["TRUST"].name.get() == "信任"
