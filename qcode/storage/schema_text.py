"""Schema additions for word tools: stored segmentation and the full-text index (migration 003).

The text index is derived data, rebuilt from `transcripts.text` whenever it is stale; it is never
journalled, and deleting it loses nothing. One row per sentence unit that has word tokens:

- `text_index_state`: per transcript, the text hash (`sha256`) and the segmenter fingerprint (`lexicon`:
  rules version, jieba version, the project's dictionary and codebook terms) the stored segmentation
  was made with. A transcript whose hash or lexicon differs from the current one is segmented again.
- `text_index_sentences`: a sentence (`units` of kind 'sentence', by `sentence_idx`), its span and its
  tokens' offsets, packed as one BLOB: all starts, then all ends, as little-endian unsigned 32-bit
  integers (code-point offsets into the transcript text, half-open).
- `text_index_fts`: an FTS5 table whose row id is the sentence row's id; `words` holds the normalised
  tokens (width-folded, lower-cased) separated by spaces, in the order of the offsets. Indexing this
  segmented copy is what lets FTS5 find two-character Chinese words inside running text, which its
  default tokenizer on raw Chinese cannot.
"""

from __future__ import annotations

from sqlite_utils import Database

from qcode.storage.schema import migration

_TEXT_INDEX = [
    """
    CREATE TABLE text_index_state (
        transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
        sha256        TEXT NOT NULL,          -- of the transcript text that was segmented
        lexicon       TEXT NOT NULL,          -- fingerprint of the segmenter (rules, jieba, project words)
        tokens        INTEGER NOT NULL,
        indexed_at    TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE text_index_sentences (
        id            INTEGER PRIMARY KEY,    -- = rowid in text_index_fts
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        sentence_idx  INTEGER NOT NULL,       -- units.idx of the sentence
        start         INTEGER NOT NULL,
        "end"         INTEGER NOT NULL,
        offsets       BLOB NOT NULL,          -- token starts, then ends: little-endian uint32
        UNIQUE (transcript_id, sentence_idx)
    )
    """,
    "CREATE VIRTUAL TABLE text_index_fts USING fts5(words, tokenize = 'unicode61')",
    # Keep the full-text rows in step with their sentences, also when a transcript is deleted (cascade).
    """
    CREATE TRIGGER text_index_sentences_delete AFTER DELETE ON text_index_sentences
    BEGIN DELETE FROM text_index_fts WHERE rowid = OLD.id; END
    """,
]


@migration("003_text_index")
def m003_text_index(db: Database) -> None:
    for statement in _TEXT_INDEX:
        db.execute(statement)
