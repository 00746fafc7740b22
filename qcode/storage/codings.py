"""Codings: a code applied by a coder to a `[start, end)` span of a transcript."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from qcode.domain.models import Coding
from qcode.storage.coders import CoderRepository
from qcode.storage.transaction import Transaction

_SELECT = (
    'SELECT c.guid, k.name, t.name, c.code_id, c.start, c."end", c.memo, c.created_at, c.updated_at '
    "FROM codings c JOIN coders k ON k.id = c.coder_id JOIN transcripts t ON t.id = c.transcript_id"
)


def _journal_row(coding: Coding) -> dict[str, Any]:
    return {
        "guid": coding.guid,
        "coder": coding.coder,
        "transcript": coding.transcript,
        "code": coding.code,
        "start": coding.start,
        "end": coding.end,
        "memo": coding.memo,
        "created_at": coding.created_at,
        "updated_at": coding.updated_at,
    }


def coding_from_journal(row: dict[str, Any]) -> Coding:
    """Rebuild a coding from its journal image (for undo and redo)."""
    return Coding(**row)


def fold_duplicates(pairs: Iterable[tuple[Coding, int]]) -> tuple[list[tuple[Coding, int]], int]:
    """Keep the first of `(coding, transcript id)` pairs that are the same coding (coder, transcript,
    code, span), joining their distinct memos into it; return the kept pairs and how many were folded.

    The unique index refuses such twins, so data from outside (REFI-QDA, suggestions) is folded first.
    """
    kept: dict[tuple[Any, ...], tuple[Coding, int]] = {}
    folded = 0
    for coding, transcript_id in pairs:
        key = (coding.coder, transcript_id, coding.code, coding.start, coding.end)
        first = kept.get(key)
        if first is None:
            kept[key] = (coding, transcript_id)
            continue
        folded += 1
        if coding.memo.strip() and coding.memo not in first[0].memo:
            memo = f"{first[0].memo}\n\n{coding.memo}" if first[0].memo.strip() else coding.memo
            kept[key] = (Coding(**{**_journal_row(first[0]), "memo": memo}), transcript_id)
    return list(kept.values()), folded


class CodingRepository:
    """Reads and writes `codings`; every write is journalled in the caller's transaction."""

    def __init__(self, db: Database, coders: CoderRepository) -> None:
        self.db = db
        self.coders = coders

    # -- reads -------------------------------------------------------------------------------------

    def get(self, guid: str) -> Coding | None:
        row = self.db.execute(f"{_SELECT} WHERE c.guid = ?", [guid]).fetchone()
        return Coding(*row) if row else None

    def find(self, coder: str, transcript_id: int, code: str, start: int, end: int) -> Coding | None:
        """The coder's coding of `code` on exactly `[start, end)`, if there is one."""
        row = self.db.execute(
            f'{_SELECT} WHERE c.transcript_id = ? AND k.name = ? AND c.code_id = ? AND c.start = ? AND c."end" = ?',
            [transcript_id, coder, code, start, end],
        ).fetchone()
        return Coding(*row) if row else None

    def for_transcript(self, transcript_id: int, coder: str | None = None) -> list[Coding]:
        """Codings on one transcript in document order, optionally of one coder only."""
        sql = f"{_SELECT} WHERE c.transcript_id = ?"
        params: list[Any] = [transcript_id]
        if coder is not None:
            sql += " AND k.name = ?"
            params.append(coder)
        sql += ' ORDER BY c.start, c."end", c.id'
        names: dict[str, str] = {}  # one str per coder, transcript and code, not three per coding (the TUI keeps them)
        return [Coding(guid, names.setdefault(coder, coder), names.setdefault(transcript, transcript),
                       names.setdefault(code, code), *rest)
                for guid, coder, transcript, code, *rest in self.db.execute(sql, params)]

    def all(self) -> list[Coding]:
        return [Coding(*r) for r in self.db.execute(f'{_SELECT} ORDER BY t.name, c.start, c."end", k.name, c.id')]

    def spans(self, transcript_ids: list[int] | None = None) -> list[tuple[int, str, str, int, int]]:
        """(transcript id, coder, code id, start, end) of every coding, for bulk computations."""
        sql = ('SELECT c.transcript_id, k.name, c.code_id, c.start, c."end" FROM codings c '
               "JOIN coders k ON k.id = c.coder_id")
        params: list[Any] = []
        if transcript_ids is not None:
            sql += f" WHERE c.transcript_id IN ({', '.join('?' for _ in transcript_ids)})"
            params = transcript_ids
        return self.db.execute(sql + ' ORDER BY c.transcript_id, c.start, c."end"', params).fetchall()

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM codings").fetchone()[0])

    def count_for_transcript(self, transcript_id: int) -> int:
        return int(self.db.execute("SELECT count(*) FROM codings WHERE transcript_id = ?", [transcript_id]).fetchone()[0])

    def count_by_code(self, coder_prefix: str | None = None) -> dict[str, int]:
        """Codings per code id; with `coder_prefix`, only those of coders whose name starts with it."""
        if coder_prefix is None:
            return dict(self.db.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id").fetchall())
        rows = self.db.execute(
            "SELECT c.code_id, count(*) FROM codings c JOIN coders k ON k.id = c.coder_id "
            "WHERE substr(k.name, 1, length(?)) = ? GROUP BY c.code_id", [coder_prefix, coder_prefix])
        return dict(rows.fetchall())

    def count_by_transcript_and_coder(self) -> dict[tuple[int, str], int]:
        rows = self.db.execute(
            "SELECT c.transcript_id, k.name, count(*) FROM codings c JOIN coders k ON k.id = c.coder_id "
            "GROUP BY c.transcript_id, k.name"
        )
        return {(tid, coder): n for tid, coder, n in rows}

    # -- writes ------------------------------------------------------------------------------------

    def insert(self, tx: Transaction, coding: Coding, transcript_id: int, action: str = "coding.add") -> None:
        coder_id = self.coders.ensure(coding.coder)
        self.db.execute(
            'INSERT INTO codings (guid, coder_id, transcript_id, code_id, start, "end", memo, created_at, updated_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [coding.guid, coder_id, transcript_id, coding.code, coding.start, coding.end, coding.memo,
             coding.created_at, coding.updated_at],
        )
        tx.record(action, "codings", coding.guid, None, _journal_row(coding))

    def insert_many(self, tx: Transaction, codings: Iterable[tuple[Coding, int]], action: str) -> int:
        """Insert many `(coding, transcript id)` pairs at once, each journalled as `insert` would."""
        rows = list(codings)
        coder_ids = {name: self.coders.ensure(name) for name in {coding.coder for coding, _ in rows}}
        self.db.conn.executemany(
            'INSERT INTO codings (guid, coder_id, transcript_id, code_id, start, "end", memo, created_at, updated_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.guid, coder_ids[c.coder], tid, c.code, c.start, c.end, c.memo, c.created_at, c.updated_at)
             for c, tid in rows],
        )
        tx.record_many(action, "codings", [(c.guid, None, _journal_row(c)) for c, _ in rows])
        return len(rows)

    def delete(self, tx: Transaction, guid: str, action: str = "coding.remove") -> Coding:
        coding = self.get(guid)
        if coding is None:
            raise KeyError(guid)
        self.db.execute("DELETE FROM codings WHERE guid = ?", [guid])
        tx.record(action, "codings", guid, _journal_row(coding), None)
        return coding

    def update(self, tx: Transaction, before: Coding, after: Coding, action: str = "coding.update") -> None:
        """Change code, span, memo or timestamps of one coding (its guid, coder and transcript stay)."""
        self.db.execute(
            'UPDATE codings SET code_id = ?, start = ?, "end" = ?, memo = ?, updated_at = ? WHERE guid = ?',
            [after.code, after.start, after.end, after.memo, after.updated_at, before.guid],
        )
        tx.record(action, "codings", before.guid, _journal_row(before), _journal_row(after))

    def recode(self, tx: Transaction, old_code: str, new_code: str, updated_at: str) -> int:
        """Move every coding of `old_code` to `new_code` (a codebook rename), journalling each."""
        guids = [r[0] for r in self.db.execute("SELECT guid FROM codings WHERE code_id = ?", [old_code])]
        for guid in guids:
            before = self.get(guid)
            assert before is not None
            after = Coding(**{**_journal_row(before), "code": new_code, "updated_at": updated_at})
            self.update(tx, before, after, action="coding.recode")
        return len(guids)
