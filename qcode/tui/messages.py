"""What screens and workers tell the app, and the app tells screens: Textual messages, handled on the main thread.

A screen that wants another screen shown posts a message instead of importing that screen, so screens
never import each other in a circle. Background work (see `qcode.tui.workers`) reports the same way:
`WorkProgress` while it runs, a `WorkDone` subclass with its result, or `WorkFailed` with the error.
A `WorkFailed` a screen does not handle itself bubbles up to the app, which shows it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from textual.message import Message

from qcode.domain.models import Span
from qcode.errors import QcodeError
from qcode.workspace import TranscriptDocument

ResultT = TypeVar("ResultT")


class OpenTranscript(Message):
    """Open `document` in the coding screen (posted by the transcripts list, search, agreement ...), with
    the passage `focus` selected and, with `show_others`, every coder's codings (after the blind-coding
    confirmation where it is needed)."""

    def __init__(self, document: TranscriptDocument, *, focus: Span | None = None, show_others: bool = False) -> None:
        super().__init__()
        self.document = document
        self.focus = focus
        self.show_others = show_others


class WorkProgress(Message):
    """A background job named `job` has done `done` of `total` steps."""

    def __init__(self, job: str, done: int, total: int) -> None:
        super().__init__()
        self.job = job
        self.done = done
        self.total = total


class WorkDone(Message, Generic[ResultT]):
    """A background job finished; each job has its own subclass, so its handler is found by type."""

    def __init__(self, result: ResultT) -> None:
        super().__init__()
        self.result = result


class WorkFailed(Message):
    """A background job named `job` met a user error (bad data, no codebook ...)."""

    def __init__(self, job: str, error: QcodeError) -> None:
        super().__init__()
        self.job = job
        self.error = error

    @property
    def text(self) -> str:
        return "\n".join(p.message for p in self.error.problems)


class Notice(Message):
    """Tell the user `text` (handled by the app, so it is shown even when the screen that started the
    work has been left meanwhile)."""

    def __init__(self, text: str, *, timeout: float = 8) -> None:
        super().__init__()
        self.text = text
        self.timeout = timeout


@dataclass(frozen=True)
class WordIndexState:
    """How far the app's word index (for search and suggestions) is."""

    done: int = 0
    total: int = 0
    ready: bool = False
    error: str | None = None


class WordIndexChanged(Message):
    """The app tells each open screen how far the word index is (no screen needs to ask)."""

    bubble = False  # sent to each screen by the app: it must not come back up to the app

    def __init__(self, state: WordIndexState) -> None:
        super().__init__()
        self.state = state
