"""Changing a codebook while coding: add, change, move, reorder and remove codes.

Every function takes a codebook and returns a new one (a `Codebook` is immutable and always a consistent
tree); none of them knows about codings. The project layer decides what a change does to codings and
whether it is allowed; the checks here are the ones a codebook file would fail.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from qcode.domain.codebook import Code, Codebook, Text
from qcode.errors import InputError
from qcode.i18n import _

#: Fields a user may edit on a code, and how a value typed by the user becomes the field's value.
EDITABLE_FIELDS = ("name", "name_en", "definition", "include", "exclude", "examples", "keywords", "key", "color",
                   "codable")


def _rebuild(book: Codebook, codes: dict[str, Code], roots: list[str]) -> Codebook:
    """A codebook of `codes` (children lists already right), in depth-first order from `roots`."""
    ordered: list[Code] = []
    pending = list(reversed(roots))
    while pending:
        code = codes[pending.pop()]
        ordered.append(code)
        pending.extend(reversed(code.children))
    return replace(book, codes=tuple(ordered))


def _parts(book: Codebook) -> tuple[dict[str, Code], list[str]]:
    return {code.id: code for code in book}, [code.id for code in book.roots()]


def _require(book: Codebook, code_id: str) -> Code:
    code = book.get(code_id)
    if code is None:
        raise InputError(_("no code '{code}' in the codebook; see `qcode codebook show`").format(code=code_id))
    return code


def add_code(book: Codebook | None, code: Code, *, position: int | None = None) -> Codebook:
    """`book` with `code` added under `code.parent` (top level when None), last or at `position`."""
    if book is None:
        if code.parent is not None:
            raise InputError(_("no code '{code}' in the codebook (the codebook is still empty)").format(
                code=code.parent))
        return Codebook(codes=(code,), languages=("zh", "en"))
    if code.id in book:
        raise InputError(_("a code with id '{id}' already exists ({name})").format(
            id=code.id, name=book.display_name(code.id)))
    codes, roots = _parts(book)
    siblings = roots if code.parent is None else list(_require(book, code.parent).children)
    index = len(siblings) if position is None else max(0, min(position, len(siblings)))
    siblings.insert(index, code.id)
    codes[code.id] = replace(code, children=())
    if code.parent is not None:
        codes[code.parent] = replace(codes[code.parent], children=tuple(siblings))
    return _rebuild(book, codes, siblings if code.parent is None else roots)


def change_code(book: Codebook, code_id: str, **fields: Any) -> Codebook:
    """`book` with fields of one code replaced (see `EDITABLE_FIELDS`; names are zh/en strings)."""
    code = _require(book, code_id)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InputError(_("cannot edit {fields}; editable: {editable}").format(
            fields=", ".join(sorted(unknown)), editable=", ".join(EDITABLE_FIELDS)))
    values: dict[str, Any] = {}
    if "name" in fields or "name_en" in fields:
        zh = fields.get("name", code.name.get("zh"))
        en = fields.get("name_en", code.name.get("en") if "en" in code.name.languages else "")
        zh, en = (zh or "").strip(), (en or "").strip()
        if not zh:
            raise InputError(_("the name of '{code}' cannot be empty").format(code=code_id))
        values["name"] = Text(translations=(("zh", zh), ("en", en))) if en else Text(plain=zh)
    for name in ("definition", "include", "exclude"):
        if name in fields:
            values[name] = _text_like(getattr(code, name), fields[name])
    if "examples" in fields:
        values["examples"] = tuple(Text(plain=e) for e in fields["examples"] if e.strip())
    if "keywords" in fields:
        values["keywords"] = tuple(dict.fromkeys(k.strip() for k in fields["keywords"] if k.strip()))
    if "key" in fields:
        values["key"] = (fields["key"] or "").strip() or None
    if "color" in fields:
        values["color"] = _colour(fields["color"])
    if "codable" in fields:
        values["codable"] = bool(fields["codable"])
    codes, roots = _parts(book)
    codes[code_id] = replace(code, **values)
    return _rebuild(book, codes, roots)


def _text_like(old: Text, value: str) -> Text:
    """A new text in Chinese, keeping the other languages of a bilingual text as they were."""
    value = (value or "").strip()
    if old.translations:
        kept = tuple((lang, text) for lang, text in old.translations if lang != "zh")
        return Text(translations=((("zh", value),) if value else ()) + kept)
    return Text(plain=value)


def _colour(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    if not value:
        return None
    if len(value) == 7 and value[0] == "#" and all(c in "0123456789abcdef" for c in value[1:]):
        return value
    raise InputError(_("colour '{value}' is not of the form #rrggbb").format(value=value))


def move_code(book: Codebook, code_id: str, new_parent: str | None, *, position: int | None = None) -> Codebook:
    """`book` with `code_id` (and its subtree) moved under `new_parent` (top level when None)."""
    code = _require(book, code_id)
    if new_parent is not None:
        _require(book, new_parent)
        if new_parent in book.subtree(code_id):
            raise InputError(_("cannot move '{code}' under '{parent}': that is inside '{code}' itself").format(
                code=code_id, parent=new_parent))
    codes, roots = _parts(book)
    if code.parent is None:
        roots.remove(code_id)
    else:
        old = codes[code.parent]
        codes[code.parent] = replace(old, children=tuple(c for c in old.children if c != code_id))
    siblings = roots if new_parent is None else list(codes[new_parent].children)
    index = len(siblings) if position is None else max(0, min(position, len(siblings)))
    siblings.insert(index, code_id)
    if new_parent is not None:
        codes[new_parent] = replace(codes[new_parent], children=tuple(siblings))
    codes[code_id] = replace(codes[code_id], parent=new_parent)
    return _rebuild(book, codes, roots)


def reorder_code(book: Codebook, code_id: str, offset: int) -> Codebook:
    """`book` with `code_id` moved `offset` places among its siblings (clamped at either end)."""
    code = _require(book, code_id)
    siblings = [c.id for c in (book.roots() if code.parent is None else book.children_of(code.parent))]
    index = siblings.index(code_id)
    return move_code(book, code_id, code.parent, position=max(0, index + offset))


def remove_code(book: Codebook, code_id: str) -> Codebook | None:
    """`book` without `code_id`, whose children move up to its parent; None when it was the last code."""
    code = _require(book, code_id)
    for child in code.children:
        book = move_code(book, child, code.parent, position=_index_among_siblings(book, code_id))
    code = book[code_id]
    codes, roots = _parts(book)
    del codes[code_id]
    if code.parent is None:
        roots.remove(code_id)
    else:
        parent = codes[code.parent]
        codes[code.parent] = replace(parent, children=tuple(c for c in parent.children if c != code_id))
    if not codes:
        return None
    return _rebuild(book, codes, roots)


def _index_among_siblings(book: Codebook, code_id: str) -> int:
    code = book[code_id]
    siblings = [c.id for c in (book.roots() if code.parent is None else book.children_of(code.parent))]
    return siblings.index(code_id)


def new_code_id(book: Codebook | None) -> str:
    """A fresh, stable id for a code created while coding, e.g. `C-3f9a2b`.

    Random rather than numbered: two coders creating codes on their own machines must never pick the
    same id for different codes, or merging their projects would have to choose between them.
    """
    taken = set() if book is None else {code.id for code in book}
    while True:
        candidate = f"C-{uuid.uuid4().hex[:6]}"
        if candidate not in taken:
            return candidate
