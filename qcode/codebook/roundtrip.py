"""Writing a changed codebook back into its YAML text, keeping what did not change as the author wrote it.

PyYAML forgets comments, key order details and quoting; ruamel.yaml's round-trip mode keeps them, which is
why it is used here and only here (reading and checking stay with PyYAML, whose node marks give the line
numbers of problems). The old text is parsed, each code's mapping is found by id, and only the fields,
codes and lists that differ from the new codebook are touched: a renamed code changes one line, a moved
code takes its comments along, a new code is appended where it belongs.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from qcode.codebook.dump import dump_codebook_yaml
from qcode.domain.codebook import Codebook

_FLOW_LIST_FIELDS = frozenset({"keywords", "languages", "sources"})
# Values the codebook's own data leaves out because they are the default; a file that spells them out
# keeps them.
_DEFAULTS = {"keyword_match": "token", "codable": True}


def _redundant(key: str, value: Any) -> bool:
    """True when a key absent from the codebook data may stay in the file: it says the default."""
    plain = _plain(value)
    return _DEFAULTS.get(key, object()) == plain or plain in ([], "", None, {})


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    yaml.width = 1_000_000  # never fold a text across lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def write_back(old_text: str | None, new: Codebook) -> str:
    """`old_text` changed to say `new`; a fresh dump when there is no old text or it cannot be read."""
    if not old_text or not old_text.strip():
        return dump_codebook_yaml(new)
    yaml = _yaml()
    # Parsing with comments is slow (pure Python, ~0.3 s for a 700-line codebook); a coder makes change
    # after change in one session, so the tree written last time is taken over instead of parsed again.
    document = _parsed.pop(old_text, None)
    if document is None:
        try:
            document = yaml.load(old_text)
        except Exception:  # a text we cannot round-trip is rewritten in full rather than corrupted
            return dump_codebook_yaml(new)
    if not isinstance(document, CommentedMap) or not isinstance(document.get("codes"), list):
        return dump_codebook_yaml(new)
    found: dict[str, CommentedMap] = {}
    _index(document["codes"], found)
    wanted = new.as_data()
    for key, value in wanted.items():
        if key != "codes" and _plain(document.get(key)) != value:
            document[key] = _styled(value, key)
    for key in [k for k in document if k not in wanted and not _redundant(k, document[k])]:
        del document[key]
    _sync_list(document, "codes", wanted["codes"], found)
    out = io.StringIO()
    yaml.dump(document, out)
    text = out.getvalue()
    _parsed.clear()  # one tree is enough: the text just written is the next change's base
    _parsed[text] = document
    return text


_parsed: dict[str, CommentedMap] = {}


def _index(items: list, found: dict[str, CommentedMap]) -> None:
    for item in items:
        if isinstance(item, CommentedMap) and "id" in item:
            found[str(item["id"])] = item
            children = item.get("children")
            if isinstance(children, list):
                _index(children, found)


def _sync_list(owner: CommentedMap, key: str, wanted: list[dict], found: dict[str, CommentedMap]) -> None:
    """Make `owner[key]` the list of code mappings `wanted`, reusing the existing mapping of each id."""
    current = owner.get(key)
    current_ids = [str(item.get("id")) for item in current] if isinstance(current, list) else None
    items = [_sync_code(found.get(data["id"]), data, found) for data in wanted]
    if current_ids == [data["id"] for data in wanted]:
        return  # same codes in the same order: each was synced in place
    if isinstance(current, CommentedSeq):
        del current[:]
        current.extend(items)
    else:
        seq = CommentedSeq(items)
        owner[key] = seq


def _sync_code(node: CommentedMap | None, data: dict[str, Any], found: dict[str, CommentedMap]) -> CommentedMap:
    if node is None:
        node = CommentedMap()
    has_example = "example" in node
    for key, value in data.items():
        if key == "children":
            continue
        if key == "examples" and len(value) == 1 and (has_example or "examples" not in node):
            if _plain(node.get("example")) != value[0]:
                node["example"] = _styled(value[0], "example")
            node.pop("examples", None)
            continue
        if key == "examples":
            node.pop("example", None)
        if _plain(node.get(key)) != value:
            node[key] = _styled(value, key)
    for key in [k for k in node if k not in data and k != "children" and not _redundant(k, node[k])]:
        if key == "example" and "examples" in data and len(data["examples"]) == 1:
            continue
        del node[key]
    if data.get("children"):
        _sync_list(node, "children", data["children"], found)
    else:
        node.pop("children", None)
    return node


def _plain(value: Any) -> Any:
    """A ruamel value as plain Python data, for comparing with the codebook's own data."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value).strip() if "\n" not in str(value) else str(value).rstrip("\n")
    return value


def _styled(value: Any, field: str | None = None) -> Any:
    """New values in the house style of `dump_codebook_yaml`: short lists and names on one line."""
    if isinstance(value, dict):
        styled = CommentedMap((k, _styled(v, k)) for k, v in value.items())
        if field == "name":
            styled.fa.set_flow_style()
        return styled
    if isinstance(value, list):
        seq = CommentedSeq(_styled(v) for v in value)
        if field in _FLOW_LIST_FIELDS and all(isinstance(v, str) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value
