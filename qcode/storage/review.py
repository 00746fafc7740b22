"""Review status: whether a coder has completed a transcript."""

from __future__ import annotations

from sqlite_utils import Database

from qcode.domain.models import ReviewStatus
from qcode.storage.clock import utc_now
from qcode.storage.coders import CoderRepository
from qcode.storage.transaction import Transaction


class ReviewRepository:
    """Reads and writes `review_status`; changes are journalled in the caller's transaction."""

    def __init__(self, db: Database, coders: CoderRepository) -> None:
        self.db = db
        self.coders = coders

    def all(self) -> list[ReviewStatus]:
        rows = self.db.execute(
            "SELECT k.name, t.name, r.status, r.updated_at FROM review_status r "
            "JOIN coders k ON k.id = r.coder_id JOIN transcripts t ON t.id = r.transcript_id "
            "ORDER BY t.name, k.name"
        )
        return [ReviewStatus(*r) for r in rows]

    def status(self, coder: str, transcript_id: int) -> str | None:
        row = self.db.execute(
            "SELECT r.status FROM review_status r JOIN coders k ON k.id = r.coder_id "
            "WHERE k.name = ? AND r.transcript_id = ?",
            [coder, transcript_id],
        ).fetchone()
        return row[0] if row else None

    def set(self, tx: Transaction, coder: str, transcript_id: int, transcript_name: str, status: str | None) -> bool:
        """Set (or with None, clear) a coder's status on a transcript; False if nothing changed."""
        before = self.status(coder, transcript_id)
        if before == status:
            return False
        coder_id = self.coders.ensure(coder)
        key = f"{coder}|{transcript_name}"
        if status is None:
            self.db.execute(
                "DELETE FROM review_status WHERE coder_id = ? AND transcript_id = ?", [coder_id, transcript_id]
            )
        else:
            self.db.execute(
                "INSERT INTO review_status (coder_id, transcript_id, status, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (coder_id, transcript_id) DO UPDATE SET status = excluded.status, "
                "updated_at = excluded.updated_at",
                [coder_id, transcript_id, status, utc_now()],
            )

        def row(s: str | None) -> dict[str, str] | None:
            return None if s is None else {"coder": coder, "transcript": transcript_name, "status": s}

        tx.record("review.set", "review_status", key, row(before), row(status))
        return True
