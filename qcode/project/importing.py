"""Importing transcript files: decode, lay out, cut into turns and sentences, store — all files or none.

Every file is read and checked before anything is written, so a bad file among fifty leaves the
project unchanged and the user sees every problem at once. Each file is laid out by the reader for its
kind (`LAYOUTS`, by suffix: subtitles have their own; everything else goes through `text.layout`), and
each import reports, per file, the convention found, the speakers, the header kept as metadata and the
first turns (`FileSummary`), which is also all that `--dry-run` does.

An unchanged file (same canonical text as the stored transcript) is left alone, units included, even
when this version of qcode would lay it out differently: stored units and codings never change behind a
user's back. To cut a stored transcript again with the current rules, use `qcode import --update FILE
--resplit` (see `project.updating`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qcode.domain.control_chars import first_control, visible_name
from qcode.domain.models import Unit, UnitKind
from qcode.domain.unit_table import TranscriptUnits
from qcode.errors import ConflictError, InputError, Problem
from qcode.i18n import _, ngettext
from qcode.project.config import ImportSettings
from qcode.project.project import Project
from qcode.text.layout import Layout, parse_layout
from qcode.text.readers import iter_transcript_files, read_transcript
from qcode.text.sentences import sentence_table
from qcode.text.subtitles import SUBTITLE_SUFFIXES, subtitle_turns
from qcode.text.turns import SpeakerPattern

Progress = Callable[[int, int, str], None]  # (done, total, current file name)


@dataclass(frozen=True)
class ParsedTranscript:
    """A decoded file cut into units, ready to store."""

    name: str
    path: Path
    text: str
    encoding: str
    sha256: str
    units: TranscriptUnits
    layout: Layout
    cut_sentences: bool = True

    @property
    def metadata(self) -> dict:
        """What is stored as the transcript's metadata: the convention, front matter, headings, header."""
        return {"convention": self.layout.convention, **self.layout.metadata}

    def summary(self, first: int = 3) -> FileSummary:
        counts: dict[str | None, int] = {}
        for turn in self.layout.turns:
            counts[turn.speaker] = counts.get(turn.speaker, 0) + 1
        preview = tuple((t.speaker, t.time, _preview(self.text, t.start, t.end)) for t in self.layout.turns[:first])
        return FileSummary(self.name, self.layout.convention, tuple(counts.items()), self.layout.metadata,
                           preview, tuple(self.layout.hints))

    @property
    def turns(self) -> int:
        return len(self.units.turns)

    @property
    def sentences(self) -> int | None:
        """None when sentences were not cut (a dry run)."""
        if not self.cut_sentences:
            return None
        return len(self.units.sentences)


@dataclass(frozen=True)
class FileSummary:
    """How one file was read: what `--dry-run` shows and every import prints."""

    name: str
    convention: str
    speakers: tuple[tuple[str | None, int], ...]  # (speaker or None, turns), in order of first turn
    metadata: dict  # front_matter, headings, header: kept out of the units
    first_turns: tuple[tuple[str | None, float | None, str], ...]  # (speaker, time, start of the text)
    hints: tuple[str, ...]  # lines that look like unrecognised speaker labels


