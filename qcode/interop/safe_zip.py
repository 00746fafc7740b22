"""Reading an untrusted ZIP archive (a .qdpx) into memory, never onto disk by its own names.

An archive is refused outright when an entry name is absolute or climbs out with `..` (zip slip), when
it holds too many entries, or when an entry or the whole archive would decompress to more than the
limits below. Sizes are checked twice: against what the archive declares, and against the bytes that
actually come out of the decompressor (read in chunks and counted), because a hostile archive can lie
in its headers.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Self

from qcode.errors import InputError
from qcode.text.input_files import check_input_file
from qcode.i18n import _

#: Limits for one archive. A 2-million-character project with 60,000 codings needs about 40 MB.
MAX_ENTRIES = 20_000
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much an archive may hold."""

    entries: int
    entry_bytes: int
    total_bytes: int

    @classmethod
    def default(cls) -> Limits:
        """The module's limits, read at call time so that they can be lowered for one run (tests do)."""
        return cls(MAX_ENTRIES, MAX_ENTRY_BYTES, MAX_TOTAL_BYTES)


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MiB"


def unsafe_name_reason(name: str) -> str | None:
    """Why an entry name could write or read outside its folder, or None when it is harmless."""
    if "\x00" in name:
        return _("contains a NUL character")
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return _("is an absolute path")
    if ".." in PurePosixPath(normalized).parts:
        return _("climbs out of the archive with '..'")
    return None


class SafeZip:
    """The entries of an archive, by name, read with the size limits enforced."""

    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or Limits.default()
        self._read_so_far = 0
        check_input_file(path, self.limits.total_bytes, "project archive")
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise InputError(_("no such file"), path=path) from None
        except IsADirectoryError:
            raise InputError(_("is a folder, not a .qdpx file"), path=path) from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(_("not a ZIP archive, so not a .qdpx project ({problem})").format(problem=exc), path=path) from None
        try:
            self._index = self._check_entries()
        except BaseException:
            self._zip.close()
            raise

    def _check_entries(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > self.limits.entries:
            raise InputError(_("the archive holds {count} entries, more than the {limit} accepted; refused").format(
                count=len(infos), limit=self.limits.entries), path=self.path)
        index: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in infos:
            reason = unsafe_name_reason(info.filename)
            if reason:
                raise InputError(_("unsafe entry name {name!r}: it {reason}; the archive is refused").format(
                    name=info.filename, reason=reason), path=self.path)
            if info.flag_bits & 0x1:
                raise InputError(_("entry {name!r} is encrypted; export it again without a password").format(
                    name=info.filename), path=self.path)
            if info.file_size > self.limits.entry_bytes:
                raise InputError(_("entry {name!r} would unpack to {size}, more than the {limit} accepted per file; "
                                   "refused").format(name=info.filename, size=_mib(info.file_size),
                                                     limit=_mib(self.limits.entry_bytes)), path=self.path)
            declared += info.file_size
            if info.is_dir():
                continue
            index[info.filename.replace("\\", "/")] = info
        if declared > self.limits.total_bytes:
            raise InputError(_("the archive would unpack to {size}, more than the {limit} accepted; refused").format(
                size=_mib(declared), limit=_mib(self.limits.total_bytes)), path=self.path)
        return index

    @property
    def names(self) -> list[str]:
        """Entry names with `/` separators, folders left out."""
        return list(self._index)

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def read(self, name: str) -> bytes:
        """The bytes of one entry, counting what the decompressor really yields against the limits."""
        info = self._index[name]
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self._read_so_far += len(chunk)
                    if size > self.limits.entry_bytes:
                        raise InputError(_("entry {name!r} unpacks to more than {limit} (more than its header says); "
                                           "refused as a likely zip bomb").format(
                            name=name, limit=_mib(self.limits.entry_bytes)), path=self.path)
                    if self._read_so_far > self.limits.total_bytes:
                        raise InputError(_("the archive unpacks to more than {limit}; refused as a likely zip bomb")
                                         .format(limit=_mib(self.limits.total_bytes)), path=self.path)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise InputError(_("entry {name!r} is damaged: {problem}").format(name=name, problem=exc), path=self.path) from None
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
