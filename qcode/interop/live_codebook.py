"""The project's live codebook as a `Codebook`, whichever way its codes came in."""

from __future__ import annotations

import json
from collections import defaultdict

from qcode.codebook.colors import parse_color
from qcode.domain.codebook import Code, Codebook, Text
from qcode.errors import ProjectError
from qcode.project.codebook_loading import current_codebook
from qcode.storage import Store
from qcode.i18n import _


def codebook_of(store: Store) -> Codebook | None:
    """The project's live codebook: the last one loaded, or (in a project filled without loading one)
    a codebook made from the codes table."""
    loaded = current_codebook(store)
    if loaded is not None:
        return loaded
    rows = store.codes.rows()
    if not rows:
        return None
    children: dict[str | None, list[str]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row.id)
    by_id = {row.id: row for row in rows}
    codes: list[Code] = []
    pending = list(reversed(children[None]))
    while pending:
        row = by_id[pending.pop()]
        codes.append(Code(id=row.id, name=Text(plain=row.name), codable=bool(row.codable), parent=row.parent_id,
                          children=tuple(children[row.id]), keywords=tuple(json.loads(row.keywords or "[]")),
                          color=parse_color(row.color or "")))
        pending.extend(reversed(children[row.id]))
    try:
        return Codebook(codes=tuple(codes))
    except ValueError as exc:
        raise ProjectError(_("the codes of this project do not form a tree: {problem}").format(problem=exc),
                           path=store.path) from None
