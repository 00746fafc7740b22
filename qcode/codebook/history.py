"""What changed between two saved versions of a codebook, in words a coder uses: added, renamed, moved,
merged, split, removed, edited, with how many codings each affected code has now.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.codebook.diff import diff_codebooks
from qcode.domain.codebook import Codebook
from qcode.i18n import _


@dataclass(frozen=True)
class VersionChange:
    kind: str  # added, renamed, moved, merged, removed, edited
    code: str
    detail: str
    codings: int


def describe_changes(old: Codebook, new: Codebook, merges: dict[str, str], counts: dict[str, int],
                     lang: str = "zh") -> list[VersionChange]:
    """The changes from `old` to `new`; `merges` maps a code merged away (in between) to its target."""
    diff = diff_codebooks(old, new)
    found: list[VersionChange] = []
    for code_id in diff.added:
        parent = new[code_id].parent
        found.append(VersionChange("added", code_id, new.display_name(code_id, lang)
                                   + (_(" (under {parent})").format(parent=parent) if parent else ""),
                                   counts.get(code_id, 0)))
    for code_id in diff.removed:
        target = merges.get(code_id)
        while target is not None and target not in new and target in merges:
            target = merges[target]
        if target is not None:
            found.append(VersionChange("merged", code_id, f"{old.display_name(code_id, lang)} → {target} "
                                       f"{new.display_name(target, lang) if target in new else ''}".rstrip(),
                                       counts.get(target, 0)))
        else:
            found.append(VersionChange("removed", code_id, old.display_name(code_id, lang), 0))
    for code_id, fields in diff.changed.items():
        if "name" in fields:
            found.append(VersionChange("renamed", code_id, f"{old.display_name(code_id, lang)} → "
                                       f"{new.display_name(code_id, lang)}", counts.get(code_id, 0)))
        others = [f for f in fields if f != "name"]
        if others:
            found.append(VersionChange("edited", code_id, ", ".join(others), counts.get(code_id, 0)))
    for code_id, (before, after) in diff.moved.items():
        found.append(VersionChange("moved", code_id, f"{before or _('top level')} → {after or _('top level')}",
                                   counts.get(code_id, 0)))
    return found
