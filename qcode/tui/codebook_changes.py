"""Codebook changes from the app, stored through the app's write queue like codings.

A change is a function of `Editors` (the codebook editor, the relation editor and the coding session of
whichever connection runs it: the main thread's, or the queue's worker while another process writes),
so a change that meets a locked database waits in order instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qcode.tui.screen_base import QcodeAppAPI
from qcode.workspace import Workspace

if TYPE_CHECKING:  # the editors are the Workspace's; this module only names them
    from qcode.project.code_relations import RelationEditor
    from qcode.project.codebook_editing import CodebookEditor
    from qcode.project.coding import CodingSession


@dataclass(frozen=True)
class Editors:
    session: CodingSession
    codebook: CodebookEditor
    relations: RelationEditor


def submit_change(app: QcodeAppAPI, step: Callable[[Editors], Any], done: Callable[[Any], None]) -> None:
    """Run `step` through the write queue; `done(result)` on the main thread once it is stored, after
    every screen has been shown the changed codebook."""

    def job(workspace: Workspace) -> Any:
        return step(Editors(workspace.session, workspace.codebook_editor(), workspace.relations))

    def stored(result: Any) -> None:
        app.codebook_changed()
        done(result)

    app.write(job, stored)
