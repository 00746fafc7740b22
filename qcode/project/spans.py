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
from qcode.project.reliability import Selection, analysis_codes, load_reliability_data, not_independent
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
    lengths = np.array([t.characters for t in transcripts], dtype=np.int64)
    rows = store.codings.spans([t.id for t in transcripts]) if transcripts else []
    spans, clipped = _spans(rows, lengths, {t.id: i for i, t in enumerate(transcripts)},
                            {c: i for i, c in enumerate(data.coders)}, counts_for, len(data.codes))
    if clipped:
        notes.append(f"{clipped} coding(s) outside their transcript's text were left out")
    names = {"coders": data.coders, "codes": data.codes, "transcripts": [t.name for t in transcripts],
             "rated": {c: [t.name for t in data.transcripts if data.rated[(t.name, c)]] for c in data.coders},
             "notes": notes,
             "not_independent": [seen.to_json() for seen in not_independent(store, data)
                                 if seen.transcript in {t.name for t in transcripts}]}
    return spans, names


def _spans(rows: list[tuple[int, str, str, int, int]], lengths: np.ndarray, transcript_index: dict[int, int],
           coder_index: dict[str, int], counts_for: dict[str, list[int]], n_codes: int) -> tuple[SpanData, int]:
    """Stored codings (transcript id, coder, code id, start, end) as spans of the analysis codes; a
    coding counts once for every analysis code its code counts for (several with --rollup)."""
    n = len(rows)
    transcript = np.fromiter((transcript_index.get(r[0], -1) for r in rows), np.int64, n)
    coder = np.fromiter((coder_index.get(r[1], -1) for r in rows), np.int64, n)
    targets = {code: counts_for.get(code, ()) for code in {r[2] for r in rows}}
    repeats = np.fromiter((len(targets[r[2]]) for r in rows), np.int64, n)
    code = np.fromiter((j for r in rows for j in targets[r[2]]), np.int64, int(repeats.sum()))
    start = np.fromiter((r[3] for r in rows), np.int64, n)
    end = np.fromiter((r[4] for r in rows), np.int64, n)
    keep = (transcript >= 0) & (coder >= 0)
    # The database refuses codings past the text; clip anyway, so that a damaged file cannot crash this.
    start = np.maximum(start, 0)
    end = np.minimum(end, lengths[np.maximum(transcript, 0)]) if n else end
    inside = start < end
    clipped = int((keep & ~inside & (repeats > 0)).sum())
    keep &= inside
    columns = [np.repeat(column, repeats)[np.repeat(keep, repeats)] for column in (transcript, coder, start, end)]
    code = code[np.repeat(keep, repeats)]
    return SpanData(lengths, len(coder_index), n_codes, columns[0], columns[1], code, columns[2], columns[3]), clipped


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
    report["not_independent"] = names["not_independent"]
    report["options"] = {"rollup": selection.rollup, "include_incomplete": selection.include_incomplete,
                         "domain": domain, "by": "transcript" if by_transcript else None}
    return report
