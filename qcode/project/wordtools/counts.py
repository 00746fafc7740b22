"""Word counts of a project by corpus, transcript, speaker or code (the counting is `qcode.text.wordstats`)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qcode.errors import InputError
from qcode.project.reliability import MACHINE_CODER_PREFIX
from qcode.project.wordtools.index import Progress, ensure_index, prepare_segmenter
from qcode.project.names import choose_transcripts
from qcode.project.wordtools.selection import check_speakers
from qcode.storage import Store
from qcode.storage.text_index import IndexedSentence, TextIndexRepository
from qcode.text.segment import Segmenter
from qcode.text.wordstats import (
    DistinctiveWord,
    WordFilter,
    WordFrequency,
    distinctive_words,
    inside,
    normalize_word,
    read_stop_words,
    shipped_stop_words,
    word_frequencies,
)

GROUPINGS = ("corpus", "transcript", "speaker", "code")
NO_SPEAKER = "(no speaker)"


@dataclass(frozen=True)
class WordSelection:
    """Which text is counted, and how it is grouped (the options of `qcode words`)."""

    by: str = "corpus"
    transcripts: tuple[str, ...] | None = None
    speakers: tuple[str, ...] | None = None
    coders: tuple[str, ...] | None = None  # for by="code": whose codings (default: every human coder)

    def __post_init__(self) -> None:
        if self.by not in GROUPINGS:
            raise InputError(f"unknown grouping '{self.by}'; choose one of {', '.join(GROUPINGS)}")


@dataclass
class WordCounts:
    """Every token counted per group (before any filter), and per word the transcripts it occurs in."""

    by: str
    groups: dict[str | None, Counter]
    transcripts_with: Counter  # word -> number of transcripts containing it
    code_names: dict[str, str] = field(default_factory=dict)  # for by="code": id -> display name


def word_filter(store: Store, *, stop_word_files: Sequence[Path] = (), default_stop_words: bool = True,
                min_length: int = 2, numbers: bool = False) -> WordFilter:
    """The filter `qcode words` applies: shipped and user stop words, minus the codebook's keywords."""
    stop_words: set[str] = set(shipped_stop_words()) if default_stop_words else set()
    for path in stop_word_files:
        stop_words |= read_stop_words(Path(path))
    keep = {normalize_word(k) for row in store.codes.rows() for k in json.loads(row.keywords)}
    return WordFilter(frozenset(stop_words), min_length, numbers, frozenset(keep))


def count_words(store: Store, selection: WordSelection, *, segmenter: Segmenter | None = None,
                progress: Progress | None = None) -> WordCounts:
    """Count every token of the selected text, grouped as `selection.by` says (see `qcode.text.wordstats`)."""
    chosen = choose_transcripts(store, selection.transcripts)
    speakers = check_speakers(store, selection.speakers)
    coders = _code_coders(store, selection) if selection.by == "code" else None
    ids = [t.id for t in chosen]
    segmenter = segmenter or prepare_segmenter(store)
    ensure_index(store, segmenter, transcript_ids=ids, progress=progress)
    sentences = [s for s in TextIndexRepository.of(store).sentences(ids)
                 if speakers is None or s.speaker in speakers]

    per_transcript: dict[str, Counter] = defaultdict(Counter)
    for sentence in sentences:
        per_transcript[sentence.transcript].update(sentence.words)
    transcripts_with: Counter = Counter()
    for counter in per_transcript.values():
        transcripts_with.update(counter.keys())

    counts = WordCounts(selection.by, {}, transcripts_with)
    if selection.by == "corpus":
        total: Counter = Counter()
        for counter in per_transcript.values():
            total.update(counter)
        counts.groups[None] = total
    elif selection.by == "transcript":
        counts.groups.update((t.name, per_transcript[t.name]) for t in chosen if t.name in per_transcript)
    elif selection.by == "speaker":
        by_speaker: dict[str | None, Counter] = defaultdict(Counter)
        for sentence in sentences:
            by_speaker[sentence.speaker or NO_SPEAKER].update(sentence.words)
        counts.groups.update(sorted(by_speaker.items(), key=lambda item: str(item[0])))
    else:
        _count_codes(store, counts, sentences, ids, coders or set())
    return counts


def _code_coders(store: Store, selection: WordSelection) -> set[str]:
    known = store.coders.names()
    if selection.coders is None:
        return {c for c in known if not c.startswith(MACHINE_CODER_PREFIX)}
    unknown = [c for c in selection.coders if c not in known]
    if unknown:
        raise InputError(f"no coder named {', '.join(repr(c) for c in unknown)}; coders: {', '.join(known) or 'none'}")
    return set(selection.coders)


def _count_codes(store: Store, counts: WordCounts, sentences: list[IndexedSentence], ids: list[int],
                 coders: set[str]) -> None:
    """The words inside each code's passages: tokens lying entirely inside the union of its codings."""
    from qcode.reports.intervals import merge_by_group  # lazy: upward import hidden in a function; removed by the analysis layer (issue 14)

    rows = store.codes.rows()
    position = {row.id: i for i, row in enumerate(rows)}
    counts.code_names = {row.id: row.name for row in rows}
    spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # transcript -> (code position, start, end)
    for tid, coder, code, start, end in store.codings.spans(ids):
        if coder in coders and code in position:
            spans[tid].append((position[code], start, end))
    by_transcript: dict[int, list[IndexedSentence]] = defaultdict(list)
    for sentence in sentences:
        by_transcript[sentence.transcript_id].append(sentence)
    by_code: dict[int, Counter] = defaultdict(Counter)
    for tid, coded in spans.items():
        found = by_transcript.get(tid)
        if not found:
            continue
        words = [w for s in found for w in s.words]
        starts = np.concatenate([np.asarray(s.starts, dtype=np.int64) for s in found])
        ends = np.concatenate([np.asarray(s.ends, dtype=np.int64) for s in found])
        codes, c_starts, c_ends = (np.array(column, dtype=np.int64) for column in zip(*coded))
        merged_starts, merged_ends, merged_codes = merge_by_group(c_starts, c_ends, codes)
        for code in np.unique(merged_codes):
            mine = merged_codes == code
            mask = inside(starts, ends, merged_starts[mine], merged_ends[mine])
            by_code[int(code)].update(words[i] for i in np.flatnonzero(mask))
    counts.groups.update((rows[p].id, by_code[p]) for p in sorted(by_code))


def frequencies(counts: WordCounts, word_filter: WordFilter, top: int | None) -> list[WordFrequency]:
    """The `top` words per group; for the corpus, `documents` is the number of transcripts with the word."""
    documents = counts.transcripts_with if counts.by in ("corpus", "transcript") else None
    return word_frequencies(counts.groups, word_filter, top, documents)


def distinctive(counts: WordCounts, word_filter: WordFilter, top: int | None) -> list[DistinctiveWord]:
    """The `top` words per group by TF-IDF, each group being one document."""
    if counts.by == "corpus":
        raise InputError("distinctive words compare groups: add --by transcript, speaker or code")
    return distinctive_words({str(k): v for k, v in counts.groups.items()}, word_filter, top)
