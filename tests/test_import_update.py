"""Issue 13 through the real CLI: import --dry-run and its summary, transcripts --turns, speakers rename and
undo, import --update re-anchoring codings (with agreement after it), and upgrade safety."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from qcode.domain.models import UnitKind
from qcode.project.coding import CodingSession
from qcode.project.project import Project
from tests.conftest import REPO_ROOT

SAMPLES = REPO_ROOT / "tests" / "samples" / "conventions"  # the sample exports of tests/test_text_conventions.py

CODEBOOK = "codes:\n  - {id: A, name: 甲}\n  - {id: B, name: 乙}\n"
OLD = (
    "访谈者：您好。今天聊聊公众号。\n"
    "受访者A：我们这个号是二〇一六年开的。阅读量一直上不去。\n"
    "访谈者：为什么呢？\n"
    "受访者A：领导活动必须放头条。群众要的是停水通知。\n"
)
# one word corrected (号 -> 公众号), one sentence deleted, one sentence added, the rest untouched
NEW = (
    "访谈者：您好。今天聊聊公众号。\n"
    "受访者A：我们这个公众号是二〇一六年开的。阅读量一直上不去。\n"
    "访谈者：为什么呢？能具体说说吗？\n"
    "受访者A：群众要的是停水通知。\n"
)


def span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


@pytest.fixture
def coded(tmp_path, run):
    root = tmp_path / "proj"
    run("init", root)
    (tmp_path / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    assert run("codebook", "load", tmp_path / "cb.yaml", "-p", root).exit_code == 0
    source = tmp_path / "t1.txt"
    source.write_text(OLD, encoding="utf-8")
    assert run("import", source, "-p", root).exit_code == 0
    with Project.open(root) as project:
        t1 = project.store.transcripts.by_name("t1")
        ann, bob = CodingSession(project.store, "ann"), CodingSession(project.store, "bob")
        ann.apply(t1, "A", *span(OLD, "阅读量一直上不去。"))  # untouched: moves exactly
        bob.apply(t1, "A", *span(OLD, "阅读量一直上不去。"))
        ann.apply(t1, "B", *span(OLD, "我们这个号是"))  # edited: stays over the edited words
        bob.apply(t1, "B", *span(OLD, "领导活动必须放头条。"))  # deleted: removed, and reported
        ann.apply(t1, "A", *span(OLD, "群众要的是停水通知。"))  # untouched, after the edits
        bob.apply(t1, "A", *span(OLD, "群众要的是停水通知。"))
    return root, source


def codings(root) -> dict[tuple[str, str], list[str]]:
    with Project.open(root) as project:
        text = project.store.transcripts.text(project.store.transcripts.by_name("t1").id)
        found: dict[tuple[str, str], list[str]] = {}
        for c in project.store.codings.all():
            found.setdefault((c.coder, c.code), []).append(text[c.start:c.end])
        return {key: sorted(value) for key, value in found.items()}


def test_dry_run_reads_every_sample_and_stores_nothing(run, tmp_path):
    root = tmp_path / "proj"
    run("init", root)
    result = run("import", "--dry-run", SAMPLES, "-p", root)
    assert result.exit_code == 0, result.stderr
    assert "tongyi-tingwu: export header (3 lines); name + time lines (5); timestamp lines (1)" in result.stdout
    assert "speakers (turns): 潘倩祺 2, 李主任 3, (no label) 1" in result.stdout
    assert "header (metadata): 县政务公众号访谈（整理稿） | 2024-03-21 10:05:12 | 时长：00:38:44" in result.stdout
    assert "[01:19] 潘倩祺: 这个号现在一天推几条？" in result.stdout
    assert "front matter (metadata): title: 政务新媒体播客 第12期; speaker: 临溪之声播客" in result.stdout
    assert "nothing stored" in result.stderr
    assert "would import" in result.stdout and " imported " not in result.stdout  # the table says what would happen
    with Project.open(root) as project:
        assert project.store.transcripts.all() == []
        assert project.store.journal.count() == 0


def test_import_prints_the_summary_and_warns_about_unrecognised_labels(run, tmp_path):
    root = tmp_path / "proj"
    run("init", root)
    odd = tmp_path / "odd.txt"
    odd.write_text("王主任：一\n王主任：二\n王主任：三\n", encoding="utf-8")
    result = run("import", odd, SAMPLES / "teams.vtt", "-p", root)
    assert result.exit_code == 0, result.stderr
    assert "teams: subtitles (2 turns from cues)" in result.stdout
    assert "warning: odd: '王主任：' starts 3 lines" in result.stderr
    turns = json.loads(run("transcripts", "teams", "--turns", "--format", "json", "-p", root).stdout)
    assert turns == [
        {"index": 0, "speaker": "李伟", "start": 17, "end": 30, "time": 2.12, "text": "我们先谈谈留言办理的流程。"},
        {"index": 1, "speaker": "张敏", "start": 49, "end": 76, "time": 6.01,
         "text": "留言先到宣传部，再分到各个部门。一般三个工作日内答复。"},
    ]
    unlabelled = json.loads(run("transcripts", "odd", "--turns", "--format", "json", "-p", root).stdout)
    assert {t["speaker"] for t in unlabelled} == {None} and {t["time"] for t in unlabelled} == {None}


def test_turn_times_reach_the_quotes(run, tmp_path):
    root = tmp_path / "proj"
    run("init", root)
    (tmp_path / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    run("codebook", "load", tmp_path / "cb.yaml", "-p", root)
    run("import", SAMPLES / "tongyi-tingwu.txt", "-p", root)
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("tongyi-tingwu")
        text = project.store.transcripts.text(info.id)
        CodingSession(project.store, "ann").apply(info, "A", *span(text, "这个号现在一天推几条？"))
    markdown = run("quotes", "A", "--format", "md", "-p", root).stdout
    assert "潘倩祺 · [01:19] · [" in markdown
    rows = json.loads(run("quotes", "A", "--format", "json", "-p", root).stdout)
    assert json.dumps(rows, ensure_ascii=False).count('"01:19"') == 1


def test_speakers_rename_merge_and_undo(run, tmp_path):
    root = tmp_path / "proj"
    run("init", root)
    text = tmp_path / "b.txt"
    text.write_text("访谈者：你好。\n受访者：好。\n受访者C：我补充。\n访谈者：谢谢。\n", encoding="utf-8")
    run("import", text, "-p", root)
    listed = json.loads(run("speakers", "--format", "json", "-p", root).stdout)
    assert listed == [{"transcript": "b", "speaker": "访谈者", "turns": 2}, {"transcript": "b", "speaker": "受访者", "turns": 1},
                      {"transcript": "b", "speaker": "受访者C", "turns": 1}]
    result = run("speakers", "rename", "受访者C", "受访者", "--transcript", "b", "-p", root)
    assert result.exit_code == 0 and "1 turn 受访者C -> 受访者" in result.stdout
    with Project.open(root) as project:
        tid = project.store.transcripts.by_name("b").id
        assert [u.speaker for u in project.store.transcripts.units(tid, UnitKind.TURN)] == ["访谈者", "受访者", "受访者", "访谈者"]
        assert [u.speaker for u in project.store.transcripts.units(tid, UnitKind.SENTENCE)] == ["访谈者", "受访者", "受访者", "访谈者"]
        assert project.store.journal.recent(1)[0].action == "speaker.rename"
    assert "speaker.rename" in run("log", "-p", root).stdout
    assert run("speakers", "undo", "-p", root).exit_code == 0
    with Project.open(root) as project:  # the merge is undone turn by turn: 受访者 keeps its own turn
        tid = project.store.transcripts.by_name("b").id
        assert [u.speaker for u in project.store.transcripts.units(tid, UnitKind.TURN)] == ["访谈者", "受访者", "受访者C", "访谈者"]
    assert "nothing to undo" in run("speakers", "undo", "-p", root).stdout
    missing = run("speakers", "rename", "受访者X", "受访者", "-p", root)
    assert missing.exit_code != 0 and "no turn of any transcript has the speaker '受访者X'" in missing.stderr


def test_a_changed_coded_transcript_is_refused_without_update(run, coded):
    root, source = coded
    source.write_text(NEW, encoding="utf-8")
    result = run("import", source, "-p", root)
    assert result.exit_code != 0 and "qcode import --update FILE" in result.stderr


def test_update_dry_run_reports_and_changes_nothing(run, coded):
    root, source = coded
    before = codings(root)
    source.write_text(NEW, encoding="utf-8")
    result = run("import", "--update", "--dry-run", source, "-p", root)
    assert result.exit_code == 0, result.stderr
    assert "codings: 6, moved with their unchanged text: 4, over edited text: 1, removed (text deleted): 1" in result.stdout
    assert "我们这个号是" in result.stdout and "我们这个公众号是" in result.stdout and "领导活动必须放头条。" in result.stdout
    assert codings(root) == before
    with Project.open(root) as project:
        assert project.store.transcripts.text(project.store.transcripts.by_name("t1").id) == OLD


def test_update_moves_codings_and_reports_edited_ones(run, coded):
    root, source = coded
    source.write_text(NEW, encoding="utf-8")
    result = run("import", "--update", source, "-p", root)
    assert result.exit_code == 0, result.stderr
    assert codings(root) == {
        ("ann", "A"): ["群众要的是停水通知。", "阅读量一直上不去。"],
        ("bob", "A"): ["群众要的是停水通知。", "阅读量一直上不去。"],
        ("ann", "B"): ["我们这个公众号是"],
    }
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        assert project.store.transcripts.text(info.id) == NEW
        turns = project.store.transcripts.units(info.id, UnitKind.TURN)
        assert [NEW[u.start:u.end] for u in turns][2] == "为什么呢？能具体说说吗？"
        actions = [e.action for e in project.store.journal.recent(10)]
        assert "transcript.update" in actions and "coding.reanchor" in actions and "coding.remove" in actions


def test_agreement_over_a_reanchored_transcript_equals_agreement_on_the_new_text(run, coded, tmp_path):
    root, source = coded
    source.write_text(NEW, encoding="utf-8")
    assert run("import", "--update", source, "-p", root).exit_code == 0
    # the same codings made directly on the new text, in a fresh project
    fresh = tmp_path / "fresh"
    run("init", fresh)
    run("codebook", "load", tmp_path / "cb.yaml", "-p", fresh)
    (tmp_path / "t1-new" ).mkdir()
    shutil.copy(source, tmp_path / "t1-new" / "t1.txt")
    run("import", tmp_path / "t1-new" / "t1.txt", "-p", fresh)
    with Project.open(fresh) as project:
        t1 = project.store.transcripts.by_name("t1")
        ann, bob = CodingSession(project.store, "ann"), CodingSession(project.store, "bob")
        for session, code, piece in [(ann, "A", "阅读量一直上不去。"), (bob, "A", "阅读量一直上不去。"),
                                     (ann, "B", "我们这个公众号是"), (ann, "A", "群众要的是停水通知。"),
                                     (bob, "A", "群众要的是停水通知。")]:
            session.apply(t1, code, *span(NEW, piece))
    for unit in ("sentence", "turn", "char"):
        updated = json.loads(run("agree", "--unit", unit, "--format", "json", "--include-incomplete", "-p", root).stdout)
        direct = json.loads(run("agree", "--unit", unit, "--format", "json", "--include-incomplete", "-p", fresh).stdout)
        assert updated["codes"] == direct["codes"], unit


def test_unchanged_file_stays_a_no_op_even_when_the_new_rules_would_cut_it_otherwise(run, tmp_path):
    root = tmp_path / "proj"
    run("init", root)
    source = tmp_path / "e.md"
    source.write_text("# A heading\n\nI: Hello.\n\nR: Hi.\n", encoding="utf-8")
    run("import", source, "-p", root)
    # what an older qcode stored: the heading as a turn of its own
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("e")
        for shift in (1000, -999):  # two steps: the (transcript, kind, idx) key is unique at every row
            project.store.db.execute("UPDATE units SET idx = idx + ? WHERE transcript_id = ? AND kind = 'turn'",
                                     [shift, info.id])
        project.store.db.execute(
            "INSERT INTO units (transcript_id, kind, idx, start, \"end\", speaker) VALUES (?, 'turn', 0, 0, 11, NULL)",
            [info.id])
        project.store.db.conn.commit()
        old_units = project.store.transcripts.units(info.id, UnitKind.TURN)
    result = run("import", source, "-p", root)
    assert result.exit_code == 0 and "unchanged" in result.stdout
    with Project.open(root) as project:
        assert project.store.transcripts.units(info.id, UnitKind.TURN) == old_units
    # re-splitting on purpose
    result = run("import", "--update", "--resplit", source, "-p", root)
    assert result.exit_code == 0 and "units cut again" in result.stdout
    with Project.open(root) as project:
        assert [u.speaker for u in project.store.transcripts.units(info.id, UnitKind.TURN)] == ["I", "R"]


def test_upgrading_keeps_text_units_and_codings(coded):
    root, _ = coded
    db = root / "qcode.db"
    with Project.open(root) as project:
        store = project.store
        tid = store.transcripts.by_name("t1").id
        before = (store.transcripts.text(tid), store.transcripts.units(tid, UnitKind.TURN),
                  store.transcripts.units(tid, UnitKind.SENTENCE), sorted(store.codings.all(), key=lambda c: c.guid))
    # make the file what the previous version wrote: no turn times, no metadata, migration not applied
    connection = sqlite3.connect(db)
    connection.execute("ALTER TABLE units DROP COLUMN time")
    connection.execute("ALTER TABLE transcripts DROP COLUMN metadata")
    connection.execute("DELETE FROM _sqlite_migrations WHERE name = 't13_turn_times_and_metadata'")
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    connection.execute(f"PRAGMA user_version = {version - 1}")
    connection.commit()
    connection.close()
    with Project.open(root) as project:
        store = project.store
        after = (store.transcripts.text(tid), store.transcripts.units(tid, UnitKind.TURN),
                 store.transcripts.units(tid, UnitKind.SENTENCE), sorted(store.codings.all(), key=lambda c: c.guid))
        assert after == before
        assert store.transcripts.metadata(tid) == {}


def test_export_headers_are_neither_counted_nor_found(run, tmp_path):
    root = tmp_path / "proj"
    run("init", root)
    run("import", SAMPLES / "feishu-minutes.txt", "-p", root)
    assert "0 hits" in run("search", "关键词", "-p", root).stderr + run("search", "关键词", "-p", root).stdout
    words = run("words", "--format", "json", "-p", root).stdout
    assert "关键词" not in words and "文字记录" not in words and "留言" in words


def test_the_general_undo_and_redo_also_revert_a_speaker_rename(run, tmp_path):
    root = tmp_path / "proj"
    run("init", root)
    text = tmp_path / "b.txt"
    text.write_text("访谈者：你好。\n受访者C：我补充。\n", encoding="utf-8")
    run("import", text, "-p", root)
    assert run("speakers", "rename", "受访者C", "受访者", "-p", root).exit_code == 0
    with Project.open(root) as project:
        session = CodingSession(project.store, "qcode", source="cli")
        tid = project.store.transcripts.by_name("b").id
        assert session.undo() is not None
        assert [u.speaker for u in project.store.transcripts.units(tid, UnitKind.TURN)] == ["访谈者", "受访者C"]
        assert session.redo() is not None
        assert [u.speaker for u in project.store.transcripts.units(tid, UnitKind.SENTENCE)] == ["访谈者", "受访者"]
    assert "reverted" in run("speakers", "undo", "-p", root).stdout  # the redone rename is undoable here too
    with Project.open(root) as project:
        assert [u.speaker for u in project.store.transcripts.units(tid, UnitKind.TURN)] == ["访谈者", "受访者C"]


def test_a_renamed_label_keeps_its_person_and_undo_gives_the_mapping_back(run, tmp_path):
    """Issue 13 point 8 with issue 14's persons: renaming a label must not detach it from its person."""
    root = tmp_path / "proj"
    run("init", root)
    text = tmp_path / "b.txt"
    text.write_text("访谈者：你好。\n受访者：好。\n受访者C：我补充。\n访谈者：谢谢。\n", encoding="utf-8")
    run("import", text, "-p", root)
    assert run("persons", "map", "王科长", "--speaker", "受访者C", "--transcripts", "b", "-p", root).exit_code == 0

    def persons() -> dict[str, str]:
        with Project.open(root) as project:
            tid = project.store.transcripts.by_name("b").id
            rows = project.store.db.execute(
                "SELECT sp.speaker, p.name FROM speaker_persons sp JOIN persons p ON p.id = sp.person_id "
                "WHERE sp.transcript_id = ?", [tid]).fetchall()
            return dict(rows)

    assert persons().get("受访者C") == "王科长"
    assert run("speakers", "rename", "受访者C", "王科长", "--transcript", "b", "-p", root).exit_code == 0
    after = persons()
    assert after.get("王科长") == "王科长" and "受访者C" not in after
    assert run("speakers", "undo", "-p", root).exit_code == 0
    restored = persons()
    assert restored.get("受访者C") == "王科长" and "王科长" not in restored
