"""Writing a project as a REFI-QDA 1.5 project exchange file (.qdpx).

The archive holds `project.qde` and, in `sources/`, each transcript's canonical text as UTF-8 without a
BOM, named by the transcript's GUID. In `project.qde`:

- `<Users>`: one per coder (GUID derived from the name);
- `<CodeBook>`: the codebook as `refi_codebook` writes it;
- `<Sources>`: one `<TextSource>` per transcript; one `<PlainTextSelection>` per coding, positions in code
  points of the canonical text (REFI-QDA 1.5 section 10.2, end exclusive), the excerpt as its name, the
  coding memo as its `<Description>`, one `<Coding>` (GUID = the coding's GUID) with `creatingUser`;
- `<Notes>`: memos, each linked by `<NoteRef>` from what it is about (project, transcript or code);
- `<Links>`: relations between codes (axial coding), one-way, named by their type, the memo as a note;
- `<Sets>`: for each coder, the transcripts they marked complete (and those in progress), which other
  programs show as document sets and qcode reads back as review status.

GUIDs are the project's own (transcripts, codings, memos) or derived (see `refi_common`), so two exports
of the same project carry the same GUIDs.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from qcode import __version__
from qcode.domain.codebook import Codebook
from qcode.errors import InputError
from qcode.i18n import _
from qcode.interop.live_codebook import codebook_of
from qcode.interop.refi_codebook import add_code_elements, codebook_metadata_pi
from qcode.interop.refi_common import (
    PI_REVIEW,
    PROJECT_NS,
    PROJECT_SCHEMA_LOCATION,
    XSI_NS,
    code_guid,
    derived_guid,
    pi_text,
    review_set_guid,
    selection_guid,
    to_timestamp,
    user_guid,
    xml_safe,
)
from qcode.interop.refi_cases import add_variables_and_cases
from qcode.project.project import Project
from qcode.storage.clock import utc_now

#: Longest excerpt written as a selection's name; longer ones are cut and end in an ellipsis.
EXCERPT_NAME_LENGTH = 80

REVIEW_SET_NAMES = {"complete": "{coder}: coded completely", "in_progress": "{coder}: coding in progress"}


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path | None
    transcripts: int
    codes: int
    coders: int
    codings: int
    memos: int


def _q(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


def _excerpt_name(text: str) -> str:
    excerpt = " ".join(text.split())
    if len(excerpt) > EXCERPT_NAME_LENGTH:
        excerpt = excerpt[: EXCERPT_NAME_LENGTH - 1].rstrip() + "\u2026"
    return xml_safe(excerpt)


def _set_time(element: etree._Element, attribute: str, value: str | None) -> None:
    stamp = to_timestamp(value)
    if stamp is not None:
        element.set(attribute, stamp)


def build_project_xml(project: Project) -> tuple[bytes, dict[str, bytes], ExportSummary]:
    """`project.qde` and the source files (entry name -> bytes) of a project's export."""
    store = project.store
    codebook: Codebook | None = codebook_of(store)
    transcripts = store.transcripts.all()
    codings = store.codings.all()
    memos = store.memos.all()
    reviews = store.review.all()
    coders = sorted(set(store.coders.names()) | {c.coder for c in codings} | {m.coder for m in memos})

    root = etree.Element(_q("Project"), nsmap={None: PROJECT_NS, "xsi": XSI_NS})
    root.set("name", xml_safe(project.root.name) or "qcode project")
    root.set("origin", f"qcode {__version__}")
    _set_time(root, "creationDateTime", store.meta("created_at"))
    _set_time(root, "modifiedDateTime", utc_now())
    root.set(f"{{{XSI_NS}}}schemaLocation", PROJECT_SCHEMA_LOCATION)

    if coders:
        users = etree.SubElement(root, _q("Users"))
        for coder in coders:
            etree.SubElement(users, _q("User"), guid=user_guid(coder), name=xml_safe(coder))

    name_of_guid = {t.guid: t.name for t in transcripts}
    notes_about: dict[tuple[str, str], list[str]] = defaultdict(list)  # (kind, target) -> note GUIDs
    for memo in memos:
        if memo.target_kind == "transcript" and memo.target not in name_of_guid:
            continue  # about a transcript no longer here: written as a free note
        notes_about[(memo.target_kind, memo.target)].append(memo.guid)

    if codebook is not None and len(codebook):
        book = etree.SubElement(root, _q("CodeBook"))
        book.append(codebook_metadata_pi(codebook))
        code_notes = {target: guids for (kind, target), guids in notes_about.items() if kind == "code"}
        add_code_elements(etree.SubElement(book, _q("Codes")), codebook, PROJECT_NS, code_notes)

    files: dict[str, bytes] = {}
    by_transcript: dict[str, list] = defaultdict(list)
    for coding in codings:
        by_transcript[coding.transcript].append(coding)
    source_elements: dict[int, etree._Element] = {}
    if transcripts:
        sources = etree.SubElement(root, _q("Sources"))
        for info in transcripts:
            text = store.transcripts.text(info.id)
            entry = f"{info.guid}.txt"
            files[f"sources/{entry}"] = text.encode("utf-8")
            source = etree.SubElement(sources, _q("TextSource"), guid=info.guid, name=xml_safe(info.name),
                                      plainTextPath=f"internal://{entry}")
            _set_time(source, "creationDateTime", info.imported_at)
            for coding in by_transcript.get(info.name, ()):
                _add_selection(source, coding, text)
            for note in notes_about.get(("transcript", info.guid), ()):
                etree.SubElement(source, _q("NoteRef"), targetGUID=note)
            source_elements[info.id] = source

    relations = [r for r in store.relations.all() if codebook is not None and r.source in codebook
                 and r.target in codebook]
    relation_notes = [r for r in relations if r.memo.strip()]
    if memos or relation_notes:
        notes = etree.SubElement(root, _q("Notes"))
        for memo in memos:
            found = name_of_guid.get(memo.target)
            about = {"project": "the project", "code": f"code {memo.target}",
                     "transcript": f"transcript {found}" if found else "a removed transcript"}
            note = etree.SubElement(notes, _q("Note"), guid=memo.guid,
                                    name=xml_safe(f"Memo by {memo.coder} on {about[memo.target_kind]}"),
                                    creatingUser=user_guid(memo.coder))
            _set_time(note, "creationDateTime", memo.created_at)
            note.set("modifyingUser", user_guid(memo.coder))
            _set_time(note, "modifiedDateTime", memo.updated_at)
            etree.SubElement(note, _q("PlainTextContent")).text = xml_safe(memo.text)
        for relation in relation_notes:
            note = etree.SubElement(notes, _q("Note"), guid=derived_guid("relation-memo", relation.guid),
                                    name=xml_safe(f"Memo by {relation.coder} on relation {relation.source} "
                                                  f"-[{relation.type}]-> {relation.target}"),
                                    creatingUser=user_guid(relation.coder))
            _set_time(note, "creationDateTime", relation.created_at)
            etree.SubElement(note, _q("PlainTextContent")).text = xml_safe(relation.memo)
    _add_links(root, relations)

    _add_review_sets(root, reviews, {t.name: t.guid for t in transcripts})
    add_variables_and_cases(root, store, source_elements)
    for note in notes_about.get(("project", ""), ()):
        etree.SubElement(root, _q("NoteRef"), targetGUID=note)

    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    summary = ExportSummary(None, len(transcripts), len(codebook) if codebook else 0, len(coders), len(codings),
                            len(memos))
    return xml, files, summary


