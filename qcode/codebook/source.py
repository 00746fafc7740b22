"""Reading a codebook file into text: it must exist, be small, be text, and be UTF-8 (a BOM is fine)."""

from __future__ import annotations

import codecs
import re
from os import PathLike
from pathlib import Path

from qcode.codebook.problems import ProblemLog
from qcode.errors import InputError
from qcode.i18n import N_, _
from qcode.text.input_files import check_input_file

#: A codebook of a thousand bilingual codes is well under 1 MB; anything this big is the wrong file.
MAX_CODEBOOK_BYTES = 5 * 1024 * 1024

# A file full of control characters is not a codebook; a few reports are enough to say so.
_MAX_REPORTED_CHARACTERS = 10

# Characters YAML does not allow in a stream (YAML 1.1, section 5.1). We find them ourselves because
# libyaml reports them by byte offset, which is no use to a person looking at the file in an editor.
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def read_codebook_bytes(path: str | PathLike[str]) -> bytes:
    """The file's bytes; a missing, unreadable, oversized file or a directory raises `InputError`."""
    file = Path(path)
    if file.is_dir():
        raise InputError(_("{file} is a directory, not a codebook file").format(file=file), path=file)
    check_input_file(file, MAX_CODEBOOK_BYTES, N_("codebook"))
    try:
        size = file.stat().st_size
        if size > MAX_CODEBOOK_BYTES:
            raise InputError(
                _("{file} is {size} MB; a codebook is a small YAML file (the limit is {limit} MB)").format(
                    file=file, size=f"{size / 1_048_576:.1f}", limit=MAX_CODEBOOK_BYTES // 1_048_576),
                path=file,
            )
        return file.read_bytes()
    except FileNotFoundError:
        raise InputError(_("codebook file {file} does not exist").format(file=file), path=file) from None
    except OSError as error:
        raise InputError(_("cannot read codebook file {file}: {reason}").format(file=file, reason=error.strerror),
                         path=file) from None


def decode_codebook_bytes(data: bytes, log: ProblemLog) -> str | None:
    """Decode UTF-8 (with or without BOM); None and a logged error for binary or undecodable data."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        log.error((1, 1), _("the file is UTF-16; save it as UTF-8 (in most editors: Save As, encoding UTF-8)"))
        return None
    nul = data.find(b"\x00")
    if nul >= 0:
        log.error(
            _byte_position(data, nul), _("this is a binary file (it contains NUL bytes), not a YAML codebook")
        )
        return None
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        log.error(
            _byte_position(body, error.start),
            _("byte 0x{byte} is not valid UTF-8; save the file as UTF-8 "
              "(a file saved as GBK/GB18030 or ANSI looks like this)").format(byte=f"{body[error.start]:02x}"),
        )
        return None


def log_disallowed_characters(text: str, log: ProblemLog) -> bool:
    """Log characters YAML does not allow (control characters); True if there were none."""
    count = 0
    for count, match in enumerate(_NOT_YAML_PRINTABLE.finditer(text), start=1):
        if count > _MAX_REPORTED_CHARACTERS:
            log.error(_text_position(text, match.start()), _("more control characters follow; not listed"))
            break
        log.error(
            _text_position(text, match.start()),
            _("character U+{code} is a control character, which YAML does not allow").format(
                code=f"{ord(match.group()):04X}"),
        )
    return count == 0


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset into UTF-8 data (BOM not counted)."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset]
    if line_start == 0:
        before = before.removeprefix(codecs.BOM_UTF8)
    column = len(before.decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _text_position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1
