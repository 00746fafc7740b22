"""Keyword suggestions on a project: for the TUI, as codings of `auto:keywords`, and scored against a coder.

The matching rules and the scores are in `qcode.text.suggest`; here they meet the index, the units and
the codings. Units are sentences or speaker turns, identified as (transcript id, unit idx).
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field


from qcode.domain.models import Coding, UnitKind
from qcode.errors import InputError
from qcode.i18n import _
from qcode.project.codebook_loading import current_codebook
from qcode.analysis.cases import resolve_cases
from qcode.analysis.selection import MACHINE_CODER_PREFIX, Selection, resolve_codes
from qcode.analysis.units import load_report_data
from qcode.project.wordtools.index import Progress, ensure_index, prepare_segmenter
from qcode.storage import Store
from qcode.storage.clock import utc_now
from qcode.storage.codings import fold_duplicates
from qcode.storage.text_index import IndexedSentence, TextIndexRepository
from qcode.text.kwic import fold_for_search
from qcode.text.segment import Segmenter
from qcode.text.suggest import (
    KeywordMatch,
    KeywordMatcher,
    KeywordRule,
    KeywordScore,
    Strength,
    Suggestion,
    best_per_code,
    evaluate,
    evaluate_keywords,
    substring_matches,
)

AUTO_CODER = "auto:keywords"
SUGGEST_SOURCE = "suggest"
SUGGESTION_UNITS = ("sentence", "turn")


def keyword_rules(store: Store, segmenter: Segmenter) -> list[KeywordRule]:
    """Each keyword of each applicable code, with the words it segments into, in codebook order."""
    rules = []
    for row in store.codes.rows():
        if not row.codable:
            continue
        for keyword in json.loads(row.keywords):
            rules.append(KeywordRule(row.id, keyword, tuple(segmenter.words(keyword))))
    return rules


def _check_unit(unit: str) -> UnitKind:
    if unit not in SUGGESTION_UNITS:
        raise InputError(_("unknown unit '{unit}'; choose one of {units}").format(
            unit=unit, units=", ".join(SUGGESTION_UNITS)))
    return UnitKind(unit)


@dataclass
class _Scan:
    """Suggestions per transcript, and for each keyword the units it matched in (strong or weak)."""

    suggestions: dict[int, list[tuple[int, Suggestion]]] = field(default_factory=lambda: defaultdict(list))
    matched: dict[KeywordRule, set[Hashable]] = field(default_factory=lambda: defaultdict(set))

    def of(self, transcript_id: int) -> list[Suggestion]:
        return [suggestion for _, suggestion in self.suggestions.get(transcript_id, [])]


def _keyword_match_mode(store: Store) -> str:
    """The codebook's `keyword_match`: "token" (the default) or "substring"."""
    codebook = current_codebook(store)
    return codebook.keyword_match if codebook is not None else "token"


def _scan(store: Store, segmenter: Segmenter, rules: list[KeywordRule], ids: list[int], kind: UnitKind,
          strong_only: bool, progress: Progress | None = None, speakers: Selection | None = None) -> _Scan:
    """Match the keywords in every unit of the transcripts `ids`: tokens, and substrings if the codebook asks."""
    matcher = KeywordMatcher(rules)
    ensure_index(store, segmenter, transcript_ids=ids, progress=progress)
    texts = store.transcripts.texts(ids) if ids else {}
    units: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # transcript -> (idx, start, end)
    # Interviewers' turns get no suggestions; an evaluation's --speakers/--where choose the turns further.
    cases = resolve_cases(store, speakers or Selection())
    for tid, idx, start, end, speaker in store.transcripts.unit_table(kind, ids):
        if cases.keeps(tid, speaker):
            units[tid].append((idx, start, end))
    found: dict[tuple[int, int], list[KeywordMatch]] = defaultdict(list)
    for key, words, starts, ends in _tokens_by_unit(TextIndexRepository.of(store).sentences(ids), kind):
        found[key] += matcher.matches(texts[key[0]], words, starts, ends, strong_only=strong_only)
    if not strong_only and _keyword_match_mode(store) == "substring":
        for tid, spans in units.items():
            folded = fold_for_search(texts[tid])
            for number, match in substring_matches(folded, rules, [(start, end) for _, start, end in spans]):
                found[(tid, spans[number][0])].append(match)
    scan = _Scan()
    for tid, spans in units.items():
        for idx, start, end in spans:
            matches = found.get((tid, idx))
            if not matches:
                continue
            for match in matches:
                scan.matched[match.rule].add((tid, idx))
            scan.suggestions[tid].extend((idx, suggestion) for suggestion in best_per_code(start, end, matches))
    return scan


