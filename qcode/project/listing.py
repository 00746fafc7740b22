"""Summaries of a project's transcripts: size, units, speakers and each coder's progress."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from qcode.domain.models import UnitKind
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


def coded_turns_by_coder(store: Store) -> dict[tuple[int, str], int]:
    """Per (transcript id, coder): how many turns at least one of the coder's codings overlaps.

    Turns are sorted and disjoint, so each coding covers a contiguous run of turns found by binary
    search; runs are merged per coder with a difference array (no turn x coding join).
    """
    turns: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for tid, _, start, end, _ in store.transcripts.unit_table(UnitKind.TURN):
        turns[tid][0].append(start)
        turns[tid][1].append(end)
    spans: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for tid, coder, _, start, end in store.codings.spans():
        spans[(tid, coder)].append((start, end))
    counts = {}
    for (tid, coder), ranges in spans.items():
        if tid not in turns:
            continue
        starts, ends = (np.asarray(v, dtype=np.int64) for v in turns[tid])
        array = np.asarray(ranges, dtype=np.int64)
        first = np.searchsorted(ends, array[:, 0], side="right")  # first turn ending after the coding starts
        last = np.searchsorted(starts, array[:, 1], side="left")  # turns starting before the coding ends
        valid = first < last
        marks = np.zeros(len(starts) + 1, dtype=np.int64)
        np.add.at(marks, first[valid], 1)
        np.add.at(marks, last[valid], -1)
        counts[(tid, coder)] = int((np.cumsum(marks)[:-1] > 0).sum())
    return counts


def transcript_summaries(store: Store) -> list[TranscriptSummary]:
    """Every transcript, by name, with progress for each coder who coded it or set its review status."""
    counts = store.transcripts.unit_counts()
    speakers = store.transcripts.speakers()
    codings = store.codings.count_by_transcript_and_coder()
    coded_turns = coded_turns_by_coder(store)
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
