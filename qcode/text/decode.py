"""Turn the bytes of a plain-text transcript into canonical text.

Without an explicit encoding the order is: byte-order mark, strict UTF-8, strict GB18030, then
charset-normalizer. UTF-8 goes first because GBK text essentially never decodes as UTF-8, while UTF-8
text often decodes without error as GB18030 mojibake; the detector goes last because it misreads short
GBK text as Korean or Big5 (see `reference/chinese-text.md` §4).

Canonical text has no BOM and uses `\\n` for every line break; nothing else is changed (no NFKC), so
offsets into it stay valid for the life of the transcript.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from os import PathLike

from qcode.errors import InputError
from qcode.i18n import _

# UTF-32-LE's BOM (FF FE 00 00) begins with UTF-16-LE's (FF FE), so the UTF-32 marks are tried first.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 control characters other than tab, LF, VT, FF and CR, plus DEL. Transcripts contain next to none.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0e-\x1f\x7f]")
# More than this share of control characters means the file is not text at all.
_BINARY_CONTROL_SHARE = 0.05

_ASCII_BYTES = bytes(range(0x80))

# A file that fails strict UTF-8 is treated as damaged UTF-8 (and reported, not guessed) when its
# well-formed non-ASCII UTF-8 characters outnumber its bad bytes by this factor. Misread as UTF-8,
# GBK text yields about one stray valid character per five bad bytes, so the two cases sit far apart.
_DAMAGED_UTF8_RATIO = 4

# Characters that real GB18030 Chinese text almost never contains but mojibake does: Big5 bytes read
# as GB18030 land in GBK's kana, Greek, Cyrillic, bopomofo and box-drawing rows and in private use.
_MOJIBAKE_SIGNS = re.compile("[\u0370-\u04ff\u2500-\u257f\u3040-\u30ff\u3100-\u312f\ue000-\uf8ff]")
_MAX_MOJIBAKE_SHARE = 0.03

# charset-normalizer is unreliable below about 16 CJK characters; below this many bytes we refuse to
# guess. Its "chaos" is the share of text that looks garbled; above this the guess is not trusted.
_MIN_DETECTION_BYTES = 64
_MAX_DETECTION_CHAOS = 0.1

_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_FULL_WIDTH_TO_ASCII = {
    code: code - 0xFEE0 for block in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for code in range(*block)
}


@dataclass(frozen=True, slots=True)
class Decoded:
    """The canonical text of one transcript file and the encoding it was read with.

    `encoding` is what was used: `utf-8`, `utf-8-sig`, `utf-16`, `utf-32`, `gb18030`, the name
    charset-normalizer gave, the codec name of an explicit encoding, or `docx` for Word files.
    """

    text: str
    encoding: str


def canonicalize(text: str) -> str:
    """Drop a leading BOM and turn `\\r\\n` and lone `\\r` into `\\n`; change nothing else."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def fold_width(text: str) -> str:
    """Fold full-width ASCII digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) to ASCII; same length, 1:1.

    Full-width punctuation is kept, so sentence splitting and display see the original marks, while
    offsets computed on the folded copy (e.g. by jieba) still index the original text.
    """
    return _FULL_WIDTH_ALNUM.sub(lambda run: run.group().translate(_FULL_WIDTH_TO_ASCII), text)


def decode_bytes(data: bytes, *, encoding: str | None = None, path: str | PathLike[str] | None = None) -> Decoded:
    """Decode a transcript file's bytes into canonical text; raise `InputError` naming `path` if unusable.

    An explicit `encoding` wins over detection. Binary data, undecodable bytes and empty or
    whitespace-only text are refused with the line and column of the problem.
    """
    if encoding is not None:
        text, used = _decode_as(data, encoding, path)
    else:
        text, used = _detect_and_decode(data, path)
    text = canonicalize(text)
    _refuse_binary_text(text, path)
    if not text.strip():
        message = (_("empty file; there is no text to import") if not text
                   else _("empty file: it holds only white space; there is no text to import"))
        raise InputError(message, path=path, line=1)
    return Decoded(text, used)


