"""Errors a user can act on.

Every problem with the user's input or environment is raised as a `QcodeError` carrying one or more
`Problem`s: what is wrong and where (file, line, column). The CLI prints them without a traceback and
exits non-zero; anything else escaping is a bug in qcode.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike

from qcode.i18n import _


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can (lines and columns are 1-based)."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    severity: str = "error"  # "error" or "warning"

    def location(self) -> str:
        parts = [self.path] if self.path else []
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        prefix = f"{where}: " if where else ""
        label = "" if self.severity == "error" else f"{_(self.severity)}: "  # "warning", a message of the CLI too
        return f"{prefix}{label}{self.message}"


class QcodeError(Exception):
    """A failure caused by input or environment, reported to the user as one or more problems."""

    exit_code = 1

    def __init__(
        self,
        message: str | None = None,
        *,
        path: str | PathLike | None = None,
        line: int | None = None,
        column: int | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        found = list(problems or [])
        if message is not None:
            found.insert(0, Problem(message, str(path) if path is not None else None, line, column))
        if not found:
            raise ValueError("QcodeError needs a message or problems")
        self.problems = found
        super().__init__("\n".join(str(p) for p in found))


class InputError(QcodeError):
    """A file or argument the user gave is unusable (missing, binary, undecodable, malformed)."""


class ProjectError(QcodeError):
    """The project cannot be used: not found, locked, or written by a newer qcode."""


class ConflictError(QcodeError):
    """The change would lose or silently alter existing codings; nothing was written."""
