"""What changed between two versions of a codebook, so callers can refuse to orphan codings."""

from __future__ import annotations

from dataclasses import dataclass, fields

from qcode.domain.codebook import Code, Codebook

# Fields that describe the code itself; `parent` is reported as a move, and `children` changes are
# reported on the children (added, removed or moved), not again on their parent.
_COMPARED_FIELDS = tuple(f.name for f in fields(Code) if f.name not in ("id", "parent", "children"))
_METADATA_FIELDS = ("id", "version", "title", "description", "languages", "keyword_match", "sources")


@dataclass(frozen=True)
class CodebookDiff:
    """The differences from an old codebook to a new one, by code id.

    `added` is in the new codebook's order, `removed` in the old one's. `changed` maps an id present in
    both to the names of the fields that differ; `moved` maps an id whose parent changed to
    `(old parent, new parent)` (None for top level). Reordering siblings is not reported.
    """

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: dict[str, tuple[str, ...]]
    moved: dict[str, tuple[str | None, str | None]]
    metadata_changed: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.moved or self.metadata_changed)


def diff_codebooks(old: Codebook, new: Codebook) -> CodebookDiff:
    """Compare two codebooks code by code (codes are matched by id, so a renamed id is removed + added)."""
    added = tuple(code.id for code in new if code.id not in old)
    removed = tuple(code.id for code in old if code.id not in new)
    changed: dict[str, tuple[str, ...]] = {}
    moved: dict[str, tuple[str | None, str | None]] = {}
    for code in new:
        before = old.get(code.id)
        if before is None:
            continue
        differing = tuple(name for name in _COMPARED_FIELDS if getattr(before, name) != getattr(code, name))
        if differing:
            changed[code.id] = differing
        if before.parent != code.parent:
            moved[code.id] = (before.parent, code.parent)
    metadata_changed = tuple(name for name in _METADATA_FIELDS if getattr(old, name) != getattr(new, name))
    return CodebookDiff(added, removed, changed, moved, metadata_changed)
