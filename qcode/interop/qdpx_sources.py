"""Finding the text of a REFI-QDA source: inside the archive, or beside it on disk.

A `<TextSource>` gives its text inline (`<PlainTextContent>`) or as a path: `internal://NAME` is the
file NAME in the archive's `sources/` folder (NVivo writes `Sources/`; the case of the folder is
forgiven), `relative://PATH` is relative to the project's `basePath` (else to the folder of the .qdpx),
and `absolute://PATH` is a path on this computer. A path without a scheme is taken as internal, as qc
writes it. Texts must be UTF-8 (REFI-QDA 1.5 section 9.1.2); a leading BOM is dropped and not counted.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from qcode.interop.safe_zip import Limits, SafeZip


class SourceProblem(Exception):
    """A source's text cannot be had; the message says why (the caller adds file and line)."""


@dataclass(frozen=True)
class SourceFile:
    """Where a source's text came from (for the report), and the text as written (BOM removed)."""

    location: str
    text: str
    external: bool = False  # read from this computer's disk, not from the archive


class SourceResolver:
    """Resolves the paths of one project's sources."""

    def __init__(self, archive: SafeZip, project_file: Path, base_path: str | None) -> None:
        self.archive = archive
        self.folder = project_file.resolve().parent
        base = Path(base_path) if base_path else None
        self.base = base if base is not None and base.is_absolute() else self.folder
        self._by_folded: dict[str, str] = {}
        for name in archive.names:
            folder, _, rest = name.partition("/")
            if folder.lower() == "sources" and rest:
                self._by_folded.setdefault(rest.casefold(), name)

    def read(self, reference: str) -> SourceFile:
        """The text a `plainTextPath` (or a Note's path) points at."""
        scheme, separator, rest = reference.partition("://")
        if not separator:
            scheme, rest = "internal", reference
        scheme = scheme.lower()
        if scheme == "internal":
            return self._internal(rest.lstrip("/"))
        if scheme in ("relative", "absolute"):
            rest = rest.replace("\\", "/")  # written on Windows
            path = self.base / rest if scheme == "relative" else Path(rest)
            return self._external(path)
        raise SourceProblem(f"unknown path scheme in {reference!r} (REFI-QDA knows internal://, relative:// "
                            "and absolute://)")

    def _internal(self, name: str) -> SourceFile:
        if not name or name.startswith("/") or ".." in posixpath.normpath(name).split("/"):
            raise SourceProblem(f"unsafe internal path {name!r}")
        entry = f"sources/{name}" if f"sources/{name}" in self.archive else self._by_folded.get(name.casefold())
        if entry is None:
            raise SourceProblem(f"its file {name!r} is missing from the archive's sources folder")
        return SourceFile(f"{self.archive.path.name}:{entry}", decode_source(self.archive.read(entry), entry))

    def _external(self, path: Path) -> SourceFile:
        limit = Limits.default().entry_bytes
        try:
            if not path.is_file():
                raise SourceProblem(f"its file {path} does not exist on this computer")
            if path.stat().st_size > limit:
                raise SourceProblem(f"its file {path} is larger than {limit // (1024 * 1024)} MiB")
            data = path.read_bytes()
        except OSError as exc:
            raise SourceProblem(f"its file {path} cannot be read: {exc.strerror or exc}") from None
        return SourceFile(str(path), decode_source(data, str(path)), external=True)


def decode_source(data: bytes, label: str) -> str:
    """A source file's text: UTF-8, with a leading BOM dropped (positions never count it)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceProblem(f"{label} is UTF-16; REFI-QDA source files are UTF-8")
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceProblem(f"{label} is not UTF-8 (byte {exc.start}); REFI-QDA source files are UTF-8") from None
