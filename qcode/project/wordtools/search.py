"""Keyword-in-context search over a project (the matching rules are in `qcode.text.kwic`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice

from qcode.domain.models import TranscriptInfo, UnitKind
from qcode.errors import InputError
from qcode.i18n import _
from qcode.project.wordtools.index import Progress, ensure_index, lexicon_segmenter, project_lexicon
from qcode.analysis.names import choose_transcripts
from qcode.analysis.cases import check_speakers, resolve_cases
from qcode.analysis.selection import ALL_SPEAKERS, Condition, Selection
from qcode.storage import Store
from qcode.storage.text_index import IndexedSentence, TextIndexRepository
from qcode.storage.word_occurrences import occurrences_by_transcript, phrase_candidates_in
from qcode.text.query_cut import counted_by_index_terms, query_words
from qcode.text.kwic import Hit, context_of, fold_for_search, phrase_spans, substring_spans
from qcode.text.segment import Segmenter


def search(store: Store, query: str, *, substring: bool = False, transcripts: Sequence[str] | None = None,
           speakers: Sequence[str] | None = None, context: int = 20, limit: int | None = None,
           segmenter: Segmenter | None = None, progress: Progress | None = None) -> list[Hit]:
    """Keyword-in-context hits of `query`, in document order (transcripts by name); see `qcode.text.kwic`.

    Token matching by default; `substring` also finds the query inside longer words. `limit` stops after
    that many hits. Each hit carries its sentence's offsets, so a caller can code the sentence.
    The query is cut with the project's cached dictionary where it can be (`qcode.text.query_cut`), so a
    search does not load jieba unless the index is stale or that cache is not written yet.
    """
    found = _find(store, query, substring, transcripts, speakers, context, segmenter, progress)
    return list(islice(found.hits, limit))


@dataclass(frozen=True)
class SearchResult:
    """The first hits of a search (all of them without a limit), and how many there are in all."""

    hits: list[Hit]
    total: int  # every hit, also those past the limit
    transcripts: int  # transcripts with at least one hit


def search_counted(store: Store, query: str, *, substring: bool = False, transcripts: Sequence[str] | None = None,
                   speakers: Sequence[str] | None = None, context: int = 20, limit: int | None = None,
                   segmenter: Segmenter | None = None, progress: Progress | None = None,
                   where: Sequence[Condition] = ()) -> SearchResult:
    """`search`, with the hits past `limit` counted too: a single word inside SQLite, a phrase by going on.

    `where` (attribute conditions, as `--where` gives them) keeps the transcripts and the speakers' turns
    that meet them; a search keeps interviewers' turns unless `speakers` says otherwise."""
    if where:
        cases = resolve_cases(store, Selection(transcripts=tuple(transcripts) if transcripts is not None else None,
                                               speakers=tuple(speakers) if speakers is not None else (ALL_SPEAKERS,),
                                               where=tuple(where)))
        chosen = [t.name for t in cases.transcripts]
        if not chosen:
            return SearchResult([], 0, 0)
        found = _find(store, query, substring, chosen, speakers, context, segmenter, progress)
        return _first((h for h in found.hits if cases.keeps(h.transcript_id, h.speaker)), limit)
    found = _find(store, query, substring, transcripts, speakers, context, segmenter, progress)
    if limit is None or found.word is None:
        return _first(found.hits, limit)
    if found.by_terms is not None:
        counted = _counted_by_terms(store, found, found.by_terms, limit)
        if counted is not None:
            return counted
    hits = list(islice(found.hits, limit))
    if len(hits) < limit:
        return SearchResult(hits, len(hits), len({h.transcript_id for h in hits}))
    total, in_transcripts = TextIndexRepository.of(store).word_count(found.word, found.transcript_ids,
                                                                    found.speakers)
    return SearchResult(hits, total, in_transcripts)


@dataclass(frozen=True)
class _TermSearch:
    """What reading a one-word query's hits transcript by transcript needs (see `_counted_by_terms`)."""

    transcripts: list[TranscriptInfo]  # those searched, by name
    wanted_speakers: set[str] | None
    context: int


@dataclass(frozen=True)
class _Found:
    hits: Iterator[Hit]  # every hit, read lazily
    word: str | None  # the query's one word, when it is one word (its hits can be counted in SQLite)
    transcript_ids: list[int] | None
    speakers: list[str] | None
    by_terms: _TermSearch | None = None  # set when the index's own terms count `word` exactly