def _add_selection(source: etree._Element, coding, text: str) -> None:
    user = user_guid(coding.coder)
    selection = etree.SubElement(source, _q("PlainTextSelection"), {
        "guid": selection_guid(coding.guid),
        "name": _excerpt_name(text[coding.start:coding.end]),
        "startPosition": str(coding.start),
        "endPosition": str(coding.end),
        "creatingUser": user,
    })
    _set_time(selection, "creationDateTime", coding.created_at)
    selection.set("modifyingUser", user)
    _set_time(selection, "modifiedDateTime", coding.updated_at)
    if coding.memo:
        etree.SubElement(selection, _q("Description")).text = xml_safe(coding.memo)
    applied = etree.SubElement(selection, _q("Coding"), guid=coding.guid, creatingUser=user)
    _set_time(applied, "creationDateTime", coding.created_at)
    etree.SubElement(applied, _q("CodeRef"), targetGUID=code_guid(coding.code))


def _add_links(root: etree._Element, relations) -> None:
    """Relations between codes (axial coding) as one-way `<Link>`s named by their type."""
    if not relations:
        return
    links = etree.SubElement(root, _q("Links"))
    for relation in relations:
        link = etree.SubElement(links, _q("Link"), guid=derived_guid("relation", relation.guid),
                                name=xml_safe(relation.type), direction="OneWay",
                                originGUID=code_guid(relation.source), targetGUID=code_guid(relation.target))
        if relation.memo.strip():
            etree.SubElement(link, _q("NoteRef"), targetGUID=derived_guid("relation-memo", relation.guid))


def _add_review_sets(root: etree._Element, reviews, guid_of: dict[str, str]) -> None:
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for review in reviews:
        if review.transcript in guid_of and review.status in REVIEW_SET_NAMES:
            members[(review.coder, review.status)].append(guid_of[review.transcript])
    if not members:
        return
    sets = etree.SubElement(root, _q("Sets"))
    for (coder, status), guids in sorted(members.items()):
        element = etree.SubElement(sets, _q("Set"), guid=review_set_guid(coder, status),
                                   name=xml_safe(REVIEW_SET_NAMES[status].format(coder=coder)))
        element.append(etree.ProcessingInstruction(PI_REVIEW, pi_text({"coder": coder, "status": status})))
        etree.SubElement(element, _q("Description")).text = xml_safe(
            f"Review status in qcode: the transcripts {coder} marked {status.replace('_', ' ')}.")
        for guid in guids:
            etree.SubElement(element, _q("MemberSource"), targetGUID=guid)


def export_qdpx(project: Project, path: Path) -> ExportSummary:
    """Write the project to `path` as a .qdpx; the file appears whole or not at all."""
    xml, files, summary = build_project_xml(project)
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise InputError(_("cannot write here: {reason}").format(reason=exc.strerror or exc), path=path) from None
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", xml)
            for name, data in files.items():
                archive.writestr(name, data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(_("cannot write: {reason}").format(reason=exc.strerror or exc), path=path) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return replace(summary, path=path)