def _tokens_by_unit(sentences: list[IndexedSentence], kind: UnitKind
                    ) -> Iterable[tuple[tuple[int, int], list[str], list[int], list[int]]]:
    """((transcript id, unit idx), words, starts, ends) of every sentence, or turn, that has tokens."""
    if kind is UnitKind.SENTENCE:
        for s in sentences:
            yield (s.transcript_id, s.sentence_idx), s.words, list(s.starts), list(s.ends)
        return
    grouped: dict[tuple[int, int], list[IndexedSentence]] = defaultdict(list)
    for s in sentences:
        if s.turn_idx is not None:
            grouped[(s.transcript_id, s.turn_idx)].append(s)
    for key, members in grouped.items():
        yield (key, [w for s in members for w in s.words], [x for s in members for x in s.starts],
               [x for s in members for x in s.ends])


def suggestions_for(store: Store, transcript_id: int, unit: str = "sentence", *, coder: str | None = None,
                    strong_only: bool = False, segmenter: Segmenter | None = None) -> list[Suggestion]:
    """Keyword suggestions for one transcript, in text order, for the TUI (nothing is applied).

    With `coder`, units that coder has already coded with the suggested code (by the unit rule) are left out.
    """
    kind = _check_unit(unit)
    segmenter = segmenter or prepare_segmenter(store)
    scan = _scan(store, segmenter, keyword_rules(store, segmenter), [transcript_id], kind, strong_only)
    if coder is None:
        return scan.of(transcript_id)
    coded = _coded_units(store, coder, [transcript_id], kind)
    return [s for idx, s in scan.suggestions.get(transcript_id, [])
            if (transcript_id, idx) not in coded.get(s.code, ())]


@dataclass(frozen=True)
class SuggestReport:
    """What `write_suggestions` stored."""

    codings: int
    removed: int
    transcripts: int
    by_code: dict[str, tuple[int, int]]  # code -> (strong, weak) suggestions
    unchanged: bool


def write_suggestions(store: Store, *, unit: str = "sentence", strong_only: bool = False,
                      segmenter: Segmenter | None = None, progress: Progress | None = None) -> SuggestReport:
    """Store every suggestion as a coding of `auto:keywords`, replacing that coder's earlier codings.

    One journalled transaction (actor `auto:keywords`, source `suggest`) removes the old codings, adds
    the new ones (each spanning its unit; the memo says which keyword matched and how) and marks every
    transcript complete for `auto:keywords`, so that `qcode agree` counts its units as rated. When the
    suggestions are the same as those stored, nothing is written.
    """
    kind = _check_unit(unit)
    segmenter = segmenter or prepare_segmenter(store)
    rules = keyword_rules(store, segmenter)
    if not any(rule.words for rule in rules):
        raise InputError(_("the codebook has no keywords to suggest codes with; add `keywords:` to its codes"))
    transcripts = store.transcripts.all()
    scan = _scan(store, segmenter, rules, [t.id for t in transcripts], kind, strong_only, progress)
    now = utc_now()
    new: list[tuple[Coding, int]] = []
    by_code: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for info in transcripts:
        for s in scan.of(info.id):
            memo = f"{s.strength}: {s.keyword}"
            new.append((Coding(str(uuid.uuid4()), AUTO_CODER, info.name, s.code, s.start, s.end, memo, now, now),
                        info.id))
            by_code[s.code][0 if s.strength is Strength.STRONG else 1] += 1
    old = [c for info in transcripts for c in store.codings.for_transcript(info.id, AUTO_CODER)]
    complete = all(store.review.status(AUTO_CODER, t.id) == "complete" for t in transcripts)
    same = {_essence(c) for c in old} == {_essence(c) for c, _ in new} and len(old) == len(new)
    counts = {code: (n[0], n[1]) for code, n in by_code.items()}
    if same and complete:
        return SuggestReport(len(new), 0, len(transcripts), counts, True)
    with store.transaction(AUTO_CODER, SUGGEST_SOURCE) as tx:
        for coding in old:
            store.codings.delete(tx, coding.guid)
        store.codings.insert_many(tx, fold_duplicates(new)[0], action="coding.add")
        for info in transcripts:
            store.review.set(tx, AUTO_CODER, info.id, info.name, "complete")
    return SuggestReport(len(new), len(old), len(transcripts), counts, False)


def clear_suggestions(store: Store) -> int:
    """Remove every coding and review status of `auto:keywords` (one journalled transaction)."""
    transcripts = store.transcripts.all()
    old = [c for info in transcripts for c in store.codings.for_transcript(info.id, AUTO_CODER)]
    with store.transaction(AUTO_CODER, SUGGEST_SOURCE) as tx:
        for coding in old:
            store.codings.delete(tx, coding.guid)
        for info in transcripts:
            store.review.set(tx, AUTO_CODER, info.id, info.name, None)
    return len(old)


