"""Importing transcript files: decode, cut into turns and sentences, store — all files or none.

Every file is read and checked before anything is written, so a bad file among fifty leaves the
project unchanged and the user sees every problem at once.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qcode.domain.models import Unit, UnitKind
from qcode.errors import ConflictError, InputError, Problem
from qcode.project.config import ImportSettings
from qcode.project.project import Project
from qcode.text.readers import iter_transcript_files, read_transcript
from qcode.text.sentences import sentences_of_turns
from qcode.text.turns import SpeakerPattern, parse_turns

Progress = Callable[[int, int, str], None]  # (done, total, current file name)


@dataclass(frozen=True)
class ParsedTranscript:
    """A decoded file cut into units, ready to store."""

    name: str
    path: Path
    text: str
    encoding: str
    sha256: str
    units: tuple[Unit, ...]

    @property
    def turns(self) -> int:
        return sum(1 for u in self.units if u.kind is UnitKind.TURN)

    @property
    def sentences(self) -> int:
        return sum(1 for u in self.units if u.kind is UnitKind.SENTENCE)


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file."""

    name: str
    path: Path
    status: str  # imported, replaced, unchanged, duplicate
    characters: int
    turns: int
    sentences: int
    encoding: str
    note: str = ""


def speaker_pattern(settings: ImportSettings) -> SpeakerPattern:
    return SpeakerPattern.from_config(
        roles=settings.speaker_roles, extra_roles=settings.extra_speaker_roles, regex=settings.speaker_pattern
    )


def cut_into_units(text: str, pattern: SpeakerPattern, *, split_on_semicolon: bool = True) -> tuple[Unit, ...]:
    """Speaker turns, then the sentences of each turn, as storable units."""
    turns = parse_turns(text, pattern)
    units = [
        Unit(UnitKind.TURN, i, t.start, t.end, t.speaker, None, t.label_start, t.label_end) for i, t in enumerate(turns)
    ]
    units += [
        Unit(UnitKind.SENTENCE, i, start, end, turns[turn_index].speaker, turn_index)
        for i, (turn_index, start, end) in enumerate(
            sentences_of_turns(text, turns, split_on_semicolon=split_on_semicolon)
        )
    ]
    return tuple(units)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_files(
    files: Sequence[Path],
    settings: ImportSettings,
    *,
    encoding: str | None = None,
    as_name: str | None = None,
    progress: Progress | None = None,
) -> list[ParsedTranscript]:
    """Read and cut every file; raise one InputError listing every problem found."""
    pattern = speaker_pattern(settings)
    problems: list[Problem] = []
    parsed: list[ParsedTranscript] = []
    for done, path in enumerate(files):
        if progress:
            progress(done, len(files), path.name)
        try:
            decoded = read_transcript(path, encoding=encoding)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        units = cut_into_units(decoded.text, pattern, split_on_semicolon=settings.split_sentences_on_semicolon)
        name = as_name if as_name is not None else path.stem
        parsed.append(ParsedTranscript(name, path, decoded.text, decoded.encoding, sha256_of(decoded.text), units))
    if progress:
        progress(len(files), len(files), "")
    by_name: dict[str, Path] = {}
    for item in parsed:
        if item.name in by_name:
            problems.append(Problem(
                f"two files would both be named '{item.name}' ({by_name[item.name]} and {item.path}); "
                "import them separately with --as NAME", str(item.path)))
        by_name[item.name] = item.path
    if problems:
        raise InputError(problems=problems)
    return parsed


def import_transcripts(
    project: Project,
    paths: Sequence[str | Path],
    *,
    encoding: str | None = None,
    as_name: str | None = None,
    progress: Progress | None = None,
) -> list[ImportOutcome]:
    """Import files and folders (recursively) in one transaction; see the module docstring."""
    files = iter_transcript_files([Path(p) for p in paths])
    if as_name is not None:
        if len(files) != 1:
            raise InputError(f"--as names one transcript, but {len(files)} files were given")
        if not as_name.strip():
            raise InputError("--as needs a non-empty name")
    parsed = parse_files(files, project.config.imports, encoding=encoding, as_name=as_name, progress=progress)

    store = project.store
    plan: list[tuple[ParsedTranscript, str, str]] = []  # (file, status, note)
    conflicts: list[Problem] = []
    for item in parsed:
        existing = store.transcripts.by_name(item.name)
        if existing is not None and existing.sha256 == item.sha256:
            plan.append((item, "unchanged", "identical to the stored text; nothing to do"))
        elif existing is not None:
            coded = store.codings.count_for_transcript(existing.id)
            if coded:
                conflicts.append(Problem(
                    f"the text of transcript '{item.name}' has changed, and {coded} coding(s) on it would no "
                    "longer point at the same words; import it under a new name with --as NAME",
                    str(item.path)))
            else:
                plan.append((item, "replaced", "text changed; it had no codings, so it was replaced"))
        else:
            twins = [t.name for t in store.transcripts.by_sha256(item.sha256)]
            if twins:
                plan.append((item, "duplicate", f"same text as transcript '{twins[0]}'; not imported again"))
            else:
                plan.append((item, "imported", ""))
    if conflicts:
        raise ConflictError(problems=conflicts)

    with store.transaction(source="import") as tx:
        for item, status, _ in plan:
            after = {"name": item.name, "sha256": item.sha256, "characters": len(item.text),
                     "source_path": str(item.path), "encoding": item.encoding}
            if status == "imported":
                info = store.transcripts.insert(guid=str(uuid.uuid4()), name=item.name, sha256=item.sha256,
                                                text=item.text, source_path=str(item.path), encoding=item.encoding)
                store.transcripts.replace_units(info.id, item.units)
                tx.record("transcript.import", "transcripts", info.guid, None, after)
            elif status == "replaced":
                old = store.transcripts.by_name(item.name)
                assert old is not None
                old_text = store.transcripts.text(old.id)
                store.transcripts.replace_text(old.id, sha256=item.sha256, text=item.text,
                                               source_path=str(item.path), encoding=item.encoding)
                store.transcripts.replace_units(old.id, item.units)
                before = {"name": old.name, "sha256": old.sha256, "characters": old.characters,
                          "source_path": old.source_path, "encoding": old.encoding, "text": old_text}
                tx.record("transcript.reimport", "transcripts", old.guid, before, after)
    return [
        ImportOutcome(item.name, item.path, status, len(item.text), item.turns, item.sentences, item.encoding, note)
        for item, status, note in plan
    ]
