"""The coder's changes, stored in the order they were made, and never dropped when the database is busy.

A change is first tried at once on the main thread's connection, with a short busy timeout so the
screen never freezes. A change is a function of the coder's `Workspace` (see `qcode.workspace`,
its "changes" methods and `session`), so it can run on either connection. If another process (a `qcode` command importing codings) holds the write lock,
the change — and every change after it, to keep their order — waits in a queue that one worker thread
works through on its own connection, retrying each until it is stored. The screen hears about each
stored change (in order) through its `done` callback, and about the queue's length through
`on_pending`, so it can say that changes are waiting. Quitting waits for the queue to empty.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qcode.errors import ProjectError, QcodeError
from qcode.i18n import _
from qcode.workspace import Workspace
from qcode.storage.database import DatabaseLocked

Job = Callable[[Workspace], Any]

# The main thread gives up on a lock after this long and queues the change instead.
MAIN_THREAD_BUSY_SECONDS = 0.05
_WORKER_BUSY_SECONDS = 1.0
_RETRY_PAUSE_SECONDS = 0.05


@dataclass
class _Pending:
    job: Job
    done: Callable[[Any], None]
    failed: Callable[[QcodeError], None]


class WriteQueue:
    """Runs coding changes in order; one per app (use `submit` from the main thread only)."""

    def __init__(self, workspace: Workspace, call_from_thread: Callable[..., Any],
                 on_pending: Callable[[int], None]) -> None:
        self.workspace = workspace
        self.call_from_thread = call_from_thread
        self.on_pending = on_pending
        self._pending: deque[_Pending] = deque()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def submit(self, job: Job, done: Callable[[Any], None], failed: Callable[[QcodeError], None]) -> None:
        """Run `job(workspace)` now, or after the changes already waiting; then `done(result)` on the main thread."""
        with self._lock:
            waiting = bool(self._pending)
        if not waiting:
            try:
                with self.workspace.waiting_at_most(MAIN_THREAD_BUSY_SECONDS):
                    result = job(self.workspace)
            except DatabaseLocked:
                pass  # another process is writing: queue it
            except QcodeError as exc:
                failed(exc)
                return
            else:
                done(result)
                return
        with self._lock:
            self._pending.append(_Pending(job, done, failed))
            count = len(self._pending)
            if self._worker is None:
                self._worker = threading.Thread(target=self._drain, name="qcode-writes", daemon=True)
                self._worker.start()
        self.on_pending(count)

    def _drain(self) -> None:
        try:
            with self.workspace.on_this_thread() as workspace:
                workspace.set_busy_timeout(_WORKER_BUSY_SECONDS)
                self._work_through(workspace)
        except QcodeError as exc:  # the project could not be opened on this thread: say so for each change
            with self._lock:
                refused, self._worker = list(self._pending), None
                self._pending.clear()
            for item in refused:
                self._deliver(item.failed, exc)
            self._deliver(self.on_pending, 0)

    def _work_through(self, workspace: Workspace) -> None:
        """Run the waiting changes in order, each until it is stored or refused."""
        while True:
            with self._lock:
                if not self._pending:
                    self._worker = None
                    return
                item = self._pending[0]
            try:
                result = item.job(workspace)
            except DatabaseLocked:
                time.sleep(_RETRY_PAUSE_SECONDS)  # back off from the other writer; the change stays queued
                continue
            except QcodeError as exc:
                outcome: tuple[Callable[[Any], None], Any] = (item.failed, exc)
            except Exception as exc:  # noqa: BLE001 - a broken change must not stop the ones behind it
                outcome = (item.failed, ProjectError(_("the change could not be stored: {problem}").format(problem=exc)))
            else:
                outcome = (item.done, result)
            self._deliver(*outcome)
            with self._lock:
                self._pending.popleft()
                count = len(self._pending)
            self._deliver(self.on_pending, count)

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        try:
            self.call_from_thread(callback, value)
        except RuntimeError:
            pass  # the app has stopped; the change itself is stored

