"""What screens and dialogs may ask of the qcode app, typed: `QcodeScreen.qapp` instead of the untyped
`self.app`.

The app module imports the screens, so the screens cannot import the app class back (no import
circles); they see it through the `QcodeAppAPI` protocol, which `QcodeApp` is checked against (see
`qcode.tui.app`). Screens reach the project only through their `Workspace`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from textual.app import App
from textual.screen import ModalScreen, Screen

from qcode.codebook.search import CodeMatcher
from qcode.tui.dirty_regions_compositor import DirtyRegionsCompositor
from qcode.errors import QcodeError
from qcode.workspace import Workspace
from qcode.tui.messages import WordIndexState
from qcode.tui.write_queue import Job
from qcode.userconfig import UserConfig

ResultT = TypeVar("ResultT")


class QcodeAppAPI(Protocol):
    """The qcode app as screens see it."""

    @property
    def workspace(self) -> Workspace | None:
        """The coder's workspace (None only before the coder has given their name)."""

    @property
    def user_config(self) -> UserConfig: ...

    @property
    def remember_coder(self) -> bool: ...

    @property
    def pending_writes(self) -> int:
        """Changes waiting for the database (another process is writing)."""

    @property
    def word_index(self) -> WordIndexState: ...

    def write(self, job: Job, done: Callable[[Any], None],
              failed: Callable[[QcodeError], None] | None = None) -> None:
        """Store a change through the app's write queue (in order; waits while another process writes);
        `done(result)` once it is stored; a refusal is reported (or handed to `failed`)."""

    def report(self, exc: QcodeError) -> None:
        """Show a user error once, as a notification."""

    def code_matcher(self) -> CodeMatcher: ...

    def codebook_changed(self) -> None: ...

    def action_search(self) -> None: ...


def qcode_app(app: App[Any]) -> QcodeAppAPI:
    """`app` as the qcode app (screens and dialogs only ever run inside one)."""
    return cast(QcodeAppAPI, app)


class QcodeScreen(Screen[ResultT]):
    """A screen of the qcode app."""

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name, id, classes)
        # Partial updates draw only the widgets under the dirty regions (see dirty_regions_compositor).
        self._compositor = DirtyRegionsCompositor()

    @property
    def qapp(self) -> QcodeAppAPI:
        return qcode_app(self.app)

    def reload_codebook(self) -> None:
        """The codebook changed (an edit, a new code, an undo): screens that show it redraw."""


class QcodeDialog(ModalScreen[ResultT]):
    """A dialog of the qcode app."""

    @property
    def qapp(self) -> QcodeAppAPI:
        return qcode_app(self.app)
