"""From a project's codings to reliability data: units, who rated what, and the codes on each unit.

This is `shared/design/agreement.md`, "From codings to ratings", applied to the database:

- The unit of analysis is the transcript, the speaker turn, the sentence (both from import) or the
  character. Units without a single content character (only white space or punctuation) cannot carry
  a code by the unit rule, so they are left out rather than counted as agreement on nothing.
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
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from qcode.agreement import CodingMatrix, agreement_report, character_agreement_report
from qcode.domain.codebook import Codebook
from qcode.domain.models import CONSENSUS_CODER, TranscriptInfo, UnitKind
from qcode.domain.unit_rule import assign_by_share, assign_codings_to_units, content_prefix
from qcode.errors import InputError
from qcode.project.codebook_loading import require_codebook
from qcode.project.names import choose_transcripts
from qcode.storage import Store

UNIT_KINDS = ("transcript", "turn", "sentence", "char", "span")  # span: see qcode.project.spans
MACHINE_CODER_PREFIX = "auto:"


@dataclass(frozen=True)
class Selection:
    """What an agreement analysis covers (the options of `qcode agree`)."""

    unit: str = "turn"
    coders: tuple[str, ...] | None = None  # default: every human coder with a completed transcript
    transcripts: tuple[str, ...] | None = None  # default: all
    codes: tuple[str, ...] | None = None  # default: every applicable code (top-level codes with rollup)
    rollup: bool = False
    empty: Literal["missing", "category"] = "missing"
    include_incomplete: bool = False
    min_share: float | None = None

    def __post_init__(self) -> None:
        if self.unit not in UNIT_KINDS:
            raise InputError(f"unknown unit '{self.unit}'; choose one of {', '.join(UNIT_KINDS)}")


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
    """The analysis inputs: the matrix, where its units are, and what was selected."""

    selection: Selection
    coders: list[str]
    codes: list[str]
    transcripts: list[TranscriptInfo]
    rated: dict[tuple[str, str], bool]  # (transcript name, coder) -> rated
    matrix: CodingMatrix | None  # None at character level
    labels: UnitLabels | None
    excluded_empty_units: int = 0
    notes: list[str] = field(default_factory=list)


def _split(value: str | None) -> tuple[str, ...] | None:
    """A comma-separated option as a tuple (None when not given)."""
    if value is None:
        return None
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    return items or None


def selection_from_options(
    *,
    unit: str = "turn",
    coders: str | None = None,
    transcripts: str | None = None,
    codes: str | None = None,
    rollup: bool = False,
    empty: str = "missing",
    include_incomplete: bool = False,
    min_share: float | None = None,
) -> Selection:
    return Selection(unit, _split(coders), _split(transcripts), _split(codes), rollup, empty,  # type: ignore[arg-type]  # `empty` comes from a click.Choice of the two literals
                     include_incomplete, min_share)


def _rated_pairs(store: Store, transcripts: list[TranscriptInfo], include_incomplete: bool) -> set[tuple[str, str]]:
    """(transcript name, coder) pairs where the coder counts as having rated the transcript."""
    names = {t.name for t in transcripts}
    rated = {(r.transcript, r.coder) for r in store.review.all() if r.status == "complete" and r.transcript in names}
    if include_incomplete:
        ids = {t.id: t.name for t in transcripts}
        rated |= {(ids[tid], coder) for (tid, coder) in store.codings.count_by_transcript_and_coder() if tid in ids}
    return rated


def _choose_coders(selected: tuple[str, ...] | None, rated: set[tuple[str, str]], known: list[str],
                   include_incomplete: bool) -> list[str]:
    if selected is not None:
        unknown = [c for c in selected if c not in known]
        if unknown:
            raise InputError(f"no coder named {', '.join(repr(c) for c in unknown)}; coders: {', '.join(known) or 'none'}")
        if len(set(selected)) != len(selected):
            raise InputError("--coders names a coder twice")
        return list(selected)
    with_ratings = sorted({coder for (_, coder) in rated
                           if not coder.startswith(MACHINE_CODER_PREFIX) and coder != CONSENSUS_CODER})
    if len(with_ratings) < 2:
        how = "coded in" if include_incomplete else "marked complete (`qcode complete` or the TUI)"
        raise InputError(
            f"agreement needs at least two coders who {how} a transcript; found "
            f"{', '.join(with_ratings) or 'none'}. Name coders with --coders, or use --include-incomplete"
        )
    return with_ratings


def analysis_codes(codebook: Codebook, selected: tuple[str, ...] | None, rollup: bool) -> tuple[list[str], dict[str, list[int]]]:
    """The codes of the analysis and, for every stored code id, which analysis codes it counts for."""
    if selected is not None:
        unknown = [c for c in selected if c not in codebook]
        if unknown:
            raise InputError(f"no code {', '.join(repr(c) for c in unknown)} in the project's codebook")
        if not rollup:
            groups = [c for c in selected if not codebook[c].codable]
            if groups:
                raise InputError(f"{', '.join(groups)} organise codes and have no codings of their own; add --rollup "
                                 "to count their subtrees")
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


def load_reliability_data(store: Store, selection: Selection) -> ReliabilityData:
    """Build the ratings of `selection` from the project (see the module docstring)."""
    codebook = require_codebook(store)
    transcripts = choose_transcripts(store, selection.transcripts)
    if not transcripts:
        raise InputError("the project has no transcripts; import some with `qcode import`")
    rated_pairs = _rated_pairs(store, transcripts, selection.include_incomplete)
    coders = _choose_coders(selection.coders, rated_pairs, store.coders.names(), selection.include_incomplete)
    codes, counts_for = analysis_codes(codebook, selection.codes, selection.rollup)
    rated = {(t.name, c): (t.name, c) in rated_pairs for t in transcripts for c in coders}
    data = ReliabilityData(selection, coders, codes, transcripts, rated, None, None)
    if selection.unit == "char":
        return data

    coder_index = {c: i for i, c in enumerate(coders)}
    ids = [t.id for t in transcripts]
    by_transcript: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)  # -> (coder, code, start, end)
    for tid, coder, code, start, end in store.codings.spans(ids):
        c = coder_index.get(coder)
        if c is None:
            continue
        for j in counts_for.get(code, ()):
            by_transcript[tid].append((c, j, start, end))

    if selection.unit == "transcript":
        _transcript_units(data, by_transcript, coder_index)
    else:
        _text_units(store, data, by_transcript, UnitKind(selection.unit), coder_index)
    return data


def _rated_rows(data: ReliabilityData, names: list[str]) -> np.ndarray:
    return np.array([[data.rated[(name, c)] for c in data.coders] for name in names], dtype=bool).reshape(
        len(names), len(data.coders))


def _transcript_units(data: ReliabilityData, by_transcript: dict, coder_index: dict[str, int]) -> None:
    unit, coder, code = [], [], []
    for u, t in enumerate(data.transcripts):
        for c, j, _, _ in by_transcript.get(t.id, ()):
            unit.append(u)
            coder.append(c)
            code.append(j)
    names = [t.name for t in data.transcripts]
    data.matrix = CodingMatrix.from_marks(coders=data.coders, codes=data.codes, rated=_rated_rows(data, names),
                                          unit_index=np.array(unit, dtype=np.int64),
                                          coder_index=np.array(coder, dtype=np.int64),
                                          code_index=np.array(code, dtype=np.int64))
    data.labels = UnitLabels(names, np.zeros(len(names), dtype=np.int64), np.zeros(len(names), dtype=np.int64),
                             np.array([t.characters for t in data.transcripts], dtype=np.int64), [None] * len(names))


def _text_units(store: Store, data: ReliabilityData, by_transcript: dict, kind: UnitKind,
                coder_index: dict[str, int]) -> None:
    """Turns or sentences: apply the unit rule per transcript, then stack the transcripts."""
    ids = [t.id for t in data.transcripts]
    rows_by_transcript: dict[int, list[tuple]] = defaultdict(list)
    for row in store.transcripts.unit_table(kind, ids):
        rows_by_transcript[row[0]].append(row)
    texts = store.transcripts.texts(ids)
    n_codes = len(data.codes)
    n_coders = len(data.coders)
    names: list[str] = []
    index_parts, start_parts, end_parts, speakers, rated_parts = [], [], [], [], []
    mark_units, mark_coders, mark_codes = [], [], []
    offset = 0
    for t in data.transcripts:
        rows = rows_by_transcript.get(t.id, [])
        if not rows:
            continue
        prefix = content_prefix(texts[t.id])
        starts = np.fromiter((r[2] for r in rows), np.int64, len(rows))
        ends = np.fromiter((r[3] for r in rows), np.int64, len(rows))
        keep = prefix[ends] - prefix[starts] > 0
        data.excluded_empty_units += int((~keep).sum())
        kept = np.flatnonzero(keep)
        starts, ends = starts[kept], ends[kept]
        codings = by_transcript.get(t.id, [])
        if codings:
            array = np.array(codings, dtype=np.int64)
            coder_col, code_col, c_starts, c_ends = array.T
            if data.selection.min_share is None:
                unit, coding = assign_codings_to_units(prefix, starts, ends, c_starts, c_ends)
                mark_units.append(unit + offset)
                mark_coders.append(coder_col[coding])
                mark_codes.append(code_col[coding])
            else:
                groups = coder_col * n_codes + code_col
                unit, group = assign_by_share(prefix, starts, ends, c_starts, c_ends, groups, data.selection.min_share)
                mark_units.append(unit + offset)
                mark_coders.append(group // n_codes)
                mark_codes.append(group % n_codes)
        n = kept.size
        names += [t.name] * n
        index_parts.append(np.fromiter((rows[i][1] for i in kept), np.int64, n))
        start_parts.append(starts)
        end_parts.append(ends)
        speakers += [rows[i][4] for i in kept]
        rated_parts.append(np.repeat(_rated_rows(data, [t.name]), n, axis=0))
        offset += n
    rated = np.concatenate(rated_parts) if rated_parts else np.zeros((0, n_coders), dtype=bool)

    def stack(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    data.matrix = CodingMatrix.from_marks(coders=data.coders, codes=data.codes, rated=rated,
                                          unit_index=stack(mark_units), coder_index=stack(mark_coders),
                                          code_index=stack(mark_codes))
    data.labels = UnitLabels(names, stack(index_parts), stack(start_parts), stack(end_parts), speakers)
    if data.excluded_empty_units:
        data.notes.append(f"{data.excluded_empty_units} {kind}(s) without any content character (only spaces or "
                          "punctuation) were left out: no code can apply to them")


def run_agreement(store: Store, selection: Selection, *, bootstrap: int = 0, seed: int | None = None) -> dict:
    """The agreement report of `qcode agree` (the documented JSON shape plus context)."""
    data = load_reliability_data(store, selection)
    if selection.unit == "char":
        report = _character_report(store, data)
    else:
        assert data.matrix is not None
        report = agreement_report(data.matrix, unit=selection.unit, empty=selection.empty, bootstrap=bootstrap,
                                  seed=seed)
        if bootstrap:
            report.setdefault("notes", []).append(
                "95% intervals: percentile bootstrap over units (character level has none)")
    report["notes"] = data.notes + report.get("notes", [])
    report["compared"] = compared_transcripts(data)
    report["not_independent"] = [seen.to_json() for seen in not_independent(store, data)]
    report["notes"] += [f"{seen['coder']} saw other coders' codings of {seen['transcript']} before completing it "
                        f"({seen['at']}): not coded independently" for seen in report["not_independent"]]
    report["transcripts"] = [t.name for t in data.transcripts]
    report["rated"] = {c: [t.name for t in data.transcripts if data.rated[(t.name, c)]] for c in data.coders}
    report["codes"] = data.codes
    report["options"] = {"rollup": selection.rollup, "empty": selection.empty,
                         "include_incomplete": selection.include_incomplete, "min_share": selection.min_share}
    return report


def compared_transcripts(data: ReliabilityData) -> dict:
    """Exactly what entered the agreement terms: the transcripts rated by two or more compared coders.

    Units of a transcript only one coder rated are unpairable; they enter no kappa, alpha or percent
    agreement (only the chance terms of Fleiss' kappa and AC1, by Gwet's handling of missing data),
    so a methods section must not count them as compared.
    """
    units = _units_by_transcript(data)
    entered, left_out = [], []
    for t in data.transcripts:
        coders = [c for c in data.coders if data.rated[(t.name, c)]]
        if len(coders) >= 2:
            entered.append({"name": t.name, "characters": t.characters, "units": units.get(t.name, 0),
                            "coders": coders})
        else:
            left_out.append({"name": t.name, "coders": coders})
    return {"transcripts": [t["name"] for t in entered], "characters": sum(t["characters"] for t in entered),
            "units": sum(t["units"] for t in entered), "by_transcript": entered, "not_compared": left_out}


def _units_by_transcript(data: ReliabilityData) -> dict[str, int]:
    if data.selection.unit == "char":
        return {t.name: t.characters for t in data.transcripts}
    assert data.labels is not None
    names, counts = np.unique(np.array(data.labels.transcript, dtype=object), return_counts=True)
    return {str(name): int(count) for name, count in zip(names, counts)}


def not_independent(store: Store, data: ReliabilityData) -> list:
    """Compared coders who saw the other coders' codings of a compared transcript before completing it."""
    compared = {(t.name, c) for t in data.transcripts for c in data.coders
                if data.rated[(t.name, c)] and sum(data.rated[(t.name, d)] for d in data.coders) >= 2}
    return [seen for seen in store.reveals.seen_before_complete([t.name for t in data.transcripts])
            if (seen.transcript, seen.coder) in compared]


