"""What a report covers, read from the project once: the selection, the codings as arrays, the units.

`Selection` holds the filters a user gives (`--coders`, `--transcripts`, `--codes`); `load_report_data`
checks them against the project (an unknown name is an `InputError` that lists the valid ones) and
reads the selected codings with one query into numpy columns. Units are read on first use, per kind,
and the unit rule (`qcode.domain.unit_rule`) is applied to every coding at once per transcript.

Positions are also kept on one global line: transcript i occupies `[offset[i], offset[i] + characters)`
with a one-position gap after it, so interval arithmetic over many transcripts at once never merges
across transcripts.

Defaults: all transcripts; the human coders who made at least one coding in them (machine coders,
named `auto:...` like the keyword suggestions of `auto:keywords`, count only when named in
`--coders`); every code of the codebook. A code named in `--codes` brings its whole subtree (its
descendants), in codebook order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from qcode.domain.codebook import Codebook
from qcode.domain.models import TranscriptInfo
from qcode.domain.unit_rule import assign_codings_to_units, content_prefix
from qcode.errors import InputError
from qcode.project.names import choose_transcripts, unknown_names
from qcode.project.codebook_loading import require_codebook
from qcode.storage import Store
from qcode.storage.report_queries import ReportQueries

UNIT_KINDS = ("turn", "sentence")
MACHINE_CODER_PREFIX = "auto:"  # coders that are programs (keyword suggestions), not people
NO_SPEAKER = "(no speaker)"


@dataclass(frozen=True)
class Selection:
    """The filters of a report; None means everything (see the module docstring for the defaults)."""

    coders: tuple[str, ...] | None = None
    transcripts: tuple[str, ...] | None = None
    codes: tuple[str, ...] | None = None


def split_names(values: Sequence[str]) -> tuple[str, ...] | None:
    """Names given as repeated options and/or comma-separated lists; None when none were given."""
    names = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return tuple(dict.fromkeys(names)) or None


@dataclass(frozen=True)
class UnitTable:
    """The units of one kind in the analysis, on the global line, and which codings mark them.

    Units are ordered by transcript (in `ReportData.transcripts` order), then position. `content`
    says whether a unit has at least one content character (only those can be marked, so only those
    are counted as units in the analysis). `marked_unit[i]` is marked by coding `marked_coding[i]`.
    """

    kind: str
    transcript: np.ndarray  # index into ReportData.transcripts
    index: np.ndarray  # position among the transcript's units of this kind
    start: np.ndarray  # global line
    end: np.ndarray
    speaker: np.ndarray  # index into `speakers`
    speakers: tuple[str | None, ...]
    content: np.ndarray  # bool
    marked_unit: np.ndarray
    marked_coding: np.ndarray

    def __len__(self) -> int:
        return int(self.start.size)


@dataclass
class ReportData:
    """The selected transcripts, coders, codes and codings of a project, ready for computation.

    `codes` are the code ids in the analysis in codebook order (groups included); coding columns are
    numpy arrays grouped by transcript (in `transcripts` order), then by storage id; `coding_code`
    indexes `codes`, `coding_coder` indexes `coders`, `coding_transcript` indexes `transcripts`.
    """

    codebook: Codebook
    codes: tuple[str, ...]
    coders: tuple[str, ...]
    transcripts: tuple[TranscriptInfo, ...]
    offsets: np.ndarray  # global line offset of each transcript
    coding_transcript: np.ndarray
    coding_coder: np.ndarray
    coding_code: np.ndarray
    coding_start: np.ndarray  # global line
    coding_end: np.ndarray
    queries: ReportQueries
    coder_ids: tuple[int, ...]
    _units: dict[str, UnitTable] = field(default_factory=dict, repr=False)
    _texts: dict[int, str] | None = field(default=None, repr=False)

    @property
    def n_codings(self) -> int:
        return int(self.coding_start.size)

    @cached_property
    def code_index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}

    def local_start(self) -> np.ndarray:
        """Coding starts as offsets into their own transcript's text."""
        return self.coding_start - self.offsets[self.coding_transcript]

    def local_end(self) -> np.ndarray:
        return self.coding_end - self.offsets[self.coding_transcript]

    def texts(self) -> dict[int, str]:
        """The texts of the selected transcripts, by storage id (read once, on first use)."""
        if self._texts is None:
            self._texts = self.queries.texts([t.id for t in self.transcripts])
        return self._texts

    def units(self, kind: str) -> UnitTable:
        """The turns or sentences of the selected transcripts, with the unit rule applied (cached)."""
        if kind not in UNIT_KINDS:
            raise InputError(f"unknown unit '{kind}'; choose one of {', '.join(UNIT_KINDS)}")
        if kind not in self._units:
            self._units[kind] = self._build_units(kind)
        return self._units[kind]

    def _build_units(self, kind: str) -> UnitTable:
        columns = self.queries.units(kind, [t.id for t in self.transcripts])
        position = {t.id: i for i, t in enumerate(self.transcripts)}
        transcript = np.array([position[tid] for tid in columns.transcript_id], dtype=np.int64)
        # Storage orders by transcript id; reports order transcripts by name.
        order = np.lexsort((np.asarray(columns.index, dtype=np.int64), transcript))
        transcript = transcript[order]
        index = np.asarray(columns.index, dtype=np.int64)[order]
        local_start = np.asarray(columns.start, dtype=np.int64)[order]
        local_end = np.asarray(columns.end, dtype=np.int64)[order]
        speaker_names = [columns.speaker[i] for i in order]
        speakers = tuple(sorted({s for s in speaker_names if s is not None})) + (
            (None,) if None in speaker_names else ()
        )
        speaker_index = {s: i for i, s in enumerate(speakers)}
        speaker = np.array([speaker_index[s] for s in speaker_names], dtype=np.int64)

        content = np.zeros(transcript.size, dtype=bool)
        marked_units: list[np.ndarray] = []
        marked_codings: list[np.ndarray] = []
        unit_bounds = np.searchsorted(transcript, np.arange(len(self.transcripts) + 1))
        coding_bounds = np.searchsorted(self.coding_transcript, np.arange(len(self.transcripts) + 1))
        texts = self.texts()
        starts, ends = self.local_start(), self.local_end()
        for t, info in enumerate(self.transcripts):
            u0, u1 = unit_bounds[t], unit_bounds[t + 1]
            c0, c1 = coding_bounds[t], coding_bounds[t + 1]
            if u0 == u1:
                continue
            prefix = content_prefix(texts[info.id])
            content[u0:u1] = prefix[local_end[u0:u1]] - prefix[local_start[u0:u1]] > 0
            if c0 == c1:
                continue
            unit, coding = assign_codings_to_units(
                prefix, local_start[u0:u1], local_end[u0:u1], starts[c0:c1], ends[c0:c1]
            )
            marked_units.append(unit + u0)
            marked_codings.append(coding + c0)
        empty = np.zeros(0, dtype=np.int64)
        return UnitTable(
            kind=kind,
            transcript=transcript,
            index=index,
            start=local_start + self.offsets[transcript],
            end=local_end + self.offsets[transcript],
            speaker=speaker,
            speakers=speakers,
            content=content,
            marked_unit=np.concatenate(marked_units) if marked_units else empty,
            marked_coding=np.concatenate(marked_codings) if marked_codings else empty,
        )


