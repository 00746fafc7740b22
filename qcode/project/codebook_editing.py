"""Changing the codebook while coding: create, rename, edit, move, merge, split, delete, reorder, recode.

Each operation is one transaction that saves a new codebook version (written into the YAML text so
untouched parts keep their comments), changes the `codes` rows and the codings it moves, and journals
all of it under the acting coder: `CodingSession.undo` reverts it like a coding, across restarts. The
refusals are the same wherever the change comes from (CLI or TUI): a clear message, nothing changed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from qcode.codebook import dump_codebook_yaml, read_codebook_text
from qcode.codebook.edit import add_code, change_code, move_code, new_code_id, remove_code, reorder_code
from qcode.codebook.roundtrip import write_back
from qcode.domain.codebook import Code, Codebook, Text
from qcode.domain.models import Coding, TranscriptInfo
from qcode.errors import ConflictError, InputError
from qcode.i18n import _, ngettext
from qcode.project.codebook_file import base_text, codebook_file, write_codebook_file
from qcode.project.codebook_loading import code_rows, current_codebook, remember_codebook
from qcode.storage import Store
from qcode.storage.clock import utc_now
from qcode.storage.transaction import Transaction

#: At most this many characters of selected text become an in-vivo code's name.
IN_VIVO_MAX = 20


@dataclass(frozen=True)
class EditResult:
    """What a change did: a sentence for the user and the code it is about."""

    message: str
    code_id: str | None = None
    codings_moved: int = 0


def in_vivo_name(selected: str) -> str:
    """The name an in-vivo code gets from the selected words: one line, trimmed, at most 20 characters."""
    words = " ".join(selected.split()).strip(" \t，。、；：！？,.;:!?\"'“”‘’「」『』（）()")
    return words[:IN_VIVO_MAX].strip()


class CodebookEditor:
    """The codebook operations of one actor (a coder name) on one project database."""

    def __init__(self, store: Store, actor: str, source: str = "tui") -> None:
        self.store = store
        self.actor = actor.strip() or "qcode"
        self.source = source

    @property
    def codebook(self) -> Codebook | None:
        return current_codebook(self.store)

    def _book(self) -> Codebook:
        book = self.codebook
        if book is None:
            raise InputError(_("this project has no codebook yet; add a first code with `qcode codes add`"))
        return book

    # -- creating and editing ------------------------------------------------------------------------

    def add(self, code_id: str | None, name: str, *, parent: str | None = None, name_en: str = "",
            group: bool = False) -> EditResult:
        """Create a code (a fresh id `C-xxxxxx` when `code_id` is None) under `parent` or at the top level."""
        book = self.codebook
        code_id = (code_id or "").strip() or new_code_id(book)
        code = self._new_code(book, code_id, name, parent, name_en, group)
        self._save(add_code(book, code), {"action": "add", "code": code_id, "name": name.strip(), "parent": parent})
        message = (_("created code {code} {name} under {parent}") if parent else _("created code {code} {name}"))
        return EditResult(message.format(code=code_id, name=name.strip(), parent=parent), code_id)

    def add_and_apply(self, coder: str, transcript: TranscriptInfo, start: int, end: int, name: str, *,
                      parent: str | None = None, code_id: str | None = None) -> tuple[EditResult, Coding]:
        """Create a code and apply it to `[start, end)` in one step (one undo reverts both)."""
        if not (0 <= start < end <= transcript.characters):
            raise InputError(_("span [{start}, {end}) is not a non-empty range inside '{transcript}'").format(
                start=start, end=end, transcript=transcript.name))
        book = self.codebook
        code_id = (code_id or "").strip() or new_code_id(book)
        code = self._new_code(book, code_id, name, parent, "", False)
        now = utc_now()
        coding = Coding(str(uuid.uuid4()), coder, transcript.name, code_id, start, end, "", now, now)

        def apply(tx: Transaction) -> None:
            self.store.codings.insert(tx, coding, transcript.id)

        self._save(add_code(book, code), {"action": "add", "code": code_id, "name": name.strip(), "parent": parent,
                                          "applied": 1}, apply)
        return EditResult(_("created and applied {code} {name}").format(code=code_id, name=name.strip()),
                          code_id, 1), coding

    def _new_code(self, book: Codebook | None, code_id: str, name: str, parent: str | None, name_en: str,
                  group: bool) -> Code:
        name, name_en = name.strip(), name_en.strip()
        if not name:
            raise InputError(_("a code needs a name"))
        if book is not None and code_id in book:
            raise InputError(_("a code with id '{id}' already exists ({name})").format(
                id=code_id, name=book.display_name(code_id)))
        if parent is not None and (book is None or parent not in book):
            raise InputError(_("no code '{code}' to put the new code under; see `qcode codebook show`").format(
                code=parent))
        if book is not None:
            twin = [c.id for c in book if c.parent == parent and c.name.get("zh") == name]
            if twin:
                raise InputError(_("'{name}' already exists there as {code}; use that code or another name").format(
                    name=name, code=twin[0]))
        label = Text(translations=(("zh", name), ("en", name_en))) if name_en else Text(plain=name)
        return Code(id=code_id, name=label, codable=not group, parent=parent)

    def rename(self, code_id: str, name: str | None = None, name_en: str | None = None) -> EditResult:
        book = self._book()
        fields = {k: v for k, v in (("name", name), ("name_en", name_en)) if v is not None}
        if not fields:
            raise InputError(_("give a new name (--name) or English name (--name-en)"))
        old = book.display_name(code_id) if code_id in book else code_id
        self._save(change_code(book, code_id, **fields),
                   {"action": "rename", "code": code_id, "from": old, "to": fields.get("name", old)})
        return EditResult(_("renamed {code}: {old} → {new}").format(code=code_id, old=old, new=fields.get("name", old)),
                          code_id)

    def edit(self, code_id: str, **fields) -> EditResult:
        """Change definition, include, exclude, examples, keywords, key (hotkey), color, codable, names."""
        book = self._book()
        if fields.get("codable") is False and self.store.codings.count_by_code().get(code_id):
            raise ConflictError(_("'{code}' has codings; a group cannot hold codings (move them first)").format(
                code=code_id))
        self._save(change_code(book, code_id, **fields), {"action": "edit", "code": code_id, "fields": sorted(fields)})
        return EditResult(_("changed {fields} of {code}").format(fields=", ".join(sorted(fields)), code=code_id),
                          code_id)

    def move(self, code_id: str, parent: str | None) -> EditResult:
        book = self._book()
        before = book[code_id].parent if code_id in book else None
        self._save(move_code(book, code_id, parent), {"action": "move", "code": code_id, "from": before, "to": parent})
        message = _("moved {code} under {parent}") if parent else _("moved {code} to the top level")
        return EditResult(message.format(code=code_id, parent=parent), code_id)

    def reorder(self, code_id: str, offset: int) -> EditResult:
        self._save(reorder_code(self._book(), code_id, offset), {"action": "reorder", "code": code_id})
        message = _("moved {code} up") if offset < 0 else _("moved {code} down")
        return EditResult(message.format(code=code_id), code_id)

    def delete(self, code_id: str) -> EditResult:
        """Delete a code that nothing refers to; refused with the counts otherwise."""
        book = self._book()
        if code_id not in book:
            raise InputError(_no_code(code_id))
        codings = self.store.codings.count_by_code().get(code_id, 0)
        relations = len(self.store.relations.touching(code_id))
        if codings or relations:
            what = ", ".join(p for p in (
                ngettext("{count} coding", "{count} codings", codings).format(count=codings) if codings else "",
                ngettext("{count} relation", "{count} relations", relations).format(count=relations)
                if relations else "") if p)
            raise ConflictError(_("'{code}' has {what}; nothing was deleted. Merge it into another code "
                                  "(`qcode codes merge {code} OTHER`) or recode its codings first").format(
                code=code_id, what=what))
        new = remove_code(book, code_id)
        if new is None:
            raise ConflictError(_("that is the last code; a codebook needs at least one"))
        self._save(new, {"action": "delete", "code": code_id, "name": book.display_name(code_id)})
        return EditResult(_("deleted {code}").format(code=code_id), code_id)

    # -- merge, split, recode --------------------------------------------------------------------------

    def merge(self, source: str, into: str) -> EditResult:
        """Merge `source` into `into`: codings, children, memos and relations move; `source` goes."""
        book = self._book()
        for code_id in (source, into):
            if code_id not in book:
                raise InputError(_no_code(code_id))
        if source == into:
            raise InputError(_("a code cannot be merged into itself"))
        if into in book.subtree(source):
            raise InputError(_("'{into}' is inside '{code}'; move it out first or merge the other way round").format(
                into=into, code=source))
        moved = self.store.codings.count_by_code().get(source, 0)
        if moved and not book[into].codable:
            raise ConflictError(ngettext("'{into}' is a group and cannot hold the {count} coding of '{code}'",
                                         "'{into}' is a group and cannot hold the {count} codings of '{code}'",
                                         moved).format(into=into, count=moved, code=source))
        new = book
        for child in book[source].children:
            new = move_code(new, child, into)
        removed = remove_code(new, source)
        assert removed is not None
        new = removed

        def move_everything(tx: Transaction) -> None:
            self._merge_codings(tx, source, into)
            self._merge_memos(tx, source, into)
            self._merge_relations(tx, source, into)

        self._save(new, {"action": "merge", "code": source, "into": into, "name": book.display_name(source),
                         "codings": moved}, move_everything)
        return EditResult(ngettext("merged {code} into {into} ({count} coding moved)",
                                   "merged {code} into {into} ({count} codings moved)", moved).format(
            code=source, into=into, count=moved), into, moved)

    def _merge_codings(self, tx: Transaction, source: str, into: str) -> None:
        now = utc_now()
        existing = {(c.coder, c.transcript, c.start, c.end): c for c in self.store.codings.all() if c.code == into}
        for coding in [c for c in self.store.codings.all() if c.code == source]:
            twin = existing.get((coding.coder, coding.transcript, coding.start, coding.end))
            if twin is None:
                self.store.codings.update(tx, coding, replace(coding, code=into, updated_at=now), "coding.recode")
                continue
            # The same coder coded the same span with both codes: keep one coding, with both memos.
            memo = _join(twin.memo, coding.memo)
            if memo != twin.memo:
                joined = replace(twin, memo=memo, updated_at=now)
                self.store.codings.update(tx, twin, joined, "coding.memo")
                existing[(twin.coder, twin.transcript, twin.start, twin.end)] = joined
            self.store.codings.delete(tx, coding.guid, "coding.merge")

    def _merge_memos(self, tx: Transaction, source: str, into: str) -> None:
        for memo in [m for m in self.store.memos.all() if m.target_kind == "code" and m.target == source]:
            kept = self.store.memos.get("code", into, memo.coder)
            self.store.memos.set(tx, "code", into, memo.coder, _join(kept.text if kept else "", memo.text))
            self.store.memos.set(tx, "code", source, memo.coder, "")

    def _merge_relations(self, tx: Transaction, source: str, into: str) -> None:
        now = utc_now()
        for relation in self.store.relations.touching(source):
            before = relation.image()
            self.store.relations.restore(tx, relation.guid, before, None, "relation.merge")
            ends = (into if relation.source == source else relation.source,
                    into if relation.target == source else relation.target)
            if ends[0] == ends[1]:
                continue  # a link between the two merged codes says nothing any more
            twin = self.store.relations.find(ends[0], ends[1], relation.type)
            if twin is not None:
                self.store.relations.restore(tx, twin.guid, twin.image(),
                                             {**twin.image(), "memo": _join(twin.memo, relation.memo),
                                              "updated_at": now}, "relation.memo")
            else:
                self.store.relations.restore(tx, relation.guid, None,
                                             {**before, "source": ends[0], "target": ends[1], "updated_at": now},
                                             "relation.merge")

    def split(self, code_id: str, coding_guids: list[str], name: str, new_id: str | None = None) -> EditResult:
        """Move chosen codings of `code_id` to a new code beside it (same parent)."""
        book = self._book()
        if code_id not in book:
            raise InputError(_no_code(code_id))
        codings = [self.store.codings.get(g) for g in coding_guids]
        wrong = [g for g, c in zip(coding_guids, codings) if c is None or c.code != code_id]
        if wrong or not codings:
            raise InputError(_("choose codings of '{code}' to split off").format(code=code_id) + (
                ngettext(" ({count} is not)", " ({count} are not)", len(wrong)).format(count=len(wrong))
                if wrong else ""))
        new_id = (new_id or "").strip() or new_code_id(book)
        code = self._new_code(book, new_id, name, book[code_id].parent, "", False)
        position = [c.id for c in (book.roots() if code.parent is None else book.children_of(code.parent))]
        now = utc_now()

        def recode(tx: Transaction) -> None:
            for coding in codings:
                assert coding is not None
                self.store.codings.update(tx, coding, replace(coding, code=new_id, updated_at=now), "coding.recode")

        self._save(add_code(book, code, position=position.index(code_id) + 1),
                   {"action": "split", "code": code_id, "into": new_id, "name": name.strip(),
                    "codings": len(codings)}, recode)
        return EditResult(ngettext("split {count} coding of {code} into new code {new} {name}",
                                   "split {count} codings of {code} into new code {new} {name}", len(codings)).format(
            count=len(codings), code=code_id, new=new_id, name=name.strip()), new_id, len(codings))

    def recode(self, coding_guids: list[str], to: str) -> EditResult:
        """Give chosen codings another code, keeping span and memo; duplicates of a coder collapse."""
        book = self._book()
        if to not in book or not book[to].codable:
            raise InputError(_("'{code}' is not an applicable code of the codebook").format(code=to))
        codings = [self.store.codings.get(g) for g in coding_guids]
        if any(c is None for c in codings):
            raise InputError(_("some of those codings no longer exist"))
        now = utc_now()
        with self.store.transaction(self.actor, self.source) as tx:
            moved = self._recode_in(tx, [c for c in codings if c is not None], to, now)
        return EditResult(ngettext("recoded {count} coding to {code}", "recoded {count} codings to {code}",
                                   moved).format(count=moved, code=to), to, moved)

    def recode_all(self, source: str, to: str, coder: str | None = None) -> EditResult:
        """Recode every coding of `source` (of one coder, when given) to `to`."""
        book = self._book()
        if source not in book:
            raise InputError(_no_code(source))
        codings = [c for c in self.store.codings.all() if c.code == source and (coder is None or c.coder == coder)]
        if not codings:
            message = (_("'{code}' has no codings by {coder}; nothing to recode") if coder
                       else _("'{code}' has no codings; nothing to recode"))
            raise InputError(message.format(code=source, coder=coder))
        return self.recode([c.guid for c in codings], to)

    def _recode_in(self, tx: Transaction, codings: list[Coding], to: str, now: str) -> int:
        existing = {(c.coder, c.transcript, c.start, c.end): c for c in self.store.codings.all() if c.code == to}
        for coding in codings:
            if coding.code == to:
                continue
            twin = existing.get((coding.coder, coding.transcript, coding.start, coding.end))
            if twin is None:
                self.store.codings.update(tx, coding, replace(coding, code=to, updated_at=now), "coding.recode")
            else:
                if _join(twin.memo, coding.memo) != twin.memo:
                    self.store.codings.update(tx, twin, replace(twin, memo=_join(twin.memo, coding.memo),
                                                                updated_at=now), "coding.memo")
                self.store.codings.delete(tx, coding.guid, "coding.merge")
        return len(codings)

    # -- saving ----------------------------------------------------------------------------------------

    def _save(self, new: Codebook, change: dict, also: Callable[[Transaction], None] | None = None) -> None:
        """Check `new` as a codebook file would be checked, then store it with `also`'s changes."""
        record = self.store.codes.current_codebook()
        old_book = self.codebook
        if old_book is not None and new.content_hash() == old_book.content_hash() and also is None:
            return
        text = write_back(base_text(self.store, record), new)
        reading = read_codebook_text(text, _("the changed codebook"))
        if reading.errors or reading.codebook is None or reading.codebook.content_hash() != new.content_hash():
            text = dump_codebook_yaml(new)
            reading = read_codebook_text(text, _("the changed codebook"))
        if reading.errors:
            raise InputError(problems=list(reading.errors))
        assert reading.codebook is not None  # read without errors
        path = codebook_file(self.store, record)
        with self.store.transaction(self.actor, self.source) as tx:
            now_current = self.store.codes.current_codebook()
            if (now_current.id if now_current else None) != (record.id if record else None):
                raise ConflictError(_("the codebook was changed by someone else just now; nothing was changed, "
                                      "try again"))
            self.store.codes.replace_all(tx, code_rows(new))
            if also is not None:
                also(tx)
            self.store.codes.record_codebook(
                tx, codebook_id=new.id, version=new.version, title=new.title.get("zh") or None,
                content_hash=new.content_hash(), format_version=new.format_version, source_path=str(path),
                document=text, change=json.dumps(change, ensure_ascii=False),
                previous=record.id if record else None,
            )
        remember_codebook(reading.codebook)
        write_codebook_file(self.store, checked=True)


def _no_code(code_id: str) -> str:
    return _("no code '{code}' in the codebook").format(code=code_id)


def _join(first: str, second: str) -> str:
    first, second = first.strip(), second.strip()
    if not second or second in first:
        return first
    return f"{first}\n\n{second}" if first else second
