"""Agreement on a project: `qcode agree` and `qcode disagreements` over the ratings of `qcode.analysis.ratings`.

The data (units, who rated what, the codes on each unit) is chosen by the analysis layer; the statistics are
in `qcode.agreement`. Here they meet: the report of `qcode agree`, the list of disagreements, and the
character level, which works from the codings' intervals directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from qcode.agreement.figures import UnitAgreement
from qcode.agreement.messages import Message
from qcode.agreement.report import character_agreement, unit_agreement
from qcode.agreement.scope import Compared, ComparedTranscript, NotIndependent, Scope, UnitOptions
from qcode.analysis.ratings import (  # noqa: F401  (AGREEMENT_UNITS, analysis_codes: re-exported for callers)
    AGREEMENT_UNITS,
    AgreementOptions,
    ReliabilityData,
    analysis_codes,
    load_reliability_data,
)
from qcode.analysis.groups import grouping
from qcode.analysis.selection import MACHINE_CODER_PREFIX  # noqa: F401  (re-exported)
from qcode.analysis.units import load_report_data
from qcode.errors import InputError
from qcode.i18n import N_, _
from qcode.storage import Store

UNIT_KINDS = AGREEMENT_UNITS


INTERVALS = N_("95% intervals: percentile bootstrap over units (character level has none)")
NOT_BLIND = N_("{coder} saw other coders' codings of {transcript} before completing it ({at}): not coded "
               "independently")


def run_agreement(store: Store, selection: AgreementOptions, *, bootstrap: int = 0,
                  seed: int | None = None) -> UnitAgreement:
    """The agreement report of `qcode agree`: the figures, and what entered them (`UnitAgreement.scope`)."""
    data = load_reliability_data(store, selection)
    if selection.unit == "char":
        report = _character_report(data)
    else:
        assert data.matrix is not None
        report = unit_agreement(data.matrix, unit=selection.unit, empty=selection.empty, bootstrap=bootstrap,
                                seed=seed)
    seen = tuple(not_independent(store, data))
    notes = [*data.notes, *report.notes, *([Message(INTERVALS)] if bootstrap and selection.unit != "char" else []),
             *(Message(NOT_BLIND, coder=s.coder, transcript=s.transcript, at=s.at) for s in seen)]
    scope = Scope(transcripts=tuple(t.name for t in data.transcripts),
                  rated={c: tuple(t.name for t in data.transcripts if data.rated[(t.name, c)]) for c in data.coders},
                  codes=tuple(data.codes), not_independent=seen,
                  options=UnitOptions(selection.rollup, selection.empty, selection.include_incomplete,
                                      selection.min_share),
                  compared=compared_transcripts(data))
    return report.with_scope(scope, tuple(notes))


def compared_transcripts(data: ReliabilityData) -> Compared:
    """Exactly what entered the agreement terms: the transcripts rated by two or more compared coders.

    Units of a transcript only one coder rated are unpairable; they enter no kappa, alpha or percent
    agreement (only the chance terms of Fleiss' kappa and AC1, by Gwet's handling of missing data),
    so a methods section must not count them as compared.
    """
    units = _units_by_transcript(data)
    entered, left_out = [], []
    for t in data.transcripts:
        coders = tuple(c for c in data.coders if data.rated[(t.name, c)])
        if len(coders) >= 2:
            entered.append(ComparedTranscript(t.name, t.characters, units.get(t.name, 0), coders))
        else:
            left_out.append((t.name, coders))
    return Compared(tuple(entered), tuple(left_out))


def _units_by_transcript(data: ReliabilityData) -> dict[str, int]:
    if data.options.unit == "char":
        return {t.name: t.characters for t in data.transcripts}
    assert data.labels is not None
    names, counts = np.unique(np.array(data.labels.transcript, dtype=object), return_counts=True)
    return {str(name): int(count) for name, count in zip(names, counts)}


def not_independent(store: Store, data: ReliabilityData) -> list[NotIndependent]:
    """Compared coders who saw the other coders' codings of a compared transcript before completing it."""
    compared = {(t.name, c) for t in data.transcripts for c in data.coders
                if data.rated[(t.name, c)] and sum(data.rated[(t.name, d)] for d in data.coders) >= 2}
    return [seen
            for seen in store.reveals.seen_before_complete([t.name for t in data.transcripts])
            if (seen.transcript, seen.coder) in compared]


def _character_report(data: ReliabilityData) -> UnitAgreement:
    marks = data.marks
    names = [t.name for t in data.transcripts]
    return character_agreement(
        coders=data.coders, codes=data.codes, transcripts=names,
        lengths=np.array([t.characters for t in data.transcripts], dtype=np.int64),
        rated=data.rated_rows(names), transcript_index=marks[:, 0], code_index=marks[:, 1],
        coder_index=marks[:, 2], starts=marks[:, 3], ends=marks[:, 4])


def agreement_by_group(store: Store, options: AgreementOptions, by: str, *, bootstrap: int = 0,
                       seed: int | None = None) -> list[tuple[str, UnitAgreement | str]]:
    """The agreement report of each group of `by` (a report, or the reason there is none for that group).

    A group of transcripts (`transcript`, a transcript attribute) is its transcripts; a group of speakers
    (`speaker`, `person`, a person attribute) is its persons' turns.
    """
    base = load_report_data(store, options.selection, voice="coders")
    found = grouping(base, by)
    results: list[tuple[str, UnitAgreement | str]] = []
    for g, name in enumerate(found.names):
        if found.level == "transcript":
            chosen = tuple(t.name for t, group in zip(base.transcripts, found.transcript_group.tolist(), strict=True)
                           if group == g)
            selection = replace(options.selection, transcripts=chosen)
        else:
            persons = tuple(sorted({case for pair, case in found.speaker_case.items()
                                    if found.speaker_group[pair] == g and pair[1] is not None}))
            if not persons:
                results.append((name, _("no speaker in this group")))
                continue
            selection = replace(options.selection, speakers=persons)
        try:
            results.append((name, run_agreement(store, replace(options, selection=selection), bootstrap=bootstrap,
                                                seed=seed)))
        except InputError as exc:
            results.append((name, "; ".join(p.message for p in exc.problems)))
    return results


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


def find_disagreements(store: Store, selection: AgreementOptions) -> list[Disagreement]:
    """Every unit (or, at character level, every run of characters) where coders differ, in document order."""
    data = load_reliability_data(store, selection)
    if selection.unit == "char":
        return _character_disagreements(data)
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
    assert data.report is not None
    texts = data.report.texts()
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


def _character_disagreements(data: ReliabilityData) -> list[Disagreement]:
    """Maximal runs of characters on which the coders' code sets differ (between coding boundaries)."""
    assert data.report is not None
    texts = data.report.texts()
    ids = {t.id: t for t in data.transcripts}
    spans: dict[int, list[tuple[str, int, int, int]]] = defaultdict(list)
    for t, j, c, start, end in data.marks.tolist():
        spans[data.transcripts[t].id].append((data.coders[c], j, start, end))
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
