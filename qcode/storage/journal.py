"""The append-only journal: every change, readable as an audit trail and replayable for undo/redo."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class JournalEntry:
    seq: int
    at: str
    actor: str
    batch: str
    kind: str  # do, undo, redo
    target_batch: str | None
    action: str
    entity: str
    entity_key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    source: str


NOT_UNDOABLE = ("reveals",)
"""Entities whose journal entries record facts (a coder saw others' codings), not edits to undo."""

_COLUMNS = "seq, at, actor, batch, kind, target_batch, action, entity, entity_key, before, after, source"


def _entry(row: tuple[Any, ...]) -> JournalEntry:
    values = list(row)
    values[9] = json.loads(values[9]) if values[9] is not None else None
    values[10] = json.loads(values[10]) if values[10] is not None else None
    return JournalEntry(*values)


class JournalRepository:
    """Reads the journal; writing happens through `Transaction.record`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def by_actor(self, actor: str, sources: tuple[str, ...] | None = None) -> list[JournalEntry]:
        sql = f"SELECT {_COLUMNS} FROM journal WHERE actor = ?"
        params: list[Any] = [actor]
        if sources:
            sql += f" AND source IN ({', '.join('?' for _ in sources)})"
            params.extend(sources)
        return [_entry(r) for r in self.db.execute(sql + " ORDER BY seq", params)]

    def batch_sequence(self, actor: str) -> list[tuple[str, str, str | None]]:
        """(batch, kind, target batch) of each of an actor's undoable batches, oldest first (no row images)."""
        skip = ", ".join("?" for _ in NOT_UNDOABLE)
        return self.db.execute(
            f"SELECT batch, kind, target_batch FROM journal WHERE actor = ? AND entity NOT IN ({skip}) "
            "GROUP BY batch ORDER BY min(seq)", [actor, *NOT_UNDOABLE]
        ).fetchall()

    def batch(self, batch: str) -> list[JournalEntry]:
        return [_entry(r) for r in self.db.execute(f"SELECT {_COLUMNS} FROM journal WHERE batch = ? ORDER BY seq", [batch])]

    def recent(self, limit: int = 50) -> list[JournalEntry]:
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM journal ORDER BY seq DESC LIMIT ?", [limit]).fetchall()
        return [_entry(r) for r in reversed(rows)]

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM journal").fetchone()[0])
