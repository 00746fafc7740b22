"""The check every file qcode reads goes through first: an ordinary file of a sensible size.

Reading `/dev/zero` never ends and fills memory; opening a FIFO waits for a writer forever; a file of
many gigabytes given by mistake takes minutes before failing. All three are refused before the first byte
is read, with the file named. A missing file or a folder is left to the caller, whose message knows what
the file was meant to be.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from qcode.errors import InputError
from qcode.i18n import _

MEBIBYTE = 1024 * 1024
#: Transcripts: a 200 MB text is some 70 million Chinese characters, hundreds of interviews in one file.
MAX_TRANSCRIPT_BYTES = 256 * MEBIBYTE
#: Codings CSV: about ten million rows.
MAX_TABLE_BYTES = 2048 * MEBIBYTE
#: Word lists (stop words, the project dictionary).
MAX_WORD_LIST_BYTES = 64 * MEBIBYTE


def check_input_file(path: str | os.PathLike[str], limit: int, what: str = "file") -> None:
    """Raise `InputError` if `path` exists but is not a regular file, or is larger than `limit` bytes.

    `what` names the kind of file in the message: a message marked with `N_`, translated here."""
    file = Path(path)
    try:
        info = os.stat(file)
    except OSError:
        return  # missing or unreadable: the caller's own read says so in its words
    if stat.S_ISDIR(info.st_mode):
        return
    if not stat.S_ISREG(info.st_mode):
        raise InputError(_("is not a regular file (a device, a pipe or a socket); qcode reads a {what} only from "
                           "an ordinary file").format(what=_(what)), path=file)
    if info.st_size > limit:
        raise InputError(_("is {size} MiB, more than the {limit} MiB a {what} may have; is it the right file?").format(
            size=f"{info.st_size / MEBIBYTE:,.1f}", limit=f"{limit // MEBIBYTE:,}", what=_(what)), path=file)
