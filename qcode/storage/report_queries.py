"""The SQL behind reports: the codings, units and texts of a selection, each read in one query.

Reports (frequencies, co-occurrence, quotes) compute over whole columns with numpy, so these queries
return plain rows in a fixed order rather than domain objects, and take their filters as JSON lists
(`IN (SELECT value FROM json_each(?))`) so that a selection of any size is one statement with one
parameter. A filter of None means "all".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qcode.storage.database import Store
from qcode.storage.schema_reports import REPORT_VIEWS


def _in_list(column: str, values: Sequence[Any] | None, params: list[Any]) -> str:
    """An `AND column IN (...)` clause for a filter, or "" when the filter is None (everything)."""
    if values is None:
        return ""
    params.append(json.dumps(list(values), ensure_ascii=False))
    return f" AND {column} IN (SELECT value FROM json_each(?))"


@dataclass(frozen=True, slots=True)
class CodingColumns:
    """Codings as parallel columns, in storage order (by coding id); callers sort as they need."""

    coding_id: list[int]
    transcript_id: list[int]
    coder_id: list[int]
    code_id: list[str]
    start: list[int]
    end: list[int]

    def __len__(self) -> int:
        return len(self.coding_id)


@dataclass(frozen=True, slots=True)
class UnitColumns:
    """Units of one kind as parallel columns, ordered by transcript id, then position.

    `speaker` is the speaker of the unit's turn: import stores each sentence with the speaker of the
    turn it belongs to. None for turns without a speaker label, such as header lines.
    """

    transcript_id: list[int]
    index: list[int]
    start: list[int]
    end: list[int]
    speaker: list[str | None]

    def __len__(self) -> int:
        return len(self.index)


class ReportQueries:
    """Read-only queries for reports over one project database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def of(cls, store: Store) -> ReportQueries:
        return cls(store.db)

    def coders(self) -> dict[int, str]:
        """Every coder, id -> name, by name."""
        return dict(self.db.execute("SELECT id, name FROM coders ORDER BY name").fetchall())

    def coders_with_codings(self, transcript_ids: Sequence[int] | None = None) -> list[str]:
        """Names of the coders who made at least one coding (in these transcripts), by name."""
        params: list[Any] = []
        where = _in_list("c.transcript_id", transcript_ids, params)
        # EXISTS per coder walks the (coder_id, transcript_id) index instead of every coding.
        rows = self.db.execute(
            "SELECT k.name FROM coders k WHERE EXISTS "
            f"(SELECT 1 FROM codings c WHERE c.coder_id = k.id {where}) ORDER BY k.name",
            params,
        )
        return [r[0] for r in rows]

    def codings(
        self,
        transcript_ids: Sequence[int] | None = None,
        coder_ids: Sequence[int] | None = None,
        code_ids: Sequence[str] | None = None,
    ) -> CodingColumns:
        """The codings of a selection, as columns (one query)."""
        params: list[Any] = []
        where = (
            _in_list("transcript_id", transcript_ids, params)
            + _in_list("coder_id", coder_ids, params)
            + _in_list("code_id", code_ids, params)
        )
        rows = self.db.execute(
            f'SELECT id, transcript_id, coder_id, code_id, start, "end" FROM codings WHERE 1 {where} ORDER BY id',
            params,
        ).fetchall()
        if not rows:
            return CodingColumns([], [], [], [], [], [])
        return CodingColumns(*(list(column) for column in zip(*rows, strict=True)))

    def units(self, kind: str, transcript_ids: Sequence[int] | None = None) -> UnitColumns:
        """Turns or sentences of the selected transcripts, with the speaker of their turn (one query)."""
        if kind not in ("turn", "sentence"):
            raise ValueError(f"units are turns or sentences, not {kind!r}")
        params: list[Any] = [kind]
        where = _in_list("transcript_id", transcript_ids, params)
        sql = f'SELECT transcript_id, idx, start, "end", speaker FROM units WHERE kind = ? {where}'
        rows = self.db.execute(sql + " ORDER BY transcript_id, idx", params).fetchall()
        if not rows:
            return UnitColumns([], [], [], [], [])
        return UnitColumns(*(list(column) for column in zip(*rows, strict=True)))

    def turn_times(self, transcript_ids: Sequence[int] | None = None) -> dict[tuple[int, int], float]:
        """(transcript id, turn idx) -> the turn's time in seconds, for the turns that have one."""
        params: list[Any] = []
        where = _in_list("transcript_id", transcript_ids, params)
        sql = f"SELECT transcript_id, idx, time FROM units WHERE kind = 'turn' AND time IS NOT NULL {where}"
        return {(tid, idx): time for tid, idx, time in self.db.execute(sql, params)}

    def texts(self, transcript_ids: Sequence[int]) -> dict[int, str]:
        """The canonical texts of the given transcripts, by id (one query)."""
        params: list[Any] = []
        where = _in_list("id", transcript_ids, params)
        return dict(self.db.execute(f"SELECT id, text FROM transcripts WHERE 1 {where}", params).fetchall())

    def coding_guids(self, transcript_ids: Sequence[int] | None) -> dict[int, str]:
        """Coding id -> guid, for the codings of these transcripts."""
        params: list[Any] = []
        where = _in_list("transcript_id", transcript_ids, params)
        return dict(self.db.execute(f"SELECT id, guid FROM codings WHERE 1 {where}", params).fetchall())

    def coding_memos(self, transcript_ids: Sequence[int] | None) -> dict[int, str]:
        """Coding id -> memo, for the codings of these transcripts that have one."""
        params: list[Any] = []
        where = _in_list("transcript_id", transcript_ids, params)
        return dict(self.db.execute(f"SELECT id, memo FROM codings WHERE memo != '' {where}", params).fetchall())

    def view_rows(self, view: str) -> list[dict[str, Any]]:
        """Every row of one of the report views (see `schema_reports`), as dictionaries."""
        if view not in REPORT_VIEWS:
            raise ValueError(f"no report view {view!r}")
        cursor = self.db.execute(f"SELECT * FROM {view}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
