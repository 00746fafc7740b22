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
from qcode.agreement.figures import SpanAgreement
from qcode.agreement.messages import Message
from qcode.agreement.scope import Scope, SpanOptions
from qcode.agreement.unitizing_report import span_agreement
from qcode.domain.codebook import Codebook
from qcode.errors import InputError
from qcode.i18n import N_, _
from qcode.project.reliability import AgreementOptions, load_reliability_data, not_independent
from qcode.storage import Store

LEFT_OUT = (N_("{count} transcript was left out because not every compared coder completed it: {names}"),
            N_("{count} transcripts were left out because not every compared coder completed them: {names}"))
CLIPPED = (N_("{count} coding outside its transcript's text was left out"),
           N_("{count} codings outside their transcript's text were left out"))


def domain_codes(codebook: Codebook, parent: str) -> tuple[str, ...]:
    """The children of a codebook group: the values of one variable (ATLAS.ti's semantic domain)."""
    if parent not in codebook:
        raise InputError(_("--domain: no code {code} in the project's codebook").format(code=repr(parent)))
    children = tuple(code.id for code in codebook.children_of(parent))
    if not children:
        raise InputError(_("--domain: {code} has no child codes; name a group whose children are the codes "
                           "to compare").format(code=parent))
    return children


def load_span_data(store: Store, selection: AgreementOptions) -> tuple[SpanData, dict[str, Any]]:
    """The spans of `selection` and their names: coders, codes, transcripts (those every coder rated)."""
    # The "char" unit chooses coders, codes and transcripts without building units.
    data = load_reliability_data(store, replace(selection, unit="char"))
    transcripts = [t for t in data.transcripts if all(data.rated[(t.name, c)] for c in data.coders)]
    notes = list(data.notes)
    left_out = [t.name for t in data.transcripts if t not in transcripts]
    if left_out:
        shown = ", ".join(left_out[:5]) + (f", … ({len(left_out)} in all)" if len(left_out) > 5 else "")
        notes.append(Message(LEFT_OUT[len(left_out) != 1], count=len(left_out), names=shown))
    # The codings as the analysis layer chose them (coders, codes with the rollup, speakers, --where).
    lengths = np.array([t.characters for t in transcripts], dtype=np.int64)
    spans, clipped = _spans(data.marks, lengths, data.transcripts, transcripts, len(data.coders), len(data.codes))
    if clipped:
        notes.append(Message(CLIPPED[clipped != 1], count=clipped))
    names = {"coders": data.coders, "codes": data.codes, "transcripts": [t.name for t in transcripts],
             "rated": {c: [t.name for t in data.transcripts if data.rated[(t.name, c)]] for c in data.coders},
             "notes": notes,
             "not_independent": [seen for seen in not_independent(store, data)
                                 if seen.transcript in {t.name for t in transcripts}]}
    return spans, names


def _spans(marks: np.ndarray, lengths: np.ndarray, loaded: list, kept: list, n_coders: int,
           n_codes: int) -> tuple[SpanData, int]:
    """The analysis layer's marks (transcript index, analysis code, coder, start, end) as spans of the
    transcripts kept (`kept`, a subset of `loaded`); a coding counts once per analysis code (rollup)."""
    position = {t.id: i for i, t in enumerate(kept)}
    new_index = np.array([position.get(t.id, -1) for t in loaded], dtype=np.int64)
    transcript = new_index[marks[:, 0]] if len(marks) else np.zeros(0, dtype=np.int64)
    keep = transcript >= 0
    # The database refuses codings past the text; clip anyway, so that a damaged file cannot crash this.
    start = np.maximum(marks[:, 3], 0)
    end = np.minimum(marks[:, 4], lengths[np.maximum(transcript, 0)]) if len(marks) and len(lengths) else marks[:, 4]
    inside = start < end
    clipped = int((keep & ~inside).sum())
    keep &= inside
    return SpanData(lengths, n_coders, n_codes, transcript[keep], marks[keep, 2], marks[keep, 1], start[keep],
                    end[keep]), clipped


def run_span_agreement(store: Store, selection: AgreementOptions, *, bootstrap: int = 0, seed: int | None = None,
                       by_transcript: bool = False, domain: str | None = None) -> SpanAgreement:
    """The report of `qcode agree --unit span` (see docs/agreement.md)."""
    spans, names = load_span_data(store, selection)
    report = span_agreement(spans, coders=names["coders"], codes=names["codes"], transcripts=names["transcripts"],
                            bootstrap=bootstrap, seed=seed, by_transcript=by_transcript)
    scope = Scope(transcripts=tuple(names["transcripts"]),
                  rated={coder: tuple(rated) for coder, rated in names["rated"].items()},
                  codes=tuple(names["codes"]), not_independent=tuple(names["not_independent"]),
                  options=SpanOptions(selection.rollup, selection.include_incomplete, domain,
                                      "transcript" if by_transcript else None))
    return report.with_scope(scope, (*names["notes"], *report.notes))
