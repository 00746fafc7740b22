"""Blind coding: a coder who saw the other coders' codings of a transcript before completing their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SeenBeforeComplete:
    """A coder saw the other coders' codings of a transcript before completing their own coding of it
    (recorded in storage, named by agreement reports as not coded independently)."""

    coder: str
    transcript: str
    at: str  # the first such reveal, UTC
    status: str | None  # the coder's status of the transcript at that moment
    changed_after: bool  # the coder changed their codings of the transcript after seeing the others'

    def to_json(self) -> dict[str, Any]:
        return {"coder": self.coder, "transcript": self.transcript, "at": self.at, "status": self.status,
                "changed_after": self.changed_after}