def _essence(coding: Coding) -> tuple:
    return coding.transcript, coding.code, coding.start, coding.end, coding.memo


def _coded_units(store: Store, coder: str, ids: list[int], kind: UnitKind,
                 speakers: Selection | None = None) -> dict[str, set[Hashable]]:
    """Per code, the (transcript id, unit idx) units the coder's codings mark by the unit rule (analysis layer),
    in the turns `speakers` (its --speakers and --where) keeps."""
    names = {t.id: t.name for t in store.transcripts.all()}
    if not ids or coder not in store.coders.names():
        return {}
    chosen = speakers or Selection()
    data = load_report_data(store, Selection(transcripts=tuple(names[i] for i in ids), coders=(coder,),
                                             speakers=chosen.speakers, where=chosen.where), voice="coders")
    table = data.units(kind.value)
    coded: dict[str, set[Hashable]] = defaultdict(set)
    for unit, coding in zip(table.marked_unit.tolist(), table.marked_coding.tolist(), strict=True):
        tid = data.transcripts[int(table.transcript[unit])].id
        coded[data.codes[int(data.coding_code[coding])]].add((tid, int(table.index[unit])))
    return coded


@dataclass(frozen=True)
class KeywordEvaluation:
    """Precision and recall of the keywords against one coder (see `qcode.text.suggest`)."""

    coder: str
    unit: str
    transcripts: list[str]  # the transcripts the coder rated, which the figures cover
    by_code: list[KeywordScore]  # one row per code with keywords, then the pooled row (code None)
    by_keyword: list[KeywordScore]


def evaluate_suggestions(store: Store, coder: str, *, unit: str = "sentence", strong_only: bool = False,
                         include_incomplete: bool = False, segmenter: Segmenter | None = None,
                         progress: Progress | None = None, selection: Selection | None = None) -> KeywordEvaluation:
    """Score the keyword suggestions against `coder` over the transcripts the coder rated; writes nothing.

    A coder has rated a transcript when they marked it complete, or with `include_incomplete` also when
    they made at least one coding in it (as in `qcode agree`). `selection` (the shared filters but --coders)
    narrows the transcripts, codes and speakers' turns the figures cover.
    """
    selection = selection or Selection()
    kind = _check_unit(unit)
    if coder.startswith(MACHINE_CODER_PREFIX):
        raise InputError(_("'{coder}' is a machine coder; evaluate the keywords against a human coder").format(
            coder=coder))
    known = store.coders.names()
    if coder not in known:
        humans = [c for c in known if not c.startswith(MACHINE_CODER_PREFIX)]
        raise InputError(_("no coder named '{coder}'; coders: {coders}").format(
            coder=coder, coders=", ".join(humans) or _("none")))
    transcripts = store.transcripts.all()
    rated = [t for t in transcripts if store.review.status(coder, t.id) == "complete"]
    if include_incomplete:
        with_codings = {tid for (tid, who) in store.codings.count_by_transcript_and_coder() if who == coder}
        rated = [t for t in transcripts if t in rated or t.id in with_codings]
    if not rated:
        raise InputError(_("{coder} has not marked any transcript complete (`qcode complete NAME --coder {coder}`); "
                           "or add --include-incomplete to count every transcript they coded in").format(coder=coder))
    if selection.transcripts is not None or selection.where:
        kept = {t.id for t in resolve_cases(store, selection).transcripts}
        rated = [t for t in rated if t.id in kept]
        if not rated:
            raise InputError(_("none of the transcripts {coder} rated meets the filters").format(coder=coder))
    segmenter = segmenter or prepare_segmenter(store)
    rules = [rule for rule in keyword_rules(store, segmenter) if rule.words]
    if selection.codes is not None:
        codebook = current_codebook(store)
        wanted = set(resolve_codes(codebook, selection.codes)) if codebook is not None else set()
        rules = [rule for rule in rules if rule.code in wanted]
    if not rules:
        raise InputError(_("the codebook has no keywords to evaluate; add `keywords:` to its codes"))
    ids = [t.id for t in rated]
    scan = _scan(store, segmenter, rules, ids, kind, strong_only, progress, selection)
    suggested: dict[str, set[Hashable]] = defaultdict(set)
    for tid, found in scan.suggestions.items():
        for idx, s in found:
            suggested[s.code].add((tid, idx))
    coded = _coded_units(store, coder, ids, kind, selection)
    codes = list(dict.fromkeys(rule.code for rule in rules))
    by_keyword = evaluate_keywords({rule: scan.matched.get(rule, set()) for rule in rules}, coded)
    return KeywordEvaluation(coder, unit, [t.name for t in rated], evaluate(suggested, coded, codes), by_keyword)
