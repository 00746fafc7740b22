"""Codings as CSV: `coder,transcript,start,end,code,memo,text`, for spreadsheets and other tools.

`start`/`end` are code-point offsets into the stored (canonical) text, the transcript is named, the
code is its codebook id, and `text` holds the coded words, so an import can tell whether the offsets
still point at them. Import checks every row and imports nothing if any row is bad, listing each bad
row with its line number; a row whose `text` differs from the words at its offsets is bad, unless
`reanchor` is asked for: then the passage is looked up by its words (the occurrence nearest to the old
offsets) and refused only when the words are nowhere in the transcript.

The file is read as a stream and staged in the database, so its size is not bounded by memory. Rows
identical to a coding already in the project are skipped, so export followed by import into the same
project changes nothing, and into a copy recreates the codings. A row that differs from a stored
coding only in its memo updates that memo (journalled), and rows repeating one coding within the file
are stored once with their memos joined: no memo is dropped.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from qcode.domain.control_chars import first_control, visible_name
from qcode.domain.models import Coding
from qcode.errors import InputError, Problem
from qcode.i18n import _, counted
from qcode.storage import Store
from qcode.storage.clock import utc_now
from qcode.storage.coding_import import CodingStaging
from qcode.text.input_files import MAX_TABLE_BYTES, check_input_file
from qcode.text.safe_text import spreadsheet_safe, spreadsheet_unescape

HEADER = ("coder", "transcript", "start", "end", "code", "memo", "text")
REQUIRED = ("coder", "transcript", "start", "end", "code")

_BATCH_ROWS = 20_000
_MAX_LISTED = 200  # problems listed one by one; the rest are counted
_CHUNK = 1 << 20
_MAX_DIGITS = 19  # longer offsets are beyond any text (and Python refuses to parse thousands of digits)
# Prefixes a spreadsheet-safe export may put before a cell beginning with a formula character (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def codings_to_csv(codings: Iterable[Coding], texts: Mapping[str, str] | None = None) -> str:
    """The codings as CSV; with `texts` (transcript name → text) the `text` column holds the coded words."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER if texts is not None else HEADER[:-1])
    for c in codings:
        row = [c.coder, c.transcript, c.start, c.end, c.code, c.memo]
        if texts is not None:
            row.append(texts[c.transcript][c.start:c.end])
        # Names, memos and words are escaped against spreadsheet formulas; import undoes it exactly.
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


@dataclass(frozen=True)
class CsvImportReport:
    added: int
    already_present: int
    coders: list[str]
    memos_updated: int = 0
    memos_kept: int = 0
    repeated_rows: int = 0
    joined_memos: list[str] = field(default_factory=list)  # "line 3 (with 7, 9)"
    reanchored: int = 0

    def summary(self) -> str:
        """What the import did, in sentences for the terminal."""
        coders = ", ".join(self.coders) or _("nobody")
        parts = [(_("Imported 1 coding by {coders}; {present} already present.") if self.added == 1 else
                  _("Imported {count} codings by {coders}; {present} already present.")).format(
                      count=self.added, coders=coders, present=self.already_present)]
        if self.memos_updated:
            parts.append((_("1 stored coding took the memo of the file (the old memo is kept in the journal).")
                          if self.memos_updated == 1 else
                          _("{count} stored codings took the memo of the file (the old memos are kept in the journal)."))
                         .format(count=self.memos_updated))
        if self.memos_kept:
            parts.append((_("1 row had an empty memo where the project has one; the project's memo was kept.")
                          if self.memos_kept == 1 else
                          _("{count} rows had an empty memo where the project has one; the project's memos were kept."))
                         .format(count=self.memos_kept))
        if self.repeated_rows:
            parts.append((_("1 row repeated an earlier row of the file and was stored once.") if self.repeated_rows == 1
                          else _("{count} rows repeated an earlier row of the file and were stored once."))
                         .format(count=self.repeated_rows))
        if self.joined_memos:
            parts.append(_("Different memos on one coding were joined: {lines}.").format(lines="; ".join(self.joined_memos)))
        if self.reanchored:
            parts.append((_("1 passage found by its words at new offsets (--reanchor).") if self.reanchored == 1 else
                          _("{count} passages found by their words at new offsets (--reanchor)."))
                         .format(count=self.reanchored))
        return "\n".join(parts)


