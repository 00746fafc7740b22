"""Relations between codes as a list, and as Mermaid or Graphviz DOT text (axial-coding diagrams).

Node ids in the diagrams are generated (n0, n1, ...) because code ids may hold characters neither
language accepts; labels are the code names, escaped for each language.
"""

from __future__ import annotations

from qcode.domain.codebook import Codebook
from qcode.domain.relations import relation_type_label
from qcode.storage.relations import Relation


def _nodes(book: Codebook, relations: list[Relation]) -> dict[str, str]:
    used = {r.source for r in relations} | {r.target for r in relations}
    return {code.id: f"n{i}" for i, code in enumerate(c for c in book if c.id in used)}


def _name(book: Codebook, code_id: str, lang: str) -> str:
    return book.display_name(code_id, lang) if code_id in book else code_id


def relations_rows(book: Codebook, relations: list[Relation], lang: str = "zh"):
    """(headers, rows, json data) for a relation list."""
    headers = ["source", "source name", "type", "target", "target name", "memo", "coder"]
    rows = [(r.source, _name(book, r.source, lang), relation_type_label(r.type, lang), r.target,
             _name(book, r.target, lang), r.memo, r.coder) for r in relations]
    data = [{"guid": r.guid, "source": r.source, "target": r.target, "type": r.type, "memo": r.memo,
             "coder": r.coder} for r in relations]
    return headers, rows, data


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def relations_mermaid(book: Codebook, relations: list[Relation], lang: str = "zh") -> str:
    """A Mermaid flowchart: one node per related code, one labelled arrow per relation."""
    nodes = _nodes(book, relations)
    lines = ["flowchart LR"]
    lines += [f'    {node}["{_mermaid_text(_name(book, code_id, lang))}"]' for code_id, node in nodes.items()]
    lines += [f'    {nodes[r.source]} -->|"{_mermaid_text(relation_type_label(r.type, lang))}"| {nodes[r.target]}'
              for r in relations]
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def relations_dot(book: Codebook, relations: list[Relation], lang: str = "zh") -> str:
    """A Graphviz digraph (render with `dot -Tpng`); a CJK font is named so Chinese labels show."""
    nodes = _nodes(book, relations)
    lines = ["digraph relations {", "    rankdir=LR;",
             '    node [shape=box, fontname="Noto Sans CJK SC"];', '    edge [fontname="Noto Sans CJK SC"];']
    lines += [f'    {node} [label="{_dot_text(_name(book, code_id, lang))}"];' for code_id, node in nodes.items()]
    lines += [f'    {nodes[r.source]} -> {nodes[r.target]} [label="{_dot_text(relation_type_label(r.type, lang))}"];'
              for r in relations]
    return "\n".join(lines + ["}"]) + "\n"
