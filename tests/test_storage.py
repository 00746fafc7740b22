"""The project database: pragmas, schema versions, integrity rules, locks."""

from __future__ import annotations

import sqlite3

import pytest

from qcode.errors import ProjectError
from qcode.project.project import Project
from qcode.storage import SCHEMA_VERSION, open_store
from qcode.storage.migrations import MIGRATION_NAMES
from qcode.storage.database import DB_FILENAME
from tests.conftest import code_row


def test_new_project_has_wal_foreign_keys_and_recorded_schema_version(project):
    store = project.store
    assert store.db.journal_mode == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.meta("schema_version") == str(SCHEMA_VERSION)
    applied = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'qcode'")]
    assert len(applied) == SCHEMA_VERSION
    for folder in ("codebooks", "transcripts", "exports"):
        assert (project.root / folder).is_dir()


def test_every_connection_enforces_foreign_keys(project):
    with open_store(project.db_path) as second:
        assert second.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            with second.transaction() as tx:
                tx.db.execute(
                    "INSERT INTO codings (guid, coder_id, transcript_id, code_id, start, \"end\", created_at, updated_at)"
                    " VALUES ('g', 99, 99, 'nope', 0, 1, '', '')"
                )


def test_newer_schema_is_refused(project):
    project.store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    project.close()
    with pytest.raises(ProjectError, match="upgrade qcode"):
        open_store(project.db_path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    bogus = tmp_path / DB_FILENAME
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ProjectError, match="not a qcode project database"):
        open_store(bogus)


def test_an_sqlite_file_of_another_program_is_refused(tmp_path):
    other = tmp_path / DB_FILENAME
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE something (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not a qcode project database"):
        open_store(other)


def test_init_refuses_an_existing_project(project):
    with pytest.raises(ProjectError, match="already exists"):
        Project.init(project.root)


def test_journal_is_append_only(project):
    with project.store.transaction() as tx:
        tx.record("test.action", "nothing", "k", None, {"a": 1})
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.store.db.execute("UPDATE journal SET actor = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.store.db.execute("DELETE FROM journal")


def test_codings_cannot_point_past_the_text_or_at_a_group(project):
    store = project.store
    with store.transaction() as tx:
        info = store.transcripts.insert(guid="t1", name="t", sha256="x", text="abc", source_path=None, encoding="utf-8")
        store.codes.replace_all(tx, [code_row("G", 0, codable=False), code_row("A", 1, parent="G")])
        coder = store.coders.ensure("ann")
    insert = ('INSERT INTO codings (guid, coder_id, transcript_id, code_id, start, "end", created_at, updated_at) '
              "VALUES (?, ?, ?, ?, ?, ?, '', '')")
    with pytest.raises(sqlite3.IntegrityError, match="beyond the end"):
        store.db.execute(insert, ["c1", coder, info.id, "A", 1, 4])
    with pytest.raises(sqlite3.IntegrityError, match="group"):
        store.db.execute(insert, ["c2", coder, info.id, "G", 0, 1])
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(insert, ["c3", coder, info.id, "A", 2, 2])  # empty span
    store.db.execute(insert, ["c4", coder, info.id, "A", 0, 3])


def test_a_locked_database_gives_a_clear_error_and_changes_nothing(project):
    blocker = sqlite3.connect(project.db_path)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ProjectError, match="locked by another process"):
            with project.store.transaction() as tx:
                project.store.coders.ensure("ann")
                tx.record("x", "y", "z", None, None)
    finally:
        blocker.rollback()
        blocker.close()
    assert project.store.coders.names() == []


def test_migration_names_and_order_are_pinned():
    # Existing projects record the names they applied, and the schema version is their count: a
    # migration may only be appended, never renamed, reordered or removed.
    assert MIGRATION_NAMES == [
        "001_initial", "002_report_views", "003_text_index",
        "t10c_blind_reveals", "t10b_codings_unique_span", "t10b_transcript_length_index",
        "t15_codebook_evolution", "t14_attributes_persons", "t13_turn_times_and_metadata",
        "t10b_reading_positions",
    ]
    assert len(set(MIGRATION_NAMES)) == len(MIGRATION_NAMES) == SCHEMA_VERSION
