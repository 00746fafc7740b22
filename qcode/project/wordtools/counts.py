"""Word counts of a project by corpus, transcript, speaker or code (the counting is `qcode.text.wordstats`)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from qcode.agreement.intervals import merge_by_group
from qcode.errors import InputError
from qcode.i18n import _
from qcode.analysis.cases import resolve_cases
from qcode.analysis.groups import NO_VALUE
from qcode.analysis.selection import Selection, check_coders, is_human
from qcode.analysis.units import load_report_data
from qcode.project.wordtools.index import Progress, ensure_index, prepare_segmenter
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

GROUPINGS = ("corpus", "transcript", "speaker", "person", "code")  # and attr:NAME
NO_SPEAKER = "(no speaker)"


@dataclass(frozen=True)
class WordSelection:
    """Which text is counted (the shared `Selection`), and how it is grouped (the options of `qcode words`).

    Interviewers' turns are left out unless the selection says `speakers=("all",)`; `selection.coders`
    chooses whose codings count for by="code" (default: every human coder).
    """

    by: str = "corpus"
    selection: Selection = field(default_factory=Selection)

    def __post_init__(self) -> None:
        if self.by not in GROUPINGS and not self.by.startswith("attr:"):
            raise InputError(_("unknown grouping '{by}'; choose one of {groupings} or attr:NAME").format(
                by=self.by, groupings=", ".join(GROUPINGS)))


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
    cases = resolve_cases(store, selection.selection)
    chosen = list(cases.transcripts)
    coders = _code_coders(store, selection.selection.coders) if selection.by == "code" else None
    ids = [t.id for t in chosen]
    segmenter = segmenter or prepare_segmenter(store)
    ensure_index(store, segmenter, transcript_ids=ids, progress=progress)
    sentences = [s for s in TextIndexRepository.of(store).sentences(ids) if cases.keeps(s.transcript_id, s.speaker)]

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
    elif selection.by == "person" or selection.by.startswith("attr:"):
        counts.groups.update(_by_case(cases.index, selection.by, sentences))
    else:
        _count_codes(store, counts, sentences, ids, coders or set(), selection.selection)
    return counts


def _by_case(index, by: str, sentences: list[IndexedSentence]) -> list[tuple[str, Counter]]:
    """Words per person, or per value of a transcript or person attribute (`(no value)` last)."""
    grouped: dict[str, Counter] = defaultdict(Counter)
    definition = index.attribute(by[5:]) if by.startswith("attr:") else None
    for sentence in sentences:
        if definition is None:
            key = index.person(sentence.transcript_id, sentence.speaker) or NO_SPEAKER
        else:
            key = index.value(definition, sentence.transcript_id, sentence.speaker) or NO_VALUE
        grouped[key].update(sentence.words)
    def order(item):
        return (item[0] in (NO_VALUE, NO_SPEAKER), definition.sort_key(item[0])
                if definition and item[0] != NO_VALUE else (0, 0, item[0]))

    return sorted(grouped.items(), key=order)


def _code_coders(store: Store, named: tuple[str, ...] | None) -> set[str]:
    known = store.coders.names()
    if named is None:
        return {c for c in known if is_human(c)}
    return set(check_coders(named, known))


def _count_codes(store: Store, counts: WordCounts, sentences: list[IndexedSentence], ids: list[int],
                 coders: set[str], selection: Selection) -> None:
    """The words inside each code's passages: tokens lying entirely inside the union of its codings.

    The codings are those the analysis layer chooses for these coders (each coder's own), transcripts and
    speakers (interviewers' turns left out unless `--speakers all`).
    """
    rows = store.codes.rows()
    position = {row.id: i for i, row in enumerate(rows)}
    counts.code_names = {row.id: row.name for row in rows}
    names = {t.id: t.name for t in store.transcripts.all()}
    data = load_report_data(store, replace(selection, transcripts=tuple(names[i] for i in ids),
                                           coders=tuple(sorted(coders))), voice="coders")
    spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # transcript -> (code position, start, end)
    local_start, local_end = data.local_start().tolist(), data.local_end().tolist()
    for i, (t, c) in enumerate(zip(data.coding_transcript.tolist(), data.coding_code.tolist(), strict=True)):
        code = data.codes[c]
        if code in position:
            spans[data.transcripts[t].id].append((position[code], local_start[i], local_end[i]))
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
        raise InputError(_("distinctive words compare groups: add --by transcript, speaker or code"))
    return distinctive_words({str(k): v for k, v in counts.groups.items()}, word_filter, top)
