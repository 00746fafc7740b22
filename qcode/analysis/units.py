"""What a report covers, read from the project once: the selection, the codings as arrays, the units.

`load_report_data` resolves a `Selection` (`qcode.analysis.selection`, `qcode.analysis.cases`) and reads
the selected codings with one query into numpy columns. Units are read on first use, per kind, and the
unit rule (`qcode.domain.unit_rule`) is applied to every coding at once per transcript. Agreement builds
its rating matrix from the same tables (`qcode.analysis.ratings`).

Positions are also kept on one global line: transcript i occupies `[offset[i], offset[i] + characters)`
with a one-position gap after it, so interval arithmetic over many transcripts at once never merges
across transcripts.

Whose codings count (`voice`):

- `"one"` (the default of reports when no coders are named): one voice per passage. Where the team
  recorded a consensus (codings of the coder `consensus`), the consensus speaks and the coders' codings
  that overlap it are left out; elsewhere each distinct passage (same transcript, code, start and end)
  counts once, whoever coded it (`coding_voices` lists the coders who applied it).
- `"coders"`: every coding of the selected coders counts (`--coders` given, or asked for per coder).

Speakers: the turns (and their sentences) of speakers left out by the selection (`--speakers`, or by
default the persons whose role is interviewer) are no units of the analysis, and a coding counts only
when it marks at least one unit that is left in.

Defaults: all transcripts; the human coders who made at least one coding in them (machine coders, named
`auto:...` like the keyword suggestions of `auto:keywords`, count only when named in `--coders`); every
code of the codebook. A code named in `--codes` brings its whole subtree (its descendants).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from qcode.agreement.intervals import merge_by_group
from qcode.analysis.cases import CaseFilter, resolve_cases
from qcode.analysis.selection import CONSENSUS_CODER, Selection, check_coders, is_human, resolve_codes
from qcode.codebook.stored import require_codebook
from qcode.domain.codebook import Codebook
from qcode.domain.models import TranscriptInfo
from qcode.domain.unit_rule import assign_codings_to_units, content_prefix
from qcode.errors import InputError
from qcode.i18n import _, ngettext
from qcode.storage import Store
from qcode.storage.report_queries import ReportQueries

UNIT_KINDS = ("turn", "sentence")
VOICES = ("one", "coders")


@dataclass(frozen=True)
class UnitTable:
    """The units of one kind in the analysis, on the global line, and which codings mark them.

    Units are ordered by transcript (in `ReportData.transcripts` order), then position. `content`
    says whether a unit has at least one content character and belongs to a speaker in the analysis
    (only those can be marked, so only those are counted as units). `marked_unit[i]` is marked by
    coding `marked_coding[i]`.
    """

    kind: str
    transcript: np.ndarray  # index into ReportData.transcripts
    index: np.ndarray  # position among the transcript's units of this kind
    start: np.ndarray  # global line
    end: np.ndarray
    speaker: np.ndarray  # index into `speakers`
    speakers: tuple[str | None, ...]
    content: np.ndarray  # bool
    marked_unit: np.ndarray
    marked_coding: np.ndarray

    def __len__(self) -> int:
        return int(self.start.size)


@dataclass
class ReportData:
    """The selected transcripts, coders, codes and codings of a project, ready for computation.

    `codes` are the code ids in the analysis in codebook order (groups included); coding columns are
    numpy arrays grouped by transcript (in `transcripts` order), then by storage id; `coding_code`
    indexes `codes`, `coding_coder` indexes `coders`, `coding_transcript` indexes `transcripts`.
    """

    codebook: Codebook
    codes: tuple[str, ...]
    coders: tuple[str, ...]
    transcripts: tuple[TranscriptInfo, ...]
    offsets: np.ndarray  # global line offset of each transcript
    coding_id: np.ndarray  # storage id
    coding_transcript: np.ndarray
    coding_coder: np.ndarray
    coding_code: np.ndarray
    coding_start: np.ndarray  # global line
    coding_end: np.ndarray
    queries: ReportQueries
    coder_ids: tuple[int, ...]
    selection: Selection = field(default_factory=Selection)
    cases: CaseFilter | None = None
    voice: str = "coders"
    coding_voices: tuple[tuple[int, ...], ...] = ()  # voice "one": the coders (indices) of each passage
    consensus_passages: int = 0  # voice "one": passages taken from the consensus
    codings_left_out: int = 0  # codings on turns of speakers the selection leaves out (interviewers by default)
    _units: dict[str, UnitTable] = field(default_factory=dict, repr=False)
    _texts: dict[int, str] | None = field(default=None, repr=False)

    @property
    def n_codings(self) -> int:
        return int(self.coding_start.size)

    @cached_property
    def code_index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}

    def local_start(self) -> np.ndarray:
        """Coding starts as offsets into their own transcript's text."""
        return self.coding_start - self.offsets[self.coding_transcript]

    def local_end(self) -> np.ndarray:
        return self.coding_end - self.offsets[self.coding_transcript]

    def texts(self) -> dict[int, str]:
        """The texts of the selected transcripts, by storage id (read once, on first use)."""
        if self._texts is None:
            self._texts = self.queries.texts([t.id for t in self.transcripts])
        return self._texts

    def speakers_note(self) -> str | None:
        """Which speakers' turns the default left out (interviewers), so no coding vanishes unexplained."""
        if self.cases is None or not self.cases.interviewers:
            return None
        labels = "、".join(sorted(self.cases.interviewers))
        left = self.codings_left_out
        dropped = ngettext(", and {count} coding on them", ", and {count} codings on them", left).format(
            count=left) if left else ""
        return _("left out: the turns of interviewers ({labels}: persons with role = interviewer){codings}; "
                 "--speakers all counts them").format(labels=labels, codings=dropped)

    def voice_note(self) -> str:
        """What the counts count, in one sentence (every report prints it)."""
        if self.voice == "coders":
            return _("counted: every coding of {coders} (each coder's own codings)").format(
                coders=", ".join(self.coders) or _("no coder"))
        humans = [c for c in self.coders if c != CONSENSUS_CODER]
        passages = self.consensus_passages
        consensus = ngettext("the consensus where one was recorded ({count} passage), otherwise ",
                             "the consensus where one was recorded ({count} passages), otherwise ",
                             passages).format(count=passages) if passages else ""
        return _("counted: one voice per passage: {consensus}each distinct passage once, whoever of "
                 "{coders} coded it (--coders counts each coder's codings)").format(
            consensus=consensus, coders=", ".join(humans) or _("no coder"))

    def units(self, kind: str) -> UnitTable:
        """The turns or sentences of the selected transcripts, with the unit rule applied (cached)."""
        if kind not in UNIT_KINDS:
            raise InputError(_("unknown unit '{unit}'; choose one of {units}").format(
                unit=kind, units=", ".join(UNIT_KINDS)))
        if kind not in self._units:
            self._units[kind] = build_unit_table(self, kind)
        return self._units[kind]

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the codings where `mask` is true; unit tables already built keep the pairs of those."""
        self.coding_id, self.coding_transcript, self.coding_coder, self.coding_code, self.coding_start, \
            self.coding_end = (a[mask] for a in (self.coding_id, self.coding_transcript, self.coding_coder,
                                                  self.coding_code, self.coding_start, self.coding_end))
        if self.coding_voices:
            self.coding_voices = tuple(v for v, k in zip(self.coding_voices, mask.tolist(), strict=True) if k)
        # Which units a coding marks depends on that coding alone, so dropping codings drops their pairs.
        renumbered = np.cumsum(mask) - 1
        for kind, table in self._units.items():
            kept = mask[table.marked_coding]
            self._units[kind] = replace(table, marked_unit=table.marked_unit[kept],
                                        marked_coding=renumbered[table.marked_coding[kept]])


def build_unit_table(data: ReportData, kind: str) -> UnitTable:
    """Turns or sentences of `data`'s transcripts, which codings mark them by the unit rule, on the global line."""
    columns = data.queries.units(kind, [t.id for t in data.transcripts])
    position = {t.id: i for i, t in enumerate(data.transcripts)}
    transcript = np.array([position[tid] for tid in columns.transcript_id], dtype=np.int64)
    # Storage orders by transcript id; reports order transcripts by name.
    order = np.lexsort((np.asarray(columns.index, dtype=np.int64), transcript))
    transcript = transcript[order]
    index = np.asarray(columns.index, dtype=np.int64)[order]
    local_start = np.asarray(columns.start, dtype=np.int64)[order]
    local_end = np.asarray(columns.end, dtype=np.int64)[order]
    speaker_names = [columns.speaker[i] for i in order]
    speakers = tuple(sorted({s for s in speaker_names if s is not None})) + (
        (None,) if None in speaker_names else ()
    )
    speaker_index = {s: i for i, s in enumerate(speakers)}
    speaker = np.array([speaker_index[s] for s in speaker_names], dtype=np.int64)

    content = np.zeros(transcript.size, dtype=bool)
    marked_units: list[np.ndarray] = []
    marked_codings: list[np.ndarray] = []
    unit_bounds = np.searchsorted(transcript, np.arange(len(data.transcripts) + 1))
    coding_bounds = np.searchsorted(data.coding_transcript, np.arange(len(data.transcripts) + 1))
    texts = data.texts()
    starts, ends = data.local_start(), data.local_end()
    for t, info in enumerate(data.transcripts):
        u0, u1 = unit_bounds[t], unit_bounds[t + 1]
        c0, c1 = coding_bounds[t], coding_bounds[t + 1]
        if u0 == u1:
            continue
        prefix = content_prefix(texts[info.id])
        content[u0:u1] = prefix[local_end[u0:u1]] - prefix[local_start[u0:u1]] > 0
        if data.cases is not None:
            left_out = data.cases.left_out_speakers(info.id)
            if left_out:
                content[u0:u1] &= np.array([speaker_names[i] not in left_out for i in range(u0, u1)], dtype=bool)
        if c0 == c1:
            continue
        unit, coding = assign_codings_to_units(
            prefix, local_start[u0:u1], local_end[u0:u1], starts[c0:c1], ends[c0:c1]
        )
        keep = content[u0 + unit]  # a unit left out (a speaker not in the analysis) is marked by nobody
        marked_units.append(unit[keep] + u0)
        marked_codings.append(coding[keep] + c0)
    empty = np.zeros(0, dtype=np.int64)
    return UnitTable(
        kind=kind,
        transcript=transcript,
        index=index,
        start=local_start + data.offsets[transcript],
        end=local_end + data.offsets[transcript],
        speaker=speaker,
        speakers=speakers,
        content=content,
        marked_unit=np.concatenate(marked_units) if marked_units else empty,
        marked_coding=np.concatenate(marked_codings) if marked_codings else empty,
    )


