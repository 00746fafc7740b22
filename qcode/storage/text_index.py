"""The text index: each transcript's stored segmentation, and FTS5 search over it (tables in `schema_text`).

The index is a cache of derived data. Writers replace a transcript's rows whole inside a transaction, but
do not journal them: they are rebuilt from the transcript text, and undo never needs them.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qcode.storage.clock import utc_now
from qcode.storage.database import Store

# Offsets are stored as little-endian unsigned 32-bit integers; pick the array type of that size.
_OFFSET_TYPE = next(code for code in ("I", "L") if array(code).itemsize == 4)
_BIG_ENDIAN = sys.byteorder == "big"
# Bound parameters per statement: below SQLite's lowest default limit (999 before 3.32).
_MAX_PARAMETERS = 900


@dataclass(frozen=True, slots=True)
class StaleTranscript:
    """A transcript whose stored segmentation is missing or out of date."""

    id: int
    name: str
    sha256: str
    characters: int


@dataclass(frozen=True, slots=True)
class SegmentedSentence:
    """What is stored for one sentence: its span and its tokens (offsets into the transcript text)."""

    sentence_idx: int
    start: int
    end: int
    starts: Sequence[int]
    ends: Sequence[int]
    words: Sequence[str]


@dataclass(frozen=True, slots=True)
class IndexedSentence:
    """A stored sentence as read back, with where it is: transcript, turn and speaker."""

    transcript_id: int
    transcript: str
    sentence_idx: int
    turn_idx: int | None
    speaker: str | None
    start: int
    end: int
    starts: Sequence[int]
    ends: Sequence[int]
    words: list[str]


#: A stored sentence as written: (sentence idx, start, end, `pack_offsets` of its tokens, its words joined
#: by single spaces).
IndexRow = tuple[int, int, int, bytes, str]


def pack_offsets(starts: Sequence[int], ends: Sequence[int]) -> bytes:
    """Token starts, then ends, as little-endian uint32 (the `offsets` column)."""
    values = array(_OFFSET_TYPE, starts)
    values.extend(ends)
    if _BIG_ENDIAN:
        values.byteswap()
    return values.tobytes()


def pack_offset_arrays(starts: array[int], ends: array[int]) -> bytes:
    """`pack_offsets` of two arrays of 32-bit unsigned integers (quicker: no Python step per offset)."""
    values = starts + ends
    if _BIG_ENDIAN:
        values.byteswap()
    return values.tobytes()


def unpack_offsets(blob: bytes) -> tuple[array[int], array[int]]:
    """The (starts, ends) arrays packed by `pack_offsets`."""
    values = array(_OFFSET_TYPE)
    values.frombytes(blob)
    if _BIG_ENDIAN:
        values.byteswap()
    half = len(values) // 2
    return values[:half], values[half:]


def fts_phrase(words: Sequence[str]) -> str:
    """An FTS5 query for `words` as one phrase (adjacent tokens), quoted so no word is read as syntax."""
    return '"' + " ".join(word.replace('"', '""') for word in words) + '"'


_SENTENCE_SELECT = """
SELECT s.transcript_id, t.name, s.sentence_idx, u.turn_idx, u.speaker, s.start, s."end", s.offsets, f.words
FROM {source}
JOIN transcripts t ON t.id = s.transcript_id
LEFT JOIN units u ON u.transcript_id = s.transcript_id AND u.kind = 'sentence' AND u.idx = s.sentence_idx
"""


class TextIndexRepository:
    """Reads and writes `text_index_state`, `text_index_sentences` and `text_index_fts`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def of(cls, store: Store) -> TextIndexRepository:
        return cls(store.db)

    # -- freshness ---------------------------------------------------------------------------------

    def stale(self, lexicon: str, transcript_ids: Sequence[int] | None = None) -> list[StaleTranscript]:
        """Transcripts (by name) not yet segmented with their current text and `lexicon`."""
        sql = (
            "SELECT t.id, t.name, t.sha256, t.characters FROM transcripts t "
            "LEFT JOIN text_index_state s ON s.transcript_id = t.id "
            "WHERE (s.sha256 IS NOT t.sha256 OR s.lexicon IS NOT ?)"
        )
        params: list[Any] = [lexicon]
        if transcript_ids is not None:
            sql += f" AND t.id IN ({', '.join('?' for _ in transcript_ids)})"
            params += list(transcript_ids)
        return [StaleTranscript(*row) for row in self.db.execute(sql + " ORDER BY t.name", params)]

    def indexed(self) -> dict[int, tuple[str, str, int]]:
        """Per transcript id: (sha256, lexicon, tokens) of its stored segmentation."""
        rows = self.db.execute("SELECT transcript_id, sha256, lexicon, tokens FROM text_index_state")
        return {tid: (sha, lexicon, tokens) for tid, sha, lexicon, tokens in rows}

    # -- writing -----------------------------------------------------------------------------------

    def replace(self, transcript_id: int, sha256: str, lexicon: str, sentences: Iterable[SegmentedSentence]) -> int:
        """Store a transcript's segmentation in place of the old one; returns its number of tokens.

        Call inside `Store.transaction()`; the rows are derived data and are not journalled.
        """
        rows = [(s.sentence_idx, s.start, s.end, pack_offsets(s.starts, s.ends), " ".join(s.words))
                for s in sentences if s.words]
        tokens = sum(len(words.split(" ")) for *_, words in rows)
        self.replace_rows(transcript_id, sha256, lexicon, rows, tokens)
        return tokens

    def replace_rows(self, transcript_id: int, sha256: str, lexicon: str, rows: Sequence[IndexRow], tokens: int) -> None:
        """`replace` with the rows already made (`IndexRow`: offsets packed, words joined by spaces)."""
        self.replace_many(lexicon, [(transcript_id, sha256, rows, tokens)])

    def replace_many(self, lexicon: str, transcripts: Sequence[tuple[int, str, Sequence[IndexRow], int]]) -> None:
        """`replace_rows` of several transcripts, each given as (id, sha256, rows, tokens).

        All their old rows go in one statement before any new row is written: FTS5 writes its pending
        rows out as a new segment at every statement that may delete from it (the trigger), so deleting
        between the inserts made one small segment per transcript, each to be merged again later.
        """
        ids = [transcript_id for transcript_id, *_ in transcripts]
        for first in range(0, len(ids), _MAX_PARAMETERS):
            chunk = ids[first:first + _MAX_PARAMETERS]
            self.db.execute(f"DELETE FROM text_index_sentences WHERE transcript_id IN ({', '.join('?' * len(chunk))})",
                            chunk)
        for transcript_id, sha256, rows, tokens in transcripts:
            self._insert(transcript_id, rows)
            self._set_state(transcript_id, sha256, lexicon, tokens)

    # A very large transcript is stored in parts, each its own short transaction, while the rest is still
    # being segmented: `claim` empties it and marks it as being indexed by the caller (a state no lexicon
    # matches, so it stays stale until `finish`), `append` adds a part, `finish` records what it was
    # indexed with. Another process that claims it meanwhile takes it over: the first one's `append` and
    # `finish` then return False and write nothing. Call each inside `Store.transaction()`.

    def claim(self, transcript_id: int, claim: str) -> None:
        """Empty a transcript's index and mark it as being indexed under `claim` (unique to the caller)."""
        self.db.execute("DELETE FROM text_index_sentences WHERE transcript_id = ?", [transcript_id])
        self._set_state(transcript_id, "", claim, 0)

    def append(self, transcript_id: int, claim: str, rows: Sequence[IndexRow]) -> bool:
        """Add rows to a transcript claimed under `claim`; False (nothing written) if it was taken over."""
        if not self._holds(transcript_id, claim):
            return False
        self._insert(transcript_id, rows)
        return True

    def finish(self, transcript_id: int, claim: str, sha256: str, lexicon: str, tokens: int) -> bool:
        """Record a claimed transcript as indexed; False (nothing written) if it was taken over."""
        if not self._holds(transcript_id, claim):
            return False
        self._set_state(transcript_id, sha256, lexicon, tokens)
        return True

    def _holds(self, transcript_id: int, claim: str) -> bool:
        row = self.db.execute("SELECT lexicon FROM text_index_state WHERE transcript_id = ?", [transcript_id]).fetchone()
        return row is not None and row[0] == claim

    def _insert(self, transcript_id: int, rows: Sequence[IndexRow]) -> None:
        first_id = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM text_index_sentences").fetchone()[0]
        cursor = self.db.conn.cursor()
        cursor.executemany(
            'INSERT INTO text_index_sentences (id, transcript_id, sentence_idx, start, "end", offsets) '
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(first_id + i, transcript_id, idx, start, end, offsets)
             for i, (idx, start, end, offsets, _) in enumerate(rows)],
        )
        cursor.executemany(
            "INSERT INTO text_index_fts (rowid, words) VALUES (?, ?)",
            [(first_id + i, row[4]) for i, row in enumerate(rows)],
        )

    def _set_state(self, transcript_id: int, sha256: str, lexicon: str, tokens: int) -> None:
        self.db.execute(
            "INSERT INTO text_index_state (transcript_id, sha256, lexicon, tokens, indexed_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (transcript_id) DO UPDATE SET sha256 = excluded.sha256, "
            "lexicon = excluded.lexicon, tokens = excluded.tokens, indexed_at = excluded.indexed_at",
            [transcript_id, sha256, lexicon, tokens, utc_now()],
        )

    def clear(self) -> None:
        """Drop the whole index, which is rebuilt on its next use (call inside `Store.transaction()`)."""
        self.db.execute("DELETE FROM text_index_sentences")
        self.db.execute("DELETE FROM text_index_state")

    # -- reading -----------------------------------------------------------------------------------

    def phrase_candidates(self, words: Sequence[str], transcript_ids: Sequence[int] | None = None
                          ) -> Iterator[IndexedSentence]:
        """Sentences whose indexed words contain `words` as a phrase, in document order, read lazily.

        FTS5 splits words further at characters it treats as separators (`3.5`, `don't`) and ignores
        the punctuation between tokens, so this is a superset of the exact matches: check each one.
        """
        sql = _SENTENCE_SELECT.format(
            source="text_index_fts f JOIN text_index_sentences s ON s.id = f.rowid"
        ) + "WHERE text_index_fts MATCH ?"
        params: list[Any] = [fts_phrase(words)]
        if transcript_ids is not None:
            sql += f" AND s.transcript_id IN ({', '.join('?' for _ in transcript_ids)})"
            params += list(transcript_ids)
        return self._read(sql + " ORDER BY t.name, s.start", params)

    def word_count(self, word: str, transcript_ids: Sequence[int] | None = None,
                   speakers: Sequence[str] | None = None) -> tuple[int, int]:
        """(tokens equal to `word`, transcripts holding one), counted inside SQLite (no row reaches Python).

        `speakers` None counts every sentence; otherwise only those of these speakers. Each stored token
        is framed by its own pair of spaces (`' a  b '`), so that the occurrences of `' word '` are exactly
        the tokens equal to `word`; FTS5 only narrows the sentences down.
        """
        needle = f" {word} "
        sql = (
            "SELECT count(DISTINCT transcript_id), coalesce(sum(n), 0) FROM (SELECT s.transcript_id, "
            "(length(framed) - length(replace(framed, ?, ''))) / length(?) AS n FROM (SELECT rowid, "
            "' ' || replace(words, ' ', '  ') || ' ' AS framed FROM text_index_fts WHERE text_index_fts MATCH ?) f "
            "JOIN text_index_sentences s ON s.id = f.rowid"
        )
        params: list[Any] = [needle, needle, fts_phrase([word])]
        if speakers is not None:
            sql += (" JOIN units u ON u.transcript_id = s.transcript_id AND u.kind = 'sentence' "
                    f"AND u.idx = s.sentence_idx AND u.speaker IN ({', '.join('?' for _ in speakers)})")
            params += list(speakers)
        if transcript_ids is not None:
            sql += f" WHERE s.transcript_id IN ({', '.join('?' for _ in transcript_ids)})"
            params += list(transcript_ids)
        transcripts, tokens = self.db.execute(sql + ") WHERE n > 0", params).fetchone()
        return tokens, transcripts

    def sentences(self, transcript_ids: Sequence[int] | None = None) -> list[IndexedSentence]:
        """Every stored sentence with its tokens, in document order (transcripts by name)."""
        sql = _SENTENCE_SELECT.format(source="text_index_sentences s JOIN text_index_fts f ON f.rowid = s.id")
        params: list[Any] = []
        if transcript_ids is not None:
            sql += f" WHERE s.transcript_id IN ({', '.join('?' for _ in transcript_ids)})"
            params = list(transcript_ids)
        return list(self._read(sql + " ORDER BY t.name, s.start", params))

    def _read(self, sql: str, params: list[Any]) -> Iterator[IndexedSentence]:
        for tid, name, idx, turn_idx, speaker, start, end, blob, words in self.db.execute(sql, params):
            starts, ends = unpack_offsets(blob)
            yield IndexedSentence(tid, name, idx, turn_idx, speaker, start, end, starts, ends, words.split(" "))