def _character_report(store: Store, data: ReliabilityData) -> dict:
    coder_index = {c: i for i, c in enumerate(data.coders)}
    transcript_index = {t.id: i for i, t in enumerate(data.transcripts)}
    codes, counts_for = analysis_codes(require_codebook(store), data.selection.codes, data.selection.rollup)
    rows = []
    for tid, coder, code, start, end in store.codings.spans(list(transcript_index)):
        c = coder_index.get(coder)
        if c is None:
            continue
        for j in counts_for.get(code, ()):
            rows.append((transcript_index[tid], j, c, start, end))
    array = np.array(rows, dtype=np.int64).reshape(-1, 5)
    names = [t.name for t in data.transcripts]
    report = character_agreement_report(
        coders=data.coders, codes=codes, transcripts=names,
        lengths=np.array([t.characters for t in data.transcripts], dtype=np.int64),
        rated=_rated_rows(data, names), transcript_index=array[:, 0], code_index=array[:, 1],
        coder_index=array[:, 2], starts=array[:, 3], ends=array[:, 4])
    return report


@dataclass(frozen=True)
class Disagreement:
    """A unit where the coders who rated it applied different codes."""

    transcript: str
    unit: str
    index: int  # unit index in its transcript (for char: the run's number in the transcript)
    start: int
    end: int
    speaker: str | None
    text: str
    codes: dict[str, list[str] | None]  # coder -> codes in codebook order; None = did not rate it

    def to_json(self) -> dict:
        return {"transcript": self.transcript, "unit": self.unit, "index": self.index, "start": self.start,
                "end": self.end, "speaker": self.speaker, "text": self.text, "codes": self.codes}


