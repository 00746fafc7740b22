"""Schema addition for blind coding: when a coder was shown the other coders' codings (migration t10c).

- `reveals`: one row each time a coder turned on the other coders' codings of a transcript (Ctrl+O in
  the coding screen, or opening a disagreement from the agreement screen): who, which transcript, when,
  and the coder's own review status of that transcript at that moment (`complete`, `in_progress` or
  NULL for never marked). Agreement reports read it to name the transcripts a coder did not code
  independently. Rows are only added (journalled as `blind.reveal`); they are facts, not undoable edits.
"""

from __future__ import annotations

from sqlite_utils import Database

from qcode.storage.schema import migration

_REVEALS = [
    """
    CREATE TABLE reveals (
        id            INTEGER PRIMARY KEY,
        coder_id      INTEGER NOT NULL REFERENCES coders(id),
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        at            TEXT NOT NULL,          -- UTC, ISO 8601 with milliseconds, as in the journal
        status        TEXT                    -- the coder's review status of the transcript at that moment
    )
    """,
    "CREATE INDEX reveals_by_transcript ON reveals(transcript_id, coder_id)",
]


@migration("t10c_blind_reveals")
def m_t10c_blind_reveals(db: Database) -> None:
    for statement in _REVEALS:
        db.execute(statement)
