"""The one check every output file goes through before qcode writes it.

Two promises. A project's own files (the database with its `-wal`, `-shm` and `-journal` companions,
`qcode.toml`, `dictionary.txt`, the codebook files in `codebooks/`) are never written over: refused
always, `--force` or not, because overwriting them loses codings. Any other existing file is replaced
only with `--force`, or when it is clearly a previous export of the same kind:

- `qdpx`: a zip archive holding a REFI-QDA `project.qde`;
- `qdc`: an XML file whose root element is a REFI-QDA `CodeBook`;
- `xlsx`: a workbook whose document properties say "Written by qcode" (every qcode workbook does);
- `docx`: a Word document whose document properties name qcode;
- `text` (CSV, JSON, Markdown, YAML, tables, the methods paragraph): a text file whose first line is
  the first line of what is about to be written (the same CSV header, the same title, the same
  kind of JSON), or an empty file;
- `backup`: never replaced (a backup is worth keeping); choose another name.

Files that are not regular files (folders, devices, FIFOs) are refused: writing to them hangs or fails.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from qcode.errors import InputError
from qcode.i18n import N_, _

DATABASE_FILENAME = "qcode.db"
_DATABASE_FILES = {DATABASE_FILENAME + suffix for suffix in ("", "-wal", "-shm", "-journal")}
_PROJECT_FILES_BY_NAME = _DATABASE_FILES | {"qcode.toml"}
_PROJECT_FILES_BESIDE_DATABASE = {"dictionary.txt"}
_SQLITE_HEADER = b"SQLite format 3\x00"
_HEAD_BYTES = 64 * 1024

KINDS = ("text", "qdpx", "qdc", "xlsx", "docx", "backup")


def check_output_path(path: str | os.PathLike, kind: str, *, force: bool = False, first_line: str | None = None,
                      project_root: Path | None = None) -> Path:
    """`path` if qcode may write `kind` there; otherwise an `InputError` saying why and what to do.

    `first_line` is the first line of the text about to be written (kind "text"); `project_root` is the
    project the command works on, if any: its files are recognised even through links.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown output kind {kind!r}")
    given = Path(path).expanduser()
    target = given.resolve()
    _refuse_project_file(given, target, project_root)
    if not os.path.lexists(target):
        return given
    if target.is_dir():
        raise InputError(_("is a folder; give a file name"), path=given)
    if not target.is_file():
        raise InputError(_("is not a regular file (a device or a pipe?); give a file name"), path=given)
    if _is_sqlite_database(target):
        raise InputError(_("is an SQLite database (a qcode project or backup?); qcode never writes over one "
                           "(choose another name)"), path=given)
    if kind == "backup":
        raise InputError(_("a file of this name exists; choose another name or remove it first"), path=given)
    if force or _is_previous_export(target, kind, first_line):
        return given
    raise InputError(_("exists already and is not a previous {kind} written by qcode; use --force to replace it").format(
        kind=_(_KIND_NAMES[kind])), path=given)


_KIND_NAMES = {"text": N_("output of this kind"), "qdpx": N_(".qdpx export"), "qdc": N_(".qdc export"),
               "xlsx": N_("workbook"), "docx": N_("Word document"), "backup": N_("backup")}


def refuse_project_file(path: str | os.PathLike, project_root: Path | None = None) -> None:
    """An `InputError` if `path` is a project's own file (known by its name and place, or, with
    `project_root`, as the same file as one of that project's)."""
    given = Path(path).expanduser()
    _refuse_project_file(given, given.resolve(), project_root)


def _refuse_project_file(given: Path, target: Path, project_root: Path | None) -> None:
    folder = target.parent
    own = (
        target.name in _PROJECT_FILES_BY_NAME
        or (target.name in _PROJECT_FILES_BESIDE_DATABASE and (folder / DATABASE_FILENAME).exists())
        or (folder.name == "codebooks" and (folder.parent / DATABASE_FILENAME).exists() and target.exists())
    )
    if not own and project_root is not None and target.exists():
        own = any(_same_file(target, protected) for protected in _project_files(Path(project_root)))
    if own:
        raise InputError(_("is one of the project's own files; qcode never writes output over it "
                           "(write to another name, e.g. in the project's exports/ folder)"), path=given)


def _project_files(root: Path) -> list[Path]:
    files = [root / name for name in (*_PROJECT_FILES_BY_NAME, *_PROJECT_FILES_BESIDE_DATABASE)]
    codebooks = root / "codebooks"
    if codebooks.is_dir():
        files += [p for p in codebooks.iterdir() if p.is_file()]
    return files


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise InputError(_("cannot read: {reason}").format(reason=exc.strerror or exc), path=path) from None


def _is_sqlite_database(path: Path) -> bool:
    return _head(path)[: len(_SQLITE_HEADER)] == _SQLITE_HEADER


def _is_previous_export(path: Path, kind: str, first_line: str | None) -> bool:
    if kind in ("qdpx", "xlsx", "docx"):
        return _zip_marker(path, kind)
    head = _head(path)
    if kind == "qdc":
        return b"<CodeBook" in head and b"urn:QDA-XML" in head
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    if not text.strip():
        return True
    return first_line is not None and bool(first_line.strip()) and text.split("\n", 1)[0].rstrip("\r") == first_line


def _zip_marker(path: Path, kind: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if kind == "qdpx":
                return "project.qde" in names
            if "docProps/core.xml" not in names or archive.getinfo("docProps/core.xml").file_size > _HEAD_BYTES:
                return False
            marker = b"Written by qcode" if kind == "xlsx" else b"qcode"
            return marker in archive.read("docProps/core.xml")
    except (OSError, zipfile.BadZipFile):
        return False
