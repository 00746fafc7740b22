"""Reading transcript files (.txt, .md, .docx, .vtt, .srt) into canonical text, and finding them in folders.

Subtitle files (.vtt, .srt) are decoded like text and then written out from their cues (see
`text.subtitles`): cue numbers and timing lines never reach the stored text.

Word documents are read with python-docx: the body's paragraphs and tables in document order, one
paragraph per line. A table row becomes one line of its cells joined by a tab (a cell spanning several
columns appears once; a vertically merged cell repeats in each row it spans, as python-docx reports it);
paragraphs inside a cell are joined by line breaks, and nested tables are read the same way. Soft line
breaks become `\\n`, tabs `\\t`. Headers, footers, footnotes, comments and text boxes are not read.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from qcode.errors import InputError, Problem
from qcode.i18n import N_, _
from qcode.text.input_files import MAX_TRANSCRIPT_BYTES, check_input_file
from qcode.text.decode import Decoded, canonicalize, decode_bytes
from qcode.text.subtitles import SUBTITLE_SUFFIXES, subtitle_text

if TYPE_CHECKING:
    from docx.table import Table, _Row
    from docx.text.paragraph import Paragraph

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", *SUBTITLE_SUFFIXES)

# Legacy Word .doc files (and password-protected .docx files) are OLE2 compound files.
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RESAVE = N_("re-save it from Word or WPS as .docx or .txt")


def read_transcript(path: str | os.PathLike[str], *, encoding: str | None = None) -> Decoded:
    """Read one transcript file into canonical text, chosen by its suffix (case-insensitive).

    `encoding` applies to plain-text files only; a .docx is always UTF-8 XML inside and is reported
    with the encoding `docx`. Every failure is an `InputError` naming the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(_unsupported(path), path=path)
    data = _read_bytes(path)
    if suffix == ".docx":
        return Decoded(_docx_text(data, path), "docx")
    decoded = decode_bytes(data, encoding=encoding, path=path)
    if suffix in SUBTITLE_SUFFIXES:
        return Decoded(subtitle_text(decoded.text, suffix, path), decoded.encoding)
    return decoded


def iter_transcript_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The transcript files named by `paths`: files as given, folders searched recursively.

    Inside folders, hidden files and folders (names starting with `.`), Word's `~$` lock files and
    unsupported suffixes are skipped, and files come in sorted order. A missing path or an explicitly
    named unsupported file is an error; all such problems are reported together. Duplicates are dropped.
    """
    found: dict[Path, None] = {}
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _files_in_folder(path, problems):
                found.setdefault(file)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.setdefault(path)
            else:
                problems.append(Problem(_unsupported(path), str(path)))
        elif path.exists():
            problems.append(Problem(_("not a regular file"), str(path)))
        else:
            problems.append(Problem(_("no such file or folder"), str(path)))
    if problems:
        raise InputError(problems=problems)
    return list(found)


def _files_in_folder(folder: Path, problems: list[Problem]) -> list[Path]:
    def unreadable(error: OSError) -> None:
        problems.append(Problem(_("cannot read folder: {reason}").format(reason=error.strerror), error.filename))

    files: list[Path] = []
    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        files.extend(
            Path(root) / name for name in names
            if not name.startswith((".", "~$")) and Path(name).suffix.lower() in SUPPORTED_SUFFIXES
        )
    return sorted(files, key=lambda file: file.parts)


def _unsupported(path: Path) -> str:
    if path.suffix.lower() in (".doc", ".wps"):
        return _("legacy Word/WPS files ({suffix}) cannot be read; {advice}").format(
            suffix=path.suffix, advice=_(_RESAVE))
    return _("unsupported file type '{suffix}'; qcode reads {suffixes}").format(
        suffix=path.suffix or _("(none)"), suffixes=", ".join(SUPPORTED_SUFFIXES))


def _read_bytes(path: Path) -> bytes:
    check_input_file(path, MAX_TRANSCRIPT_BYTES, N_("transcript"))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(_("no such file"), path=path) from None
    except IsADirectoryError:
        raise InputError(_("is a folder, not a file"), path=path) from None
    except PermissionError:
        raise InputError(_("permission denied"), path=path) from None
    except OSError as exc:
        raise InputError(_("cannot read: {reason}").format(reason=exc.strerror or exc), path=path) from None


def _docx_text(data: bytes, path: Path) -> str:
    """The body text of a .docx (see the module docstring for the layout rules)."""
    # Imported here: python-docx (with lxml) is only needed when a Word file is read.
    import docx  # lazy: only .docx files need python-docx and lxml
    from docx.opc.exceptions import PackageNotFoundError  # lazy: only .docx files need python-docx and lxml
    from lxml.etree import XMLSyntaxError  # lazy: only .docx files need python-docx and lxml

    if data.startswith(_OLE2_SIGNATURE):
        raise InputError(_("this is a legacy Word .doc file (or an encrypted .docx), not a .docx; {advice}").format(
            advice=_(_RESAVE)), path=path)
    package = io.BytesIO(data)
    if not zipfile.is_zipfile(package):
        raise InputError(_("not a readable .docx (no intact zip package inside); {advice}").format(
            advice=_(_RESAVE)), path=path)
    try:
        lines = _block_lines(docx.Document(package).iter_inner_content())
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(_("damaged .docx ({reason}); {advice}").format(reason=exc, advice=_(_RESAVE)),
                         path=path) from None
    except XMLSyntaxError as exc:
        raise InputError(_("damaged .docx: its XML cannot be read ({reason}); {advice}").format(
            reason=exc.msg, advice=_(_RESAVE)), path=path) from None
    except (PackageNotFoundError, KeyError, ValueError):  # a zip, or another Office format, without Word content
        raise InputError(_("not a Word document, although it is a zip package; {advice}").format(
            advice=_(_RESAVE)), path=path) from None
    text = canonicalize("\n".join(lines))
    if not text.strip():
        raise InputError(_("empty document; there is no text to import"), path=path)
    return text


def _block_lines(blocks: Iterable[Paragraph | Table]) -> list[str]:
    """Lines for a sequence of python-docx paragraphs and tables."""
    from docx.table import Table  # lazy: only .docx files need python-docx and lxml

    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            lines.extend(_row_text(row) for row in block.rows)
        else:
            lines.append(block.text)
    return lines


def _row_text(row: _Row) -> str:
    cells = row.cells
    texts = []
    column = 0
    while column < len(cells):  # a merged cell is repeated once per grid column it spans: take it once
        cell = cells[column]
        texts.append("\n".join(_block_lines(cell.iter_inner_content())))
        column += max(cell.grid_span, 1)
    return "\t".join(texts)
