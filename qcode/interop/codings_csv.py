"""Codings as CSV: `coder,transcript,start,end,code,memo`, for spreadsheets and other tools.

`start`/`end` are code-point offsets into the stored (canonical) text, the transcript is named, the
code is its codebook id. Import checks every row first and imports nothing if any row is bad, listing
each bad row with its line number. Rows identical to a coding already in the project are skipped, so
export followed by import into the same project changes nothing, and into a copy recreates the codings.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qcode.domain.models import Coding
from qcode.errors import InputError, Problem
from qcode.storage import Store
from qcode.storage.clock import utc_now
from qcode.text.decode import decode_bytes
from qcode.text.input_files import MAX_TABLE_BYTES, check_input_file
from qcode.text.safe_text import spreadsheet_safe, spreadsheet_unescape

HEADER = ("coder", "transcript", "start", "end", "code", "memo")
_INTEGER = re.compile(r"-?[0-9]{1,18}", re.ASCII)
REQUIRED = ("coder", "transcript", "start", "end", "code")


def codings_to_csv(codings: Iterable[Coding]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for c in codings:
        # Names and memos are escaped against spreadsheet formulas; import undoes it exactly.
        writer.writerow([spreadsheet_safe(v) for v in (c.coder, c.transcript, c.start, c.end, c.code, c.memo)])
    return buffer.getvalue()


@dataclass(frozen=True)
class CsvImportReport:
    added: int
    already_present: int
    coders: list[str]


@dataclass(frozen=True)
class _Row:
    line: int
    coder: str
    transcript: str
    start: int
    end: int
    code: str
    memo: str


def _parse_int(value: str, column: str, line: int, path: str, problems: list[Problem]) -> int | None:
    text = value.strip()
    # ASCII digits only: str.isdigit() accepts '²' and '٣', which int() then refuses or reads otherwise.
    if not _INTEGER.fullmatch(text):
        problems.append(Problem(f"{column} is not an integer: {value!r}", path, line))
        return None
    return int(text)


def read_codings_csv(path: Path, store: Store) -> list[_Row]:
    """Parse and check every row against the project; raise one InputError listing all bad rows."""
    check_input_file(path, MAX_TABLE_BYTES, "codings CSV")
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("no such file", path=path) from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder, not a CSV file", path=path) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from exc
    text = decode_bytes(data, path=path).text  # Excel on Chinese Windows saves CSV as GBK: detect it
    where = str(path)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError("empty CSV file", path=path, line=1) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"the header lacks {', '.join(missing)}; expected {','.join(HEADER)}", path=path, line=1)
    index = {name: header.index(name) for name in HEADER if name in header}
    transcripts = {t.name: t for t in store.transcripts.all()}
    codable = {r.id: bool(r.codable) for r in store.codes.rows()}
    problems: list[Problem] = []
    rows: list[_Row] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) < len(header):
                record = record + [""] * (len(header) - len(record))
            elif len(record) > len(header):
                problems.append(Problem(f"{len(record)} fields, but the header has {len(header)}", where, line))
                continue
            value = {name: spreadsheet_unescape(record[i]) for name, i in index.items()}
            before = len(problems)
            coder = value["coder"].strip()
            if not coder:
                problems.append(Problem("the coder is empty", where, line))
            transcript = transcripts.get(value["transcript"])
            if transcript is None:
                problems.append(Problem(f"unknown transcript {value['transcript']!r}", where, line))
            code = value["code"].strip()
            if code not in codable:
                problems.append(Problem(f"unknown code {code!r}", where, line))
            elif not codable[code]:
                problems.append(Problem(f"code {code!r} is a group and cannot be applied", where, line))
            start = _parse_int(value["start"], "start", line, where, problems)
            end = _parse_int(value["end"], "end", line, where, problems)
            if start is not None and end is not None:
                if start > end:
                    problems.append(Problem(f"start {start} is after end {end}", where, line))
                elif start == end:
                    problems.append(Problem(f"empty span: start and end are both {start}", where, line))
                elif start < 0:
                    problems.append(Problem(f"start {start} is negative", where, line))
                elif transcript is not None and end > transcript.characters:
                    problems.append(Problem(
                        f"end {end} is out of range: '{transcript.name}' has {transcript.characters} characters",
                        where, line))
            if len(problems) == before:
                rows.append(_Row(line, coder, transcript.name, start, end, code, value.get("memo", "")))
    except csv.Error as exc:
        problems.append(Problem(f"malformed CSV: {exc}", where, reader.line_num))
    if problems:
        bad_rows = len({p.line for p in problems})
        raise InputError(problems=problems + [Problem(f"{bad_rows} bad row(s); nothing was imported", where)])
    return rows


def import_codings_csv(store: Store, path: Path) -> CsvImportReport:
    """Import every row of a checked CSV in one transaction (journalled as a CSV import)."""
    rows = read_codings_csv(path, store)
    existing = {(c.coder, c.transcript, c.start, c.end, c.code) for c in store.codings.all()}
    ids = {t.name: t.id for t in store.transcripts.all()}
    new: list[tuple[Coding, int]] = []
    now = utc_now()
    for row in rows:
        key = (row.coder, row.transcript, row.start, row.end, row.code)
        if key in existing:
            continue
        existing.add(key)
        new.append((Coding(str(uuid.uuid4()), row.coder, row.transcript, row.code, row.start, row.end, row.memo,
                           now, now), ids[row.transcript]))
    with store.transaction("qcode", "csv") as tx:
        store.codings.insert_many(tx, new, action="coding.import")
    return CsvImportReport(len(new), len(rows) - len(new), sorted({r.coder for r in rows}))