def _counted_by_terms(store: Store, found: _Found, terms: _TermSearch, limit: int) -> SearchResult | None:
    """The first `limit` hits of a one-word query and their count, from the full-text index's terms: the
    count is one index read, and only the transcripts that hold the word are read, in order, until the
    limit. None when this connection cannot read the terms (then the sentences are counted)."""
    assert found.word is not None  # set with `by_terms`
    words = [found.word]
    per_transcript = occurrences_by_transcript(store.db, found.word, found.transcript_ids, found.speakers)
    if per_transcript is None:
        return None
    rows = chain.from_iterable(phrase_candidates_in(store.db, words, t.id) for t in terms.transcripts
                               if t.id in per_transcript)
    hits = list(islice(_hits_in(store, rows, words, terms.wanted_speakers, terms.context), limit))
    return SearchResult(hits, sum(per_transcript.values()), len(per_transcript))


def _find(store: Store, query: str, substring: bool, transcripts: Sequence[str] | None,
          speakers: Sequence[str] | None, context: int, segmenter: Segmenter | None,
          progress: Progress | None) -> _Found:
    query = query.strip()
    if not query:
        raise InputError(_("the search query is empty"))
    if context < 0:
        raise InputError(_("--context must be 0 or more characters, got {value}").format(value=context))
    chosen = choose_transcripts(store, transcripts)
    wanted_speakers = check_speakers(store, speakers)
    if substring:
        return _Found(_substring_search(store, query, chosen, wanted_speakers, context), None, None, None)
    lexicon = None if segmenter is not None else project_lexicon(store)
    words = query_words(lexicon, query) if lexicon is not None else None
    if words is None:  # no cached dictionary yet (or a segmenter given): jieba with the full dictionary
        segmenter = segmenter or lexicon_segmenter(lexicon or project_lexicon(store))
        words = segmenter.words(query)
    if not words:
        raise InputError(_("'{query}' has no words to search for (punctuation and spaces are not indexed); "
                           "use --substring to find it as it is written").format(query=query))
    ids = [t.id for t in chosen] if transcripts is not None else None
    ensure_index(store, segmenter, transcript_ids=ids, progress=progress, lexicon=lexicon)
    hits = _token_search(store, words, ids, wanted_speakers, context)
    known = lexicon if lexicon is not None else segmenter.lexicon if segmenter is not None else None
    by_terms = None
    if len(words) == 1 and known is not None and counted_by_index_terms(words[0], known):
        by_terms = _TermSearch(sorted(chosen, key=lambda t: t.name), wanted_speakers, context)
    return _Found(hits, words[0] if len(words) == 1 else None, ids,
                  sorted(wanted_speakers) if wanted_speakers is not None else None, by_terms)


def _first(every: Iterator[Hit], limit: int | None) -> SearchResult:
    """The first `limit` hits of `every`, the rest counted by going through them."""
    hits = list(islice(every, limit))
    seen = {h.transcript_id for h in hits}
    total = len(hits)
    for hit in every:
        total += 1
        seen.add(hit.transcript_id)
    return SearchResult(hits, total, len(seen))


def _token_search(store: Store, words: list[str], ids: list[int] | None, wanted_speakers: set[str] | None,
                  context: int) -> Iterator[Hit]:
    yield from _hits_in(store, TextIndexRepository.of(store).phrase_candidates(words, ids), words, wanted_speakers,
                        context)


def _hits_in(store: Store, rows: Iterable[IndexedSentence], words: list[str], wanted_speakers: set[str] | None,
             context: int) -> Iterator[Hit]:
    """The exact hits of `words` in candidate sentences `rows` (FTS5's matches are a superset)."""
    texts: dict[int, str] = {}
    for row in rows:
        if wanted_speakers is not None and row.speaker not in wanted_speakers:
            continue
        text = texts.get(row.transcript_id)
        if text is None:
            text = texts[row.transcript_id] = store.transcripts.text(row.transcript_id)
        for start, end in phrase_spans(text, row.words, row.starts, row.ends, words):
            yield _hit(text, row.transcript, row.transcript_id, start, end, context, row.speaker,
                       row.sentence_idx, row.start, row.end, row.turn_idx)


def _substring_search(store: Store, query: str, chosen: list[TranscriptInfo], speakers: set[str] | None,
                      context: int) -> Iterator[Hit]:
    needle = fold_for_search(query)
    for info in chosen:
        units = store.transcripts.units(info.id, UnitKind.SENTENCE)
        if speakers is not None:
            units = [u for u in units if u.speaker in speakers]
        text = store.transcripts.text(info.id)
        for start, end, number in substring_spans(fold_for_search(text), needle, [(u.start, u.end) for u in units]):
            unit = units[number]
            yield _hit(text, info.name, info.id, start, end, context, unit.speaker, unit.index,
                       unit.start, unit.end, unit.turn_index)


def _hit(text: str, transcript: str, transcript_id: int, start: int, end: int, context: int,
         speaker: str | None, sentence_index: int, sentence_start: int, sentence_end: int,
         turn_index: int | None) -> Hit:
    left, right = context_of(text, start, end, context)
    return Hit(transcript, transcript_id, start, end, text[start:end], left, right, speaker, sentence_index,
               sentence_start, sentence_end, turn_index)
