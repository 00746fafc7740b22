"""`qcode backup [FILE]`: a consistent copy of the project database, safe while the project is in use.

SQLite's online backup copies the database from one read snapshot, so a coding screen writing at the
same time (WAL mode) neither blocks the copy nor leaves it half-updated. The copy is written beside its
destination under a temporary name and renamed into place once complete, then opened as a project to
prove it is usable.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qcode.errors import InputError
from qcode.project.project import Project
from qcode.storage import open_store
from qcode.i18n import _


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes
    transcripts: int
    codings: int


def default_backup_path(project: Project, now: datetime | None = None) -> Path:
    """`exports/backup-YYYYMMDD-HHMMSS.db` in the project (a suffix is added if that name is taken)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = project.exports_dir / f"backup-{stamp}.db"
    n = 1
    while path.exists():
        n += 1
        path = project.exports_dir / f"backup-{stamp}-{n}.db"
    return path


def backup_project(project: Project, target: Path | None = None) -> BackupResult:
    """Copy the project database to `target` (default: `default_backup_path`); refuses to overwrite."""
    path = (target or default_backup_path(project)).expanduser()
    if path.exists():
        raise InputError(_("a file of this name exists; choose another name or remove it first"), path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(handle)
    except OSError as exc:
        raise InputError(_("cannot write here: {reason}").format(reason=exc.strerror or exc), path=path) from None
    partial = Path(name)
    try:
        partial.unlink()  # SQLite creates the file itself; mkstemp only reserved a unique name
        project.store.backup_to(partial)
        with open_store(partial) as copy:  # proves the copy opens as a project
            transcripts, codings = len(copy.transcripts.all()), copy.codings.count()
        os.replace(partial, path)
    except OSError as exc:
        raise InputError(_("cannot write the backup: {reason}").format(reason=exc.strerror or exc), path=path) from None
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    return BackupResult(path, path.stat().st_size, transcripts, codings)
