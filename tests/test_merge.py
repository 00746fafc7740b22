"""`qcode merge`: two coders code copies of the demo separately, the lead merges their files; merging
again changes nothing; conflicts are listed and stop the merge unless the user says how to settle them."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from qcode.errors import InputError, ProjectError
from qcode.interop.merge import merge_projects
from qcode.project.codebook_loading import current_codebook, install_codebook
from qcode.project.coding import CodingSession
from qcode.project.demo import build_demo
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.storage.database import DB_FILENAME
from tests.interop_support import dump


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("merge") / "demo"
    build_demo(root, analysed=False).close()  # the interviews only: the coders here code them
    return root


@pytest.fixture
def team(template, tmp_path) -> dict[str, Path]:
    """The lead's project and two coders' copies of it, each coded by its coder."""
    folders = {name: tmp_path / name for name in ("lead", "alice", "bob")}
    for folder in folders.values():
        shutil.copytree(template, folder)
    for coder, shift in (("alice", 0), ("bob", 2)):
        with Project.open(folders[coder]) as project:
            session = CodingSession(project.store, coder)
            for info in project.store.transcripts.all():
                for i in range(4):
                    session.apply(info, "NPS.CITIZEN" if i % 2 else "T.ADVANTAGE", 40 * i + shift, 40 * i + 30)
                session.set_complete(info)
            session.set_memo("project", "", f"{coder}'s notes on the project")
            session.set_memo("code", "NPS.CITIZEN", f"{coder} finds this code hard")
    return folders


def content(root: Path) -> dict:
    with Project.open(root) as project:
        store = project.store
        return {
            "codings": sorted(store.codings.all(), key=lambda c: c.guid),
            "memos": sorted(store.memos.all(), key=lambda m: m.guid),
            "review": sorted((r.coder, r.transcript, r.status) for r in store.review.all()),
        }


def test_two_coders_merged_are_both_there_for_agreement(team, run):
    result = run("merge", team["alice"], team["bob"], "-p", team["lead"])
    assert result.exit_code == 0, result.stderr
    assert "Merged." in result.stderr
    merged, alice, bob = content(team["lead"]), content(team["alice"]), content(team["bob"])
    assert merged["codings"] == sorted(alice["codings"] + bob["codings"], key=lambda c: c.guid)
    assert merged["memos"] == sorted(alice["memos"] + bob["memos"], key=lambda m: m.guid)
    assert merged["review"] == sorted(alice["review"] + bob["review"])
    assert {status for _, _, status in merged["review"]} == {"complete"} and len(merged["review"]) == 12
    lines = [line.split() for line in result.stdout.splitlines()[2:]]
    assert [row[1:] for row in lines if row[0].startswith(str(team["alice"]))] == [
        ["transcripts", "0", "0", "6", "0"], ["codes", "0", "0", "41", "0"], ["coders", "1", "0", "0", "0"],
        ["codings", "24", "0", "0", "0"], ["memos", "2", "0", "0", "0"], ["review", "6", "0", "0", "0"],
        ["reveals", "0", "0", "0", "0"]]
    agree = run("agree", "-p", team["lead"])
    assert agree.exit_code == 0, agree.stderr
    assert "2 coders (alice, bob)" in agree.stdout


def test_merging_again_changes_nothing(team, run):
    assert run("merge", team["alice"], team["bob"], "-p", team["lead"]).exit_code == 0
    before = dump(team["lead"] / DB_FILENAME)
    again = run("merge", team["alice"], team["bob"], "-p", team["lead"])
    assert again.exit_code == 0
    assert dump(team["lead"] / DB_FILENAME) == before
    assert all(row.split()[2:4] == ["0", "0"] for row in again.stdout.splitlines()[2:])


def test_a_dry_run_reports_and_changes_nothing(team, run):
    before = dump(team["lead"] / DB_FILENAME)
    result = run("merge", team["alice"], "--dry-run", "-p", team["lead"])
    assert result.exit_code == 0 and "Dry run: nothing was changed." in result.stderr
    rows = {row.split()[1]: row.split()[2:] for row in result.stdout.splitlines()[2:]}
    assert rows["codings"] == ["24", "0", "0", "0"] and rows["memos"] == ["2", "0", "0", "0"]
    assert dump(team["lead"] / DB_FILENAME) == before


def test_the_other_file_is_only_read(team):
    digest = hashlib.sha256((team["alice"] / DB_FILENAME).read_bytes()).hexdigest()
    listing = sorted(p.name for p in team["alice"].iterdir())
    with Project.open(team["lead"]) as lead:
        merge_projects(lead, [team["alice"]])
    assert hashlib.sha256((team["alice"] / DB_FILENAME).read_bytes()).hexdigest() == digest
    # SQLite may leave its (empty) write-ahead log and shared-memory index behind; nothing else appears
    after = sorted(p.name for p in team["alice"].iterdir())
    assert [name for name in after if not name.endswith(("-wal", "-shm"))] == listing
    wal = team["alice"] / f"{DB_FILENAME}-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_merge_is_journalled_as_qcode_and_no_coder_can_undo_it(team):
    with Project.open(team["lead"]) as lead:
        merge_projects(lead, [team["alice"]])
        entries = [e for e in lead.store.journal.recent(500) if e.source == "merge"]
        assert entries and {e.actor for e in entries} == {"qcode"}
        assert {e.action for e in entries} == {"coding.merge", "memo.merge", "review.set"}
        assert not CodingSession(lead.store, "alice").can_undo()


def test_transcripts_match_by_text_and_codings_follow_our_name(team, run):
    with Project.open(team["alice"]) as project:  # alice renamed a transcript in her copy
        project.store.db.execute("UPDATE transcripts SET name = 'A01' WHERE name = 'A01-editor'")
        project.store.db.conn.commit()
    result = run("merge", team["alice"], "-p", team["lead"])
    assert result.exit_code == 0, result.stderr
    assert "transcript 'A01' there is 'A01-editor' here (same text)" in result.stderr
    with Project.open(team["lead"]) as lead:
        assert {c.transcript for c in lead.store.codings.all()} >= {"A01-editor"}
        assert lead.store.transcripts.by_name("A01") is None


def test_transcripts_and_codes_only_they_have_are_added(team, tmp_path, run):
    extra = tmp_path / "C01-new.txt"
    extra.write_text("访谈者：新的访谈。\n受访者：公众号更新及时。\n", encoding="utf-8")
    with Project.open(team["alice"]) as project:
        import_transcripts(project, [extra])
        book = current_codebook(project.store)
        parent = book["T.ADVANTAGE"].parent
        new_code = replace(book["T.ADVANTAGE"], id="T.NEW", key=None, color=None, keywords=())
        codes = []
        for code in book:
            if code.id == parent:
                code = replace(code, children=(*code.children, "T.NEW"))
            codes.append(code)
            if code.id == book.children_of(parent)[-1].id:
                codes.append(new_code)
        install_codebook(project, replace(book, codes=tuple(codes)), source="test")
        info = project.store.transcripts.by_name("C01-new")
        CodingSession(project.store, "alice").apply(info, "T.NEW", 4, 9)
    with Project.open(team["lead"]) as lead:
        colours = {c.id: current_codebook(lead.store).color_of(c.id) for c in current_codebook(lead.store)}
    assert run("merge", team["alice"], "-p", team["lead"]).exit_code == 0
    with Project.open(team["lead"]) as lead:
        store = lead.store
        book = current_codebook(store)
        assert "T.NEW" in book and book["T.NEW"].parent == parent
        assert {c.id: book.color_of(c.id) for c in book if c.id in colours} == colours  # nobody's colour moved
        info = store.transcripts.by_name("C01-new")
        assert info is not None and len(store.transcripts.units(info.id, "turn")) == 2
        [coding] = store.codings.for_transcript(info.id)
        assert (coding.code, store.transcripts.text(info.id)[coding.start:coding.end]) == ("T.NEW", "新的访谈。")


def _conflicting(team, kind: str) -> None:
    """Make alice's copy disagree with the lead's after a first merge, in one way."""
    with Project.open(team["alice"]) as project:
        store = project.store
        session = CodingSession(store, "alice")
        first = store.codings.all()[0]
        if kind == "coding":
            session.set_coding_memo(first.guid, "rethought")
        elif kind == "memo":
            session.set_memo("project", "", "alice's notes, second thoughts")
        elif kind == "review":
            session.set_complete(store.transcripts.by_name(first.transcript), False)
        elif kind == "code":
            book = current_codebook(store)
            changed = replace(book["O.STAFF"], definition=replace(book["O.STAFF"].definition, plain="", translations=(
                ("zh", "改过的定义"), ("en", "changed"))))
            install_codebook(project, replace(book, codes=tuple(changed if c.id == "O.STAFF" else c for c in book)),
                             source="test")
        elif kind == "transcript":
            store.db.execute("UPDATE transcripts SET text = text || '补充', sha256 = 'changed' WHERE name = 'A02-department-head'")
            store.db.conn.commit()


@pytest.mark.parametrize("kind,message", [
    ("coding", "differs here and there in: memo"),
    ("memo", "alice's memo on the project has other text here than there"),
    ("review", "alice's review status of 'A01-editor' is 'complete' here and 'in_progress' there"),
    ("code", "code 'O.STAFF' differs here and there in: definition"),
    ("transcript", "transcript 'A02-department-head' has other text here than there; its 4 codings"),
])
def test_each_kind_of_conflict_stops_the_merge_and_changes_nothing(team, run, kind, message):
    assert run("merge", team["alice"], "-p", team["lead"]).exit_code == 0
    _conflicting(team, kind)
    with Project.open(team["bob"]) as project:  # something new from bob must wait too
        CodingSession(project.store, "bob").apply(project.store.transcripts.by_name("A03-township-clerk"),
                                                  "O.STAFF", 300, 320)
    before = dump(team["lead"] / DB_FILENAME)
    result = run("merge", team["bob"], team["alice"], "-p", team["lead"])
    assert result.exit_code == 1
    assert message in result.stderr
    assert f"error: {team['alice'] / DB_FILENAME}: " in result.stderr
    assert "nothing was merged because of 1 conflict;" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(team["lead"] / DB_FILENAME) == before


def test_skip_conflicts_merges_the_rest_and_keeps_ours(team, run):
    assert run("merge", team["alice"], "-p", team["lead"]).exit_code == 0
    _conflicting(team, "coding")
    _conflicting(team, "transcript")
    with Project.open(team["alice"]) as project:
        CodingSession(project.store, "alice").apply(project.store.transcripts.by_name("A03-township-clerk"),
                                                    "O.STAFF", 300, 320)
    result = run("merge", team["alice"], "--skip-conflicts", "-p", team["lead"])
    assert result.exit_code == 0, result.stderr
    assert "2 conflicts left as they are here" in result.stderr
    with Project.open(team["lead"]) as lead:
        codings = lead.store.codings.all()
        assert any(c.code == "O.STAFF" and c.start == 300 for c in codings)
        assert "rethought" not in {c.memo for c in codings}


@pytest.mark.parametrize("prefer", ["ours", "theirs"])
def test_prefer_settles_conflicts_and_says_so(team, run, prefer):
    assert run("merge", team["alice"], "-p", team["lead"]).exit_code == 0
    for kind in ("coding", "memo", "review", "code"):
        _conflicting(team, kind)
    result = run("merge", team["alice"], "--prefer", prefer, "-p", team["lead"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count(f"{'took theirs' if prefer == 'theirs' else 'kept ours'}") == 4
    with Project.open(team["lead"]) as lead:
        store = lead.store
        memos = {c.memo for c in store.codings.all()}
        definition = current_codebook(store)["O.STAFF"].definition.get("en")
        review = {(r.transcript, r.status) for r in store.review.all() if r.coder == "alice"}
    assert ("rethought" in memos) == (prefer == "theirs")
    assert (definition == "changed") == (prefer == "theirs")
    assert (("A01-editor", "in_progress") in review) == (prefer == "theirs")
    assert run("merge", team["alice"], "--prefer", prefer, "-p", team["lead"]).exit_code == 0


def test_several_files_adding_the_same_transcript_add_it_once(team, tmp_path, run):
    extra = tmp_path / "C01-new.txt"
    extra.write_text("访谈者：新的访谈。\n", encoding="utf-8")
    for coder in ("alice", "bob"):
        with Project.open(team[coder]) as project:
            import_transcripts(project, [extra])
    assert run("merge", team["alice"], team["bob"], "-p", team["lead"]).exit_code == 0
    with Project.open(team["lead"]) as lead:
        assert [t.name for t in lead.store.transcripts.all()].count("C01-new") == 1


def test_a_newer_schema_is_refused(team, run):
    with Project.open(team["alice"]) as project:
        project.store.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                                 "VALUES ('qcode', '999_from_the_future', '2030-01-01')")
        project.store.db.execute("PRAGMA user_version = 999")
        project.store.db.conn.commit()
    before = dump(team["lead"] / DB_FILENAME)
    result = run("merge", team["alice"], "-p", team["lead"])
    assert result.exit_code == 1 and "schema version 999" in result.stderr and "upgrade qcode" in result.stderr
    assert dump(team["lead"] / DB_FILENAME) == before


def test_files_that_are_not_projects_are_refused(team, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    with Project.open(team["lead"]) as lead:
        with pytest.raises(ProjectError, match="not a qcode project database"):
            merge_projects(lead, [junk])
        with pytest.raises(InputError, match="no qcode project file here"):
            merge_projects(lead, [tmp_path / "nowhere"])
        with pytest.raises(InputError, match="the project itself"):
            merge_projects(lead, [team["lead"]])


def test_merging_into_an_empty_project_brings_everything(team, tmp_path):
    with Project.init(tmp_path / "empty") as empty:
        report = merge_projects(empty, [team["alice"]])
        assert report.applied
        assert {c: (t.added, t.conflicting) for c, t in report.files[0].tallies.items()} == {
            "transcripts": (6, 0), "codes": (41, 0), "coders": (1, 0), "codings": (24, 0), "memos": (2, 0),
            "review": (6, 0), "reveals": (0, 0)}
        with Project.open(team["alice"]) as alice:
            assert current_codebook(empty.store).content_hash() == current_codebook(alice.store).content_hash()
        info = empty.store.transcripts.by_name("A01-editor")
        assert len(empty.store.transcripts.units(info.id, "sentence")) > 100  # cut like any import


def test_codings_of_a_code_that_is_a_group_here_are_counted_in_one_conflict(team, run):
    with Project.open(team["lead"]) as lead:  # the lead turned O.STAFF into a group with a child
        book = current_codebook(lead.store)
        staff = replace(book["O.STAFF"], codable=False, key=None, children=("O.STAFF.NEW",))
        child = replace(book["O.STAFF"], id="O.STAFF.NEW", key=None, color=None, keywords=(), parent="O.STAFF",
                        children=())
        codes = []
        for code in book:
            codes.append(staff if code.id == "O.STAFF" else code)
            if code.id == "O.STAFF":
                codes.append(child)
        install_codebook(lead, replace(book, codes=tuple(codes)), source="test")
    with Project.open(team["alice"]) as project:
        for start in (10, 50, 90):
            CodingSession(project.store, "alice").apply(project.store.transcripts.by_name("A01-editor"), "O.STAFF",
                                                        start, start + 5)
    result = run("merge", team["alice"], "--prefer", "ours", "-p", team["lead"])
    assert result.exit_code == 1
    assert "3 codings apply 'O.STAFF', which is a group here" in result.stderr
    assert run("merge", team["alice"], "--prefer", "ours", "--skip-conflicts", "-p", team["lead"]).exit_code == 0
