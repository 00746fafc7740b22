"""Axial coding and its companions: typed relations between codes, starred example codings, and the
transcripts held back to test saturation. Each change is journalled under the acting coder (undoable).
"""

from __future__ import annotations

import uuid

from qcode.domain.relations import (  # noqa: F401  (re-exported for the CLI and the TUI)
    DEFAULT_RELATION_TYPES,
    RELATION_TYPES_EN,
    normalise_type,
    relation_type_label,
)
from qcode.errors import InputError
from qcode.i18n import _
from qcode.project.codebook_loading import current_codebook
from qcode.storage import Store
from qcode.storage.clock import utc_now
from qcode.storage.relations import Relation

class RelationEditor:
    """Relations, stars and saturation marks, changed by one actor."""

    def __init__(self, store: Store, actor: str, source: str = "tui",
                 types: tuple[str, ...] = DEFAULT_RELATION_TYPES) -> None:
        self.store = store
        self.actor = actor.strip() or "qcode"
        self.source = source
        self.types = types

    def link(self, source: str, target: str, type_: str, memo: str = "") -> tuple[Relation, bool]:
        """Create the link `source -[type]-> target` (or update its memo); True when the type is new."""
        book = current_codebook(self.store)
        for code_id in (source, target):
            if book is None or code_id not in book:
                raise InputError(_("no code '{code}' in the codebook; see `qcode codebook show`").format(code=code_id))
        if source == target:
            raise InputError(_("a relation links two different codes"))
        type_ = normalise_type(type_)
        if not type_:
            raise InputError(_("give a relation type, e.g. {types}").format(types=" / ".join(self.types)))
        now = utc_now()
        existing = self.store.relations.find(source, target, type_)
        with self.store.transaction(self.actor, self.source) as tx:
            if existing is not None:
                after = {**existing.image(), "memo": memo or existing.memo, "updated_at": now}
                self.store.relations.restore(tx, existing.guid, existing.image(), after, "relation.memo")
                guid = existing.guid
            else:
                guid = str(uuid.uuid4())
                self.store.relations.restore(tx, guid, None, {
                    "guid": guid, "source": source, "target": target, "type": type_, "memo": memo,
                    "coder": self.actor, "created_at": now, "updated_at": now}, "relation.add")
        found = self.store.relations.get(guid)
        assert found is not None
        return found, type_ not in self.types

    def unlink(self, source: str, target: str, type_: str | None = None) -> int:
        """Remove the links from `source` to `target` (of one type, when given); how many."""
        doomed = [r for r in self.store.relations.all() if r.source == source and r.target == target
                  and (type_ is None or r.type == normalise_type(type_))]
        if not doomed:
            message = (_("there is no relation {source} → {target} of type {type}") if type_
                       else _("there is no relation {source} → {target}"))
            raise InputError(message.format(source=source, target=target, type=type_))
        with self.store.transaction(self.actor, self.source) as tx:
            for relation in doomed:
                self.store.relations.restore(tx, relation.guid, relation.image(), None, "relation.remove")
        return len(doomed)

    def set_memo(self, guid: str, memo: str) -> None:
        relation = self.store.relations.get(guid)
        if relation is None:
            raise InputError(_("no relation {relation}").format(relation=guid))
        with self.store.transaction(self.actor, self.source) as tx:
            self.store.relations.restore(tx, guid, relation.image(),
                                         {**relation.image(), "memo": memo, "updated_at": utc_now()}, "relation.memo")

    def star(self, coding_guid: str, starred: bool = True) -> bool:
        """Star a coding as an example statement of its code (or unstar it); False if nothing changed."""
        if self.store.codings.get(coding_guid) is None:
            raise InputError(_("no coding {coding}").format(coding=coding_guid))
        with self.store.transaction(self.actor, self.source) as tx:
            return self.store.relations.set_star(tx, coding_guid, self.actor, starred)

    def hold_back(self, transcript_names: list[str], held_back: bool = True) -> None:
        """Mark transcripts as the saturation test set (or take them out of it)."""
        infos = []
        for name in transcript_names:
            info = self.store.transcripts.by_name(name)
            if info is None:
                raise InputError(_("no transcript named '{name}'; see `qcode transcripts`").format(name=name))
            infos.append(info)
        with self.store.transaction(self.actor, self.source) as tx:
            for info in infos:
                self.store.relations.restore_saturation(tx, info.id, info.name, held_back)
