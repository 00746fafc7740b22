"""Reading a REFI-QDA project (.qdpx) from any program into plain data, ready to store.

What is read: users (as coders), the codebook, text sources (files inside the archive, or inline text;
`absolute://` paths and `relative://` ones that lead out of the archive are refused; a .docx through its plain-text companion), one coding per `<Coding>` of each
`<PlainTextSelection>` (a `<Coding>` directly on a source codes its whole text), notes as memos, and the
review-status sets qcode writes. Positions are converted into canonical code points after deciding, for
the whole file, how the writing program counted them (see `positions`).

What is not read is listed, never dropped silently: PDF, picture, audio and video sources (with how many
codings they carry), text sources with only rich text, empty selections, variables, cases, other sets,
links and graphs. A file that is broken where it matters (missing source files, selections outside their
text, references to nothing) is refused with every problem, each with its line in `project.qde`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from qcode.domain.codebook import Codebook
from qcode.domain.control_chars import visible_name, without_controls
from qcode.errors import InputError, Problem
from qcode.i18n import _, counted
from qcode.interop.positions import (
    CountingDecision,
    Selection,
    SourceText,
    detect_counting,
)
from qcode.interop.qdpx_sources import SourceProblem, SourceResolver
from qcode.interop.refi_cases import ImportedCases, read_variables_and_cases
from qcode.interop.refi_codebook import codebook_metadata, read_code_tree
from qcode.interop.refi_common import (
    GUID_NAMESPACE,
    PI_REVIEW,
    PROJECT_NS,
    normalize_guid,
    pi_data,
    review_set_guid,
    to_timestamp,
)
from qcode.interop.safe_xml import parse_xml
from qcode.interop.safe_zip import SafeZip
from qcode.storage.clock import utc_now

UNKNOWN_CODER = "imported"
_OTHER_SOURCES = {"PDFSource": "PDF", "PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}
_SELECTIONS = ("PlainTextSelection", "PDFSelection", "PictureSelection", "AudioSelection", "VideoSelection",
               "TranscriptSelection")


@dataclass(frozen=True)
class ImportedTranscript:
    """A text source as a transcript: its GUID, a unique name and canonical text."""

    guid: str
    name: str
    text: str  # canonical: no BOM, \n line breaks
    location: str  # where the text came from, for provenance


@dataclass(frozen=True)
class ImportedCoding:
    """One `<Coding>` as a qcode coding, positions in canonical code points."""

    guid: str
    coder: str
    transcript_guid: str
    code: str
    start: int
    end: int
    memo: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class ImportedMemo:
    """One memo made of the notes a coder wrote about one thing."""

    guid: str
    target_kind: str  # project, transcript (target = transcript guid) or code (target = code id)
    target: str
    coder: str
    text: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class ImportedRelation:
    """A `<Link>` between two codes: a relation (axial coding), named by its type."""

    guid: str
    source: str  # code id
    target: str
    type: str
    memo: str
    coder: str
    created_at: str


@dataclass(frozen=True)
class SkippedItem:
    """Something in the file that qcode did not import, and why."""

    kind: str
    name: str
    reason: str


@dataclass
class RefiProject:
    """Everything imported from one .qdpx, in qcode's terms."""

    path: Path
    name: str
    origin: str | None
    coders: list[str]
    codebook: Codebook | None
    transcripts: list[ImportedTranscript]
    codings: list[ImportedCoding]
    memos: list[ImportedMemo]
    review: list[tuple[str, str, str]]  # (coder, transcript guid, status)
    counting: CountingDecision | None
    skipped: list[SkippedItem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    relations: list[ImportedRelation] = field(default_factory=list)
    cases: ImportedCases | None = None  # variables, their values and cases (persons)


_Notes = dict[str, tuple[etree._Element, str]]  # note GUID -> (element, text)
_WholeSourceCoding = tuple[etree._Element, str, int]  # (<Coding>, source GUID, text length)



def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)`... if it is taken; the result is added to `taken`."""
    unique, n = name, 1
    while unique in taken:
        n += 1
        unique = f"{name} ({n})"
    taken.add(unique)
    return unique

def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element, name: str) -> Iterator[etree._Element]:
    return (child for child in element if _local(child) == name)


@dataclass
class _PendingSelection:
    """A text selection before its positions are converted."""

    element: etree._Element
    source_guid: str
    text: SourceText
    start: int
    end: int


class _Reader:
    """One pass over one project file; collects problems instead of stopping at the first."""

    def __init__(self, path: Path, archive: SafeZip, root: etree._Element, where: str) -> None:
        self.path = path
        self.archive = archive
        self.root = root
        self.where = where
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.skipped: list[SkippedItem] = []
        self.users: dict[str, str] = {}
        self.coders: list[str] = []
        self.now = utc_now()

    def error(self, message: str, element: etree._Element | None = None) -> None:
        self.errors.append(Problem(message, self.where, element.sourceline if element is not None else None))

    def warn(self, message: str, element: etree._Element | None = None) -> None:
        self.warnings.append(Problem(message, self.where, element.sourceline if element is not None else None,
                                     severity="warning"))

    def plain_name(self, name: str, element: etree._Element) -> str:
        """`name` on one line, without control characters or bidi overrides (warned about: they could
        disturb a terminal)."""
        cleaned = without_controls(name.replace("\n", " ").replace("\t", " "))
        if cleaned != name.replace("\n", " ").replace("\t", " "):
            self.warn(_("the name '{name}' holds control characters; imported without them as '{cleaned}'").format(
                name=visible_name(name), cleaned=cleaned), element)
        return " ".join(cleaned.split())

    def q(self, tag: str) -> str:
        return f"{{{PROJECT_NS}}}{tag}"

    # -- users ------------------------------------------------------------------------------------

    def read_users(self) -> None:
        taken: set[str] = set()
        for user in self.root.iterfind(f"{self.q('Users')}/{self.q('User')}"):
            guid = normalize_guid(user.get("guid"))
            if guid is None:
                self.error(_("<User> has no valid guid ({guid!r})").format(guid=user.get("guid")), user)
                continue
            name = self.plain_name(user.get("name") or user.get("id") or "", user) or f"user-{guid[:8]}"
            unique = unique_name(name, taken)
            if unique != name:
                self.warn(_("two users are named '{name}'; the second is imported as '{unique}'").format(name=name, unique=unique),
                          user)
            self.users[guid] = unique
            self.use_coder(unique)

    def coder_of(self, *candidates: str | None) -> str:
        """The coder for the first user GUID given; unknown GUIDs become coders of their own."""
        for value in candidates:
            guid = normalize_guid(value)
            if guid is None:
                continue
            if guid not in self.users:
                self.users[guid] = f"user-{guid[:8]}"
                self.warn(_("user {guid} is not listed in <Users>; imported as coder '{coder}'").format(
                    guid=guid, coder=self.users[guid]))
            return self.use_coder(self.users[guid])
        return self.use_coder(UNKNOWN_CODER)

    def use_coder(self, coder: str) -> str:
        """Note that `coder` is needed (users who never coded are coders too)."""
        if coder not in self.coders:
            self.coders.append(coder)
        return coder

    # -- notes ------------------------------------------------------------------------------------

    def read_notes(self, resolver: SourceResolver) -> _Notes:
        notes: _Notes = {}
        for note in self.root.iterfind(f"{self.q('Notes')}/{self.q('Note')}"):
            guid = normalize_guid(note.get("guid"))
            if guid is None:
                self.error(_("<Note> has no valid guid ({guid!r})").format(guid=note.get("guid")), note)
                continue
            text = next((child.text or "" for child in _children(note, "PlainTextContent")), None)
            if text is None and note.get("plainTextPath"):
                try:
                    text = resolver.read(note.get("plainTextPath")).text
                except SourceProblem as exc:
                    self.error(_("note '{name}': {problem}").format(name=note.get("name") or guid, problem=exc), note)
                    continue
            notes[guid] = (note, (text or "").replace("\r\n", "\n").replace("\r", "\n"))
        return notes


def _find_project_xml(archive: SafeZip, warn: Callable[[str], None]) -> str:
    top = [name for name in archive.names if "/" not in name and name.lower().endswith(".qde")]
    if "project.qde" in top:
        return "project.qde"
    if len(top) == 1:
        warn(_("the project XML is named {name!r}, not 'project.qde' (REFI-QDA 1.5 section 8.1); read anyway")
             .format(name=top[0]))
        return top[0]
    deeper = [name for name in archive.names if name.lower().endswith(".qde")]
    if deeper:
        raise InputError(_("no project.qde at the top of the archive (found {found}: zip the folder's contents, not "
                           "the folder); not a REFI-QDA project").format(found=", ".join(deeper)), path=archive.path)
    raise InputError(_("no project.qde at the top of the archive; not a REFI-QDA project"), path=archive.path)


def read_qdpx(path: Path) -> RefiProject:
    """Read a .qdpx; raises `InputError` listing every problem that stops an exact import."""
    with SafeZip(path) as archive:
        early_warnings: list[Problem] = []
        entry = _find_project_xml(archive, lambda m: early_warnings.append(Problem(m, str(path), severity="warning")))
        where = f"{path}:{entry}"
        root = parse_xml(archive.read(entry), where, PROJECT_NS, "Project")
        reader = _Reader(path, archive, root, where)
        reader.warnings.extend(early_warnings)
        return _read_project(reader)


def _read_project(r: _Reader) -> RefiProject:
    root = r.root
    q = r.q
    resolver = SourceResolver(r.archive)
    r.read_users()
    notes = r.read_notes(resolver)

    coded = frozenset(filter(None, (normalize_guid(ref.get("targetGUID")) for ref in root.iter(q("CodeRef")))))
    book_element = root.find(q("CodeBook"))
    codebook = None
    code_ids: dict[str, str] = {}
    if book_element is not None:
        imported = read_code_tree(book_element.find(q("Codes")), r.where, metadata=codebook_metadata(book_element),
                                  coded_guids=coded)
        codebook, code_ids = imported.codebook, imported.ids_by_guid
        r.warnings.extend(imported.warnings)

    transcripts, pending, whole = _read_sources(r, resolver)
    counting = detect_counting([Selection(p.text, p.start, p.end, p.element.get("name") or "") for p in pending],
                               root.get("origin")) if pending else None
    codings = _codings(r, pending, whole, code_ids, counting, notes)
    relations, link_notes = _links(r, notes, code_ids)
    memos = _memos(r, {g: n for g, n in notes.items() if g not in link_notes}, {t.guid for t in transcripts},
                   code_ids)
    review = _review(r, {t.guid for t in transcripts})
    cases = read_variables_and_cases(root, set())
    _list_unread(r)
    if r.errors:
        raise InputError(problems=r.errors)
    return RefiProject(r.path, root.get("name") or r.path.stem, root.get("origin"), list(r.coders), codebook,
                       transcripts, codings, memos, review, counting, r.skipped, r.warnings, relations, cases)


def _links(r: _Reader, notes: _Notes, code_ids: dict[str, str]) -> tuple[list[ImportedRelation], set[str]]:
    """Links from one code to another become relations (their notes the memo); other links are skipped."""
    relations: list[ImportedRelation] = []
    used_notes: set[str] = set()
    others: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for link in r.root.iterfind(f"{r.q('Links')}/{r.q('Link')}"):
        source = code_ids.get(normalize_guid(link.get("originGUID")) or "")
        target = code_ids.get(normalize_guid(link.get("targetGUID")) or "")
        type_ = " ".join((link.get("name") or "").split()) or "关联"
        if source is None or target is None or source == target or (source, target, type_) in seen:
            others.append(link.get("name") or "?")
            continue
        seen.add((source, target, type_))
        refs = [n for n in _note_refs(link) if n in notes]
        used_notes.update(refs)
        memo = "\n\n".join(notes[n][1] for n in refs if notes[n][1].strip())
        author = notes[refs[0]][0].get("creatingUser") if refs else None
        relations.append(ImportedRelation(normalize_guid(link.get("guid")) or str(uuid.uuid4()), source, target,
                                          type_, memo, r.coder_of(author, r.root.get("creatingUserGUID")), r.now))
    if others:
        r.skipped.append(SkippedItem("link", ", ".join(others[:10]) + (" ..." if len(others) > 10 else ""),
                                     counted(len(others), "{count} link not between two codes of the codebook (or "
                                             "repeated): qcode imports links between codes only",
                                             "{count} links not between two codes of the codebook (or repeated): "
                                             "qcode imports links between codes only")))
    return relations, used_notes


def _read_sources(
    r: _Reader, resolver: SourceResolver
) -> tuple[list[ImportedTranscript], list[_PendingSelection], list[_WholeSourceCoding]]:
    """Text sources and their selections; other kinds of sources are listed as skipped."""
    transcripts: list[ImportedTranscript] = []
    pending: list[_PendingSelection] = []
    whole: list[_WholeSourceCoding] = []
    names: set[str] = set()
    guids: dict[str, int] = {}
    sources = r.root.find(r.q("Sources"))
    for source in (sources if sources is not None else ()):
        kind = _local(source)
        label = source.get("name") or source.get("guid") or "?"
        if kind in _OTHER_SOURCES:
            n = sum(1 for s in source.iter() if _local(s) in _SELECTIONS)
            r.skipped.append(SkippedItem(f"{_OTHER_SOURCES[kind]} source", label,
                                         counted(n, "qcode codes text only; {count} selection on it not imported",
                                                 "qcode codes text only; {count} selections on it not imported")))
            continue
        if kind != "TextSource":
            continue
        guid = normalize_guid(source.get("guid"))
        if guid is None:
            r.error(_("text source '{name}' has no valid guid ({guid!r})").format(name=label, guid=source.get("guid")), source)
            continue
        if guid in guids:
            r.error(_("text source guid {guid} is used twice (first at line {line})").format(guid=guid, line=guids[guid]),
                    source)
            continue
        guids[guid] = source.sourceline
        written, location = _source_text(r, resolver, source, label)
        if written is None:
            continue
        text = SourceText(written)
        name = r.plain_name(source.get("name") or "", source) or f"source-{guid[:8]}"
        unique = unique_name(name, names)
        if unique != name:
            r.warn(_("two sources are named '{name}'; the second is imported as '{unique}'").format(name=name, unique=unique),
                   source)
        transcripts.append(ImportedTranscript(guid, unique, text.canonical, location))
        for selection in _children(source, "PlainTextSelection"):
            try:
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            except (TypeError, ValueError):
                r.error(_("selection {guid} in '{name}' has no integer startPosition/endPosition").format(
                    guid=selection.get("guid"), name=unique), selection)
                continue
            if start > end:
                r.error(_("selection {guid} in '{name}': startPosition {start} is after endPosition {end}").format(
                    guid=selection.get("guid"), name=unique, start=start, end=end), selection)
                continue
            pending.append(_PendingSelection(selection, guid, text, start, end))
        whole += [(coding, guid, len(text.canonical)) for coding in _children(source, "Coding")]
    return transcripts, pending, whole


def _source_text(r: _Reader, resolver: SourceResolver, source: etree._Element, label: str) -> tuple[str | None, str]:
    inline = next((child for child in _children(source, "PlainTextContent")), None)
    reference = source.get("plainTextPath")
    if reference:
        try:
            found = resolver.read(reference)
        except SourceProblem as exc:
            r.error(_("text source '{name}': {problem}").format(name=label, problem=exc), source)
            return None, ""
        return found.text, found.location
    if inline is not None:
        return inline.text or "", "inline text in project.qde"
    if source.get("richTextPath"):
        n = sum(1 for _selection in _children(source, "PlainTextSelection"))
        r.skipped.append(SkippedItem("rich text source", label, counted(
            n, "it has no plain-text companion (plainTextPath) whose positions the selections count; {count} selection "
               "not imported",
            "it has no plain-text companion (plainTextPath) whose positions the selections count; {count} selections "
            "not imported")))
        return None, ""
    r.error(_("text source '{name}' has neither plainTextPath nor PlainTextContent").format(name=label), source)
    return None, ""


def _note_refs(element: etree._Element) -> list[str]:
    return [g for g in (normalize_guid(ref.get("targetGUID")) for ref in _children(element, "NoteRef")) if g]


def _codings(r: _Reader, pending: list[_PendingSelection], whole: list[_WholeSourceCoding],
             code_ids: dict[str, str], counting: CountingDecision | None, notes: _Notes) -> list[ImportedCoding]:
    found: list[ImportedCoding] = []
    used: set[str] = set()
    renamed = empty = 0

    def coding_guid(coding: etree._Element, selection_guid: str, code_guid: str) -> str:
        nonlocal renamed
        guid = normalize_guid(coding.get("guid"))
        if guid is None or guid in used:
            renamed += 1
            guid = str(uuid.uuid5(GUID_NAMESPACE, f"import:{selection_guid}:{code_guid}:{renamed}"))
        used.add(guid)
        return guid

    def add(coding: etree._Element, selection: etree._Element | None, source_guid: str, start: int, end: int,
            memo_parts: list[str]) -> None:
        ref, note_guids = None, []
        for child in coding:
            name = _local(child)
            if name == "CodeRef":
                ref = child
            elif name == "NoteRef":
                note_guids.append(normalize_guid(child.get("targetGUID")))
        code_guid = normalize_guid(ref.get("targetGUID")) if ref is not None else None
        if code_guid is None or code_guid not in code_ids:
            r.error(_("a <Coding> refers to code {guid!r}, which is not in the codebook").format(
                guid=ref.get("targetGUID") if ref is not None else None), coding)
            return
        owner = selection if selection is not None else coding
        parts = memo_parts + [notes[g][1] for g in note_guids if g in notes]
        created = to_timestamp(coding.get("creationDateTime")) or to_timestamp(owner.get("creationDateTime"))
        updated = to_timestamp(owner.get("modifiedDateTime")) or created
        found.append(ImportedCoding(
            coding_guid(coding, normalize_guid(owner.get("guid")) or "", code_guid),
            r.coder_of(coding.get("creatingUser"), owner.get("creatingUser"), r.root.get("creatingUserGUID")),
            source_guid, code_ids[code_guid], start, end, "\n\n".join(p for p in parts if p.strip()),
            created or r.now, updated or r.now))

    for item in pending:
        assert counting is not None  # decided from these very selections
        start = item.text.to_canonical(item.start, counting.counting, is_end=False)
        end = item.text.to_canonical(item.end, counting.counting, is_end=True)
        selection = item.element
        if start is None or end is None:
            r.error(counted(len(item.text.written),
                            "selection {guid} [{start}, {end}) lies outside its text ({count} character) counted as "
                            "{counting}",
                            "selection {guid} [{start}, {end}) lies outside its text ({count} characters) counted as "
                            "{counting}", guid=selection.get("guid"), start=item.start, end=item.end,
                            counting=counting.counting.label()),
                    selection)
            continue
        if start >= end:
            empty += 1
            continue
        memo: list[str] = []
        applied: list[etree._Element] = []
        for child in selection:
            name = _local(child)
            if name == "Coding":
                applied.append(child)
            elif name == "Description":
                memo.insert(0, child.text or "")
            elif name == "NoteRef":
                guid = normalize_guid(child.get("targetGUID"))
                if guid in notes:
                    memo.append(notes[guid][1])
        for coding in applied:
            add(coding, selection, item.source_guid, start, end, memo)
    for coding, source_guid, length in whole:
        if length:
            add(coding, None, source_guid, 0, length, [])
    if whole:
        r.warn(counted(len(whole), "{count} coding of a whole source imported as a coding of the whole text",
                       "{count} codings of whole sources imported as codings of the whole text"))
    if empty:
        r.skipped.append(SkippedItem("selection", counted(empty, "{count} selection", "{count} selections"),
                                     _("empty (start = end); nothing to code")))
    if renamed:
        r.warn(counted(renamed, "{count} <Coding> element had a missing or repeated guid and was given a new one",
                       "{count} <Coding> elements had a missing or repeated guid and were given new ones"))
    return found


def _memos(r: _Reader, notes: _Notes, transcripts: set[str], code_ids: dict[str, str]) -> list[ImportedMemo]:
    """Notes become memos on what refers to them: a source, a code, or (otherwise) the project."""
    targets: dict[str, list[tuple[str, str]]] = defaultdict(list)
    on_selections: set[str] = set()
    for source in r.root.iterfind(f"{r.q('Sources')}/{r.q('TextSource')}"):
        guid = normalize_guid(source.get("guid"))
        for ref in source.iter(r.q("NoteRef")):
            note = normalize_guid(ref.get("targetGUID"))
            if note is None:
                continue
            if ref.getparent() is source:
                targets[note].append(("transcript", guid) if guid in transcripts else ("project", ""))
            else:  # on a selection or a coding: part of that coding's memo
                on_selections.add(note)
    for code in r.root.iter(r.q("Code")):
        code_id = code_ids.get(normalize_guid(code.get("guid")) or "")
        for note in _note_refs(code):
            targets[note].append(("code", code_id) if code_id else ("project", ""))
    for note in _note_refs(r.root):
        targets[note].append(("project", ""))

    grouped: dict[tuple[str, str, str], list[tuple[str, etree._Element, str]]] = defaultdict(list)
    for guid, (element, text) in notes.items():
        where = targets.get(guid) or ([] if guid in on_selections else [("project", "")])
        if not where or not text.strip():
            continue
        coder = r.coder_of(element.get("creatingUser"), r.root.get("creatingUserGUID"))
        for kind, target in dict.fromkeys(where):
            grouped[(kind, target, coder)].append((guid, element, text))
    memos = []
    used: set[str] = set()
    for (kind, target, coder), group in grouped.items():
        guid, first, text = group[0]
        if len(group) > 1:  # qcode keeps one memo per coder and target: join them, each under its name
            text = "\n\n".join(f"{element.get('name') or 'Note'}\n{body}" for _, element, body in group)
        if len(group) > 1 or guid in used:  # a note about several things gives several memos
            guid = str(uuid.uuid5(GUID_NAMESPACE, f"memo:{kind}:{target}:{coder}"))
        used.add(guid)
        created = to_timestamp(first.get("creationDateTime")) or r.now
        memos.append(ImportedMemo(guid, kind, target, coder, text, created,
                                  to_timestamp(first.get("modifiedDateTime")) or created))
    return memos


def _review(r: _Reader, transcripts: set[str]) -> list[tuple[str, str, str]]:
    """Review status from the sets qcode writes; other sets are listed as not kept."""
    review = []
    others = []
    for element in r.root.iterfind(f"{r.q('Sets')}/{r.q('Set')}"):
        data = next((pi_data(c.text) for c in element if isinstance(c, etree._ProcessingInstruction)
                     and c.target == PI_REVIEW), None)
        coder, status = (data or {}).get("coder"), (data or {}).get("status")
        genuine = (isinstance(coder, str) and status in ("complete", "in_progress")
                   and normalize_guid(element.get("guid")) == review_set_guid(coder, status))
        if not genuine:
            others.append(element.get("name") or "?")
            continue
        assert isinstance(coder, str) and isinstance(status, str)  # what `genuine` checked
        for member in _children(element, "MemberSource"):
            guid = normalize_guid(member.get("targetGUID"))
            if guid in transcripts:
                review.append((r.use_coder(coder), guid, status))
    if others:
        r.skipped.append(SkippedItem("set", ", ".join(others), _("qcode has no sets of codes or documents")))
    return review


def _list_unread(r: _Reader) -> None:
    for container, element, label in (("Graphs", "Graph", "graph"),):
        found = [e.get("name") or "?" for e in r.root.iterfind(f"{r.q(container)}/{r.q(element)}")]
        if found:
            r.skipped.append(SkippedItem(label, ", ".join(found[:10]) + (" ..." if len(found) > 10 else ""),
                                         counted(len(found), "{count} graph: qcode does not import graphs yet",
                                                 "{count} graphs: qcode does not import graphs yet")))
