"""Cases x codes (`qcode matrix`, like MAXQDA's Code Matrix Browser): one row per case, ready for R or SPSS.

A case is a transcript (default) or a person (the persons behind the speaker labels). The cells are, per
codable code (its own codings): `presence` (1 when a coding of the code is in the case, else 0), `count`
(the codings) or `characters` (the characters the codings cover in the case, each once). For persons a
coding is in the case when it marks one of the person's turns, and characters count inside their turns;
the numbers are those of `qcode freq --by transcript` or `--by person`. The case's attributes come first.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.analysis.units import ReportData
from qcode.reports.frequencies import code_frequencies
from qcode.i18n import N_

MATRIX_VALUES = (N_("presence"), N_("count"), N_("characters"))  # messages: the matrix's title names them


@dataclass(frozen=True)
class CaseMatrix:
    headers: tuple[str, ...]  # case, attributes..., codes...
    rows: tuple[tuple, ...]
    attributes: tuple[str, ...]
    codes: tuple[str, ...]


def case_matrix(data: ReportData, cases: str = "transcript", value: str = "presence") -> CaseMatrix:
    if value not in MATRIX_VALUES:
        raise ValueError(f"unknown value {value!r}")
    table = code_frequencies(data, "turn", by="person" if cases == "person" else "transcript")
    rows = [r for r in table.rows if r.scope == "code"]
    index = data.cases.index if data.cases is not None else None
    kind = "person" if cases == "person" else "transcript"
    attributes = tuple(index.definitions[kind]) if index is not None else ()
    ids = {t.name: t.id for t in data.transcripts}
    found = []
    for g, case in enumerate(table.groups):
        if cases == "person":
            values = index.person_values.get(str(case), {}) if index is not None else {}
        else:
            values = index.transcript_values.get(ids[str(case)], {}) if index is not None else {}
        cells = []
        for row in rows:
            counts = row.by[g]
            cells.append(int(counts.codings > 0) if value == "presence" else
                         counts.codings if value == "count" else counts.characters)
        if case is None or str(case) == "(no speaker)":
            continue  # text outside any speaker's turn is no person
        found.append((str(case), *(values.get(a, "") for a in attributes), *cells))
    codes = tuple(r.code for r in rows)
    return CaseMatrix(("case", *attributes, *codes), tuple(found), attributes, codes)
