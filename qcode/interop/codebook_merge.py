"""Merging another project's codebook into ours: codes matched by id, conflicts listed field by field.

A code only they have is added under its parent (at the end of the parent's children), or at the top
level after our codes. A code both have must be the same in every field (names, definition, rules,
examples, keywords, colour, hotkey, codability, parent); otherwise it is a conflict, which stays ours
unless the caller prefers theirs. Colours differ only when both sides set one: a code without a colour of
its own takes one from the palette by its position, and adding codes moves positions, so when the
codebook changes every such code keeps the colour it showed before, written out explicitly (which is
also why an explicit colour never conflicts with no colour: merging again changes nothing).

Pure data: no storage here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from qcode.codebook import dump_codebook_yaml, read_codebook_text
from qcode.domain.codebook import Code, Codebook
from qcode.i18n import _

#: The fields compared, in the order conflicts name them.
COMPARED_FIELDS = ("name", "parent", "codable", "definition", "description", "include", "exclude", "examples",
                   "keywords", "color", "key", "sources")


@dataclass
class CodebookMerge:
    """The merged codebook and what happened to each code of theirs."""

    codebook: Codebook | None
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # conflicts resolved in favour of theirs
    unchanged: list[str] = field(default_factory=list)
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # code id -> differing fields
    problems: list[str] = field(default_factory=list)  # why the merged codebook is unusable, if it is

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced)


def differing_fields(ours: Code, theirs: Code) -> list[str]:
    """The fields in which two versions of one code differ."""

    def differs(name: str) -> bool:
        mine, other = getattr(ours, name), getattr(theirs, name)
        if name == "color" and (mine is None or other is None):
            return False
        return mine != other

    return [name for name in COMPARED_FIELDS if differs(name)]


def merge_codebooks(ours: Codebook | None, theirs: Codebook | None, prefer: str | None = None) -> CodebookMerge:
    """Merge `theirs` into `ours`; `prefer` ("ours"/"theirs") settles conflicting codes, None keeps ours."""
    if theirs is None or not len(theirs):
        return CodebookMerge(ours)
    if ours is None or not len(ours):
        return CodebookMerge(theirs, added=[c.id for c in theirs])
    result = CodebookMerge(ours)
    codes: dict[str, Code] = {code.id: code for code in ours}
    order = [code.id for code in ours]
    colour_source: dict[str, Codebook] = dict.fromkeys(order, ours)
    for code in theirs:
        mine = codes.get(code.id)
        if mine is None:
            codes[code.id] = code
            order.append(code.id)
            colour_source[code.id] = theirs
            result.added.append(code.id)
            continue
        fields = differing_fields(mine, code)
        if not fields:
            result.unchanged.append(code.id)
            continue
        result.conflicts[code.id] = fields
        if prefer == "theirs":
            codes[code.id] = code
            colour_source[code.id] = theirs
            result.replaced.append(code.id)
    if not result.changed:
        return result
    result.codebook = _rebuild(ours, theirs, codes, order, colour_source, result)
    return result


def _rebuild(ours: Codebook, theirs: Codebook, codes: dict[str, Code], order: list[str],
             colour_source: dict[str, Codebook], result: CodebookMerge) -> Codebook | None:
    """The tree in document order, children in our order then theirs; None (and problems) if invalid."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for code_id in order:
        parent = codes[code_id].parent
        children[parent if parent in codes else None].append(code_id)
    rebuilt: list[Code] = []
    pending = list(reversed(children[None]))
    while pending:
        code_id = pending.pop()
        code = codes[code_id]
        colour = code.color or colour_source[code_id].color_of(code_id)
        parent = code.parent if code.parent in codes else None
        rebuilt.append(replace(code, parent=parent, children=tuple(children[code_id]), color=colour))
        pending.extend(reversed(children[code_id]))
    try:
        merged = Codebook(codes=tuple(rebuilt), format_version=ours.format_version, id=ours.id,
                          version=ours.version, title=ours.title, description=ours.description,
                          languages=ours.languages, keyword_match=ours.keyword_match,
                          sources=_merged_sources(ours, theirs))
    except ValueError as exc:
        result.problems.append(_("the merged codebook is not a tree: {problem}").format(problem=exc))
        return None
    reading = read_codebook_text(dump_codebook_yaml(merged), path="merged codebook")
    if reading.codebook is None:
        result.problems += [p.message for p in reading.errors]
        return None
    return reading.codebook


def _merged_sources(ours: Codebook, theirs: Codebook) -> tuple:
    """Our cited sources, then theirs that we lack (their codes may cite them)."""
    sources = {source.key: source for source in ours.sources}
    for source in theirs.sources:
        sources.setdefault(source.key, source)
    return tuple(sources.values())
