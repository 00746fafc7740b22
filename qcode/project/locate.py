"""Finding the project a command works on: `-p DIR`, else `$QCODE_PROJECT`, else upwards from here."""

from __future__ import annotations

import os
from pathlib import Path

from qcode.errors import ProjectError
from qcode.i18n import _
from qcode.storage.database import DB_FILENAME

PROJECT_ENV = "QCODE_PROJECT"


def find_project_root(explicit: str | os.PathLike | None = None, cwd: Path | None = None) -> Path:
    """The folder holding `qcode.db`, chosen like git finds its repository."""
    if explicit is not None:
        return _require_project(Path(explicit), _("given with -p/--project"))
    from_env = os.environ.get(PROJECT_ENV)
    if from_env:
        return _require_project(Path(from_env), _("from ${variable}").format(variable=PROJECT_ENV))
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / DB_FILENAME).is_file():
            return folder
    raise ProjectError(
        _("no qcode project here or in any parent folder of {folder}; create one with `qcode init` "
          "or point to one with -p/--project or ${variable}").format(folder=start, variable=PROJECT_ENV)
    )


def _require_project(folder: Path, how: str) -> Path:
    folder = folder.expanduser()
    if folder.is_file() and folder.name == DB_FILENAME:
        folder = folder.parent
    if not folder.exists():
        raise ProjectError(_("the project folder does not exist ({how})").format(how=how), path=folder)
    if not (folder / DB_FILENAME).is_file():
        raise ProjectError(
            _("not a qcode project: no {file} in this folder ({how}); create one with `qcode init`").format(
                file=DB_FILENAME, how=how),
            path=folder,
        )
    return folder.resolve()
