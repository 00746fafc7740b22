"""Transcripts and their units (speaker turns and sentences)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import count, repeat
from typing import Any

from sqlite_utils import Database

from qcode.domain.models import TranscriptInfo, Unit, UnitKind
from qcode.domain.natural_order import natural_key
from qcode.domain.unit_table import TranscriptUnits
from qcode.domain.unit_columns import UnitColumns
from qcode.storage.clock import utc_now

_INFO_COLUMNS = "id, guid, name, sha256, characters, source_path, encoding, imported_at"


def _info(row: Sequence[Any]) -> TranscriptInfo:
    return TranscriptInfo(*row)


class TranscriptRepository:
    """Reads and writes `transcripts` and `units`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[TranscriptInfo]:
        rows = self.db.execute(f"SELECT {_INFO_COLUMNS} FROM transcripts").fetchall()
        infos = [_info(r) for r in rows]
        return sorted(infos, key=lambda info: (natural_key(info.name), info.name))

    def by_name(self, name: str) -> TranscriptInfo | None:
        row = self.db.execute(f"SELECT {_INFO_COLUMNS} FROM transcripts WHERE name = ?", [name]).fetchone()
        return _info(row) if row else None

    def by_guid(self, guid: str) -> TranscriptInfo | None:
        row = self.db.execute(f"SELECT {_INFO_COLUMNS} FROM transcripts WHERE guid = ?", [guid]).fetchone()
        return _info(row) if row else None

    def by_sha256(self, sha256: str) -> list[TranscriptInfo]:
        rows = self.db.execute(
            f"SELECT {_INFO_COLUMNS} FROM transcripts WHERE sha256 = ? ORDER BY name", [sha256]
        ).fetchall()
        return [_info(r) for r in rows]

    def text(self, transcript_id: int) -> str:
        row = self.db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
        if row is None:
            raise KeyError(transcript_id)
        return str(row[0])

    def insert(
        self,
        *,
        guid: str,
        name: str,
        sha256: str,
        text: str,
        source_path: str | None,
        encoding: str | None,
        metadata: dict[str, Any] | None = None,
    ) -> TranscriptInfo:
        """A new transcript; its `metadata` (see `metadata()`) goes into the same row, because setting it
        afterwards would write the whole text a second time."""
        cursor = self.db.execute(
            "INSERT INTO transcripts (guid, name, sha256, text, characters, source_path, encoding, imported_at, "
            "metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [guid, name, sha256, text, len(text), source_path, encoding, utc_now(), _metadata_json(metadata)],
        )
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return self.by_id(cursor.lastrowid)

    def replace_text(
        self, transcript_id: int, *, sha256: str, text: str, source_path: str | None, encoding: str | None,
        metadata: dict[str, Any] | None = None,
    ) -> TranscriptInfo:
        """Store changed text under the same name and GUID (only when nothing is coded on it), with its new
        `metadata` if given (in the same write: a separate one would write the whole text again)."""
        self.db.execute(
            "UPDATE transcripts SET sha256 = ?, text = ?, characters = ?, source_path = ?, encoding = ?, "
            "imported_at = ?, metadata = CASE WHEN ? THEN ? ELSE metadata END WHERE id = ?",
            [sha256, text, len(text), source_path, encoding, utc_now(), metadata is not None, _metadata_json(metadata),
             transcript_id],
        )
        return self.by_id(transcript_id)

    def by_id(self, transcript_id: int) -> TranscriptInfo:
        row = self.db.execute(f"SELECT {_INFO_COLUMNS} FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
        if row is None:
            raise KeyError(transcript_id)
        return _info(row)

    def replace_units(self, transcript_id: int, units: Iterable[Unit]) -> None:
        """Replace all units of a transcript (turns carry their label range as extra columns)."""
        self.db.execute("DELETE FROM units WHERE transcript_id = ?", [transcript_id])
        # the word index is derived from the sentences: new units make it stale (rebuilt on next use)
        self.db.execute("DELETE FROM text_index_state WHERE transcript_id = ?", [transcript_id])
        if isinstance(units, TranscriptUnits):
            self._insert_units(transcript_id, units.turns)
            self._insert_sentences(transcript_id, units)
        else:
            self._insert_units(transcript_id, units)

    def _insert_units(self, transcript_id: int, units: Iterable[Unit]) -> None:
        self.db.conn.executemany(
            'INSERT INTO units (transcript_id, kind, idx, start, "end", speaker, turn_idx, label_start, label_end, '
            "time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (transcript_id, str(u.kind), u.index, u.start, u.end, u.speaker, u.turn_index,
                 u.label_start, u.label_end, u.time)
                for u in units
            ),
        )

    def _insert_sentences(self, transcript_id: int, units: TranscriptUnits) -> None:
        """The sentences straight from their arrays: the rows are zipped at C speed, with no Python code
        per row; the columns a sentence leaves NULL are not named (a third faster than binding NULLs)."""
        speakers = [turn.speaker for turn in units.turns]
        sentences = units.sentences
        self.db.conn.executemany(
            'INSERT INTO units (transcript_id, kind, idx, start, "end", speaker, turn_idx) VALUES (?, ?, ?, ?, ?, ?, ?)',
            zip(repeat(transcript_id), repeat(str(UnitKind.SENTENCE)), count(), sentences.start, sentences.end,
                map(speakers.__getitem__, sentences.turn), sentences.turn),
        )

    def insert_many(self, rows: list[tuple[str, str, str, str, str | None, str | None]]) -> dict[str, int]:
        """Insert many new transcripts at once: (guid, name, sha256, text, source_path, encoding); name -> id."""
        now = utc_now()
        self.db.conn.executemany(
            "INSERT INTO transcripts (guid, name, sha256, text, characters, source_path, encoding, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(guid, name, sha, text, len(text), source, encoding, now) for guid, name, sha, text, source, encoding in rows])
        guids = json.dumps([row[0] for row in rows])
        return dict(self.db.execute("SELECT name, id FROM transcripts WHERE guid IN (SELECT value FROM json_each(?))",
                                    [guids]).fetchall())

    def add_units_of_many(self, units_by_transcript: Iterable[tuple[int, Iterable[Unit]]]) -> None:
        """Insert the units of many new transcripts with one statement (questionnaires: thousands at once)."""
        self.db.conn.executemany(
            'INSERT INTO units (transcript_id, kind, idx, start, "end", speaker, turn_idx, label_start, label_end) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((transcript_id, str(u.kind), u.index, u.start, u.end, u.speaker, u.turn_index, u.label_start, u.label_end)
             for transcript_id, units in units_by_transcript for u in units),
        )

    def units(self, transcript_id: int, kind: UnitKind) -> list[Unit]:
        rows = self.db.execute(
            'SELECT idx, start, "end", speaker, turn_idx, label_start, label_end, time FROM units '
            "WHERE transcript_id = ? AND kind = ? ORDER BY idx",
            [transcript_id, str(kind)],
        ).fetchall()
        return [Unit(kind, *row) for row in rows]

    def unit_bounds(self, transcript_id: int, kind: UnitKind) -> list[tuple[int, int]]:
        """`(start, end)` of every unit of one kind, in order: cheaper than full units for long texts."""
        return self.db.execute(
            'SELECT start, "end" FROM units WHERE transcript_id = ? AND kind = ? ORDER BY idx',
            [transcript_id, str(kind)],
        ).fetchall()

    def sentence_spans(self, transcript_id: int) -> list[tuple[int, int, int]]:
        """`(idx, start, end)` of every sentence of a transcript, in order: what segmenting for the word
        index needs, read in about half the time of `unit_table` (no speaker strings, no regrouping)."""
        return self.db.execute(
            'SELECT idx, start, "end" FROM units WHERE transcript_id = ? AND kind = ? ORDER BY idx',
            [transcript_id, str(UnitKind.SENTENCE)],
        ).fetchall()

    def unit_columns(self, transcript_id: int, kind: UnitKind, *, bounds_only: bool = False) -> UnitColumns:
        """Every unit of one kind, in order, as columns (a tenth of the memory of `units` for long texts)."""
        columns = UnitColumns(kind, bounds_only=bounds_only)
        fields = 'start, "end"' if bounds_only else 'start, "end", label_start, label_end, speaker, time'
        rows = self.db.execute(f"SELECT {fields} FROM units WHERE transcript_id = ? AND kind = ? ORDER BY idx",
                               [transcript_id, str(kind)])
        for row in rows:  # one row at a time: a list of them all would take ten times the columns' memory
            columns.append(*row)
        return columns

    def unit_table(self, kind: UnitKind, transcript_ids: list[int] | None = None) -> list[tuple[Any, ...]]:
        """(transcript id, idx, start, end, speaker) of every unit of one kind, by transcript then idx."""
        sql = 'SELECT transcript_id, idx, start, "end", speaker FROM units WHERE kind = ?'
        params: list[Any] = [str(kind)]
        if transcript_ids is not None:
            sql += f" AND transcript_id IN ({', '.join('?' for _ in transcript_ids)})"
            params += transcript_ids
        return self.db.execute(sql + " ORDER BY transcript_id, idx", params).fetchall()

    def metadata(self, transcript_id: int) -> dict[str, Any]:
        """What the import kept out of the units (convention, front matter, headings, header); {} if none."""
        row = self.db.execute("SELECT metadata FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def set_metadata(self, transcript_id: int, metadata: dict[str, Any]) -> None:
        self.db.execute("UPDATE transcripts SET metadata = ? WHERE id = ?", [_metadata_json(metadata), transcript_id])

    def speaker_counts(self) -> list[tuple[int, str | None, int]]:
        """(transcript id, speaker, number of turns) for every speaker of every transcript, in order of
        transcript id then first appearance; unlabelled turns count under None."""
        return self.db.execute(
            "SELECT transcript_id, speaker, count(*) FROM units WHERE kind = 'turn' "
            "GROUP BY transcript_id, speaker ORDER BY transcript_id, min(idx)"
        ).fetchall()

    def set_speaker(self, transcript_id: int, old: str, new: str) -> list[int]:
        """Rename `old` to `new` on every turn and sentence of a transcript; the renamed turns' indexes."""
        turns = [row[0] for row in self.db.execute(
            "SELECT idx FROM units WHERE transcript_id = ? AND kind = 'turn' AND speaker = ? ORDER BY idx",
            [transcript_id, old])]
        self.db.execute("UPDATE units SET speaker = ? WHERE transcript_id = ? AND speaker = ?", [new, transcript_id, old])
        return turns

    def set_turn_speakers(self, transcript_id: int, speaker: str | None, turn_indexes: list[int]) -> None:
        """Give the listed turns (and their sentences) `speaker`: what undoing a rename puts back."""
        for start in range(0, len(turn_indexes), 500):
            chunk = turn_indexes[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            self.db.execute(
                f"UPDATE units SET speaker = ? WHERE transcript_id = ? AND ((kind = 'turn' AND idx IN ({marks})) "
                f"OR (kind = 'sentence' AND turn_idx IN ({marks})))",
                [speaker, transcript_id, *chunk, *chunk])

    def texts(self, transcript_ids: list[int]) -> dict[int, str]:
        """The canonical texts of several transcripts, by id."""
        placeholders = ", ".join("?" for _ in transcript_ids)
        rows = self.db.execute(f"SELECT id, text FROM transcripts WHERE id IN ({placeholders})", transcript_ids)
        return dict(rows.fetchall())

    def unit_counts(self) -> dict[int, dict[str, int]]:
        """Per transcript id: number of turns and sentences."""
        counts: dict[int, dict[str, int]] = {}
        for tid, kind, n in self.db.execute(
            "SELECT transcript_id, kind, count(*) FROM units GROUP BY transcript_id, kind"
        ):
            counts.setdefault(tid, {})[kind] = n
        return counts

    def speakers(self) -> dict[int, list[str]]:
        """Per transcript id: its speakers in order of first appearance."""
        found: dict[int, list[str]] = {}
        for tid, speaker in self.db.execute(
            "SELECT transcript_id, speaker FROM units WHERE kind = 'turn' AND speaker IS NOT NULL "
            "GROUP BY transcript_id, speaker ORDER BY transcript_id, min(idx)"
        ):
            found.setdefault(tid, []).append(speaker)
        return found


def _metadata_json(metadata: dict[str, Any] | None) -> str | None:
    return json.dumps(metadata, ensure_ascii=False, sort_keys=True) if metadata else None
