"""`qcode merge OTHER...`: bring other coders' project files into this project.

Identities decide what is the same: transcripts by the sha256 of their text (names may differ; their
codings then follow our name), codes by id, codings and memos by GUID, coders by name, review status by
(coder, transcript). What only they have is added; what both have must agree. A disagreement is a
conflict and is never settled silently:

- a transcript with our name but other text; a code with the same id but other fields;
- a coding with the same GUID but another span, code or memo; a coder's memo on the same thing with
  other text; a coder's review status that differs.

Reveals (a coder saw the others' codings, see `qcode.storage.reveals`) are facts: theirs are added here
unless the same one (coder, transcript, time) is already present; they never conflict.

By default any conflict stops the merge: every conflict is reported and nothing is written.
`--skip-conflicts` merges everything else and leaves the conflicting items as they are here;
`--prefer ours` settles code, coding, memo and review conflicts by keeping ours, `--prefer theirs` by
taking theirs (what a coder changed since the last merge). A transcript conflict has no preferred side:
replacing coded text would move every coding on it.

Merging never deletes: a coding removed in the other file since the last merge stays here.

Codes created while coding (grounded theory) get random ids, so two coders' new codes never collide:
both are added. A new code of theirs with the same name as one of ours under the same parent is
probably the same concept: the report says so with the `qcode codes merge` command that joins them.
Relations between codes, starred examples and the saturation test set are merged by identity too.
The project's YAML codebook is written back after the merge, keeping its comments.

All files are merged in one transaction, journalled with actor `qcode` and source `merge`, so a
coder's undo never undoes a merge. A dry run does the whole merge and rolls it back, so what it reports
is exactly what a real run would do.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qcode.codebook import dump_codebook_yaml
from qcode.domain.models import Coding
from qcode.errors import InputError, Problem
from qcode.interop.codebook_merge import merge_codebooks
from qcode.interop.live_codebook import codebook_of
from qcode.codebook.roundtrip import write_back
from qcode.errors import ConflictError
from qcode.project.codebook_file import base_text, write_codebook_file
from qcode.project.codebook_loading import code_rows
from qcode.project.importing import cut_into_units, speaker_pattern
from qcode.project.project import Project
from qcode.storage import Store
from qcode.storage.database import DB_FILENAME, open_store_readonly
from qcode.storage.transaction import Transaction
from qcode.storage.memos import Memo
from qcode.i18n import N_, _, counted

CATEGORIES = ("transcripts", "codes", "coders", "codings", "memos", "review", "reveals")
PREFER_CHOICES = ("ours", "theirs")
MEMO_TARGET_KINDS = {"coding": N_("coding"), "transcript": N_("transcript"), "code": N_("code"), "relation": N_("relation")}


@dataclass
class Tally:
    """Counts for one kind of thing from one file."""

    added: int = 0
    updated: int = 0  # conflicts settled with --prefer theirs
    unchanged: int = 0
    conflicting: int = 0  # conflicts left as they are here (or blocking the merge)


@dataclass
class FileMerge:
    """What merging one file did (or would do): tallies per kind of thing, notes, and conflicts."""

    path: Path
    tallies: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CATEGORIES})
    notes: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)

    def conflict(self, category: str, message: str, count: int = 1) -> None:
        """Record a conflict about `count` things of one kind."""
        self.tallies[category].conflicting += count
        self.conflicts.append(Problem(message, str(self.path)))


@dataclass
class MergeReport:
    """The outcome of one `merge` command over one or more files."""

    files: list[FileMerge]
    applied: bool  # False for a dry run, or when conflicts stopped the merge

    @property
    def conflicts(self) -> list[Problem]:
        return [p for f in self.files for p in f.conflicts]


class _RollBack(Exception):
    """Raised inside the merge transaction to undo it (dry runs, blocking conflicts)."""


def resolve_project_file(given: Path) -> Path:
    """The database of a project folder, or the file itself."""
    path = given.expanduser()
    if path.is_dir():
        path = path / DB_FILENAME
    if not path.is_file():
        raise InputError(_("no qcode project file here (give a project folder or its qcode.db)"), path=given)
    return path


def merge_projects(
    project: Project,
    others: list[Path],
    *,
    dry_run: bool = False,
    skip_conflicts: bool = False,
    prefer: str | None = None,
) -> MergeReport:
    """Merge `others` into `project` in one transaction; see the module docstring."""
    if prefer not in (None, *PREFER_CHOICES):
        raise InputError(_("--prefer must be one of {choices}").format(choices=", ".join(PREFER_CHOICES)))
    paths = [resolve_project_file(Path(p)) for p in others]
    for path in paths:
        if path.resolve() == project.db_path.resolve():
            raise InputError(_("this is the project itself; merge other coders' copies into it"), path=path)
    files: list[FileMerge] = []
    applied = False
    try:
        with project.store.transaction(actor="qcode", source="merge") as tx:
            for path in paths:
                theirs = open_store_readonly(path)
                try:
                    with theirs.db.atomic():  # one consistent snapshot of their file, even while it is in use
                        files.append(_FileMerger(project, theirs, tx, path, prefer).run())
                finally:
                    theirs.close()
            blocked = any(f.conflicts for f in files) and not skip_conflicts
            if dry_run or blocked:
                raise _RollBack
            applied = True
    except _RollBack:
        pass
    if applied:
        write_codebook_file(project.store)
    return MergeReport(files, applied)


class _FileMerger:
    """Merges one other project file into ours, inside the caller's transaction."""

    def __init__(self, project: Project, theirs: Store, tx: Transaction, path: Path, prefer: str | None) -> None:
        self.project = project
        self.ours = project.store
        self.theirs = theirs
        self.tx = tx
        self.report = FileMerge(path)
        self.prefer = prefer
        self.codable: dict[str, bool] = {}
        self.blocked_codes: set[str] = set()
        self.transcripts: dict[str, tuple[int, str, str]] = {}  # their name -> our (id, name, guid)
        self.transcript_guids: dict[str, str] = {}  # their guid -> our guid
        self.blocked_transcripts: set[str] = set()  # their names

    def run(self) -> FileMerge:
        self._codes()
        self._coders()
        self._transcripts()
        self._codings()
        self._memos()
        self._review()
        self._reveals()
        self._relations()
        return self.report

    # -- codes ------------------------------------------------------------------------------------

    def _codes(self) -> None:
        tally = self.report.tallies["codes"]
        merged = merge_codebooks(codebook_of(self.ours), codebook_of(self.theirs), self.prefer)
        tally.unchanged = len(merged.unchanged)
        for code_id, fields in merged.conflicts.items():
            if code_id in merged.replaced:
                tally.updated += 1
                self.report.notes.append(_("code '{code}': took theirs (differed in: {fields})").format(
                    code=code_id, fields=", ".join(fields)))
            elif self.prefer == "ours":
                tally.unchanged += 1
                self.report.notes.append(_("code '{code}': kept ours (differs in: {fields})").format(
                    code=code_id, fields=", ".join(fields)))
            else:
                self.blocked_codes.add(code_id)
                self.report.conflict("codes", _("code '{code}' differs here and there in: {fields}").format(
                    code=code_id, fields=", ".join(fields)))
        book = merged.codebook
        if merged.problems:
            self.report.conflict("codes", _("their codes cannot be added, the codebook would be invalid: {problems}")
                                 .format(problems="; ".join(merged.problems)))
            book = codebook_of(self.ours)
        elif merged.changed and book is not None:
            tally.added = len(merged.added)
            self._offer_twins(book, merged.added)
            record = self.ours.codes.current_codebook()
            try:
                document = write_back(base_text(self.ours, record), book)
            except ConflictError:  # the file was edited outside qcode: keep the stored text's comments
                document = write_back(record.document if record else None, book)
            self.ours.codes.replace_all(self.tx, code_rows(book))
            self.ours.codes.record_codebook(
                self.tx, codebook_id=book.id, version=book.version, title=book.title.get("zh") or None,
                content_hash=book.content_hash(), format_version=book.format_version,
                source_path=f"merge of {self.report.path}", document=document or dump_codebook_yaml(book))
        self.codable = {code.id: code.codable for code in book} if book is not None else {}

    def _offer_twins(self, book, added: list[str]) -> None:
        """Say which added codes have the name of one of ours under the same parent, and how to join them."""
        new = set(added)
        for code_id in added:
            code = book[code_id]
            name = book.display_name(code_id)
            twins = [c.id for c in book if c.id not in new and c.parent == code.parent
                     and book.display_name(c.id) == name and c.codable == code.codable]
            for twin in twins:
                self.report.notes.append(
                    _("their new code '{code}' and our '{twin}' are both named '{name}' under {parent}; if they are "
                      "the same concept, join them with `qcode codes merge {code} {twin}`").format(
                        code=code_id, twin=twin, name=name, parent=code.parent or _("the top level")))

    # -- relations, starred examples, saturation test set --------------------------------------

    def _relations(self) -> None:
        if not self.theirs.relations.available():
            return  # their file predates relations
        mine = {r.guid: r for r in self.ours.relations.all()}
        for relation in self.theirs.relations.all():
            current = mine.get(relation.guid)
            if current is None and not self.codable.keys() >= {relation.source, relation.target}:
                self.report.conflict("codes", _("relation {source} -[{type}]-> {target} links a code that is not "
                                                "merged here").format(source=relation.source, type=relation.type,
                                                                      target=relation.target))
            elif current is None:
                if self.ours.relations.find(relation.source, relation.target, relation.type) is None:
                    self.ours.relations.restore(self.tx, relation.guid, None, relation.image(), "relation.merge")
            elif current is not None and current.memo != relation.memo:
                if self.prefer == "theirs":
                    self.ours.relations.restore(self.tx, relation.guid, current.image(), relation.image(),
                                                "relation.merge")
                elif self.prefer != "ours":
                    self.report.conflict("codes", _("the memo on relation {source} -[{type}]-> {target} differs here "
                                                    "and there").format(source=relation.source, type=relation.type,
                                                                        target=relation.target))
        codings = {c.guid for c in self.ours.codings.all()}
        starred = self.ours.relations.starred()
        for guid, coder in self.theirs.relations.stars():
            if guid in codings and guid not in starred:
                self.ours.relations.restore_star(self.tx, guid, None, {"coding": guid, "coder": coder})
        held = {self.transcripts[name][0]: self.transcripts[name][1]
                for name in self.theirs.relations.saturation_names() if name in self.transcripts}
        for transcript_id, name in held.items():
            self.ours.relations.restore_saturation(self.tx, transcript_id, name, True)

    # -- coders -----------------------------------------------------------------------------------

    def _coders(self) -> None:
        tally = self.report.tallies["coders"]
        theirs = set(self.theirs.coders.names())
        known = set(self.ours.coders.names())
        for name in sorted(theirs):
            if name in known:
                tally.unchanged += 1
            else:
                self.ours.coders.ensure(name)
                tally.added += 1

    # -- transcripts ------------------------------------------------------------------------------

    def _transcripts(self) -> None:
        tally = self.report.tallies["transcripts"]
        settings = self.project.config.imports
        pattern = speaker_pattern(settings)
        coded: dict[int, int] = {}
        for (tid, _coder), n in self.theirs.codings.count_by_transcript_and_coder().items():
            coded[tid] = coded.get(tid, 0) + n
        for info in self.theirs.transcripts.all():
            same_text = self.ours.transcripts.by_sha256(info.sha256)
            if same_text:
                mine = same_text[0]
                tally.unchanged += 1
                if mine.name != info.name:
                    self.report.notes.append(_("transcript '{theirs}' there is '{ours}' here (same text); its codings "
                                               "follow '{ours}'").format(theirs=info.name, ours=mine.name))
                self._map(info.name, info.guid, mine.id, mine.name, mine.guid)
                continue
            if self.ours.transcripts.by_name(info.name) is not None:
                self.blocked_transcripts.add(info.name)
                self.report.conflict("transcripts", counted(
                    coded.get(info.id, 0),
                    "transcript '{name}' has other text here than there; its {count} coding, memos and review status "
                    "are not merged (import it under another name to compare)",
                    "transcript '{name}' has other text here than there; its {count} codings, memos and review status "
                    "are not merged (import it under another name to compare)", name=info.name))
                continue
            guid = info.guid
            if self.ours.transcripts.by_guid(guid) is not None:
                guid = str(uuid.uuid4())  # the same GUID on other text: keep identities unique
                self.report.notes.append(_("transcript '{name}' got a new GUID (its old one names other text here)")
                                         .format(name=info.name))
            text = self.theirs.transcripts.text(info.id)
            added = self.ours.transcripts.insert(guid=guid, name=info.name, sha256=info.sha256, text=text,
                                                 source_path=info.source_path, encoding=info.encoding)
            self.ours.transcripts.replace_units(added.id, cut_into_units(
                text, pattern, split_on_semicolon=settings.split_sentences_on_semicolon))
            self.tx.record("transcript.merge", "transcripts", guid, None,
                           {"name": info.name, "sha256": info.sha256, "characters": added.characters,
                            "source_path": info.source_path, "encoding": info.encoding,
                            "merged_from": str(self.report.path)})
            tally.added += 1
            self._map(info.name, info.guid, added.id, added.name, guid)

    def _map(self, their_name: str, their_guid: str, our_id: int, our_name: str, our_guid: str) -> None:
        self.transcripts[their_name] = (our_id, our_name, our_guid)
        self.transcript_guids[their_guid] = our_guid

    # -- codings ----------------------------------------------------------------------------------

    def _codings(self) -> None:
        tally = self.report.tallies["codings"]
        ours = {c.guid: c for c in self.ours.codings.all()}
        same_content = {(c.coder, c.transcript, c.code, c.start, c.end) for c in ours.values()}
        unusable: Counter[str] = Counter()
        added: list[tuple[Coding, int]] = []
        for their in self.theirs.codings.all():
            if their.transcript in self.blocked_transcripts:
                tally.conflicting += 1  # reported with its transcript
                continue
            transcript_id, name, _guid = self.transcripts[their.transcript]
            coding = Coding(their.guid, their.coder, name, their.code, their.start, their.end, their.memo,
                            their.created_at, their.updated_at)
            if their.code in self.blocked_codes:
                tally.conflicting += 1  # reported with its code
                continue
            if not self.codable.get(their.code, False):
                unusable[their.code] += 1
                continue
            mine = ours.get(coding.guid)
            if mine is None:
                if (coding.coder, name, coding.code, coding.start, coding.end) in same_content:
                    tally.unchanged += 1  # the same coding under another GUID (coded twice, or re-imported)
                else:
                    added.append((coding, transcript_id))
                    same_content.add((coding.coder, name, coding.code, coding.start, coding.end))
                    tally.added += 1
                continue
            fields = [f for f in ("coder", "transcript", "code", "start", "end", "memo")
                      if getattr(mine, f) != getattr(coding, f)]
            if not fields:
                tally.unchanged += 1
            elif self.prefer == "theirs":
                self._replace_coding(mine, coding, transcript_id)
                tally.updated += 1
                self.report.notes.append(_("coding {guid}: took theirs (differed in: {fields})").format(
                    guid=coding.guid, fields=", ".join(fields)))
            elif self.prefer == "ours":
                tally.unchanged += 1
                self.report.notes.append(_("coding {guid}: kept ours (differs in: {fields})").format(
                    guid=coding.guid, fields=", ".join(fields)))
            else:
                self.report.conflict("codings", _("coding {guid} ({coder}, '{transcript}') differs here and there in: "
                                                  "{fields}").format(guid=coding.guid, coder=mine.coder,
                                                                     transcript=mine.transcript, fields=", ".join(fields)))
        self.ours.codings.insert_many(self.tx, added, action="coding.merge")
        for code, n in sorted(unusable.items()):
            message = (counted(n, "{count} coding applies '{code}', which is a group here",
                               "{count} codings apply '{code}', which is a group here", code=code)
                       if code in self.codable else
                       counted(n, "{count} coding applies '{code}', which is not in the codebook here",
                               "{count} codings apply '{code}', which is not in the codebook here", code=code))
            self.report.conflict("codings", message, count=n)

    def _replace_coding(self, mine: Coding, theirs: Coding, transcript_id: int) -> None:
        if (mine.coder, mine.transcript) == (theirs.coder, theirs.transcript):
            self.ours.codings.update(self.tx, mine, theirs, action="coding.merge")
        else:  # coder and transcript are part of a coding's identity: replace it whole
            self.ours.codings.delete(self.tx, mine.guid, action="coding.merge")
            self.ours.codings.insert(self.tx, theirs, transcript_id, action="coding.merge")

    # -- memos ------------------------------------------------------------------------------------

    def _memos(self) -> None:
        tally = self.report.tallies["memos"]
        by_guid = {m.guid: m for m in self.ours.memos.all()}
        their_names = {t.guid: t.name for t in self.theirs.transcripts.all()}
        for memo in self.theirs.memos.all():
            target = memo.target
            if memo.target_kind == "transcript":
                if their_names.get(target) in self.blocked_transcripts:
                    tally.conflicting += 1  # reported with its transcript
                    continue
                target = self.transcript_guids.get(target, target)
            elif memo.target_kind == "code" and memo.target in self.blocked_codes:
                tally.conflicting += 1
                continue
            what = _("the project") if memo.target_kind == "project" else f"{_(MEMO_TARGET_KINDS.get(memo.target_kind, memo.target_kind))} {target}"
            mine = self.ours.memos.get(memo.target_kind, target, memo.coder)
            row = {**_memo_row(memo), "target": target}
            if mine is not None and mine.text == memo.text:
                tally.unchanged += 1
            elif mine is not None and self.prefer == "theirs":
                row["guid"] = mine.guid
                self.ours.memos.restore(self.tx, row, mine.guid)
                self.tx.record("memo.merge", "memos", mine.guid, _memo_row(mine), row)
                tally.updated += 1
                self.report.notes.append(_("{coder}'s memo on {target}: took theirs").format(coder=memo.coder, target=what))
            elif mine is not None and self.prefer == "ours":
                tally.unchanged += 1
                self.report.notes.append(_("{coder}'s memo on {target}: kept ours").format(coder=memo.coder, target=what))
            elif mine is not None:
                self.report.conflict("memos", _("{coder}'s memo on {target} has other text here than there").format(
                    coder=memo.coder, target=what))
            elif memo.guid in by_guid:
                self.report.conflict("memos", _("memo {guid} is about {target} there but about another target here")
                                     .format(guid=memo.guid, target=what))
            else:
                self.ours.memos.restore(self.tx, row, memo.guid)
                self.tx.record("memo.merge", "memos", memo.guid, None, row)
                tally.added += 1

    # -- review status ----------------------------------------------------------------------------

    def _review(self) -> None:
        tally = self.report.tallies["review"]
        for status in self.theirs.review.all():
            if status.transcript in self.blocked_transcripts:
                tally.conflicting += 1
                continue
            transcript_id, name, _guid = self.transcripts[status.transcript]
            mine = self.ours.review.status(status.coder, transcript_id)
            if mine == status.status:
                tally.unchanged += 1
            elif mine is None:
                self.ours.review.set(self.tx, status.coder, transcript_id, name, status.status)
                tally.added += 1
            elif self.prefer == "theirs":
                self.ours.review.set(self.tx, status.coder, transcript_id, name, status.status)
                tally.updated += 1
                self.report.notes.append(_("{coder}'s review status of '{name}': took theirs ({theirs}, was {ours})")
                                         .format(coder=status.coder, name=name, theirs=status.status, ours=mine))
            elif self.prefer == "ours":
                tally.unchanged += 1
                self.report.notes.append(_("{coder}'s review status of '{name}': kept ours ({ours}, theirs {theirs})")
                                         .format(coder=status.coder, name=name, theirs=status.status, ours=mine))
            else:
                self.report.conflict("review", _("{coder}'s review status of '{name}' is '{ours}' here and '{theirs}' "
                                                 "there").format(coder=status.coder, name=name, theirs=status.status,
                                                                 ours=mine))


    # -- blind coding: when their coders saw others' codings ----------------------------------------

    def _reveals(self) -> None:
        """Copy their reveals, so `qcode agree` here still names the codings that were not blind."""
        tally = self.report.tallies["reveals"]
        for coder, transcript, at, status in self.theirs.reveals.all():
            if transcript in self.blocked_transcripts:
                tally.conflicting += 1
                continue
            transcript_id, name, _guid = self.transcripts[transcript]
            if self.ours.reveals.exists(coder, transcript_id, at):
                tally.unchanged += 1
            else:
                self.ours.reveals.record(self.tx, coder, transcript_id, name, status, at=at)
                tally.added += 1


def _memo_row(memo: Memo) -> dict:
    return {"guid": memo.guid, "target_kind": memo.target_kind, "target": memo.target, "coder": memo.coder,
            "text": memo.text, "created_at": memo.created_at, "updated_at": memo.updated_at}

