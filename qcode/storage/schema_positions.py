"""Where each coder stopped reading each transcript (migration t10b_reading_positions).

A view position, not project data: it is not journalled, merges and exports ignore it, and losing it
loses nothing but a scroll. One row per coder and transcript: the selection when the coder left.
"""

from __future__ import annotations

from sqlite_utils import Database

from qcode.storage.schema import migration


@migration("t10b_reading_positions")
def m_t10b_reading_positions(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE reading_positions (
            coder_id      INTEGER NOT NULL REFERENCES coders(id),
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            start         INTEGER NOT NULL,
            "end"         INTEGER NOT NULL,
            updated_at    TEXT NOT NULL,
            PRIMARY KEY (coder_id, transcript_id)
        )
        """
    )
