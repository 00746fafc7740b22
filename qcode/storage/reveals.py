"""Blind coding: when coders were shown the other coders' codings, and which codings that compromises.

A coder's coding of a transcript counts as *not independent* when they saw the others' codings of it
before completing it: a reveal while their own status was not `complete`, or a reveal followed by any
change to their codings of that transcript (they reopened it, or kept coding after looking).
"""

from __future__ import annotations


from sqlite_utils import Database

from qcode.domain.blind import SeenBeforeComplete
from qcode.storage.clock import utc_now
from qcode.storage.coders import CoderRepository
from qcode.storage.transaction import Transaction

REVEAL_ACTION = "blind.reveal"


class RevealRepository:
    """Reads and writes `reveals`; each reveal is journalled in the caller's transaction."""

    def __init__(self, db: Database, coders: CoderRepository) -> None:
        self.db = db
        self.coders = coders

    def record(self, tx: Transaction, coder: str, transcript_id: int, transcript_name: str,
               status: str | None, at: str | None = None) -> str:
        """Note that `coder` now sees the other coders' codings of the transcript; returns the time.

        `at` is given only when a reveal made elsewhere is copied in (by a merge).
        """
        at = at or utc_now()
        coder_id = self.coders.ensure(coder)
        self.db.execute(
            "INSERT INTO reveals (coder_id, transcript_id, at, status) VALUES (?, ?, ?, ?)",
            [coder_id, transcript_id, at, status],
        )
        tx.record(REVEAL_ACTION, "reveals", f"{coder}|{transcript_name}", None,
                  {"coder": coder, "transcript": transcript_name, "at": at, "status": status})
        return at

    def all(self) -> list[tuple[str, str, str, str | None]]:
        """Every reveal as (coder, transcript name, at, status), oldest first; none in an older project."""
        if not self.db["reveals"].exists():  # a project file from before blind coding was recorded
            return []
        return self.db.execute(
            "SELECT k.name, t.name, r.at, r.status FROM reveals r JOIN coders k ON k.id = r.coder_id "
            "JOIN transcripts t ON t.id = r.transcript_id ORDER BY r.at, r.id"
        ).fetchall()

    def exists(self, coder: str, transcript_id: int, at: str) -> bool:
        return self.db.execute(
            "SELECT 1 FROM reveals r JOIN coders k ON k.id = r.coder_id "
            "WHERE k.name = ? AND r.transcript_id = ? AND r.at = ?", [coder, transcript_id, at]
        ).fetchone() is not None

    def count(self, coder: str | None = None) -> int:
        sql = "SELECT count(*) FROM reveals r JOIN coders k ON k.id = r.coder_id"
        return int(self.db.execute(sql + (" WHERE k.name = ?" if coder else ""), [coder] if coder else []).fetchone()[0])

    def seen_before_complete(self, transcripts: list[str] | None = None) -> list[SeenBeforeComplete]:
        """Every (coder, transcript) not coded independently, by transcript and coder name.

        A reveal counts when the coder's status was not `complete` at the time, or when the coder's
        journal shows a change to their codings of the transcript at or after the reveal.
        """
        rows = self.db.execute(
            """
            SELECT k.name, t.name, r.at, r.status,
                   EXISTS (SELECT 1 FROM journal j
                            WHERE j.actor = k.name AND j.entity = 'codings' AND j.at >= r.at
                              AND json_extract(coalesce(j.after, j.before), '$.transcript') = t.name) AS changed
              FROM reveals r
              JOIN coders k ON k.id = r.coder_id
              JOIN transcripts t ON t.id = r.transcript_id
             ORDER BY t.name, k.name, r.at
            """
        ).fetchall()
        wanted = None if transcripts is None else set(transcripts)
        found: dict[tuple[str, str], SeenBeforeComplete] = {}
        for coder, transcript, at, status, changed in rows:
            if (wanted is not None and transcript not in wanted) or (coder, transcript) in found:
                continue
            if status != "complete" or changed:
                found[(coder, transcript)] = SeenBeforeComplete(coder, transcript, at, status, bool(changed))
        return list(found.values())
