"""Memos on the project, a transcript or a code (memos on a coding live on the coding itself)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qcode.storage.clock import utc_now
from qcode.storage.coders import CoderRepository
from qcode.storage.transaction import Transaction


@dataclass(frozen=True, slots=True)
class Memo:
    guid: str
    target_kind: str  # "project", "transcript" (target = transcript guid) or "code" (target = code id)
    target: str
    coder: str
    text: str
    created_at: str
    updated_at: str


_SELECT = (
    "SELECT m.guid, m.target_kind, m.target, k.name, m.text, m.created_at, m.updated_at "
    "FROM memos m JOIN coders k ON k.id = m.coder_id"
)


def _row(memo: Memo | None) -> dict[str, Any] | None:
    if memo is None:
        return None
    return {f: getattr(memo, f) for f in Memo.__dataclass_fields__}


class MemoRepository:
    """Reads and writes `memos`: one memo per coder and target; an empty text deletes it."""

    def __init__(self, db: Database, coders: CoderRepository) -> None:
        self.db = db
        self.coders = coders

    def get(self, target_kind: str, target: str, coder: str) -> Memo | None:
        row = self.db.execute(
            f"{_SELECT} WHERE m.target_kind = ? AND m.target = ? AND k.name = ?", [target_kind, target, coder]
        ).fetchone()
        return Memo(*row) if row else None

    def all(self) -> list[Memo]:
        return [Memo(*r) for r in self.db.execute(f"{_SELECT} ORDER BY m.target_kind, m.target, k.name")]

    def set(self, tx: Transaction, target_kind: str, target: str, coder: str, text: str) -> Memo | None:
        """Write the coder's memo on a target (empty text removes it); return the memo now stored."""
        before = self.get(target_kind, target, coder)
        now = utc_now()
        if not text.strip():
            if before is not None:
                self.db.execute("DELETE FROM memos WHERE guid = ?", [before.guid])
                tx.record("memo.set", "memos", before.guid, _row(before), None)
            return None
        if before is None:
            after = Memo(str(uuid.uuid4()), target_kind, target, coder, text, now, now)
            self.db.execute(
                "INSERT INTO memos (guid, target_kind, target, coder_id, text, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [after.guid, target_kind, target, self.coders.ensure(coder), text, now, now],
            )
        elif before.text == text:
            return before
        else:
            after = Memo(before.guid, target_kind, target, coder, text, before.created_at, now)
            self.db.execute("UPDATE memos SET text = ?, updated_at = ? WHERE guid = ?", [text, now, before.guid])
        tx.record("memo.set", "memos", after.guid, _row(before), _row(after))
        return after

    def restore(self, tx: Transaction, row: dict[str, Any] | None, current_guid: str) -> None:
        """Put a memo back to a journal image (None deletes it); used by undo and redo."""
        self.db.execute("DELETE FROM memos WHERE guid = ?", [current_guid])
        if row is not None:
            self.db.execute(
                "INSERT INTO memos (guid, target_kind, target, coder_id, text, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [row["guid"], row["target_kind"], row["target"], self.coders.ensure(row["coder"]), row["text"],
                 row["created_at"], row["updated_at"]],
            )
