"""Bulk import of codings through a staging table, so a million rows never sit in Python memory.

Rows are staged in a TEMP table while the file is read (outside the project's write lock: the temp
database is this connection's own). A row repeating an earlier one (same coder, transcript, code and
span) is folded into it as it arrives, its memo joined when it says something new. `apply` then runs
inside the caller's IMMEDIATE transaction and decides set-wise, against the codings stored at that
moment: new codings are inserted and journalled, codings already stored are left alone, and a stored
coding whose memo differs from the file's takes the file's memo (journalled, the old memo stays in the
journal); an empty memo in the file never erases a stored one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlite_utils import Database

from qcode.storage.database import Transaction

_STAGED = "temp.qcode_staged_codings"
_CACHE_KIB = -131072  # 128 MB of page cache while importing (negative: KiB, as SQLite counts it)

# A version-4 UUID built by SQLite itself, so a million GUIDs cost no Python calls.
_UUID4 = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)"
    " || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || "
    "lower(hex(randomblob(6)))"
)

# The journal image of a coding, as `CodingRepository` writes it (keys in sorted order).
_IMAGE = ("json_object('code', {p}code_id, 'coder', k.name, 'created_at', {created}, 'end', {p}\"end\", "
          "'guid', {guid}, 'memo', {memo}, 'start', {p}start, 'transcript', t.name, 'updated_at', {updated})")


@dataclass(frozen=True)
class StagedRow:
    line: int
    coder: str
    transcript_id: int
    code: str
    start: int
    end: int
    memo: str


@dataclass(frozen=True)
class ImportCounts:
    added: int
    already_present: int
    memos_updated: int
    memos_kept: int  # the file's memo was empty where the project has one


class CodingStaging:
    """One bulk import's rows, on the store's connection (use from one thread)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def staging(self) -> Iterator[CodingStaging]:
        """Create the staging table for the block and drop it afterwards, whatever happens."""
        conn = self.db.conn
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = {_CACHE_KIB}")  # index pages of a big import stay in memory
        conn.execute(f"DROP TABLE IF EXISTS {_STAGED}")
        conn.execute(
            f"CREATE TABLE {_STAGED} (coder TEXT NOT NULL, transcript_id INTEGER NOT NULL, code_id TEXT NOT NULL, "
            'start INTEGER NOT NULL, "end" INTEGER NOT NULL, memo TEXT NOT NULL, line INTEGER NOT NULL, '
            "repeats INTEGER NOT NULL DEFAULT 0, joined TEXT, coder_id INTEGER, existing_id INTEGER, guid TEXT, "
            'PRIMARY KEY (coder, transcript_id, code_id, start, "end")) WITHOUT ROWID'
        )
        try:
            yield self
        finally:
            if not conn.in_transaction:
                conn.execute(f"DROP TABLE IF EXISTS {_STAGED}")
            conn.execute(f"PRAGMA cache_size = {cache}")

    def add(self, rows: Iterable[tuple[str, int, str, int, int, str, int]]) -> None:
        """Stage `(coder, transcript id, code, start, end, memo, line)` rows; repeats fold into the first."""
        conn = self.db.conn
        began = not conn.in_transaction
        if began:
            conn.execute("BEGIN")  # deferred, and it writes only the temp database: no project lock
        try:
            conn.executemany(
                f'INSERT INTO {_STAGED} (coder, transcript_id, code_id, start, "end", memo, line) '
                "VALUES (?, ?, ?, ?, ?, ?, ?) "
                'ON CONFLICT (coder, transcript_id, code_id, start, "end") DO UPDATE SET repeats = repeats + 1, '
                "joined = CASE WHEN excluded.memo = '' OR instr(memo, excluded.memo) > 0 OR memo = '' THEN joined "
                "ELSE coalesce(joined || ',', '') || excluded.line END, "
                "memo = CASE WHEN excluded.memo = '' OR instr(memo, excluded.memo) > 0 THEN memo "
                "WHEN memo = '' THEN excluded.memo ELSE memo || char(10, 10) || excluded.memo END",
                rows,
            )
        except BaseException:
            if began:
                conn.execute("ROLLBACK")
            raise
        if began:
            conn.execute("COMMIT")

    def repeats(self) -> tuple[int, list[tuple[int, str]]]:
        """How many rows repeated an earlier row, and (first line, other lines) where memos were joined."""
        total = self.db.execute(f"SELECT coalesce(sum(repeats), 0) FROM {_STAGED}").fetchone()[0]
        joined = self.db.execute(f"SELECT line, joined FROM {_STAGED} WHERE joined IS NOT NULL ORDER BY line").fetchall()
        return total, joined

    def apply(self, tx: Transaction, now: str, action: str, coder_ids: dict[str, int]) -> ImportCounts:
        """Write the staged rows into the project, inside `tx` (an IMMEDIATE transaction)."""
        db = self.db
        for name, coder_id in coder_ids.items():
            db.execute(f"UPDATE {_STAGED} SET coder_id = ? WHERE coder = ?", [coder_id, name])
        db.execute(
            f"UPDATE {_STAGED} AS s SET existing_id = (SELECT c.id FROM codings c WHERE c.coder_id = s.coder_id "
            'AND c.transcript_id = s.transcript_id AND c.code_id = s.code_id AND c.start = s.start '
            'AND c."end" = s."end")'
        )
        db.execute(f"UPDATE {_STAGED} SET guid = {_UUID4} WHERE existing_id IS NULL")
        added = db.execute(
            'INSERT INTO codings (guid, coder_id, transcript_id, code_id, start, "end", memo, created_at, updated_at) '
            f'SELECT guid, coder_id, transcript_id, code_id, start, "end", memo, ?, ? FROM {_STAGED} '
            "WHERE existing_id IS NULL ORDER BY line", [now, now]
        ).rowcount
        image = _IMAGE.format(p="s.", created="?", guid="s.guid", memo="s.memo", updated="?")
        db.execute(
            "INSERT INTO journal (at, actor, batch, kind, target_batch, action, entity, entity_key, before, after, "
            f"source) SELECT ?, ?, ?, ?, ?, ?, 'codings', s.guid, NULL, {image}, ? FROM {_STAGED} s "
            "JOIN coders k ON k.id = s.coder_id JOIN transcripts t ON t.id = s.transcript_id "
            "WHERE s.existing_id IS NULL ORDER BY s.line",
            [now, tx.actor, tx.batch, tx.kind, tx.target_batch, action, now, now, tx.source],
        )
        changed = (f"FROM {_STAGED} s JOIN codings c ON c.id = s.existing_id JOIN coders k ON k.id = c.coder_id "
                   "JOIN transcripts t ON t.id = c.transcript_id WHERE s.memo <> '' AND s.memo <> c.memo")
        before = _IMAGE.format(p="c.", created="c.created_at", guid="c.guid", memo="c.memo", updated="c.updated_at")
        after = _IMAGE.format(p="c.", created="c.created_at", guid="c.guid", memo="s.memo", updated="?")
        memos_updated = db.execute(
            "INSERT INTO journal (at, actor, batch, kind, target_batch, action, entity, entity_key, before, after, "
            f"source) SELECT ?, ?, ?, ?, ?, 'coding.memo', 'codings', c.guid, {before}, {after}, ? {changed} "
            "ORDER BY s.line",
            [now, tx.actor, tx.batch, tx.kind, tx.target_batch, now, tx.source],
        ).rowcount
        db.execute(
            f"UPDATE codings AS c SET memo = s.memo, updated_at = ? FROM {_STAGED} s "
            "WHERE c.id = s.existing_id AND s.memo <> '' AND s.memo <> c.memo", [now]
        )
        present, kept = db.execute(
            f"SELECT count(*), coalesce(sum(s.memo = '' AND c.memo <> ''), 0) FROM {_STAGED} s "
            "JOIN codings c ON c.id = s.existing_id"
        ).fetchone()
        tx.entries += added + memos_updated
        return ImportCounts(added, present - memos_updated, memos_updated, kept)
