"""The demo project: the bundled interviews and the NPS x TOE codebook, built fresh outside the checkout.

It comes ready to analyse: persons and attributes (`demo_cases`), the questionnaire imported, and two
coders' codings of everything, marked complete (`demo_codings`), so that every report shows real numbers
on the first run; the user codes beside them under their own name.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from platformdirs import user_data_dir

from qcode.project.codebook_loading import load_codebook_into
from qcode.project.demo_cases import add_demo_cases, add_survey_respondents, write_survey
from qcode.project.demo_codings import add_demo_codings
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.project.survey_import import import_survey
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


def build_demo(path: Path | None = None, *, analysed: bool = True) -> Project:
    """Create the demo project at `path` (default: a new folder) and fill it; return it open.

    Without `analysed`: the interviews, persons and attributes only (the questionnaire file is written,
    not imported, and nobody has coded anything), a clean start for tests that code it themselves.
    """
    path = path or default_demo_path()
    created_here = not path.exists()
    project = Project.init(path)
    try:
        load_codebook_into(project, bundled_codebook())
        import_transcripts(project, [bundled_dir("transcripts")])
        add_demo_cases(project)  # who is who: officials, citizens, the interviewer (qcode.project.demo_cases)
        survey = write_survey(project.root / "questionnaire")  # a 问卷星 download, as `qcode import` reads it
        if analysed:
            import_survey(project, survey)  # its respondents' open answers to code, closed answers as attributes
            prefix = f"{survey.stem}-"
            add_survey_respondents(project, prefix)
            answers = tuple(t.name for t in project.store.transcripts.all() if t.name.startswith(prefix))
            add_demo_codings(project, answers)  # two coders' first round, marked complete
    except BaseException:
        project.close()
        if created_here:  # a half-built demo is of no use to anyone
            shutil.rmtree(path, ignore_errors=True)
        raise
    return project
