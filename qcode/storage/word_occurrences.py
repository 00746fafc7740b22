"""Where one word occurs in the text index, read from FTS5's own vocabulary instead of from the sentences.

FTS5 keeps, for every term, where each of its instances is (the `fts5vocab` 'instance' view). Counting a
frequent word there is an index range read; counting it in the sentences means matching and reading
every sentence that holds it (的: 27,000 sentences of a 2 M-character project, a third of a second).

The vocabulary holds FTS5's tokens (unicode61), which equal qcode's stored tokens only for a word that
tokenizer neither splits nor folds, and that no other stored token splits into: the caller decides when
that holds (`qcode.text.query_cut.counted_by_index_terms`). The view is a temporary table of the
connection: nothing is written to the project, so this works on read-only projects too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from sqlite_utils import Database

from qcode.storage.text_index import IndexedSentence, fts_phrase, unpack_offsets

_VIEW = "temp.qcode_index_terms"


def _ensure_view(db: Database) -> bool:
    """Whether the view is there (a connection that may not write, not even its temporary tables, has none)."""
    try:
        db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {_VIEW} USING fts5vocab(main, text_index_fts, 'instance')")
    except sqlite3.OperationalError:
        return False
    return True


def occurrences_by_transcript(db: Database, term: str, transcript_ids: Sequence[int] | None = None,
                              speakers: Sequence[str] | None = None) -> dict[int, int] | None:
    """Per transcript id: how many times FTS5's index holds `term` (only in these transcripts, and in
    sentences of these speakers, when given); transcripts without it are left out. None when this
    connection cannot make the view (a read-only project): count the sentences instead."""
    if not _ensure_view(db):
        return None
    sql = (f"SELECT s.transcript_id, count(*) FROM {_VIEW} v "
           "JOIN text_index_sentences s ON s.id = v.doc")
    params: list[Any] = []
    if speakers is not None:
        sql += (" JOIN units u ON u.transcript_id = s.transcript_id AND u.kind = 'sentence' "
                f"AND u.idx = s.sentence_idx AND u.speaker IN ({', '.join('?' for _ in speakers)})")
        params += list(speakers)
    sql += " WHERE v.term = ?"
    params.append(term)
    if transcript_ids is not None:
        sql += f" AND s.transcript_id IN ({', '.join('?' for _ in transcript_ids)})"
        params += list(transcript_ids)
    return dict(db.execute(sql + " GROUP BY s.transcript_id", params).fetchall())


def phrase_candidates_in(db: Database, words: Sequence[str], transcript_id: int) -> Iterator[IndexedSentence]:
    """`TextIndexRepository.phrase_candidates` of one transcript, in document order, read lazily.

    The search is narrowed to the transcript's range of sentence row ids, so a word found in most
    sentences of the project costs only this transcript's share.
    """
    low, high = db.execute("SELECT min(id), max(id) FROM text_index_sentences WHERE transcript_id = ?",
                           [transcript_id]).fetchone()
    if low is None:
        return
    rows = db.execute(
        "SELECT s.transcript_id, t.name, s.sentence_idx, u.turn_idx, u.speaker, s.start, s.\"end\", s.offsets, f.words "
        "FROM text_index_fts f JOIN text_index_sentences s ON s.id = f.rowid "
        "JOIN transcripts t ON t.id = s.transcript_id "
        "LEFT JOIN units u ON u.transcript_id = s.transcript_id AND u.kind = 'sentence' AND u.idx = s.sentence_idx "
        "WHERE text_index_fts MATCH ? AND f.rowid BETWEEN ? AND ? AND s.transcript_id = ? ORDER BY s.start",
        [fts_phrase(words), low, high, transcript_id])
    for tid, name, idx, turn_idx, speaker, start, end, blob, stored in rows:
        starts, ends = unpack_offsets(blob)
        yield IndexedSentence(tid, name, idx, turn_idx, speaker, start, end, starts, ends, stored.split(" "))
