"""Applying and removing codes, memos and review status, with undo/redo rebuilt from the journal."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qcode.errors import ConflictError, InputError
from qcode.project.coding import CodingSession
from qcode.storage import open_store
from tests.conftest import code_row

TEXT = "访谈者：您好。\n受访者A：我们的公众号👍更新太慢了！𠮷野家也说过。"


@pytest.fixture
def transcript(project):
    store = project.store
    with store.transaction() as tx:
        info = store.transcripts.insert(guid="g-1", name="t1", sha256="h", text=TEXT, source_path=None, encoding="utf-8")
        store.codes.replace_all(tx, [code_row("S", 0, codable=False), code_row("S.A", 1, parent="S"), code_row("S.B", 2, parent="S")])
    return info


def test_apply_stores_the_exact_span_and_journals_it(project, transcript):
    session = CodingSession(project.store, "ann")
    start = TEXT.index("更新")
    coding = session.apply(transcript, "S.A", start, start + 4)
    stored = project.store.codings.get(coding.guid)
    assert stored == coding
    assert TEXT[stored.start:stored.end] == "更新太慢"
    [entry] = [e for e in project.store.journal.by_actor("ann")]
    assert (entry.action, entry.kind, entry.after["code"]) == ("coding.add", "do", "S.A")


def test_applying_the_same_code_to_the_same_span_twice_adds_nothing(project, transcript):
    session = CodingSession(project.store, "ann")
    first = session.apply(transcript, "S.A", 0, 3)
    assert session.apply(transcript, "S.A", 0, 3) == first
    assert project.store.codings.count() == 1


@pytest.mark.parametrize("start,end", [(-1, 2), (3, 3), (5, 2), (0, len(TEXT) + 1)])
def test_invalid_spans_are_refused(project, transcript, start, end):
    with pytest.raises(InputError, match="not a non-empty range"):
        CodingSession(project.store, "ann").apply(transcript, "S.A", start, end)


def test_groups_and_unknown_codes_cannot_be_applied(project, transcript):
    session = CodingSession(project.store, "ann")
    with pytest.raises(InputError, match="group"):
        session.apply(transcript, "S", 0, 2)
    with pytest.raises(InputError, match="unknown code"):
        session.apply(transcript, "NOPE", 0, 2)


def test_other_coders_codings_are_read_only(project, transcript):
    theirs = CodingSession(project.store, "bob").apply(transcript, "S.A", 0, 2)
    with pytest.raises(InputError, match="belongs to bob"):
        CodingSession(project.store, "ann").remove(theirs.guid)


def test_undo_and_redo_walk_back_and_forth(project, transcript):
    session = CodingSession(project.store, "ann")
    a = session.apply(transcript, "S.A", 0, 2)
    b = session.apply(transcript, "S.B", 4, 8)
    session.remove(a.guid)
    assert [c.guid for c in project.store.codings.all()] == [b.guid]

    assert session.undo().description.startswith("undo: remove S.A")
    assert {c.guid for c in project.store.codings.all()} == {a.guid, b.guid}
    assert project.store.codings.get(a.guid) == a  # same guid, span, timestamps
    session.undo()
    assert [c.guid for c in project.store.codings.all()] == [a.guid]
    session.redo()
    assert {c.guid for c in project.store.codings.all()} == {a.guid, b.guid}
    session.undo()
    session.undo()
    assert project.store.codings.all() == []
    assert session.undo() is None
    assert not session.can_undo() and session.can_redo()


def test_a_new_change_clears_the_redo_stack(project, transcript):
    session = CodingSession(project.store, "ann")
    session.apply(transcript, "S.A", 0, 2)
    session.undo()
    assert session.can_redo()
    session.apply(transcript, "S.B", 0, 2)
    assert not session.can_redo()


def test_undo_survives_a_restart(project, transcript):
    session = CodingSession(project.store, "ann")
    kept = session.apply(transcript, "S.A", 0, 2)
    session.apply(transcript, "S.B", 4, 8)
    project.close()
    with open_store(project.db_path) as store:
        again = CodingSession(store, "ann")
        again.undo()
        assert [c.guid for c in store.codings.all()] == [kept.guid]


def test_undo_is_per_coder(project, transcript):
    ann, bob = CodingSession(project.store, "ann"), CodingSession(project.store, "bob")
    mine = ann.apply(transcript, "S.A", 0, 2)
    bob.apply(transcript, "S.B", 0, 2)
    bob.undo()
    assert [c.guid for c in project.store.codings.all()] == [mine.guid]


def test_memos_on_codings_transcripts_and_codes_with_undo(project, transcript):
    session = CodingSession(project.store, "ann")
    coding = session.apply(transcript, "S.A", 0, 2)
    session.set_coding_memo(coding.guid, "受访者语气很重")
    assert project.store.codings.get(coding.guid).memo == "受访者语气很重"
    session.set_memo("transcript", transcript.guid, "第一次访谈")
    session.set_memo("code", "S.A", "定义需要收紧")
    assert session.memo("code", "S.A") == "定义需要收紧"
    session.undo()
    assert session.memo("code", "S.A") == ""
    session.undo()
    assert session.memo("transcript", transcript.guid) == ""
    session.undo()
    assert project.store.codings.get(coding.guid).memo == ""
    session.redo()
    assert project.store.codings.get(coding.guid).memo == "受访者语气很重"


def test_review_status_and_its_undo(project, transcript):
    session = CodingSession(project.store, "ann")
    assert session.set_complete(transcript) is True
    assert session.set_complete(transcript) is False
    assert session.is_complete(transcript)
    session.undo()
    assert not session.is_complete(transcript)


def test_undo_refuses_when_the_coding_changed_since(project, transcript):
    session = CodingSession(project.store, "ann")
    coding = session.apply(transcript, "S.A", 0, 2)
    # Someone else (a merge, another tool) changes the coding outside ann's history.
    with project.store.transaction("merge-tool", "merge") as tx:
        project.store.codings.update(tx, coding, replace(coding, memo="changed elsewhere"))
    with pytest.raises(ConflictError, match="changed since"):
        session.undo()
    assert project.store.codings.get(coding.guid).memo == "changed elsewhere"
