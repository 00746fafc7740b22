"""Every memo of a project in one list: on codings, transcripts, codes, relations and the project."""

from __future__ import annotations

from dataclasses import dataclass

from qcode.domain.codebook import Codebook
from qcode.reports.tables import Table
from qcode.storage import Store
from qcode.i18n import _

MEMO_KINDS = ("coding", "transcript", "code", "relation", "project")


@dataclass(frozen=True, slots=True)
class MemoEntry:
    kind: str  # one of MEMO_KINDS
    about: str  # what it is on, in words
    code: str | None  # the code it concerns (coding, code; a relation's source)
    coder: str
    transcript: str | None
    text: str
    updated_at: str
    codes: tuple[str, ...] = ()  # every code it concerns (a relation has two)


def all_memos(store: Store, book: Codebook | None) -> list[MemoEntry]:
    def name(code_id: str) -> str:
        return book.display_name(code_id) if book is not None and code_id in book else code_id

    transcripts = {t.guid: t.name for t in store.transcripts.all()}
    found: list[MemoEntry] = []
    for memo in store.memos.all():
        if memo.target_kind == "code":
            found.append(MemoEntry("code", f"{memo.target} {name(memo.target)}", memo.target, memo.coder, None,
                                   memo.text, memo.updated_at, (memo.target,)))
        elif memo.target_kind == "transcript":
            where = transcripts.get(memo.target, _("(removed transcript)"))
            found.append(MemoEntry("transcript", where, None, memo.coder, where, memo.text, memo.updated_at))
        else:
            found.append(MemoEntry("project", _("the project"), None, memo.coder, None, memo.text, memo.updated_at))
    for coding in store.codings.all():
        if coding.memo.strip():
            found.append(MemoEntry("coding", f"{coding.transcript} {coding.start}–{coding.end} · {name(coding.code)}",
                                   coding.code, coding.coder, coding.transcript, coding.memo, coding.updated_at,
                                   (coding.code,)))
    for relation in store.relations.all():
        if relation.memo.strip():
            found.append(MemoEntry("relation", f"{name(relation.source)} -[{relation.type}]-> {name(relation.target)}",
                                   relation.source, relation.coder, None, relation.memo, relation.updated_at,
                                   (relation.source, relation.target)))
    order = {kind: i for i, kind in enumerate(MEMO_KINDS)}
    found.sort(key=lambda m: (order[m.kind], m.about, m.coder))
    return found


def filter_memos(memos: list[MemoEntry], *, kind: str | None = None, coder: str | None = None,
                 code: str | None = None, codes: set[str] | None = None) -> list[MemoEntry]:
    """Memos of one kind, by one coder, concerning one code (or any of `codes`, e.g. a subtree)."""
    wanted = codes if codes is not None else ({code} if code else None)
    return [m for m in memos if (kind is None or m.kind == kind) and (coder is None or m.coder == coder)
            and (wanted is None or wanted & set(m.codes))]


def memo_table(memos: list[MemoEntry]) -> Table:
    return Table("Memos", ("type", "about", "coder", "updated", "memo"),
                 tuple((m.kind, m.about, m.coder, m.updated_at[:10], m.text) for m in memos))
