"""Replacing the text of a transcript that has codings: `qcode import --update FILE [--as NAME]`.

The codings are moved onto the new text by a diff of the old and the new canonical text
(`text.realign.OffsetMap`):

- a coding whose passage is untouched moves with it exactly (same words, new offsets);
- a coding whose passage was edited keeps its place over the edited text, and is listed in the report
  (coder, code, old text, new text);
- a coding whose whole passage was deleted cannot keep a place: it is removed, and listed in the report
  as removed. No coding disappears without being listed.

The units are cut again from the new text, the transcript keeps its name and GUID, and everything is
one journalled transaction (`transcript.update`, `coding.reanchor`, `coding.remove`). With `dry_run`
the report is computed and nothing is stored.

`resplit` also applies when the text is unchanged: the units are cut again with the current rules
(codings stay where they are). That is how a user re-splits a transcript imported by an older qcode;
a plain re-import of an unchanged file never touches it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qcode.domain.models import Coding
from qcode.errors import InputError
from qcode.i18n import _
from qcode.project.importing import FileSummary, ParsedTranscript, parse_files
from qcode.project.project import Project
from qcode.storage.clock import utc_now
from qcode.text.readers import iter_transcript_files
from qcode.text.realign import OffsetMap


@dataclass(frozen=True)
class MovedCoding:
    """A coding whose passage was edited (or deleted): where it was and where it is now."""

    coder: str
    code: str
    guid: str
    old_start: int
    old_end: int
    old_text: str
    new_start: int
    new_end: int
    new_text: str
    removed: bool = False


@dataclass
class UpdateReport:
    name: str
    path: Path
    status: str  # updated, resplit, unchanged
    codings: int = 0  # codings on the transcript
    moved_exactly: int = 0
    edited: list[MovedCoding] = field(default_factory=list)
    summary: FileSummary | None = None
    dry_run: bool = False

    @property
    def removed(self) -> list[MovedCoding]:
        return [m for m in self.edited if m.removed]


def update_transcript(
    project: Project,
    path: str | Path,
    *,
    as_name: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
    resplit: bool = False,
) -> UpdateReport:
    """Replace a stored transcript's text with the file's, re-anchoring its codings (module docstring)."""
    files = iter_transcript_files([Path(path)])
    if len(files) != 1:
        raise InputError(_("--update takes one transcript file, but {count} files were given").format(count=len(files)))
    (item,) = parse_files(files, project.config.imports, encoding=encoding, as_name=as_name)
    store = project.store
    existing = store.transcripts.by_name(item.name)
    if existing is None:
        raise InputError(_("no transcript named '{name}' to update; import it without --update, or name "
                           "the stored transcript with --as NAME").format(name=item.name), path=item.path)
    old_text = store.transcripts.text(existing.id)
    codings = store.codings.for_transcript(existing.id)
    report = UpdateReport(item.name, item.path, "unchanged", len(codings), summary=item.summary(), dry_run=dry_run)
    if old_text == item.text and not resplit:
        report.moved_exactly = len(codings)
        return report
    offsets = OffsetMap(old_text, item.text)
    moves: list[tuple[Coding, Coding | None]] = []
    for coding in codings:
        mapped = offsets.span(coding.start, coding.end)
        if not mapped.edited:
            report.moved_exactly += 1
            if (mapped.start, mapped.end) != (coding.start, coding.end):
                moves.append((coding, _moved(coding, mapped.start, mapped.end)))
            continue
        removed = mapped.start >= mapped.end
        report.edited.append(MovedCoding(
            coding.coder, coding.code, coding.guid, coding.start, coding.end, old_text[coding.start:coding.end],
            mapped.start, mapped.end, item.text[mapped.start:mapped.end], removed))
        moves.append((coding, None if removed else _moved(coding, mapped.start, mapped.end)))
    report.status = "resplit" if old_text == item.text else "updated"
    if not dry_run:
        _store(project, existing, old_text, item, moves)
    return report


def _moved(coding: Coding, start: int, end: int) -> Coding:
    fields = {f: getattr(coding, f) for f in Coding.__dataclass_fields__}
    return Coding(**{**fields, "start": start, "end": end, "updated_at": utc_now()})


def _store(project: Project, existing, old_text: str, item: ParsedTranscript,
           moves: list[tuple[Coding, Coding | None]]) -> None:
    store = project.store
    with store.transaction(source="import") as tx:
        if old_text != item.text:
            store.transcripts.replace_text(existing.id, sha256=item.sha256, text=item.text,
                                           source_path=str(item.path), encoding=item.encoding)
        store.transcripts.replace_units(existing.id, item.units)
        store.transcripts.set_metadata(existing.id, item.metadata)
        for before, after in moves:
            if after is None:
                store.codings.delete(tx, before.guid, action="coding.remove")
            else:
                store.codings.update(tx, before, after, action="coding.reanchor")
        tx.record("transcript.update", "transcripts", existing.guid,
                  {"name": existing.name, "sha256": existing.sha256, "characters": existing.characters,
                   "source_path": existing.source_path, "encoding": existing.encoding, "text": old_text},
                  {"name": item.name, "sha256": item.sha256, "characters": len(item.text),
                   "source_path": str(item.path), "encoding": item.encoding})
