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
        return "contains a NUL character"
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return "is an absolute path"
    if ".." in PurePosixPath(normalized).parts:
        return "climbs out of the archive with '..'"
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
            raise InputError("no such file", path=path) from None
        except IsADirectoryError:
            raise InputError("is a folder, not a .qdpx file", path=path) from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"not a ZIP archive, so not a .qdpx project ({exc})", path=path) from None
        try:
            self._index = self._check_entries()
        except BaseException:
            self._zip.close()
            raise

    def _check_entries(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > self.limits.entries:
            raise InputError(f"the archive holds {len(infos)} entries, more than the {self.limits.entries} "
                             "accepted; refused", path=self.path)
        index: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in infos:
            reason = unsafe_name_reason(info.filename)
            if reason:
                raise InputError(f"unsafe entry name {info.filename!r}: it {reason}; the archive is refused",
                                 path=self.path)
            if info.flag_bits & 0x1:
                raise InputError(f"entry {info.filename!r} is encrypted; export it again without a password",
                                 path=self.path)
            if info.file_size > self.limits.entry_bytes:
                raise InputError(f"entry {info.filename!r} would unpack to {_mib(info.file_size)}, more than the "
                                 f"{_mib(self.limits.entry_bytes)} accepted per file; refused", path=self.path)
            declared += info.file_size
            if info.is_dir():
                continue
            index[info.filename.replace("\\", "/")] = info
        if declared > self.limits.total_bytes:
            raise InputError(f"the archive would unpack to {_mib(declared)}, more than the "
                             f"{_mib(self.limits.total_bytes)} accepted; refused", path=self.path)
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
                        raise InputError(f"entry {name!r} unpacks to more than {_mib(self.limits.entry_bytes)} "
                                         "(more than its header says); refused as a likely zip bomb", path=self.path)
                    if self._read_so_far > self.limits.total_bytes:
                        raise InputError(f"the archive unpacks to more than {_mib(self.limits.total_bytes)}; "
                                         "refused as a likely zip bomb", path=self.path)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise InputError(f"entry {name!r} is damaged: {exc}", path=self.path) from None
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