class _Problems:
    """Problems of one file: the first few hundred listed, all counted."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.listed: list[Problem] = []
        self.lines: set[int] = set()
        self.unlisted = 0

    def add(self, message: str, line: int) -> None:
        self.lines.add(line)
        if len(self.listed) < _MAX_LISTED:
            self.listed.append(Problem(message, self.where, line))
        else:
            self.unlisted += 1

    def __bool__(self) -> bool:
        return bool(self.listed)

    def error(self) -> InputError:
        tail = [Problem(counted(self.unlisted, "… and {count} more problem", "… and {count} more problems"), self.where)] \
            if self.unlisted else []
        bad = len(self.lines)
        summary = Problem((_("1 bad row; nothing was imported") if bad == 1 else
                           _("{count} bad rows; nothing was imported")).format(count=bad), self.where)
        return InputError(problems=self.listed + tail + [summary])


def _parse_offset(value: str, column: str) -> int | str:
    """A non-negative offset in ASCII digits, or the message saying why `value` is not one."""
    text = value.strip()
    if text.isascii() and text.isdigit():
        if len(text) >= _MAX_DIGITS:
            return _("{column} {value}… is far beyond any transcript's length").format(column=column, value=text[:20])
        return int(text)
    if text[:1] == "-" and text[1:].isascii() and text[1:].isdigit():
        return _("{column} {value} is negative").format(column=column, value=text)
    return _("{column} is not an integer: {value!r} (write it in ASCII digits 0-9)").format(column=column, value=value)


def _encoding_of(path: Path) -> str:
    """The file's encoding, found by decoding it as a stream: BOM, strict UTF-8, else strict GB18030."""
    with path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    failure: tuple[int, int] | None = None
    for encoding in ("utf-8", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        decoder = codecs.getincrementaldecoder(encoding)()
        line, done = 1, False
        with path.open("rb") as stream:
            try:
                while chunk := stream.read(_CHUNK):
                    decoder.decode(chunk)
                    line += chunk.count(b"\n")
                decoder.decode(b"", final=True)
                done = True
            except UnicodeDecodeError as exc:
                if encoding == "utf-8":
                    failure = (line + chunk[:max(exc.start, 0)].count(b"\n"), 0)
        if done:
            return encoding
    raise InputError(_("cannot read the file as UTF-8 or GB18030; save it as UTF-8 (CSV UTF-8 in Excel)"),
                     path=path, line=failure[0] if failure else None)


def _open_csv(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Every record of the file with the line it starts on, read as a stream."""
    try:
        if not path.exists():
            raise InputError(_("no such file"), path=path)
        if path.is_dir():
            raise InputError(_("is a folder, not a CSV file"), path=path)
        if not path.is_file():
            raise InputError(_("not a regular file (a device or pipe); give a CSV file"), path=path)
        check_input_file(path, MAX_TABLE_BYTES, "codings CSV")
        encoding = _encoding_of(path)
        stream = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise InputError(_("cannot read: {reason}").format(reason=exc.strerror), path=path) from exc
    with stream:
        reader = csv.reader(stream)
        last = 0
        try:
            for record in reader:
                yield last + 1, record
                last = reader.line_num
        except csv.Error as exc:
            raise InputError(_("malformed CSV: {problem}").format(problem=exc), path=path, line=reader.line_num) from None


@dataclass
class _Transcript:
    id: int
    name: str
    characters: int
    text: str | None = None


def _words(cell: str) -> str:
    """The coded words as the file gives them: spreadsheets may add CR before LF or a quote before `=`."""
    words = cell.replace("\r\n", "\n") if "\r" in cell else cell
    if words[:1] == "'" and words[1:2] in _FORMULA_START:
        words = words[1:]
    return words


def _nearest(text: str, words: str, near: int) -> int | None:
    """Start of the occurrence of `words` in `text` nearest to `near`, or None."""
    after = text.find(words, max(near, 0))
    before = text.rfind(words, 0, max(near, 0) + len(words) - 1) if near > 0 else -1
    found = [p for p in (before, after) if p >= 0]
    return min(found, key=lambda p: abs(p - near)) if found else None


def _excerpt(words: str, limit: int = 40) -> str:
    short = words if len(words) <= limit else words[:limit] + "…"
    return repr(short)


class _Reader:
    """Checks the rows of one file against the project and stages the good ones."""

    def __init__(self, store: Store, path: Path, reanchor: bool) -> None:
        self.store = store
        self.path = path
        self.reanchor = reanchor
        self.problems = _Problems(str(path))
        self.transcripts = {t.name: _Transcript(t.id, t.name, t.characters) for t in store.transcripts.all()}
        self.codable = {r.id: bool(r.codable) for r in store.codes.rows()}
        self.coders: set[str] = set()
        self.reanchored = 0
        # Hashes of the rows' codings: without a repeated hash no row repeats another, and the repeat
        # search over the staged rows is skipped (8 bytes a row instead of the rows themselves).
        self.seen: set[int] = set()
        self.maybe_repeats = False
        self.columns: Callable[[list[str]], tuple[str, ...]] = itemgetter(0, 1, 2, 3, 4)
        self.memo_column: int | None = None
        self.text_column: int | None = None

    def _text(self, transcript: _Transcript) -> str:
        if transcript.text is None:
            transcript.text = self.store.transcripts.text(transcript.id)
        return transcript.text

    def read(self, staging: CodingStaging) -> None:
        records = _open_csv(self.path)
        try:
            _line, first = next(records)
        except StopIteration:
            raise InputError(_("empty CSV file"), path=self.path, line=1) from None
        header = [h.strip().lower().lstrip("\ufeff") for h in first]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(_("the header lacks {columns}; expected {header}").format(columns=", ".join(missing),
                                                                                 header=",".join(HEADER)),
                             path=self.path, line=1)
        if self.reanchor and "text" not in header:
            raise InputError(_("--reanchor finds passages by their words, but this file has no text column"),
                             path=self.path, line=1)
        self.columns = itemgetter(*(header.index(name) for name in REQUIRED))
        self.memo_column = header.index("memo") if "memo" in header else None
        self.text_column = header.index("text") if "text" in header else None
        batch: list[tuple[str, int, str, int, int, str, int]] = []
        for line, record in records:
            row = self._check(line, record, header)
            if row is not None:
                batch.append(row)
                if len(batch) >= _BATCH_ROWS:
                    staging.add(batch)
                    batch = []
        if batch:
            staging.add(batch)
        if self.problems:
            raise self.problems.error()

    def _check(self, line: int, record: list[str], header: list[str]) -> tuple | None:
        width = len(header)
        if len(record) != width:
            if not any(cell.strip() for cell in record):
                return None
            if len(record) > width:
                self.problems.add(_("{count} fields, but the header has {width}").format(count=len(record), width=width), line)
                return None
            record = record + [""] * (width - len(record))
        if any(cell[:1] == "'" for cell in record):  # written escaped against spreadsheet formulas
            record = [spreadsheet_unescape(cell) for cell in record]
        coder, name, start_cell, end_cell, code = self.columns(record)
        coder, code = coder.strip(), code.strip()
        transcript = self.transcripts.get(name)
        # The common case first: a well-formed row needs no message built.
        if (coder and coder.isprintable() and transcript is not None and self.codable.get(code) and start_cell.isascii()
                and start_cell.isdigit() and end_cell.isascii() and end_cell.isdigit()
                and len(start_cell) < _MAX_DIGITS and len(end_cell) < _MAX_DIGITS
                and int(start_cell) < int(end_cell) <= transcript.characters):
            start, end = int(start_cell), int(end_cell)
        else:
            checked = self._slow(line, record, header)
            if checked is None:
                return None
            coder, transcript, code, start, end = checked
        memo = record[self.memo_column] if self.memo_column is not None else ""
        if self.text_column is not None and record[self.text_column]:
            found = self._anchor(line, transcript, start, end, _words(record[self.text_column]))
            if found is None:
                return None
            start, end = found
        self.coders.add(coder)
        key = hash((coder, transcript.id, code, start, end))
        if key in self.seen:
            self.maybe_repeats = True
        else:
            self.seen.add(key)
        return coder, transcript.id, code, start, end, memo, line

    def _slow(self, line: int, record: list[str], header: list[str]) -> tuple | None:
        """Check a row that failed the quick checks: the row's values if it is good after all (white space
        around a number), else None after saying everything that is wrong with it."""
        if not any(cell.strip() for cell in record):
            return None
        value = dict(zip(header, record))
        problems = self.problems
        if not value["coder"].strip():
            problems.add(_("the coder is empty"), line)
        elif (control := first_control(value["coder"].strip())) is not None:
            problems.add(_("the coder name '{name}' contains the control character {code}").format(
                name=visible_name(value["coder"].strip()), code=control), line)
        transcript = self.transcripts.get(value["transcript"])
        if transcript is None:
            problems.add(_("unknown transcript {name!r}").format(name=value["transcript"]), line)
        code = value["code"].strip()
        if code not in self.codable:
            problems.add(_("unknown code {code!r}").format(code=code), line)
        elif not self.codable[code]:
            problems.add(_("code {code!r} is a group and cannot be applied").format(code=code), line)
        start = _parse_offset(value["start"], "start")
        end = _parse_offset(value["end"], "end")
        for parsed in (start, end):
            if isinstance(parsed, str):
                problems.add(parsed, line)
        if isinstance(start, int) and isinstance(end, int):
            if start > end:
                problems.add(_("start {start} is after end {end}").format(start=start, end=end), line)
            elif start == end:
                problems.add(_("empty span: start and end are both {start}").format(start=start), line)
            elif transcript is not None and end > transcript.characters:
                problems.add(counted(transcript.characters, "end {end} is out of range: '{name}' has {count} character",
                                     "end {end} is out of range: '{name}' has {count} characters",
                                     end=end, name=transcript.name), line)
        if line in problems.lines:
            return None
        return value["coder"].strip(), transcript, code, start, end

    def _anchor(self, line: int, transcript: _Transcript, start: int, end: int, words: str) -> tuple[int, int] | None:
        """The span holding `words`: the given one if it does, else (with reanchor) the nearest occurrence."""
        text = self._text(transcript)
        stored = text[start:end]
        if stored == words:
            return start, end
        if not self.reanchor:
            self.problems.add(_("the words differ: the file has {words}, '{name}' has {stored} at {start}-{end} "
                                "(--reanchor finds them by their words)").format(
                words=_excerpt(words), name=transcript.name, stored=_excerpt(stored), start=start, end=end), line)
            return None
        found = _nearest(text, words, start)
        if found is None:
            self.problems.add(_("the words {words} are nowhere in '{name}'; cannot re-anchor").format(
                words=_excerpt(words), name=transcript.name), line)
            return None
        self.reanchored += 1
        return found, found + len(words)


def import_codings_csv(store: Store, path: Path, *, reanchor: bool = False) -> CsvImportReport:
    """Import every row of a checked CSV in one transaction (journalled as a CSV import)."""
    reader = _Reader(store, path, reanchor)
    staging = CodingStaging(store.db)
    with staging.staging():
        reader.read(staging)
        repeated, joined = staging.fold_repeats() if reader.maybe_repeats else (0, [])
        reader.seen.clear()
        with store.transaction("qcode", "csv") as tx:
            coder_ids = {name: store.coders.ensure(name) for name in sorted(reader.coders)}
            counts = staging.apply(tx, utc_now(), "coding.import", coder_ids)
    return CsvImportReport(
        counts.added, counts.already_present, sorted(reader.coders), counts.memos_updated, counts.memos_kept,
        repeated, [f"line {first} (with {', '.join(map(str, others))})" for first, others in joined],
        reader.reanchored,
    )
