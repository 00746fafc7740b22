"""From a project's codings to reliability data: units, who rated what, and the codes on each unit.

This is `shared/design/agreement.md`, "From codings to ratings", applied to the report tables of
`qcode.analysis.units` (the same units and the same unit rule as every report):

- The unit of analysis is the transcript, the speaker turn, the sentence (both from import) or the
  character. Units without a single content character (only white space or punctuation) cannot carry
  a code by the unit rule, so they are left out rather than counted as agreement on nothing; so are the
  units of speakers the selection leaves out (`--speakers`, `--where`; unlike reports, agreement keeps
  interviewers' turns unless told otherwise).
- A coder has rated a transcript when they marked it complete; with `include_incomplete`, also when they
  made at least one coding in it. Units of transcripts a coder has not rated are missing for that coder.
- S(c, u) is the set of codes coder c applied to unit u by the unit rule (`qcode.domain.unit_rule`), or
  with `min_share` only those covering that share of the unit. For transcripts, S is every code used in it.
- With `rollup`, a code's subtree counts as the code. The analysis codes are then the selected codes, or
  by default the top-level codes (families); without `rollup`, every applicable code.

The statistics themselves are in `qcode.agreement` and never see the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from qcode.agreement import CodingMatrix
from qcode.agreement.intervals import expand_runs
from qcode.analysis.cases import resolve_cases
from qcode.analysis.selection import ALL_SPEAKERS, CONSENSUS_CODER, MACHINE_CODER_PREFIX, Selection, unknown_names
from qcode.analysis.units import ReportData, load_report_data
from qcode.domain.codebook import Codebook
from qcode.domain.models import TranscriptInfo
from qcode.domain.unit_rule import assign_by_share, content_prefix
from qcode.errors import InputError
from qcode.i18n import N_, _, counted, ngettext
from qcode.storage import Store

AGREEMENT_UNITS = ("transcript", "turn", "sentence", "char", "span")  # span: see qcode.project.spans


@dataclass(frozen=True)
class AgreementOptions:
    """What an agreement analysis covers: the shared selection plus the options of `qcode agree`."""

    unit: str = "turn"
    selection: Selection = field(default_factory=Selection)
    rollup: bool = False
    empty: Literal["missing", "category"] = "missing"
    include_incomplete: bool = False
    min_share: float | None = None

    def __post_init__(self) -> None:
        if self.unit not in AGREEMENT_UNITS:
            raise InputError(_("unknown unit '{unit}'; choose one of {units}").format(
                unit=self.unit, units=", ".join(AGREEMENT_UNITS)))
        if self.empty not in ("missing", "category"):
            raise InputError(_("unknown --empty '{value}'; choose missing or category").format(value=self.empty))


@dataclass(frozen=True)
class UnitLabels:
    """Where each unit of a matrix is, in the same order as the matrix rows."""

    transcript: list[str]
    index: np.ndarray  # unit index within its transcript (turn/sentence idx; 0 for transcripts)
    start: np.ndarray
    end: np.ndarray
    speaker: list[str | None]


@dataclass
class ReliabilityData:
    """The analysis inputs: the matrix, where its units are, and what was selected.

    `marks` (for the character level) are the codings as (transcript index, analysis code, coder index,
    local start, local end) rows, after the rollup.
    """

    options: AgreementOptions
    coders: list[str]
    codes: list[str]
    transcripts: list[TranscriptInfo]
    rated: dict[tuple[str, str], bool]  # (transcript name, coder) -> rated
    matrix: CodingMatrix | None  # None at character level
    labels: UnitLabels | None
    report: ReportData | None = None
    marks: np.ndarray = field(default_factory=lambda: np.zeros((0, 5), dtype=np.int64))
    excluded_empty_units: int = 0
    excluded_speaker_units: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def selection(self) -> AgreementOptions:
        """Kept for callers that knew the options as the selection."""
        return self.options

    def rated_rows(self, names: list[str]) -> np.ndarray:
        return np.array([[self.rated[(name, c)] for c in self.coders] for name in names], dtype=bool).reshape(
            len(names), len(self.coders))


def rated_pairs(store: Store, transcripts: list[TranscriptInfo], include_incomplete: bool) -> set[tuple[str, str]]:
    """(transcript name, coder) pairs where the coder counts as having rated the transcript."""
    names = {t.name for t in transcripts}
    rated = {(r.transcript, r.coder) for r in store.review.all() if r.status == "complete" and r.transcript in names}
    if include_incomplete:
        ids = {t.id: t.name for t in transcripts}
        rated |= {(ids[tid], coder) for (tid, coder) in store.codings.count_by_transcript_and_coder() if tid in ids}
    return rated


def choose_coders(selected: tuple[str, ...] | None, rated: set[tuple[str, str]], known: list[str],
                  include_incomplete: bool) -> list[str]:
    """The coders to compare: those named, else every human coder who rated a transcript (at least two)."""
    if selected is not None:
        unknown = [c for c in selected if c not in known]
        if unknown:
            raise unknown_names("coder", unknown, known, N_("nobody has coded yet"))
        return list(selected)
    with_ratings = sorted({coder for (_, coder) in rated
                           if not coder.startswith(MACHINE_CODER_PREFIX) and coder != CONSENSUS_CODER})
    if len(with_ratings) < 2:
        found = ", ".join(with_ratings) or _("none")
        message = (_("agreement needs at least two coders who coded in a transcript; found {coders}. "
                     "Name coders with --coders, or use --include-incomplete") if include_incomplete
                   else _("agreement needs at least two coders who marked a transcript complete (`qcode complete` "
                          "or the TUI); found {coders}. Name coders with --coders, or use --include-incomplete"))
        raise InputError(message.format(coders=found))
    return with_ratings


def analysis_codes(codebook: Codebook, selected: tuple[str, ...] | None, rollup: bool) -> tuple[list[str], dict[str, list[int]]]:
    """The codes of the analysis and, for every stored code id, which analysis codes it counts for."""
    if selected is not None:
        unknown = [c for c in selected if c not in codebook]
        if unknown:
            raise unknown_names("code", unknown, [c.id for c in codebook], N_("load a codebook"))
        if not rollup:
            groups = [c for c in selected if not codebook[c].codable]
            if groups:
                raise InputError(counted(len(groups), "{codes} organises codes and has no codings of its own; add "
                                                      "--rollup to count its subtree",
                                         "{codes} organise codes and have no codings of their own; add --rollup "
                                         "to count their subtrees", codes=", ".join(groups)))
        codes = list(selected)
    elif rollup:
        codes = [c.id for c in codebook.roots()]
    else:
        codes = [c.id for c in codebook.codable()]
    counts_for: dict[str, list[int]] = defaultdict(list)
    for j, code in enumerate(codes):
        for member in (codebook.subtree(code) if rollup else (code,)):
            counts_for[member].append(j)
    return codes, dict(counts_for)


def load_reliability_data(store: Store, options: AgreementOptions) -> ReliabilityData:
    """Build the ratings of `options` from the project (see the module docstring)."""
    selection = options.selection
    if selection.speakers is None:  # agreement compares every speaker's turns unless told otherwise
        selection = replace(selection, speakers=(ALL_SPEAKERS,))
    if selection.coders is not None and len(set(selection.coders)) != len(selection.coders):
        raise InputError(_("--coders names a coder twice"))
    transcripts_probe = list(resolve_cases(store, selection).transcripts)
    if not transcripts_probe:
        raise InputError(_("the project has no transcripts; import some with `qcode import`"))
    pairs = rated_pairs(store, transcripts_probe, options.include_incomplete)
    coders = choose_coders(selection.coders, pairs, store.coders.names(), options.include_incomplete)
    report = load_report_data(store, Selection(transcripts=selection.transcripts, coders=tuple(coders),
                                               speakers=selection.speakers, where=selection.where), voice="coders")
    codes, counts_for = analysis_codes(report.codebook, selection.codes, options.rollup)
    transcripts = list(report.transcripts)
    rated = {(t.name, c): (t.name, c) in pairs for t in transcripts for c in coders}
    data = ReliabilityData(options, coders, codes, transcripts, rated, None, None, report)

    # Each coding, once per analysis code it counts for (the rollup), with the coder's place in `coders`.
    coder_of = np.array([coders.index(name) for name in report.coders], dtype=np.int64)
    code_targets = [counts_for.get(code, []) for code in report.codes]
    sizes = np.array([len(t) for t in code_targets], dtype=np.int64)
    pointer = np.cumsum(sizes) - sizes
    flat = np.array([j for t in code_targets for j in t], dtype=np.int64)
    expanded, position = expand_runs(pointer[report.coding_code], sizes[report.coding_code])
    target = flat[position]
    coder = coder_of[report.coding_coder[expanded]] if expanded.size else np.zeros(0, dtype=np.int64)
    data.marks = np.stack([report.coding_transcript[expanded], target, coder,
                           report.local_start()[expanded], report.local_end()[expanded]], axis=1) \
        if expanded.size else np.zeros((0, 5), dtype=np.int64)
    if options.unit == "char":
        return data
    if options.unit == "transcript":
        names = [t.name for t in transcripts]
        data.matrix = CodingMatrix.from_marks(coders=coders, codes=codes, rated=data.rated_rows(names),
                                              unit_index=data.marks[:, 0], coder_index=data.marks[:, 2],
                                              code_index=data.marks[:, 1])
        n = len(names)
        data.labels = UnitLabels(names, np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64),
                                 np.array([t.characters for t in transcripts], dtype=np.int64), [None] * n)
        return data
    _text_units(data, report, expanded, target, coder)
    return data


def _text_units(data: ReliabilityData, report: ReportData, expanded: np.ndarray, target: np.ndarray,
                coder: np.ndarray) -> None:
    """Turns or sentences: the units with content of the report table, marked by the unit rule (or by share)."""
    kind = data.options.unit
    table = report.units(kind)
    keep = table.content
    with_text = _has_content(report, table)
    data.excluded_empty_units = int((~with_text).sum())
    data.excluded_speaker_units = int((with_text & ~keep).sum())
    row_of = np.full(len(table), -1, dtype=np.int64)
    row_of[keep] = np.arange(int(keep.sum()), dtype=np.int64)
    n_codes = len(data.codes)
    if data.options.min_share is None:
        # Join (unit, coding) marks with (coding, analysis code) expansions.
        first = np.searchsorted(expanded, table.marked_coding, side="left")
        count = np.searchsorted(expanded, table.marked_coding, side="right") - first
        pair, entry = expand_runs(first, count)
        unit = row_of[table.marked_unit[pair]]
        mark_coder, mark_code = coder[entry], target[entry]
    else:
        unit, mark_coder, mark_code = _share_marks(data, report, table, expanded, target, coder, row_of, n_codes)
    rows = np.flatnonzero(keep)
    names = [report.transcripts[t].name for t in table.transcript[rows].tolist()]
    rated = np.array([[data.rated[(name, c)] for c in data.coders] for name in names], dtype=bool).reshape(
        len(names), len(data.coders))
    data.matrix = CodingMatrix.from_marks(coders=data.coders, codes=data.codes, rated=rated,
                                          unit_index=unit, coder_index=mark_coder, code_index=mark_code)
    offsets = report.offsets[table.transcript[rows]]
    data.labels = UnitLabels(names, table.index[rows], table.start[rows] - offsets, table.end[rows] - offsets,
                             [table.speakers[s] for s in table.speaker[rows].tolist()])
    if data.excluded_empty_units:
        left = int(data.excluded_empty_units)
        data.notes.append(ngettext("{count} {unit} without any content character (only spaces or punctuation) was "
                                   "left out: no code can apply to it",
                                   "{count} {unit} without any content character (only spaces or punctuation) were "
                                   "left out: no code can apply to them", left).format(count=left,
                                                                                      unit=_unit_word(kind, left)))
    if data.excluded_speaker_units:
        left = int(data.excluded_speaker_units)
        data.notes.append(ngettext("{count} {unit} of speakers outside the selection was left out "
                                   "(interviewers by default; --speakers all keeps them)",
                                   "{count} {unit} of speakers outside the selection were left out "
                                   "(interviewers by default; --speakers all keeps them)", left).format(
            count=left, unit=_unit_word(kind, left)))


_UNIT_WORDS = {"turn": (N_("turn"), N_("turns")), "sentence": (N_("sentence"), N_("sentences"))}


def _unit_word(kind: str, count: int) -> str:
    """A unit kind as a word in a note ('turn' / 'turns')."""
    if kind not in _UNIT_WORDS:
        return kind
    singular, plural = _UNIT_WORDS[kind]
    return ngettext(singular, plural, count)


def _has_content(report: ReportData, table) -> np.ndarray:
    """Units with at least one content character, whatever their speaker."""
    texts = report.texts()
    found = np.zeros(len(table), dtype=bool)
    bounds = np.searchsorted(table.transcript, np.arange(len(report.transcripts) + 1))
    for t, info in enumerate(report.transcripts):
        u0, u1 = bounds[t], bounds[t + 1]
        if u0 == u1:
            continue
        prefix = content_prefix(texts[info.id])
        local = report.offsets[t]
        found[u0:u1] = prefix[table.end[u0:u1] - local] - prefix[table.start[u0:u1] - local] > 0
    return found


def _share_marks(data: ReliabilityData, report: ReportData, table, expanded: np.ndarray, target: np.ndarray,
                 coder: np.ndarray, row_of: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, coder, code) where a coder's codings of a code cover at least `min_share` of the unit."""
    min_share = data.options.min_share
    assert min_share is not None  # called only when --min-share is given
    texts = report.texts()
    units, coders, codes = [], [], []
    unit_bounds = np.searchsorted(table.transcript, np.arange(len(report.transcripts) + 1))
    transcript_of = report.coding_transcript[expanded]
    starts = report.local_start()[expanded]
    ends = report.local_end()[expanded]
    for t, info in enumerate(report.transcripts):
        u0, u1 = unit_bounds[t], unit_bounds[t + 1]
        mine = np.flatnonzero(transcript_of == t)
        if u0 == u1 or not mine.size:
            continue
        prefix = content_prefix(texts[info.id])
        local = report.offsets[t]
        groups = coder[mine] * n_codes + target[mine]
        unit, group = assign_by_share(prefix, table.start[u0:u1] - local, table.end[u0:u1] - local,
                                      starts[mine], ends[mine], groups, min_share)
        row = row_of[unit + u0]
        keep = row >= 0
        units.append(row[keep])
        coders.append(group[keep] // n_codes)
        codes.append(group[keep] % n_codes)

    def stack(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    return stack(units), stack(coders), stack(codes)