def find_disagreements(store: Store, selection: Selection) -> list[Disagreement]:
    """Every unit (or, at character level, every run of characters) where coders differ, in document order."""
    data = load_reliability_data(store, selection)
    if selection.unit == "char":
        return _character_disagreements(store, data)
    matrix, labels = data.matrix, data.labels
    assert matrix is not None and labels is not None
    rated = matrix.rated
    present = matrix.present
    pairable = rated.sum(axis=1) >= 2
    # Rows of present as packed bytes make "same set of codes" one comparison per coder.
    packed = np.packbits(present, axis=2).reshape(matrix.n_units, len(data.coders), -1)
    differs = np.zeros(matrix.n_units, dtype=bool)
    for c in range(len(data.coders)):
        for d in range(c + 1, len(data.coders)):
            both = rated[:, c] & rated[:, d]
            differs |= both & np.any(packed[:, c] != packed[:, d], axis=1)
    rows = np.flatnonzero(differs & pairable)
    texts = store.transcripts.texts([t.id for t in data.transcripts])
    text_of = {t.name: texts[t.id] for t in data.transcripts}
    found = []
    for u in rows:
        name = labels.transcript[u]
        start, end = int(labels.start[u]), int(labels.end[u])
        codes = {
            coder: ([data.codes[j] for j in np.flatnonzero(present[u, c])] if rated[u, c] else None)
            for c, coder in enumerate(data.coders)
        }
        found.append(Disagreement(name, selection.unit, int(labels.index[u]), start, end, labels.speaker[u],
                                  text_of[name][start:end], codes))
    return found


