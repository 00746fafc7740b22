"""One coder's changes — apply and remove codes, memos, review status — with undo and redo.

Each change is one transaction that writes the row and its journal entries together, so a change is
either fully stored or not at all; the UI shows it only after `commit`. Undo and redo are rebuilt from
the journal, so they work across restarts: the stack of a coder is the sequence of their "do" batches,
minus what later "undo" batches reverted, plus what "redo" batches re-applied.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from qcode.codebook.stored import current_codebook
from qcode.domain.models import Coding, Span, TranscriptInfo
from qcode.errors import ConflictError, InputError
from qcode.i18n import N_, _
from qcode.domain.control_chars import check_name
from qcode.project.codebook_file import write_codebook_file
from qcode.project.speakers import restore_rename
from qcode.storage import Store
from qcode.storage.clock import utc_now
from qcode.storage.codings import coding_from_journal
from qcode.storage.journal import JournalEntry

REVIEW_COMPLETE = "complete"


@dataclass(frozen=True)
class Change:
    """What an undo or redo did, so the UI can refresh and say it."""

    description: str
    transcripts: frozenset[str]  # names of the transcripts touched
    focus: Coding | None  # the coding changed (as it is now, or as it was if removed), to show
    codebook_changed: bool = False  # the codebook (codes, relations) changed: screens reload it


# How an undo/redo toast names a change, from the journal's machine fields (translated when shown,
# so the journal itself stays language-neutral).
_KINDS = {"undo": N_("undo"), "redo": N_("redo")}
_CODING_CHANGES = {
    "coding.add": N_("apply {code} at {start}-{end} in {transcript}"),
    "coding.remove": N_("remove {code} at {start}-{end} in {transcript}"),
    "coding.memo": N_("memo on {code} at {start}-{end} in {transcript}"),
}
_MEMO_TARGETS = {"project": N_("the project"), "transcript": N_("transcript"), "code": N_("code")}
_CODEBOOK_ACTIONS = {
    "add": N_("add"), "rename": N_("rename"), "edit": N_("edit"), "move": N_("move"), "reorder": N_("reorder"),
    "delete": N_("delete"), "merge": N_("merge"), "split": N_("split"), "undo": N_("undo"), "redo": N_("redo"),
}


def _describe(entries: list[JournalEntry], code_label: Callable[[object], str] = str) -> str:
    """The change of a journal batch in words; `code_label` shows a code id to a reader (its name)."""
    first = entries[0]
    image = first.after or first.before or {}
    if first.entity == "codings":
        template = _CODING_CHANGES.get(first.action, N_("change {code} at {start}-{end} in {transcript}"))
        what = _(template).format(code=code_label(image.get("code")), start=image.get("start"), end=image.get("end"),
                                  transcript=image.get("transcript"))
        more = len(entries) - 1
        return what if not more else what + _(" (+{count} more)").format(count=more)
    if first.entity == "review_status":
        return _("review status of {transcript}").format(transcript=image.get("transcript"))
    if first.entity == "memos":
        kind = str(image.get("target_kind") or "")
        return _("memo on {target}").format(
            target=f"{_(_MEMO_TARGETS[kind]) if kind in _MEMO_TARGETS else kind} {image.get('target') or ''}".strip())
    for entry in entries:
        if entry.entity == "codebooks" and entry.after and entry.after.get("change"):
            change = json.loads(entry.after["change"])
            action = str(change.get("action") or "")
            action = _(_CODEBOOK_ACTIONS[action]) if action in _CODEBOOK_ACTIONS else action
            return f"{action} {code_label(change['code']) if change.get('code') else ''}".strip()
    if first.entity == "code_relations":
        return _("relation {source} → {target}").format(source=code_label(image.get("source")),
                                                        target=code_label(image.get("target")))
    return first.action


class CodingSession:
    """The coding actions of one coder on one project database."""

    def __init__(self, store: Store, coder: str, source: str = "tui") -> None:
        if not coder or not coder.strip():
            raise InputError(_("a coder name is needed"))
        if store.coders.id_of(coder.strip()) is None:  # a new coder: refused before any work is done
            check_name(_("the coder name"), coder.strip())
        self.store = store
        self.coder = coder.strip()
        self.source = source

    # -- actions -----------------------------------------------------------------------------------

    def apply(self, transcript: TranscriptInfo, code_id: str, start: int, end: int, memo: str = "") -> Coding:
        """Apply a code to `[start, end)`; applying the same code to the same span again changes nothing."""
        self._check_span(transcript, start, end)
        self._check_code(code_id)
        with self.store.transaction(self.coder, self.source) as tx:
            # Checked under the write lock (and backed by a unique index): no second copy, whoever else writes.
            existing = self.store.codings.find(self.coder, transcript.id, code_id, start, end)
            if existing is not None:
                return existing
            now = utc_now()
            coding = Coding(str(uuid.uuid4()), self.coder, transcript.name, code_id, start, end, memo, now, now)
            self.store.codings.insert(tx, coding, transcript.id)
        return coding

    def remove(self, guid: str) -> Coding:
        """Remove one of this coder's codings (other coders' codings are read-only)."""
        coding = self._own(guid)
        with self.store.transaction(self.coder, self.source) as tx:
            self.store.codings.delete(tx, coding.guid)
        return coding

    def set_coding_memo(self, guid: str, memo: str) -> Coding:
        coding = self._own(guid)
        if coding.memo == memo:
            return coding
        after = Coding(**{**_image(coding), "memo": memo, "updated_at": utc_now()})
        with self.store.transaction(self.coder, self.source) as tx:
            self.store.codings.update(tx, coding, after, action="coding.memo")
        return after

    def set_memo(self, target_kind: str, target: str, text: str) -> None:
        """Write this coder's memo on the project, a transcript (by guid) or a code (by id)."""
        with self.store.transaction(self.coder, self.source) as tx:
            self.store.memos.set(tx, target_kind, target, self.coder, text)

    def memo(self, target_kind: str, target: str) -> str:
        found = self.store.memos.get(target_kind, target, self.coder)
        return found.text if found else ""

    def set_complete(self, transcript: TranscriptInfo, complete: bool = True) -> bool:
        """Mark the transcript fully coded by this coder (or reopen it); False if it already was."""
        status = REVIEW_COMPLETE if complete else "in_progress"
        with self.store.transaction(self.coder, self.source) as tx:
            return self.store.review.set(tx, self.coder, transcript.id, transcript.name, status)

    def position(self, transcript: TranscriptInfo) -> Span | None:
        """Where this coder left the transcript (the selection then), if they opened it before."""
        found = self.store.positions.get(self.coder, transcript.id)
        if found is None or not 0 <= found[0] <= found[1] <= transcript.characters:
            return None
        return Span(*found)

    def remember_position(self, transcript: TranscriptInfo, span: Span) -> None:
        """Keep where this coder is in the transcript, to reopen it there (a view position: not journalled)."""
        with self.store.transaction(self.coder, self.source):
            self.store.positions.set(self.coder, transcript.id, span.start, span.end)

    def is_complete(self, transcript: TranscriptInfo) -> bool:
        return self.store.review.status(self.coder, transcript.id) == REVIEW_COMPLETE

    def record_reveal(self, transcript: TranscriptInfo) -> str:
        """Note (and journal) that this coder now sees the other coders' codings of `transcript`.

        Blind coding ends here: if the coder has not completed the transcript, or changes their codings
        of it afterwards, agreement reports name it as not coded independently. Returns the time.
        """
        with self.store.transaction(self.coder, self.source) as tx:
            return self.store.reveals.record(tx, self.coder, transcript.id, transcript.name,
                                             self.store.review.status(self.coder, transcript.id))

    # -- undo / redo -------------------------------------------------------------------------------

    def _stacks(self) -> tuple[list[str], list[str]]:
        """(done, undone) batch ids, oldest first, replayed from this coder's journal."""
        done: list[str] = []
        undone: list[str] = []
        for batch, kind, target in self.store.journal.batch_sequence(self.coder):
            if kind == "do":
                done.append(batch)
                undone.clear()
            elif kind == "undo" and target in done:
                done.remove(target)
                undone.append(target)
            elif kind == "redo" and target in undone:
                undone.remove(target)
                done.append(target)
        return done, undone

    def can_undo(self) -> bool:
        return bool(self._stacks()[0])

    def can_redo(self) -> bool:
        return bool(self._stacks()[1])

    def undo(self) -> Change | None:
        """Revert this coder's most recent change still in effect; None when there is nothing to undo."""
        done, _undone = self._stacks()
        if not done:
            return None
        return self._replay(done[-1], "undo")

    def redo(self) -> Change | None:
        """Re-apply the most recently undone change; None when there is nothing to redo."""
        _done, undone = self._stacks()
        if not undone:
            return None
        return self._replay(undone[-1], "redo")

    def _replay(self, batch: str, kind: str) -> Change:
        entries = self.store.journal.batch(batch)
        steps = reversed(entries) if kind == "undo" else entries
        touched: set[str] = set()
        focus: Coding | None = None
        codebook_changed = False
        with self.store.transaction(self.coder, self.source, kind=kind, target_batch=batch) as tx:
            self.store.codes.defer_checks()  # a batch may restore a code after the codings that use it
            for entry in steps:
                expected, wanted = (entry.after, entry.before) if kind == "undo" else (entry.before, entry.after)
                image = wanted or expected or {}
                if "transcript" in image:
                    touched.add(image["transcript"])
                if entry.entity == "codings":
                    focus = self._restore_coding(tx, entry, expected, wanted) or focus
                elif entry.entity == "review_status":
                    transcript = self._transcript(image["transcript"])
                    self.store.review.set(tx, self.coder, transcript.id, transcript.name,
                                          wanted["status"] if wanted else None)
                elif entry.entity == "memos":
                    self.store.memos.restore(tx, wanted, entry.entity_key)
                    tx.record(entry.action, "memos", entry.entity_key, expected, wanted)
                elif entry.entity in _CODEBOOK_ENTITIES:
                    self._restore_codebook_entry(tx, entry, expected, wanted, kind)
                    codebook_changed = True
                elif entry.entity == "units" and entry.action == "speaker.rename":
                    # `qcode speakers rename`: give the listed turns back the speaker they had (or get again)
                    info = self.store.transcripts.by_guid(entry.entity_key)
                    if info is None:
                        raise ConflictError(_("cannot {action}: transcript '{transcript}' no longer exists").format(
                            action=_(_KINDS[kind]), transcript=image.get("transcript")))
                    assert wanted is not None  # a rename journals the turns' speakers before and after
                    restore_rename(self.store, tx, info.id, wanted)
                    tx.record(entry.action, "units", entry.entity_key, expected, wanted)
                else:
                    raise ConflictError(_("cannot {action} a change of kind {kind}").format(
                        action=_(_KINDS[kind]), kind=entry.action))
        if codebook_changed:
            write_codebook_file(self.store)
        change = _describe(entries, self._code_label)
        return Change(_("{action}: {change}").format(action=_(_KINDS[kind]), change=change),
                      frozenset(touched), focus, codebook_changed)

    def _code_label(self, code_id: object) -> str:
        """A code as a reader knows it: its name in the interface language, with the id."""
        book = current_codebook(self.store)
        if book is None or not isinstance(code_id, str) or code_id not in book:
            return str(code_id)
        return _("{name} [{id}]").format(name=book.display_name(code_id), id=code_id)

    def _restore_codebook_entry(self, tx, entry: JournalEntry, expected: dict | None, wanted: dict | None,
                                kind: str) -> None:
        """Undo or redo one change of a code, a codebook version, a relation, a star or a saturation mark."""
        key = entry.entity_key
        if entry.entity == "codes":
            current = self.store.codes.row(key)
            if (current.as_dict() if current else None) != expected:
                raise ConflictError(_("cannot {action}: code {code} was changed since; nothing was changed").format(
                    action=_(_KINDS[kind]), code=key))
            self.store.codes.restore_row(key, wanted)
            tx.record(entry.action, "codes", key, expected, wanted)
        elif entry.entity == "codebooks":
            if wanted is None:
                raise ConflictError(_("cannot {action} the creation of the project's first codebook").format(
                    action=_(_KINDS[kind])))
            version = self.store.codes.codebook_version(wanted["version"])
            if version is None:
                raise ConflictError(_("codebook version {version} no longer exists").format(version=wanted["version"]))
            previous = self.store.codes.current_codebook()
            left = self.store.codes.codebook_version(expected["version"]) if expected else None
            if previous is None or left is None or previous.content_hash != left.content_hash:
                # Going back to a whole earlier version would silently revert a later change.
                raise ConflictError(_("cannot {action}: the codebook was changed since (by a later change, a load "
                                      "or a merge); nothing was changed").format(action=_(_KINDS[kind])))
            self.store.codes.record_codebook(
                tx, codebook_id=version.codebook_id, version=version.version, title=version.title,
                content_hash=version.content_hash, format_version=version.format_version,
                source_path=version.source_path, document=version.document,
                change=json.dumps({"action": kind, "code": None, "version": version.id}),
                previous=previous.id if previous else None)
        elif entry.entity == "code_relations":
            relation = self.store.relations.get(key)
            if (relation.image() if relation else None) != expected:
                raise ConflictError(_("cannot {action}: relation {relation} was changed since; nothing was changed"
                                      ).format(action=_(_KINDS[kind]), relation=key))
            self.store.relations.restore(tx, key, expected, wanted, entry.action)
        elif entry.entity == "coding_examples":
            self.store.relations.restore_star(tx, key, expected, wanted)
        elif entry.entity == "saturation_tests":
            transcript = self._transcript(key)
            self.store.relations.restore_saturation(tx, transcript.id, transcript.name, wanted is not None)

    def _restore_coding(self, tx, entry: JournalEntry, expected: dict | None, wanted: dict | None) -> Coding | None:
        current = self.store.codings.get(entry.entity_key)
        if (current is None) != (expected is None) or (current is not None and _image(current) != expected):
            raise ConflictError(
                _("cannot undo/redo: coding {coding} was changed since (by a merge or another session); "
                  "nothing was changed").format(coding=entry.entity_key)
            )
        if wanted is None:
            assert expected is not None  # the coding to delete exists, and matched `expected` (checked above)
            self.store.codings.delete(tx, entry.entity_key, action=entry.action)
            return coding_from_journal(expected)  # where it was: the screen shows what changed
        coding = coding_from_journal(wanted)
        if current is None:
            self.store.codings.insert(tx, coding, self._transcript(coding.transcript).id, action=entry.action)
        else:
            self.store.codings.update(tx, current, coding, action=entry.action)
        return coding

    # -- checks ------------------------------------------------------------------------------------

    def _transcript(self, name: str) -> TranscriptInfo:
        found = self.store.transcripts.by_name(name)
        if found is None:
            raise ConflictError(_("transcript '{transcript}' no longer exists").format(transcript=name))
        return found

    def _own(self, guid: str) -> Coding:
        coding = self.store.codings.get(guid)
        if coding is None:
            raise InputError(_("no coding {coding}").format(coding=guid))
        if coding.coder != self.coder:
            raise InputError(_("that coding belongs to {coder}; other coders' codings are read-only").format(
                coder=coding.coder))
        return coding

    def _check_span(self, transcript: TranscriptInfo, start: int, end: int) -> None:
        if not (0 <= start < end <= transcript.characters):
            raise InputError(
                _("span [{start}, {end}) is not a non-empty range inside '{transcript}' (0-{characters})").format(
                    start=start, end=end, transcript=transcript.name, characters=transcript.characters)
            )

    def _check_code(self, code_id: str) -> None:
        codable = self.store.codes.codable(code_id)
        if codable is None:
            raise InputError(_("unknown code '{code}'").format(code=code_id))
        if not codable:
            raise InputError(_("'{code}' is a group that organises codes; it cannot be applied").format(code=code_id))


_CODEBOOK_ENTITIES = frozenset({"codes", "codebooks", "code_relations", "coding_examples", "saturation_tests"})


def _image(coding: Coding) -> dict:
    return {f: getattr(coding, f) for f in Coding.__dataclass_fields__}
