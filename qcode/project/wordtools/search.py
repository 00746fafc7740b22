"""Keyword-in-context search over a project (the matching rules are in `qcode.text.kwic`)."""

from __future__ import annotations

from collections.abc import Sequence

from qcode.domain.models import TranscriptInfo, UnitKind
from qcode.errors import InputError
from qcode.i18n import _
from qcode.project.wordtools.index import Progress, ensure_index, prepare_segmenter
from qcode.analysis.names import choose_transcripts
from qcode.analysis.cases import check_speakers
from qcode.storage import Store
from qcode.storage.text_index import TextIndexRepository
from qcode.text.kwic import Hit, context_of, fold_for_search, phrase_spans, substring_spans
from qcode.text.segment import Segmenter


def search(store: Store, query: str, *, substring: bool = False, transcripts: Sequence[str] | None = None,
           speakers: Sequence[str] | None = None, context: int = 20, limit: int | None = None,
           segmenter: Segmenter | None = None, progress: Progress | None = None) -> list[Hit]:
    """Keyword-in-context hits of `query`, in document order (transcripts by name); see `qcode.text.kwic`.

    Token matching by default; `substring` also finds the query inside longer words. `limit` stops after
    that many hits. Each hit carries its sentence's offsets, so a caller can code the sentence.
    """
    query = query.strip()
    if not query:
        raise InputError(_("the search query is empty"))
    if context < 0:
        raise InputError(_("--context must be 0 or more characters, got {value}").format(value=context))
    chosen = choose_transcripts(store, transcripts)
    wanted_speakers = check_speakers(store, speakers)
    if substring:
        return _substring_search(store, query, chosen, wanted_speakers, context, limit)
    segmenter = segmenter or prepare_segmenter(store)
    words = segmenter.words(query)
    if not words:
        raise InputError(_("'{query}' has no words to search for (punctuation and spaces are not indexed); "
                           "use --substring to find it as it is written").format(query=query))
    ids = [t.id for t in chosen] if transcripts is not None else None
    ensure_index(store, segmenter, transcript_ids=ids, progress=progress)
    texts: dict[int, str] = {}
    hits: list[Hit] = []
    for row in TextIndexRepository.of(store).phrase_candidates(words, ids):
        if wanted_speakers is not None and row.speaker not in wanted_speakers:
            continue
        text = texts.get(row.transcript_id)
        if text is None:
            text = texts[row.transcript_id] = store.transcripts.text(row.transcript_id)
        for start, end in phrase_spans(text, row.words, row.starts, row.ends, words):
            hits.append(_hit(text, row.transcript, row.transcript_id, start, end, context, row.speaker,
                             row.sentence_idx, row.start, row.end, row.turn_idx))
            if limit is not None and len(hits) >= limit:
                return hits
    return hits


def _substring_search(store: Store, query: str, chosen: list[TranscriptInfo], speakers: set[str] | None,
                      context: int, limit: int | None) -> list[Hit]:
    needle = fold_for_search(query)
    hits: list[Hit] = []
    for info in chosen:
        units = store.transcripts.units(info.id, UnitKind.SENTENCE)
        if speakers is not None:
            units = [u for u in units if u.speaker in speakers]
        text = store.transcripts.text(info.id)
        for start, end, number in substring_spans(fold_for_search(text), needle, [(u.start, u.end) for u in units]):
            unit = units[number]
            hits.append(_hit(text, info.name, info.id, start, end, context, unit.speaker, unit.index,
                             unit.start, unit.end, unit.turn_index))
            if limit is not None and len(hits) >= limit:
                return hits
    return hits


def _hit(text: str, transcript: str, transcript_id: int, start: int, end: int, context: int,
         speaker: str | None, sentence_index: int, sentence_start: int, sentence_end: int,
         turn_index: int | None) -> Hit:
    left, right = context_of(text, start, end, context)
    return Hit(transcript, transcript_id, start, end, text[start:end], left, right, speaker, sentence_index,
               sentence_start, sentence_end, turn_index)