def _resolve_transcripts(store: Store, names: tuple[str, ...] | None) -> tuple[TranscriptInfo, ...]:
    """The selected transcripts in name order (the order of every report), whatever order they were given in."""
    return tuple(sorted(choose_transcripts(store, names), key=lambda t: t.name))


def _resolve_codes(codebook: Codebook, names: tuple[str, ...] | None) -> tuple[str, ...]:
    if names is None:
        return tuple(code.id for code in codebook)
    missing = [n for n in names if n not in codebook]
    if missing:
        raise unknown_names("code", missing, [c.id for c in codebook], "load a codebook")
    wanted = {member for name in names for member in codebook.subtree(name)}
    return tuple(code.id for code in codebook if code.id in wanted)


def _resolve_coders(
    queries: ReportQueries, names: tuple[str, ...] | None, transcripts: tuple[TranscriptInfo, ...]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    ids = {name: coder_id for coder_id, name in queries.coders().items()}
    if names is None:
        chosen = tuple(
            name for name in queries.coders_with_codings([t.id for t in transcripts])
            if not name.startswith(MACHINE_CODER_PREFIX)
        )
    else:
        missing = [n for n in names if n not in ids]
        if missing:
            raise unknown_names("coder", missing, sorted(ids), "nobody has coded yet")
        chosen = tuple(sorted(names))
    return chosen, tuple(ids[name] for name in chosen)


def load_report_data(store: Store, selection: Selection | None = None) -> ReportData:
    """Check the selection against the project and read its codings (one query) into arrays."""
    selection = selection or Selection()
    codebook = require_codebook(store)
    queries = ReportQueries.of(store)
    transcripts = _resolve_transcripts(store, selection.transcripts)
    codes = _resolve_codes(codebook, selection.codes)
    coders, coder_ids = _resolve_coders(queries, selection.coders, transcripts)

    codable = [c for c in codes if codebook[c].codable]
    columns = queries.codings([t.id for t in transcripts], list(coder_ids), codable)
    position = {t.id: i for i, t in enumerate(transcripts)}
    code_position = {c: i for i, c in enumerate(codes)}
    coder_position = {coder_id: i for i, coder_id in enumerate(coder_ids)}
    lengths = np.array([t.characters for t in transcripts], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths + 1)))[: len(transcripts)].astype(np.int64)

    transcript = np.array([position[i] for i in columns.transcript_id], dtype=np.int64)
    # Rows come by coding id; group them by transcript in report order (transcripts by name).
    order = np.argsort(transcript, kind="stable")
    transcript = transcript[order]
    coder = np.array([coder_position[i] for i in columns.coder_id], dtype=np.int64)[order]
    code = np.array([code_position[c] for c in columns.code_id], dtype=np.int64)[order]
    start = np.asarray(columns.start, dtype=np.int64)[order] + offsets[transcript]
    end = np.asarray(columns.end, dtype=np.int64)[order] + offsets[transcript]
    return ReportData(
        codebook=codebook,
        codes=codes,
        coders=coders,
        transcripts=transcripts,
        offsets=offsets,
        coding_transcript=transcript,
        coding_coder=coder,
        coding_code=code,
        coding_start=start,
        coding_end=end,
        queries=queries,
        coder_ids=coder_ids,
    )
