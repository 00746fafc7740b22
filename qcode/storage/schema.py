"""The project schema, as an ordered list of sqlite-utils migrations.

Tables are plain and readable on purpose: a stranger with any SQLite client should understand them.
Offsets are `[start, end)` code-point indices into `transcripts.text`. Never edit a released migration;
add a new one and bump nothing else (the schema version is the number of migrations). A new
`schema_<topic>.py` module is appended to `MIGRATION_MODULES` in `qcode/storage/migrations.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

MigrationFunction = Callable[[Database], None]


def migration(name: str) -> Callable[[MigrationFunction], MigrationFunction]:
    """Name a migration function; `qcode.storage.migrations` lists the modules, and so the order."""

    def mark(function: MigrationFunction) -> MigrationFunction:
        function.migration_name = name  # type: ignore[attr-defined]  # a plain tag read by migrations.py
        return function

    return mark

_INITIAL = [
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE transcripts (
        id          INTEGER PRIMARY KEY,
        guid        TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL UNIQUE,
        sha256      TEXT NOT NULL,            -- of the canonical text, UTF-8
        text        TEXT NOT NULL,            -- canonical text: no BOM, newlines are \\n
        characters  INTEGER NOT NULL,         -- len(text) in code points
        source_path TEXT,
        encoding    TEXT,                     -- as detected or given at import
        imported_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX transcripts_sha256 ON transcripts(sha256)",
    """
    CREATE TABLE units (
        id            INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL CHECK (kind IN ('turn', 'sentence')),
        idx           INTEGER NOT NULL,       -- position among units of this kind, from 0
        start         INTEGER NOT NULL,
        "end"         INTEGER NOT NULL,
        speaker       TEXT,
        turn_idx      INTEGER,                -- for sentences: the turn they belong to
        label_start   INTEGER,                -- for turns: the speaker label, outside [start, end)
        label_end     INTEGER,
        CHECK (0 <= start AND start <= "end"),
        UNIQUE (transcript_id, kind, idx)
    )
    """,
    """
    CREATE TABLE codebooks (
        id             INTEGER PRIMARY KEY,
        codebook_id    TEXT,                  -- the `id` field of the codebook file, if any
        version        TEXT,
        title          TEXT,
        content_hash   TEXT NOT NULL,
        format_version INTEGER NOT NULL,
        source_path    TEXT,
        document       TEXT NOT NULL,         -- the codebook as qcode YAML, for provenance
        loaded_at      TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE codes (
        id          TEXT PRIMARY KEY,         -- the stable codebook id; codings refer to it
        parent_id   TEXT REFERENCES codes(id) ON UPDATE CASCADE,
        position    INTEGER NOT NULL,         -- document (depth-first) order
        depth       INTEGER NOT NULL,
        name        TEXT NOT NULL,            -- display name (Chinese where given)
        name_en     TEXT,
        definition  TEXT,
        hotkey      TEXT,
        color       TEXT,
        codable     INTEGER NOT NULL DEFAULT 1,
        keywords    TEXT NOT NULL DEFAULT '[]',   -- JSON list
        spec        TEXT NOT NULL                 -- the full code as JSON (bilingual fields, examples)
    )
    """,
    """
    CREATE TABLE coders (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE codings (
        id            INTEGER PRIMARY KEY,
        guid          TEXT NOT NULL UNIQUE,
        coder_id      INTEGER NOT NULL REFERENCES coders(id),
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        code_id       TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
        start         INTEGER NOT NULL,
        "end"         INTEGER NOT NULL,
        memo          TEXT NOT NULL DEFAULT '',
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        CHECK (0 <= start AND start < "end")
    )
    """,
    "CREATE INDEX codings_by_transcript ON codings(transcript_id, start)",
    "CREATE INDEX codings_by_code ON codings(code_id)",
    "CREATE INDEX codings_by_coder ON codings(coder_id, transcript_id)",
    # A coding can never point past the end of its transcript, whoever writes it.
    """
    CREATE TRIGGER codings_within_text_insert BEFORE INSERT ON codings
    WHEN NEW."end" > (SELECT characters FROM transcripts WHERE id = NEW.transcript_id)
    BEGIN SELECT RAISE(ABORT, 'coding ends beyond the end of its transcript'); END
    """,
    """
    CREATE TRIGGER codings_within_text_update BEFORE UPDATE ON codings
    WHEN NEW."end" > (SELECT characters FROM transcripts WHERE id = NEW.transcript_id)
    BEGIN SELECT RAISE(ABORT, 'coding ends beyond the end of its transcript'); END
    """,
    # A group (codable = 0) organises codes and cannot be applied.
    """
    CREATE TRIGGER codings_codable_code BEFORE INSERT ON codings
    WHEN (SELECT codable FROM codes WHERE id = NEW.code_id) = 0
    BEGIN SELECT RAISE(ABORT, 'this code is a group and cannot be applied'); END
    """,
    """
    CREATE TABLE review_status (
        coder_id      INTEGER NOT NULL REFERENCES coders(id),
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        status        TEXT NOT NULL CHECK (status IN ('in_progress', 'complete')),
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (coder_id, transcript_id)
    )
    """,
    """
    CREATE TABLE memos (
        id          INTEGER PRIMARY KEY,
        guid        TEXT NOT NULL UNIQUE,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'transcript', 'code')),
        target      TEXT NOT NULL,            -- transcript guid, code id, or '' for the project
        coder_id    INTEGER NOT NULL REFERENCES coders(id),
        text        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        UNIQUE (target_kind, target, coder_id)
    )
    """,
    """
    CREATE TABLE journal (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        at           TEXT NOT NULL,
        actor        TEXT NOT NULL,           -- coder name, or 'qcode' for project-level changes
        batch        TEXT NOT NULL,           -- entries written by one user action share a batch
        kind         TEXT NOT NULL CHECK (kind IN ('do', 'undo', 'redo')),
        target_batch TEXT,                    -- for undo/redo: the batch undone or redone
        action       TEXT NOT NULL,           -- e.g. coding.add, coding.remove, review.complete
        entity       TEXT NOT NULL,           -- table the row lives in
        entity_key   TEXT NOT NULL,           -- the row's guid or natural key
        before       TEXT,                    -- JSON of the row before (NULL when created)
        after        TEXT,                    -- JSON of the row after (NULL when deleted)
        source       TEXT NOT NULL DEFAULT '' -- cli, tui, import, merge ...
    )
    """,
    "CREATE INDEX journal_by_actor ON journal(actor, seq)",
    "CREATE INDEX journal_by_batch ON journal(batch)",
    # The journal is the audit trail: it only grows.
    """
    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END
    """,
    """
    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END
    """,
]


@migration("001_initial")
def m001_initial(db: Database) -> None:
    for statement in _INITIAL:
        db.execute(statement)