def _resolve_coders(
    queries: ReportQueries, names: tuple[str, ...] | None, transcripts: tuple[TranscriptInfo, ...]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    ids = {name: coder_id for coder_id, name in queries.coders().items()}
    if names is None:
        chosen = tuple(name for name in queries.coders_with_codings([t.id for t in transcripts]) if is_human(name))
    else:
        chosen = tuple(sorted(check_coders(names, list(ids))))
    return chosen, tuple(ids[name] for name in chosen)


def load_report_data(store: Store, selection: Selection | None = None, *, voice: str | None = None) -> ReportData:
    """Check the selection against the project and read its codings (one query) into arrays.

    `voice` (see the module docstring) defaults to "coders" when coders are named, else "one".
    """
    selection = selection or Selection()
    voice = voice or ("coders" if selection.coders is not None else "one")
    if voice not in VOICES:
        raise ValueError(f"unknown voice {voice!r}")
    codebook = require_codebook(store)
    queries = ReportQueries.of(store)
    cases = resolve_cases(store, selection)
    transcripts = tuple(sorted(cases.transcripts, key=lambda t: t.name))
    codes = resolve_codes(codebook, selection.codes)
    coders, coder_ids = _resolve_coders(queries, selection.coders, transcripts)

    codable = [c for c in codes if codebook[c].codable]
    columns = queries.codings([t.id for t in transcripts], list(coder_ids), codable)
    position = {t.id: i for i, t in enumerate(transcripts)}
    code_position = {c: i for i, c in enumerate(codes)}
    coder_position = {coder_id: i for i, coder_id in enumerate(coder_ids)}
    lengths = np.array([t.characters for t in transcripts], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths + 1)))[: len(transcripts)].astype(np.int64)

    transcript = np.array([position[i] for i in columns.transcript_id], dtype=np.int64)
    # Rows come by coding id; group them by transcript in report order (transcripts by name).
    order = np.argsort(transcript, kind="stable")
    transcript = transcript[order]
    coder = np.array([coder_position[i] for i in columns.coder_id], dtype=np.int64)[order]
    code = np.array([code_position[c] for c in columns.code_id], dtype=np.int64)[order]
    start = np.asarray(columns.start, dtype=np.int64)[order] + offsets[transcript]
    end = np.asarray(columns.end, dtype=np.int64)[order] + offsets[transcript]
    data = ReportData(
        codebook=codebook,
        codes=codes,
        coders=coders,
        transcripts=transcripts,
        offsets=offsets,
        coding_id=np.asarray(columns.coding_id, dtype=np.int64)[order],
        coding_transcript=transcript,
        coding_coder=coder,
        coding_code=code,
        coding_start=start,
        coding_end=end,
        queries=queries,
        coder_ids=coder_ids,
        selection=selection,
        cases=cases,
        voice=voice,
    )
    if cases.any_speaker_left_out:
        _keep_codings_of_kept_speakers(data)
    if voice == "one":
        _one_voice_per_passage(data)
    return data


