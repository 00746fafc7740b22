"""The project's segmenter and its text index: built lazily, kept fresh, never during import.

The project's lexicon is its `dictionary.txt` plus the codebook's names and keywords
(`qcode.text.segment`). The index (`qcode.storage.text_index`) holds every transcript's segmentation;
a transcript is segmented again when its text or the lexicon changes.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qcode.project.project import DICTIONARY_FILENAME
from qcode.storage import Store, open_store
from qcode.storage.database import DB_FILENAME
from qcode.storage.text_index import IndexRow, StaleTranscript, TextIndexRepository
from qcode.text.segment import Lexicon, Segmenter, codebook_words, read_dictionary, segmenter_for
from qcode.text.query_cut import save_query_dictionary
from qcode.text.segment_parallel import Job, Part, segment_parts

Progress = Callable[[int, int, str], None]  # (done, total, transcript name)

# Commit the index after about this much text: write locks stay short, and work done survives an interrupt.
_BATCH_CHARACTERS = 200_000


def dictionary_path(store: Store) -> Path:
    """The project's `dictionary.txt`, beside its database."""
    return store.path.parent / DICTIONARY_FILENAME


def project_lexicon(store: Store, dictionary: Path | None = None) -> Lexicon:
    """The project dictionary's words, then the codebook's names and keywords (see `qcode.text.segment`)."""
    words = read_dictionary(dictionary or dictionary_path(store))
    terms: list[tuple[str, str]] = []
    for row in store.codes.rows():
        terms.append((row.id, row.name))
        terms += [(row.id, keyword) for keyword in json.loads(row.keywords)]
    return Lexicon.combine(words, codebook_words(terms))


def prepare_segmenter(store: Store, dictionary: Path | None = None) -> Segmenter:
    """The segmenter for the project's current lexicon; sets jieba up on first use (about a second)."""
    return lexicon_segmenter(project_lexicon(store, dictionary))


def lexicon_segmenter(lexicon: Lexicon) -> Segmenter:
    """The segmenter for `lexicon`, with the files that let later processes cut queries without it."""
    segmenter = segmenter_for(lexicon)
    save_query_dictionary(segmenter)
    return segmenter


@dataclass(frozen=True)
class IndexReport:
    """What `ensure_index` did."""

    segmented: int  # transcripts segmented now (0 when the index was up to date)
    characters: int
    tokens: int
    seconds: float


def ensure_index(store: Store, segmenter: Segmenter | None = None, *, transcript_ids: Sequence[int] | None = None,
                 progress: Progress | None = None, lexicon: Lexicon | None = None) -> IndexReport:
    """Segment and index every transcript (or those given) whose text or lexicon changed since last time.

    Without a `segmenter`, jieba is set up only if something is stale (for `lexicon`, by default the
    project's). jieba runs outside any transaction; the rows are written in batches, each one transaction.
    """
    began = time.perf_counter()
    if segmenter is None:
        lexicon = lexicon or project_lexicon(store)
        fingerprint = lexicon.fingerprint
    else:
        fingerprint = segmenter.fingerprint
    index = TextIndexRepository.of(store)
    stale = index.stale(fingerprint, transcript_ids)
    if not stale:
        return IndexReport(0, 0, 0, time.perf_counter() - began)
    if segmenter is None:
        assert lexicon is not None  # chosen above
        segmenter = lexicon_segmenter(lexicon)
    writer = _IndexWriter(store, index, fingerprint)
    characters = tokens = 0
    for part in segment_parts(segmenter, _jobs(store, stale)):
        item = stale[part.job]
        if part.first:
            if progress:
                progress(part.job, len(stale), item.name)
            characters += item.characters
        tokens += part.tokens
        writer.add(item, part)
    writer.flush()
    if progress:
        progress(len(stale), len(stale), "")
    return IndexReport(len(stale), characters, tokens, time.perf_counter() - began)


class _IndexWriter:
    """Stores the parts as they come: short transcripts whole, a few together in one transaction; a very
    large one part by part (`TextIndexRepository.claim`), each in a short transaction of its own, so
    that neither the write lock nor memory has to hold all of it."""

    def __init__(self, store: Store, index: TextIndexRepository, lexicon: str) -> None:
        self.store, self.index, self.lexicon = store, index, lexicon
        self.pending: list[tuple[int, str, list[IndexRow], int]] = []
        self.pending_characters = 0
        self.claim = f"indexing {uuid.uuid4()}"
        self.tokens = 0  # of the large transcript under way
        self.taken_over = False

    def add(self, item: StaleTranscript, part: Part) -> None:
        if part.first and part.last:
            self.pending.append((item.id, item.sha256, part.rows, part.tokens))
            self.pending_characters += item.characters
            if self.pending_characters >= _BATCH_CHARACTERS:
                self.flush()
            return
        with self.store.transaction(source="index"):
            if part.first:
                self.index.claim(item.id, self.claim)
                self.tokens, self.taken_over = 0, False
            self.tokens += part.tokens
            self.taken_over = self.taken_over or not self.index.append(item.id, self.claim, part.rows)
            if part.last and not self.taken_over:
                self.index.finish(item.id, self.claim, item.sha256, self.lexicon, self.tokens)

    def flush(self) -> None:
        if not self.pending:
            return
        with self.store.transaction(source="index"):
            self.index.replace_many(self.lexicon, self.pending)
        self.pending, self.pending_characters = [], 0


def _jobs(store: Store, stale: Sequence[StaleTranscript]) -> list[Job]:
    # Sentence bounds per transcript, without speakers: half the time of `unit_table` on a 50 MB text.
    return [Job(store.transcripts.text(item.id), store.transcripts.sentence_spans(item.id)) for item in stale]


def warm_up(project_root: Path, progress: Progress | None = None) -> IndexReport:
    """Set jieba up and bring the project's text index up to date, on a store of the calling thread.

    Meant for the TUI's worker thread, before the search screen or suggestions are used.
    """
    store = open_store(project_root / DB_FILENAME)
    try:
        return ensure_index(store, prepare_segmenter(store), progress=progress)
    finally:
        store.close()
