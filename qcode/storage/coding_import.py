"""Bulk import of codings through a staging table, so a million rows never sit in Python memory.

Rows are staged in a TEMP table while the file is read (outside the project's write lock: the temp
database is this connection's own). Rows repeating an earlier one (same coder, transcript, code and
span) are then folded into it, their memos joined when they say something new. `apply` then runs
inside the caller's IMMEDIATE transaction and decides set-wise, against the codings stored at that
moment: new codings are inserted and journalled, codings already stored are left alone, and a stored
coding whose memo differs from the file's takes the file's memo (journalled, the old memo stays in the
journal); an empty memo in the file never erases a stored one.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlite_utils import Database

from qcode.storage.transaction import Transaction

_STAGED = "temp.qcode_staged_codings"
_CACHE_KIB = -65536  # 64 MB of page cache while importing (negative: KiB, as SQLite counts it)
_TEMP_CACHE_KIB = -32768  # and 32 MB for the staged rows

# A version-7 UUID built by SQLite itself, so a million GUIDs cost no Python calls: the import's time
# in milliseconds (48 bits), then the row's number n (32 bits, spread over rand_a and rand_b), then 42
# random bits. Consecutive GUIDs sort together, so the GUID index grows at its end, not all over.
_UUID7 = (
    "printf('%08x-%04x-7%03x-%04x-%012x', :ms >> 16, :ms & 65535, (n >> 20) & 4095, "
    "32768 | ((n >> 6) & 16383), ((n & 63) << 42) | (random() & 4398046511103))"
)

# The journal image of a coding, as `CodingRepository` writes it (keys in sorted order).
_IMAGE = ("json_object('code', {p}code_id, 'coder', k.name, 'created_at', {created}, 'end', {p}\"end\", "
          "'guid', {guid}, 'memo', {memo}, 'start', {p}start, 'transcript', t.name, 'updated_at', {updated})")


@dataclass(frozen=True)
class ImportCounts:
    added: int
    already_present: int  # stored before, whether or not their memo was updated
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
        temp_cache = conn.execute("PRAGMA temp.cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = {_CACHE_KIB}")  # index pages of a big import stay in memory
        conn.execute(f"PRAGMA temp.cache_size = {_TEMP_CACHE_KIB}")
        conn.execute(f"DROP TABLE IF EXISTS {_STAGED}")
        conn.execute(
            f"CREATE TABLE {_STAGED} (coder TEXT NOT NULL, transcript_id INTEGER NOT NULL, code_id TEXT NOT NULL, "
            'start INTEGER NOT NULL, "end" INTEGER NOT NULL, memo TEXT NOT NULL, line INTEGER NOT NULL, '
            "coder_id INTEGER, existing_id INTEGER)"
        )
        try:
            yield self
        finally:
            if not conn.in_transaction:
                conn.execute(f"DROP TABLE IF EXISTS {_STAGED}")
            conn.execute(f"PRAGMA cache_size = {cache}")
            conn.execute(f"PRAGMA temp.cache_size = {temp_cache}")

    @contextmanager
    def _temp_transaction(self) -> Iterator[None]:
        """A transaction that writes only the temp database: it takes no lock on the project."""
        conn = self.db.conn
        conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def add(self, rows: Iterable[tuple[str, int, str, int, int, str, int]]) -> None:
        """Stage `(coder, transcript id, code, start, end, memo, line)` rows."""
        with self._temp_transaction():
            self.db.conn.executemany(
                f'INSERT INTO {_STAGED} (coder, transcript_id, code_id, start, "end", memo, line) '
                "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def fold_repeats(self) -> tuple[int, list[tuple[int, list[int]]]]:
        """Keep the first of rows that are one coding, with the distinct memos of all of them joined.

        Returns how many rows were repeats, and (first line, other lines) where memos were joined.
        """
        db = self.db
        repeated = 0
        joined: list[tuple[int, list[int]]] = []
        with self._temp_transaction():
            db.execute(f'CREATE INDEX {_STAGED}_key ON qcode_staged_codings (coder, transcript_id, code_id, start, '
                       '"end", line)')
            groups = db.execute(
                f'SELECT coder, transcript_id, code_id, start, "end" FROM {_STAGED} '
                'GROUP BY coder, transcript_id, code_id, start, "end" HAVING count(*) > 1').fetchall()
            for key in groups:
                rows = db.execute(
                    f'SELECT rowid, memo, line FROM {_STAGED} WHERE coder = ? AND transcript_id = ? AND code_id = ? '
                    'AND start = ? AND "end" = ? ORDER BY line', key).fetchall()
                memo, added_by = rows[0][1], []
                for _, other, line in rows[1:]:
                    if other and other not in memo:
                        if memo:
                            added_by.append(line)
                        memo = f"{memo}\n\n{other}" if memo else other
                repeated += len(rows) - 1
                if added_by:
                    joined.append((rows[0][2], added_by))
                db.execute(f"UPDATE {_STAGED} SET memo = ? WHERE rowid = ?", [memo, rows[0][0]])
                db.execute(f"DELETE FROM {_STAGED} WHERE rowid IN ({', '.join('?' for _ in rows[1:])})",
                           [r[0] for r in rows[1:]])
        return repeated, joined

    def apply(self, tx: Transaction, now: str, action: str, coder_ids: dict[str, int]) -> ImportCounts:
        """Write the staged rows into the project, inside `tx` (an IMMEDIATE transaction)."""
        db = self.db
        if coder_ids:
            db.execute(f"UPDATE {_STAGED} SET coder_id = CASE coder "
                       + " ".join("WHEN ? THEN ?" for _ in coder_ids) + " END",
                       [v for pair in coder_ids.items() for v in pair])
        if db.execute("SELECT EXISTS (SELECT 1 FROM codings)").fetchone()[0]:
            db.execute(
                f"UPDATE {_STAGED} AS s SET existing_id = (SELECT c.id FROM codings c WHERE c.coder_id = s.coder_id "
                'AND c.transcript_id = s.transcript_id AND c.code_id = s.code_id AND c.start = s.start '
                'AND c."end" = s."end")'
            )
        last_id = db.execute("SELECT coalesce(max(id), 0) FROM codings").fetchone()[0]
        # In key order (coder, transcript, code, span): the indexes on codings grow in runs, not at random.
        added = db.execute(
            'INSERT INTO codings (guid, coder_id, transcript_id, code_id, start, "end", memo, created_at, updated_at) '
            f'SELECT {_UUID7}, coder_id, transcript_id, code_id, start, "end", memo, :now, :now FROM '
            f'(SELECT row_number() OVER (ORDER BY coder, transcript_id, code_id, start, "end") AS n, * '
            f"FROM {_STAGED} WHERE existing_id IS NULL) ORDER BY n",
            {"ms": int(time.time() * 1000), "now": now},
        ).rowcount
        # Inside the IMMEDIATE transaction nobody else inserts: the new codings are those after `last_id`.
        image = _IMAGE.format(p="c.", created="c.created_at", guid="c.guid", memo="c.memo", updated="c.updated_at")
        db.execute(
            "INSERT INTO journal (at, actor, batch, kind, target_batch, action, entity, entity_key, before, after, "
            f"source) SELECT ?, ?, ?, ?, ?, ?, 'codings', c.guid, NULL, {image}, ? FROM codings c "
            "JOIN coders k ON k.id = c.coder_id JOIN transcripts t ON t.id = c.transcript_id "
            "WHERE c.id > ? ORDER BY c.id",
            [now, tx.actor, tx.batch, tx.kind, tx.target_batch, action, tx.source, last_id],
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
        return ImportCounts(added, present, memos_updated, kept)
