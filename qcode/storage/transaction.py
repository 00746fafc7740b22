"""A write transaction's journal: every row a repository changes is recorded with it.

Repositories take a `Transaction` (from `Store.transaction()`) so their writes and the journal entries
describing them commit together; undo/redo and the audit trail read the journal.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from qcode.storage.clock import utc_now


@dataclass
class Transaction:
    """One atomic change to the project: repositories record every row they change in the journal."""

    db: Database
    actor: str
    source: str
    batch: str = field(default_factory=lambda: str(uuid.uuid4()))
    kind: str = "do"
    target_batch: str | None = None
    entries: int = 0

    def record(self, action: str, entity: str, key: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        """Append one change to the journal (same transaction as the change itself)."""
        self.db.execute(
            "INSERT INTO journal (at, actor, batch, kind, target_batch, action, entity, entity_key, "
            "before, after, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                utc_now(),
                self.actor,
                self.batch,
                self.kind,
                self.target_batch,
                action,
                entity,
                key,
                _to_json(before),
                _to_json(after),
                self.source,
            ],
        )
        self.entries += 1

    def record_many(self, action: str, entity: str, changes: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]) -> None:
        """Append many changes of one kind, each `(key, before, after)`, with one statement."""
        at = utc_now()
        self.db.conn.executemany(
            "INSERT INTO journal (at, actor, batch, kind, target_batch, action, entity, entity_key, "
            "before, after, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(at, self.actor, self.batch, self.kind, self.target_batch, action, entity, key, _to_json(before),
              _to_json(after), self.source) for key, before, after in changes],
        )
        self.entries += len(changes)


def _to_json(row: dict[str, Any] | None) -> str | None:
    return None if row is None else json.dumps(row, ensure_ascii=False, sort_keys=True)
