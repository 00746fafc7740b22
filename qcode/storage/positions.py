"""Reading positions: the selection each coder had in each transcript when they left it."""

from __future__ import annotations

from sqlite_utils import Database

from qcode.storage.clock import utc_now
from qcode.storage.coders import CoderRepository


class ReadingPositionRepository:
    """Reads and writes `reading_positions` (a view position: never journalled)."""

    def __init__(self, db: Database, coders: CoderRepository) -> None:
        self.db = db
        self.coders = coders

    def get(self, coder: str, transcript_id: int) -> tuple[int, int] | None:
        row = self.db.execute(
            'SELECT p.start, p."end" FROM reading_positions p JOIN coders k ON k.id = p.coder_id '
            "WHERE k.name = ? AND p.transcript_id = ?", [coder, transcript_id]).fetchone()
        return (row[0], row[1]) if row else None

    def set(self, coder: str, transcript_id: int, start: int, end: int) -> None:
        """Remember the position (call inside a transaction)."""
        self.db.execute(
            'INSERT INTO reading_positions (coder_id, transcript_id, start, "end", updated_at) VALUES (?, ?, ?, ?, ?) '
            'ON CONFLICT (coder_id, transcript_id) DO UPDATE SET start = excluded.start, "end" = excluded."end", '
            "updated_at = excluded.updated_at",
            [self.coders.ensure(coder), transcript_id, start, end, utc_now()])
