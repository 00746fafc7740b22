"""From a project's codings to coder-chosen spans, for the unitizing alpha family (`--unit span`).

The coders, codes and transcripts are chosen exactly as for the other units (`reliability`); the span
unit then keeps only the transcripts that every compared coder rated (completed), because a
continuum is compared as a whole: uα counts uncoded text, so a transcript one coder has not finished
would count as that coder's disagreement. Each coding becomes a span of its analysis code(s) on its
transcript's continuum [0, characters). The statistics are in `qcode.agreement.unitizing`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from qcode.agreement.unitizing import SpanData
from qcode.agreement.unitizing_report import unitizing_report
from qcode.domain.codebook import Codebook
from qcode.errors import InputError
from qcode.project.codebook_loading import require_codebook
from qcode.project.reliability import Selection, analysis_codes, load_reliability_data
from qcode.storage import Store


def domain_codes(codebook: Codebook, parent: str) -> tuple[str, ...]:
    """The children of a codebook group: the values of one variable (ATLAS.ti's semantic domain)."""
    if parent not in codebook:
        raise InputError(f"--domain: no code {parent!r} in the project's codebook")
    children = tuple(code.id for code in codebook.children_of(parent))
    if not children:
        raise InputError(f"--domain: {parent} has no child codes; name a group whose children are the codes "
                         "to compare")
    return children


def load_span_data(store: Store, selection: Selection) -> tuple[SpanData, dict[str, Any]]:
    """The spans of `selection` and their names: coders, codes, transcripts (those every coder rated)."""
    # The "char" unit chooses coders, codes and transcripts without building units.
    data = load_reliability_data(store, replace(selection, unit="char"))
    transcripts = [t for t in data.transcripts if all(data.rated[(t.name, c)] for c in data.coders)]
    notes = list(data.notes)
    left_out = [t.name for t in data.transcripts if t not in transcripts]
    if left_out:
        shown = ", ".join(left_out[:5]) + (f", … ({len(left_out)} in all)" if len(left_out) > 5 else "")
        notes.append(f"{len(left_out)} transcript(s) were left out because not every compared coder completed "
                     f"them: {shown}")
    _, counts_for = analysis_codes(require_codebook(store), selection.codes, selection.rollup)
    coder_index = {c: i for i, c in enumerate(data.coders)}
    transcript_index = {t.id: i for i, t in enumerate(transcripts)}
    lengths = np.array([t.characters for t in transcripts], dtype=np.int64)
    rows = []
    clipped = 0
    for tid, coder, code, start, end in store.codings.spans(list(transcript_index)) if transcripts else ():
        c = coder_index.get(coder)
        t = transcript_index.get(tid)
        if c is None or t is None:
            continue
        a, b = max(int(start), 0), min(int(end), int(lengths[t]))
        if a >= b:
            clipped += 1
            continue
        for j in counts_for.get(code, ()):
            rows.append((t, c, j, a, b))
    if clipped:
        notes.append(f"{clipped} coding(s) outside their transcript's text were left out")
    array = np.array(rows, dtype=np.int64).reshape(-1, 5)
    spans = SpanData(lengths, len(data.coders), len(data.codes), *array.T)
    names = {"coders": data.coders, "codes": data.codes, "transcripts": [t.name for t in transcripts],
             "rated": {c: [t.name for t in data.transcripts if data.rated[(t.name, c)]] for c in data.coders},
             "notes": notes}
    return spans, names


def run_span_agreement(store: Store, selection: Selection, *, bootstrap: int = 0, seed: int | None = None,
                       by_transcript: bool = False, domain: str | None = None) -> dict[str, Any]:
    """The report of `qcode agree --unit span` (see docs/agreement.md)."""
    spans, names = load_span_data(store, selection)
    report = unitizing_report(spans, coders=names["coders"], codes=names["codes"], transcripts=names["transcripts"],
                              bootstrap=bootstrap, seed=seed, by_transcript=by_transcript)
    report["notes"] = names["notes"] + report["notes"]
    report["transcripts"] = names["transcripts"]
    report["rated"] = names["rated"]
    report["codes"] = names["codes"]
    report["options"] = {"rollup": selection.rollup, "include_incomplete": selection.include_incomplete,
                         "domain": domain, "by": "transcript" if by_transcript else None}
    return report