def _decode_as(data: bytes, encoding: str, path: str | PathLike[str] | None) -> tuple[str, str]:
    """Decode with the encoding the user named."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(_("unknown encoding '{encoding}' (try utf-8, gb18030, utf-16 or big5)").format(
            encoding=encoding), path=path) from None
    try:
        return data.decode(codec), codec
    except LookupError:  # a codec such as base64 or rot13 that does not turn bytes into text
        raise InputError(_("'{encoding}' is not a text encoding").format(encoding=encoding), path=path) from None
    except UnicodeDecodeError as exc:
        line, column = _byte_location(data, exc.start, codec)
        raise InputError(
            _("not valid {encoding} (byte 0x{byte}); check the --encoding you gave").format(
                encoding=_display_name(codec), byte=f"{data[exc.start]:02X}"),
            path=path, line=line, column=column,
        ) from None


def _detect_and_decode(data: bytes, path: str | PathLike[str] | None) -> tuple[str, str]:
    """BOM, strict UTF-8, strict GB18030, charset-normalizer; refuse rather than guess wrongly."""
    for mark, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return _decode_strictly(data, codec, path), codec

    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_location(data, nul, "utf-8")
        raise InputError(
            _("binary file, not a transcript (it contains NUL bytes; if it is UTF-16 text without a "
              "byte-order mark, pass --encoding utf-16-le)"),
            path=path, line=line, column=column,
        )

    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start

    _refuse_damaged_utf8(data, first_bad, path)

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass  # not GB18030 either; the detector is the last resort
    else:
        if _looks_like_gb18030(text):
            return text, "gb18030"

    detected = _detect_with_charset_normalizer(data)
    if detected is not None:
        return detected

    line, column = _byte_location(data, first_bad, "utf-8")
    if len(_CONTROL_BYTES.findall(data)) > _BINARY_CONTROL_SHARE * len(data):
        raise InputError(_("binary file, not a transcript"), path=path, line=line, column=column)
    raise InputError(
        _("cannot tell the encoding: byte 0x{byte} is not UTF-8, and the file does not read as "
          "GB18030 either; pass --encoding (e.g. gb18030, big5, utf-16-le)").format(byte=f"{data[first_bad]:02X}"),
        path=path, line=line, column=column,
    )


def _refuse_damaged_utf8(data: bytes, first_bad: int, path: str | PathLike[str] | None) -> None:
    """Raise if data that failed strict UTF-8 is nevertheless mostly UTF-8: report the damage instead of
    letting GB18030 (which accepts many UTF-8 byte strings) or the detector turn it into mojibake."""
    bad_bytes, good_chars = _utf8_damage(data)
    if good_chars < _DAMAGED_UTF8_RATIO * bad_bytes:
        return
    line, column = _byte_location(data, first_bad, "utf-8")
    count = "" if bad_bytes == 1 else _("; {count} bad bytes in all").format(count=bad_bytes)
    raise InputError(
        _("not valid UTF-8 (byte 0x{byte}{count}); the rest of the file is UTF-8 — repair it or pass --encoding").format(
            byte=f"{data[first_bad]:02X}", count=count),
        path=path, line=line, column=column,
    )


def _decode_strictly(data: bytes, codec: str, path: str | PathLike[str] | None) -> str:
    """Decode a file whose BOM named its encoding; a bad byte is reported, never replaced."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line, column = _byte_location(data, exc.start, codec)
        raise InputError(
            _("not valid {encoding} although the file starts with a {encoding} byte-order mark (byte 0x{byte}); "
              "repair it or pass --encoding").format(encoding=_display_name(codec), byte=f"{data[exc.start]:02X}"),
            path=path, line=line, column=column,
        ) from None


def _utf8_damage(data: bytes) -> tuple[int, int]:
    """(bytes that are not UTF-8, well-formed non-ASCII UTF-8 characters), counted at C speed."""
    escaped = data.decode("utf-8", errors="surrogateescape")  # each bad byte becomes one lone surrogate
    well_formed = escaped.encode("utf-8", errors="ignore")  # the surrogates, i.e. the bad bytes, dropped
    bad_bytes = len(data) - len(well_formed)
    ascii_chars = len(data) - len(data.translate(None, _ASCII_BYTES))
    return bad_bytes, len(escaped) - bad_bytes - ascii_chars


def _looks_like_gb18030(text: str) -> bool:
    """False when a strict GB18030 decode is full of characters typical of mojibake (e.g. Big5 input)."""
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return len(_MOJIBAKE_SIGNS.findall(text)) <= _MAX_MOJIBAKE_SHARE * non_ascii


def _detect_with_charset_normalizer(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, or None when the input is too short or the guess too garbled."""
    if len(data) < _MIN_DETECTION_BYTES:
        return None
    import charset_normalizer  # lazy: only the rare undetected file pays for it

    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > _MAX_DETECTION_CHAOS:
        return None
    return str(best), best.encoding


def _refuse_binary_text(text: str, path: str | PathLike[str] | None) -> None:
    """Raise if decoded text holds NUL characters or is mostly control characters: a binary file that
    happened to decode (e.g. under an explicit encoding)."""
    index = text.find("\x00")
    if index < 0:
        first = _CONTROL_CHARS.search(text)
        if first is None or len(_CONTROL_CHARS.findall(text)) <= _BINARY_CONTROL_SHARE * len(text):
            return
        index = first.start()
    line_start = text.rfind("\n", 0, index) + 1
    raise InputError(
        _("binary file, not a transcript (it holds NUL or other control characters)"),
        path=path, line=text.count("\n", 0, index) + 1, column=index - line_start + 1,
    )


def _byte_location(data: bytes, position: int, codec: str) -> tuple[int, int]:
    """1-based line and column (in characters of the canonical text) of the byte at `position`."""
    before = canonicalize(data[:position].decode(codec, errors="replace"))
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _display_name(codec: str) -> str:
    return {"utf-8-sig": "UTF-8"}.get(codec, codec.upper())
