"""Summaries of a project's transcripts: size, units, speakers and each coder's progress."""

from __future__ import annotations

from dataclasses import dataclass, field

from qcode.storage import Store


@dataclass(frozen=True)
class CoderProgress:
    codings: int
    coded_turns: int  # turns touched by at least one of the coder's codings
    complete: bool


@dataclass(frozen=True)
class TranscriptSummary:
    name: str
    guid: str
    characters: int
    turns: int
    sentences: int
    speakers: list[str]
    encoding: str | None
    source_path: str | None
    imported_at: str
    progress: dict[str, CoderProgress] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "guid": self.guid,
            "characters": self.characters,
            "turns": self.turns,
            "sentences": self.sentences,
            "speakers": self.speakers,
            "encoding": self.encoding,
            "source_path": self.source_path,
            "imported_at": self.imported_at,
            "progress": {
                coder: {"codings": p.codings, "coded_turns": p.coded_turns, "complete": p.complete}
                for coder, p in self.progress.items()
            },
        }


def transcript_summaries(store: Store) -> list[TranscriptSummary]:
    """Every transcript, by name, with progress for each coder who coded it or set its review status."""
    counts = store.transcripts.unit_counts()
    speakers = store.transcripts.speakers()
    codings = store.codings.count_by_transcript_and_coder()
    coded_turns = store.codings.coded_turns_by_coder()
    reviews = store.review.all()
    reviewed = {(r.transcript, r.coder) for r in reviews}
    complete = {(r.transcript, r.coder) for r in reviews if r.status == "complete"}
    summaries = []
    for info in store.transcripts.all():
        coders = sorted({c for (tid, c) in codings if tid == info.id} | {c for (t, c) in reviewed if t == info.name})
        progress = {
            coder: CoderProgress(codings.get((info.id, coder), 0), coded_turns.get((info.id, coder), 0),
                                 (info.name, coder) in complete)
            for coder in coders
        }
        unit_counts = counts.get(info.id, {})
        summaries.append(TranscriptSummary(
            info.name, info.guid, info.characters, unit_counts.get("turn", 0), unit_counts.get("sentence", 0),
            speakers.get(info.id, []), info.encoding, info.source_path, info.imported_at, progress))
    return summaries
