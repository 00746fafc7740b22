"""Bring the word index up to date in a child process, so jieba's dictionaries never load into the TUI.

jieba's frequency dictionary and the segmenting of a whole project take about 90 MiB while the index is
built; in the coding screen's process that doubled its memory (issue 11 point 7). `warm_up_in_child` has
the contract of `qcode.project.wordtools.warm_up` (progress callbacks, the `IndexReport`, QcodeError on
failure, DatabaseLocked while another process writes) for the TUI's worker thread
(`Workspace.warm_word_index`): it runs `python -m qcode.project.word_index_process ROOT`, which reports
each step as a JSON line on stdout. If the TUI goes away, the child stops at its next report (a closed
pipe).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from qcode.errors import Problem, QcodeError
from qcode.i18n import _
from qcode.project.wordtools.index import IndexReport, Progress
from qcode.storage.database import DatabaseLocked


def warm_up_in_child(project_root: Path, progress: Progress | None = None) -> IndexReport:
    """Set jieba up and index the project's words in a child process; QcodeError if that fails."""
    command = [sys.executable, "-m", "qcode.project.word_index_process", str(project_root)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          encoding="utf-8") as child:
        assert child.stdout is not None and child.stderr is not None
        problems: list[Problem] = []
        locked = False
        report: IndexReport | None = None
        for line in child.stdout:
            message = json.loads(line)
            if "progress" in message and progress is not None:
                done, total, name = message["progress"]
                progress(done, total, name)
            elif "problems" in message:
                problems = [Problem(**problem) for problem in message["problems"]]
                locked = message.get("locked", False)
            elif "report" in message:
                report = IndexReport(**message["report"])
        errors = child.stderr.read()
    if problems:
        raise (DatabaseLocked if locked else QcodeError)(problems=problems)
    if child.returncode != 0 or report is None:
        last = errors.strip().splitlines()[-1:] or [str(child.returncode)]
        raise QcodeError(_("the word index could not be built: {error}").format(error=last[0]))
    return report


def _report(**fields: object) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def main(project_root: str) -> int:
    """The child: index the project, reporting progress and problems as JSON lines."""
    from qcode.project.wordtools import warm_up  # lazy: jieba loads in the child only, never in the TUI

    try:
        report = warm_up(Path(project_root), lambda done, total, name: _report(progress=[done, total, name]))
        _report(report=asdict(report))
    except QcodeError as exc:
        _report(problems=[asdict(problem) for problem in exc.problems], locked=isinstance(exc, DatabaseLocked))
    except BrokenPipeError:  # the TUI has gone: nobody waits for the index now
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