def with_one_voice(data: ReportData) -> ReportData:
    """The analysis of `data` (read with voice "coders" and no coders named) with one voice per passage:
    what `load_report_data(store, selection, voice="one")` gives, without reading the project again."""
    if data.voice != "coders" or data.selection.coders is not None:
        raise ValueError("one voice per passage is derived from all coders' codings")
    one = replace(data, voice="one", coding_voices=(), consensus_passages=0, _units=dict(data._units))
    _one_voice_per_passage(one)
    return one


def _keep_codings_of_kept_speakers(data: ReportData) -> None:
    """Drop the codings that mark no turn of a speaker in the analysis (they speak for nobody selected)."""
    turns = data.units("turn")
    kept = np.zeros(data.n_codings, dtype=bool)
    kept[turns.marked_coding] = True
    data.codings_left_out = int(data.n_codings - kept.sum())
    data.keep(kept)


def _one_voice_per_passage(data: ReportData) -> None:
    """Consensus where recorded, else each distinct (transcript, code, start, end) once; see the docstring."""
    consensus = data.coders.index(CONSENSUS_CODER) if CONSENSUS_CODER in data.coders else -1
    n = data.n_codings
    keep = np.ones(n, dtype=bool)
    is_consensus = data.coding_coder == consensus
    if consensus >= 0:
        # The regions the team decided: every consensus coding, of any code (also codes outside --codes).
        position = {t.id: i for i, t in enumerate(data.transcripts)}
        decided = data.queries.codings([t.id for t in data.transcripts], [data.coder_ids[consensus]], None)
        where = np.array([position[t] for t in decided.transcript_id], dtype=np.int64)
        starts = np.asarray(decided.start, dtype=np.int64) + data.offsets[where] if where.size else where
        ends = np.asarray(decided.end, dtype=np.int64) + data.offsets[where] if where.size else where
        # On the global line a gap separates transcripts, so one merge covers them all.
        m_start, m_end, _ = merge_by_group(starts, ends, np.zeros(starts.size, dtype=np.int64))
        at = np.searchsorted(m_end, data.coding_start, side="right")
        safe = np.minimum(at, max(m_start.size - 1, 0))
        overlaps = (at < m_start.size) & (m_start[safe] < data.coding_end) if m_start.size else np.zeros(n, bool)
        keep &= is_consensus | ~overlaps
    # Distinct passages: the first coding of each (transcript, code, start, end) speaks for all its coders.
    kept = np.flatnonzero(keep)
    order = kept[np.lexsort((kept, data.coding_end[kept], data.coding_start[kept], data.coding_code[kept],
                             data.coding_transcript[kept]))]
    columns = (data.coding_transcript, data.coding_code, data.coding_start, data.coding_end)
    new_group = np.ones(order.size, dtype=bool)
    if order.size:
        new_group[1:] = np.logical_or.reduce([column[order[1:]] != column[order[:-1]] for column in columns])
    starts = np.flatnonzero(new_group)
    first = np.zeros(n, dtype=bool)
    first[order[starts]] = True
    # The coders of each passage as a bit set (Python ints, so any number of coders), in passage order.
    bits = np.array([1 << c for c in data.coding_coder[order].tolist()], dtype=object)
    masks = np.bitwise_or.reduceat(bits, starts) if order.size else bits
    by_position = np.argsort(order[starts], kind="stable")
    coder_sets: dict[int, tuple[int, ...]] = {}
    voices = []
    for mask in masks[by_position].tolist():
        found = coder_sets.get(mask)
        if found is None:
            found = coder_sets[mask] = tuple(c for c in range(mask.bit_length()) if mask >> c & 1)
        voices.append(found)
    data.consensus_passages = int((first & is_consensus).sum())
    data.coding_voices = ()
    data.keep(first)
    data.coding_voices = tuple(voices)
