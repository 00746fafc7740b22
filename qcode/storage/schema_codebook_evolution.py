"""Schema additions for a codebook that grows while coding (grounded theory), migration t15.

- `codebooks.change`: what one saved version changed (JSON: action, codes, coding counts), so
  `qcode codebook history` and `diff` can say "merged A into B" where a plain comparison sees a removal.
- `code_relations`: typed, directed links between codes (axial coding), each with a memo and its author.
- `coding_examples`: codings starred as the example statement of their code (open-coding tables).
- `saturation_tests`: transcripts held back to test theoretical saturation.
"""

from __future__ import annotations

from sqlite_utils import Database

from qcode.storage.schema import migration

_STATEMENTS = [
    "ALTER TABLE codebooks ADD COLUMN change TEXT",
    """
    CREATE TABLE code_relations (
        id          INTEGER PRIMARY KEY,
        guid        TEXT NOT NULL UNIQUE,
        source_id   TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
        target_id   TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
        type        TEXT NOT NULL CHECK (length(trim(type)) > 0),
        memo        TEXT NOT NULL DEFAULT '',
        coder_id    INTEGER NOT NULL REFERENCES coders(id),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        CHECK (source_id <> target_id),
        UNIQUE (source_id, target_id, type)
    )
    """,
    """
    CREATE TABLE coding_examples (
        coding_guid TEXT PRIMARY KEY,         -- codings.guid; a starred coding that is removed is ignored
        coder_id    INTEGER NOT NULL REFERENCES coders(id),
        starred_at  TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE saturation_tests (
        transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
        marked_at     TEXT NOT NULL
    )
    """,
]


@migration("t15_codebook_evolution")
def m_t15_codebook_evolution(db: Database) -> None:
    for statement in _STATEMENTS:
        db.execute(statement)