def _preview(text: str, start: int, end: int, width: int = 60) -> str:
    """`text[start:end]` on one line, cut to `width`. Flattening a prefix gives a prefix of the flattened
    whole, so a long turn (a whole 50 MB transcript on one line) is flattened only as far as needed."""
    flat = " ".join(text[start:min(end, start + 4 * width)].split())
    if len(flat) <= width and end > start + 4 * width:
        flat = " ".join(text[start:end].split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file."""

    name: str
    path: Path
    status: str  # imported, replaced, unchanged, duplicate
    characters: int
    turns: int
    sentences: int | None  # None in a dry run, which cuts turns only
    encoding: str
    note: str = ""
    summary: FileSummary | None = None


def speaker_pattern(settings: ImportSettings) -> SpeakerPattern:
    return SpeakerPattern.from_config(
        roles=settings.speaker_roles, extra_roles=settings.extra_speaker_roles, regex=settings.speaker_pattern
    )


def _text_layout(text: str, pattern: SpeakerPattern) -> Layout:
    return parse_layout(text, pattern)


def _subtitle_layout(text: str, pattern: SpeakerPattern) -> Layout:
    turns = subtitle_turns(text)
    return Layout(turns, [], {}, ngettext("subtitles ({count} turn from cues)", "subtitles ({count} turns from cues)",
                                          len(turns)).format(count=len(turns)), [])


# How a file's text is laid out, by suffix; anything else is read as text (with Markdown where it shows).
LAYOUTS: dict[str, Callable[[str, SpeakerPattern], Layout]] = {suffix: _subtitle_layout for suffix in SUBTITLE_SUFFIXES}


def lay_out(text: str, pattern: SpeakerPattern, suffix: str = ".txt") -> Layout:
    return LAYOUTS.get(suffix.lower(), _text_layout)(text, pattern)


def cut_into_units(text: str, pattern: SpeakerPattern, *, split_on_semicolon: bool = True,
                   layout: Layout | None = None, sentences: bool = True) -> TranscriptUnits:
    """Speaker turns, then (unless `sentences` is False) the sentences of each turn, as storable units
    (sentences as arrays: a long transcript has a million of them)."""
    turns = (layout or parse_layout(text, pattern)).turns
    units = tuple(
        Unit(UnitKind.TURN, i, t.start, t.end, t.speaker, None, t.label_start, t.label_end, t.time)
        for i, t in enumerate(turns)
    )
    if not sentences:
        return TranscriptUnits(units)
    return TranscriptUnits(units, sentence_table(text, turns, split_on_semicolon=split_on_semicolon))


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_files(
    files: Sequence[Path],
    settings: ImportSettings,
    *,
    encoding: str | None = None,
    as_name: str | None = None,
    progress: Progress | None = None,
    sentences: bool = True,
) -> list[ParsedTranscript]:
    """Read and cut every file; raise one InputError listing every problem found. Without `sentences`
    (a dry run) only turns are cut, which is what a summary needs."""
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
        layout = lay_out(decoded.text, pattern, path.suffix)
        units = cut_into_units(decoded.text, pattern, split_on_semicolon=settings.split_sentences_on_semicolon,
                               layout=layout, sentences=sentences)
        name = as_name if as_name is not None else path.stem
        if (code := first_control(name)) is not None:
            problems.append(Problem(_("the transcript name '{name}' contains the control character {code}; rename the "
                                      "file or give another name with --as NAME").format(name=visible_name(name),
                                                                                         code=code), str(path)))
            continue
        parsed.append(ParsedTranscript(name, path, decoded.text, decoded.encoding, sha256_of(decoded.text), units,
                                       layout, sentences))
    if progress:
        progress(len(files), len(files), "")
    by_name: dict[str, Path] = {}
    for item in parsed:
        if item.name in by_name:
            problems.append(Problem(
                _("two files would both be named '{name}' ({first} and {second}); import them separately with "
                  "--as NAME").format(name=item.name, first=by_name[item.name], second=item.path), str(item.path)))
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
    dry_run: bool = False,
) -> list[ImportOutcome]:
    """Import files and folders (recursively) in one transaction; see the module docstring. With
    `dry_run`, read and lay out everything and say what would happen, but store nothing."""
    files = iter_transcript_files([Path(p) for p in paths])
    if as_name is not None:
        if len(files) != 1:
            raise InputError(_("--as names one transcript, but {count} files were given").format(count=len(files)))
        if not as_name.strip():
            raise InputError(_("--as needs a non-empty name"))
    parsed = parse_files(files, project.config.imports, encoding=encoding, as_name=as_name, progress=progress,
                         sentences=not dry_run)

    store = project.store
    plan: list[tuple[ParsedTranscript, str, str]] = []  # (file, status, note)
    conflicts: list[Problem] = []
    for item in parsed:
        existing = store.transcripts.by_name(item.name)
        if existing is not None and existing.sha256 == item.sha256:
            plan.append((item, "unchanged", _("identical to the stored text; nothing to do")))
        elif existing is not None:
            coded = store.codings.count_for_transcript(existing.id)
            if coded:
                problem = Problem(
                    ngettext("the text of transcript '{name}' has changed, and {count} coding on it would no "
                             "longer point at the same words; use `qcode import --update FILE` to move it onto the "
                             "new text (add --dry-run to see the report first), or import it under a new name "
                             "with --as NAME",
                             "the text of transcript '{name}' has changed, and {count} codings on it would no "
                             "longer point at the same words; use `qcode import --update FILE` to move them onto "
                             "the new text (add --dry-run to see the report first), or import it under a new name "
                             "with --as NAME", coded).format(name=item.name, count=coded),
                    str(item.path))
                if dry_run:
                    plan.append((item, "conflict", problem.message))
                else:
                    conflicts.append(problem)
            else:
                plan.append((item, "replaced", _("text changed; it had no codings, so it was replaced")))
        else:
            twins = [t.name for t in store.transcripts.by_sha256(item.sha256)]
            if twins:
                plan.append((item, "duplicate", _("same text as transcript '{name}'; not imported again").format(
                    name=twins[0])))
            else:
                plan.append((item, "imported", ""))
    if conflicts:
        raise ConflictError(problems=conflicts)
    if not dry_run:
        _store(store, plan)
    return [
        ImportOutcome(item.name, item.path, status, len(item.text), item.turns, item.sentences, item.encoding, note,
                      item.summary())
        for item, status, note in plan
    ]


def _store(store, plan: list[tuple[ParsedTranscript, str, str]]) -> None:
    with store.transaction(source="import") as tx:
        for item, status, _ in plan:
            after = {"name": item.name, "sha256": item.sha256, "characters": len(item.text),
                     "source_path": str(item.path), "encoding": item.encoding}
            if status == "imported":
                info = store.transcripts.insert(guid=str(uuid.uuid4()), name=item.name, sha256=item.sha256,
                                                text=item.text, source_path=str(item.path), encoding=item.encoding,
                                                metadata=item.metadata)
                store.transcripts.replace_units(info.id, item.units)
                tx.record("transcript.import", "transcripts", info.guid, None, after)
            elif status == "replaced":
                old = store.transcripts.by_name(item.name)
                assert old is not None
                old_text = store.transcripts.text(old.id)
                store.transcripts.replace_text(old.id, sha256=item.sha256, text=item.text,
                                               source_path=str(item.path), encoding=item.encoding,
                                               metadata=item.metadata)
                store.transcripts.replace_units(old.id, item.units)
                before = {"name": old.name, "sha256": old.sha256, "characters": old.characters,
                          "source_path": old.source_path, "encoding": old.encoding, "text": old_text}
                tx.record("transcript.reimport", "transcripts", old.guid, before, after)
