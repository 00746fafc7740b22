"""The project as one coder's coding screen sees it: transcripts, the codebook, and coding actions.

The TUI talks only to this (and to `CodingSession` through it): no SQL and no statistics in the UI.
Everything here runs on the caller's thread with the caller's connection.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.domain.codebook import Codebook
from qcode.domain.models import Coding, Span, TranscriptInfo, Unit, UnitKind
from qcode.errors import InputError
from qcode.i18n import _
from qcode.project.code_relations import RelationEditor
from qcode.project.codebook_loading import require_codebook
from qcode.project.coding import CodingSession
from qcode.project.listing import TranscriptSummary, transcript_summaries
from qcode.project.project import Project


@dataclass(frozen=True)
class TranscriptDocument:
    """Everything the coding screen shows of one transcript."""

    info: TranscriptInfo
    text: str
    turns: list[Unit]
    sentences: list[Span]  # only their bounds: a long transcript has tens of thousands
    codings: list[Coding]  # every coder's; the screen decides what to show


class Workspace:
    """One coder working on one project."""

    def __init__(self, project: Project, coder: str, *, source: str = "tui") -> None:
        self.project = project
        self.store = project.store
        self.session = CodingSession(project.store, coder, source=source)
        self.coder = self.session.coder
        self.codebook: Codebook = require_codebook(project.store)
        self.relations = RelationEditor(project.store, self.coder, source, project.config.relation_types)

    def reload_codebook(self) -> Codebook:
        """Read the codebook again after a change (by this coder, an undo, or another process)."""
        self.codebook = require_codebook(self.store)
        return self.codebook

    def transcripts(self) -> list[TranscriptSummary]:
        return transcript_summaries(self.store)

    def transcript(self, name: str) -> TranscriptInfo:
        found = self.store.transcripts.by_name(name)
        if found is None:
            raise InputError(_("no transcript named '{name}'; see `qcode transcripts`").format(name=name))
        return found

    def open(self, name: str) -> TranscriptDocument:
        info = self.transcript(name)
        return TranscriptDocument(
            info,
            self.store.transcripts.text(info.id),
            self.store.transcripts.units(info.id, UnitKind.TURN),
            [Span(start, end) for start, end in self.store.transcripts.unit_bounds(info.id, UnitKind.SENTENCE)],
            self.store.codings.for_transcript(info.id),
        )

    def codings(self, info: TranscriptInfo) -> list[Coding]:
        return self.store.codings.for_transcript(info.id)

    def coders(self) -> list[str]:
        return self.store.coders.names()
