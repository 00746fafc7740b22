"""The tables of a grounded-theory thesis: open coding (开放式编码), axial coding (主轴编码) and selective
coding (选择性编码), built from the codebook tree, the codings, the starred examples and the relations.

The tree is read the way such theses build it bottom-up: a leaf code is an initial concept (概念), its
parent a category (范畴), and a top-level code with categories under it a main category (主范畴). An
original statement is tagged with its transcript and turn (`A01-12`); starred codings come first, then
the earliest ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.domain.codebook import Codebook
from qcode.errors import InputError
from qcode.domain.relations import relation_type_label
from qcode.reports.retrieval import Passage, passages_of
from qcode.reports.tables import Table
from qcode.storage import Store
from qcode.storage.relations import Relation
from qcode.i18n import _

_LABELS = {
    "zh": {"category": "范畴", "concept": "初始概念", "codings": "编码数", "transcripts": "访谈数",
           "statements": "原始语句（示例）", "main": "主范畴", "sub": "对应范畴", "meaning": "范畴内涵",
           "relations": "关系", "core": "核心范畴", "structure": "典型关系结构", "memo": "关系内涵",
           "open": "开放式编码", "axial": "主轴编码", "selective": "选择性编码", "storyline": "故事线"},
    "en": {"category": "Category", "concept": "Initial concept", "codings": "Codings", "transcripts": "Interviews",
           "statements": "Original statements (examples)", "main": "Main category", "sub": "Category",
           "meaning": "Meaning", "relations": "Relations", "core": "Core category",
           "structure": "Relation", "memo": "Meaning of the relation", "open": "Open coding",
           "axial": "Axial coding", "selective": "Selective coding", "storyline": "Storyline"},
}


def labels(lang: str) -> dict[str, str]:
    return _LABELS["en" if lang == "en" else "zh"]


def _definition(book: Codebook, code_id: str, lang: str) -> str:
    return book[code_id].definition.get(lang)


def _relation_text(book: Codebook, relation: Relation, lang: str) -> str:
    return (f"{book.display_name(relation.source, lang)} —{relation_type_label(relation.type, lang)}→ "
            f"{book.display_name(relation.target, lang)}")


@dataclass(frozen=True)
class OpenCodingRow:
    category: str | None
    concept: str
    codings: int
    transcripts: int
    statements: tuple[Passage, ...]


def open_coding(store: Store, book: Codebook, *, examples: int = 1) -> list[OpenCodingRow]:
    """One row per initial concept (a code without children that has codings), in codebook order."""
    if examples < 1:
        raise InputError(_("--examples must be at least 1"))
    by_code: dict[str, list] = {}
    for coding in store.codings.all():
        if not coding.coder.startswith("auto:"):
            by_code.setdefault(coding.code, []).append(coding)
    rows = []
    for code in book:
        if code.children or code.id not in by_code:
            continue
        found = passages_of(store, by_code[code.id], context=0)
        found.sort(key=lambda p: (not p.starred, p.coding.created_at, p.coding.transcript, p.coding.start))
        rows.append(OpenCodingRow(code.parent, code.id, len(found), len({p.coding.transcript for p in found}),
                                  tuple(found[:examples])))
    return rows


def open_coding_table(rows: list[OpenCodingRow], book: Codebook, lang: str = "zh") -> Table:
    t = labels(lang)
    return Table(t["open"], (t["category"], t["concept"], t["codings"], t["transcripts"], t["statements"]),
                 tuple((book.display_name(r.category, lang) if r.category else "", book.display_name(r.concept, lang),
                        r.codings, r.transcripts,
                        "；".join(f"{p.tag}：{' '.join(p.text.split())}" for p in r.statements))
                       for r in rows), numeric=(2, 3))


def axial_coding_table(store: Store, book: Codebook, lang: str = "zh") -> Table:
    """One row per category under a main category: its meaning and the relations it takes part in."""
    t = labels(lang)
    relations = store.relations.all()
    rows = []
    for main in book.roots():
        if not main.children:
            continue
        for category in book.children_of(main.id):
            involved = [r for r in relations if category.id in (r.source, r.target)]
            rows.append((book.display_name(main.id, lang), book.display_name(category.id, lang),
                         _definition(book, category.id, lang),
                         "；".join(_relation_text(book, r, lang) for r in involved)))
        among_mains = [r for r in relations if main.id in (r.source, r.target)]
        if among_mains:
            rows.append((book.display_name(main.id, lang), "", _definition(book, main.id, lang),
                         "；".join(_relation_text(book, r, lang) for r in among_mains)))
    return Table(t["axial"], (t["main"], t["sub"], t["meaning"], t["relations"]), tuple(rows))


def core_category(store: Store, book: Codebook, chosen: str | None = None) -> str:
    """The core category: the one given, else the top-level code in the most relations."""
    if chosen is not None:
        if chosen not in book:
            raise InputError(_("no code '{code}' in the codebook; see `qcode codebook show`").format(code=chosen))
        return chosen
    roots = [c.id for c in book.roots()]
    degree = {root: 0 for root in roots}
    for relation in store.relations.all():
        for end in (relation.source, relation.target):
            top = end
            while top in book and (parent := book[top].parent) is not None:
                top = parent
            if top in degree:
                degree[top] += 1
    if not roots or not any(degree.values()):
        raise InputError(_("no relations yet to find the core category by; link codes with `qcode codes link`, "
                           "or name it with --core ID"))
    return max(roots, key=lambda r: (degree[r], -roots.index(r)))


def selective_coding_tables(store: Store, book: Codebook, core: str, lang: str = "zh") -> list[Table]:
    """The core category's storyline (its memos) and every relation in the model, those of the core first."""
    t = labels(lang)
    memos = [m.text for m in store.memos.all() if m.target_kind == "code" and m.target == core and m.text.strip()]
    inside = set(book.subtree(core))
    relations = sorted(store.relations.all(), key=lambda r: not ({r.source, r.target} & inside))
    storyline = Table(f"{t['selective']}：{t['core']} {book.display_name(core, lang)}", (t["core"], t["storyline"]),
                      ((book.display_name(core, lang), "\n\n".join(memos)),))
    structure = Table(f"{t['structure']}", (t["structure"], t["memo"]),
                      tuple((_relation_text(book, r, lang), r.memo) for r in relations))
    return [storyline, structure]
