"""Background work in the TUI, done one way: a job in a thread worker that reports through messages.

`run_job(node, workspace, job, done, name=...)` runs `job(workspace, progress)` in a Textual thread
worker on the coder's workspace opened on that thread (a database connection stays on the thread that
opened it), then posts to `node` (a screen or the app):

- `WorkProgress(name, done, total)` each time the job calls `progress(done, total)`;
- `done(result)`, a `WorkDone` subclass carrying the result, when it finishes;
- `WorkFailed(name, error)` when it meets a `QcodeError` (bad data, a missing codebook ...). A screen
  that shows the error itself handles it and stops it; otherwise it bubbles up to the app, which
  shows it once as a notification.

Messages are handled on the main thread, in order, by `on_*` / `@on` handlers: nothing is set on the
app from the worker's thread and nothing polls. A newer run of the same job (same name) replaces the
older one, whose result is then not posted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

from qcode.errors import QcodeError
from qcode.workspace import Workspace
from qcode.tui.messages import WorkFailed, WorkProgress

T = TypeVar("T")
Progress = Callable[[int, int], None]
Job = Callable[[Workspace, Progress], T]


def run_job(node: DOMNode, workspace: Workspace, job: Job[T], done: Callable[[T], Message], *,
            name: str, exclusive: bool = True) -> Worker[None]:
    """Run `job` in a thread worker named `name` and report to `node` through messages (see above)."""

    def run() -> None:
        worker = get_current_worker()

        def progress(finished: int, total: int) -> None:
            if not worker.is_cancelled:
                node.post_message(WorkProgress(name, finished, total))

        try:
            with workspace.on_this_thread() as own:
                outcome: Message = done(job(own, progress))
        except QcodeError as exc:
            outcome = WorkFailed(name, exc)
        if worker.is_cancelled:  # replaced by a newer run of the same job
            return
        if not node.post_message(outcome) and isinstance(outcome, WorkFailed):
            node.app.post_message(outcome)  # the screen was left meanwhile: the app still shows the error

    return node.run_worker(run, name=name, group=name, thread=True, exclusive=exclusive)