def _character_disagreements(store: Store, data: ReliabilityData) -> list[Disagreement]:
    """Maximal runs of characters on which the coders' code sets differ (between coding boundaries)."""
    codebook = require_codebook(store)
    _, counts_for = analysis_codes(codebook, data.selection.codes, data.selection.rollup)
    ids = {t.id: t for t in data.transcripts}
    spans: dict[int, list[tuple[str, int, int, int]]] = defaultdict(list)
    for tid, coder, code, start, end in store.codings.spans(list(ids)):
        if coder in data.coders:
            for j in counts_for.get(code, ()):
                spans[tid].append((coder, j, start, end))
    texts = store.transcripts.texts(list(ids))
    found: list[Disagreement] = []
    for tid, t in ids.items():
        coders = [c for c in data.coders if data.rated[(t.name, c)]]
        if len(coders) < 2 or not spans.get(tid):
            continue
        # Sweep the coding boundaries: between two consecutive boundaries every coder's set is constant.
        events: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
        for coder, j, start, end in spans[tid]:
            events[start].append((coder, j, 1))
            events[end].append((coder, j, -1))
        active: dict[str, dict[int, int]] = {c: defaultdict(int) for c in coders}
        runs: list[tuple[int, int, dict]] = []
        bounds = sorted(events)
        for a, b in zip(bounds, bounds[1:]):
            for coder, j, step in events[a]:
                if coder in active:
                    active[coder][j] += step
            sets = {c: sorted(j for j, n in active[c].items() if n > 0) for c in coders}
            if len({tuple(v) for v in sets.values()}) > 1:
                if runs and runs[-1][1] == a and runs[-1][2] == sets:
                    runs[-1] = (runs[-1][0], b, sets)
                else:
                    runs.append((a, b, sets))
        for n, (a, b, sets) in enumerate(runs):
            codes = {c: ([data.codes[j] for j in sets[c]] if c in sets else None) for c in data.coders}
            found.append(Disagreement(t.name, "char", n, a, b, None, texts[tid][a:b], codes))
    return found
