"""The demo project: the bundled interviews and the NPS x TOE codebook, built fresh outside the checkout."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from platformdirs import user_data_dir

from qcode.project.codebook_loading import load_codebook_into
from qcode.project.demo_cases import add_demo_cases, write_survey
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.resources import bundled_codebook, bundled_dir


def default_demo_path() -> Path:
    """A new, timestamped folder under the user data folder (never inside the source checkout)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path(user_data_dir("qcode", appauthor=False)) / "demo"
    path = base / stamp
    suffix = 1
    while path.exists():
        suffix += 1
        path = base / f"{stamp}-{suffix}"
    return path


def build_demo(path: Path | None = None) -> Project:
    """Create the demo project at `path` (default: a new folder) and fill it; return it open."""
    path = path or default_demo_path()
    created_here = not path.exists()
    project = Project.init(path)
    try:
        load_codebook_into(project, bundled_codebook())
        import_transcripts(project, [bundled_dir("transcripts")])
        add_demo_cases(project)  # who is who: officials, citizens, the interviewer (qcode.project.demo_cases)
        write_survey(project.root / "questionnaire")  # a 问卷星 download to try `qcode import` on
    except BaseException:
        project.close()
        if created_here:  # a half-built demo is of no use to anyone
            shutil.rmtree(path, ignore_errors=True)
        raise
    return project
