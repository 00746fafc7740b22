"""Finding the text of a REFI-QDA source, only ever inside the archive.

A `<TextSource>` gives its text inline (`<PlainTextContent>`) or as a path: `internal://NAME` is the
file NAME in the archive's `sources/` folder (NVivo writes `Sources/`; the case of the folder is
forgiven). A path without a scheme is taken as internal, as qc writes it. The standard also allows
`relative://PATH` (beside the project on disk) and `absolute://PATH` (anywhere on this computer): a
project file received from someone else could then pull this computer's files (`/etc/passwd`,
`/proc/self/environ`) into the project and, through the next export, send them on. So `absolute://` is
refused, and `relative://PATH` is read only if PATH stays inside the archive and is found there.
Texts must be UTF-8 (REFI-QDA 1.5 section 9.1.2); a leading BOM is dropped and not counted.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from qcode.interop.safe_zip import SafeZip
from qcode.i18n import _


class SourceProblem(Exception):
    """A source's text cannot be had; the message says why (the caller adds file and line)."""


@dataclass(frozen=True)
class SourceFile:
    """Where a source's text came from (for the report), and the text as written (BOM removed)."""

    location: str
    text: str


class SourceResolver:
    """Resolves the paths of one project's sources."""

    def __init__(self, archive: SafeZip) -> None:
        self.archive = archive
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
        if scheme == "absolute":
            raise SourceProblem(_("{reference!r} points at a file on this computer; qcode reads sources only from "
                                  "inside the .qdpx archive (export the project again with the sources embedded)")
                                .format(reference=reference))
        if scheme == "relative":
            return self._relative(reference, rest.replace("\\", "/"))  # written on Windows
        raise SourceProblem(_("unknown path scheme in {reference!r} (REFI-QDA knows internal://, relative:// and "
                              "absolute://)").format(reference=reference))

    def _internal(self, name: str) -> SourceFile:
        if not _stays_inside(name):
            raise SourceProblem(_("unsafe internal path {name!r}").format(name=name))
        entry = f"sources/{name}" if f"sources/{name}" in self.archive else self._by_folded.get(name.casefold())
        if entry is None:
            raise SourceProblem(_("its file {name!r} is missing from the archive's sources folder").format(name=name))
        return SourceFile(f"{self.archive.path.name}:{entry}", decode_source(self.archive.read(entry), entry))

    def _relative(self, reference: str, path: str) -> SourceFile:
        if not _stays_inside(path):
            raise SourceProblem(_("{reference!r} leads out of the archive; qcode reads sources only from inside the "
                                  ".qdpx archive").format(reference=reference))
        name = posixpath.normpath(path)
        for entry in (name, f"sources/{name}"):
            if entry in self.archive:
                return SourceFile(f"{self.archive.path.name}:{entry}", decode_source(self.archive.read(entry), entry))
        folded = self._by_folded.get(name.casefold())
        if folded is not None:
            return SourceFile(f"{self.archive.path.name}:{folded}", decode_source(self.archive.read(folded), folded))
        raise SourceProblem(_("{reference!r} is a file beside the project on its author's computer, not in the "
                              "archive; qcode reads sources only from inside the .qdpx archive (export the project "
                              "again with the sources embedded)").format(reference=reference))


def _stays_inside(name: str) -> bool:
    return bool(name) and not name.startswith("/") and ":" not in name.split("/")[0] \
        and ".." not in posixpath.normpath(name).split("/")


def decode_source(data: bytes, label: str) -> str:
    """A source file's text: UTF-8, with a leading BOM dropped (positions never count it)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceProblem(_("{name} is UTF-16; REFI-QDA source files are UTF-8").format(name=label))
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceProblem(_("{name} is not UTF-8 (byte {byte}); REFI-QDA source files are UTF-8").format(
            name=label, byte=exc.start)) from None
