"""Writing a codebook as YAML in our format, such that reading it back gives an equal codebook."""

from __future__ import annotations

from typing import Any

import yaml

from qcode.domain.codebook import Codebook

# Short lists of words read best on one line (keywords: [流量, 营销]), and so does a code's name
# (name: {zh: 服务功能, en: Service functions}), which makes the tree easy to scan.
_FLOW_LIST_FIELDS = frozenset({"keywords", "languages", "sources"})
_FLOW_MAPPING_FIELDS = frozenset({"name"})

# Texts are never folded across lines: one text per line keeps diffs of a codebook readable.
_NO_WRAPPING = 1_000_000


class _FlowList(list):
    """A list written in flow style."""


class _FlowDict(dict):
    """A mapping written in flow style."""


class _CodebookDumper(yaml.SafeDumper):
    """SafeDumper that indents lists under their key, writes multi-line strings as literal blocks, and
    writes marked lists and mappings in flow style."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # PyYAML puts a block list's dashes level with its key by default; we indent them, as people do.
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if "\n" in value:
        style = "|"
    elif "'" in value:
        # PyYAML would single-quote it and double every apostrophe ('citizens'' rights'); when the
        # text needs quotes at all, double quotes read better.
        analysis = dumper.analyze_scalar(value)
        if not analysis.allow_block_plain:
            style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_flow_dict(dumper: yaml.SafeDumper, value: _FlowDict) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_CodebookDumper.add_representer(str, _represent_str)
_CodebookDumper.add_representer(_FlowList, _represent_flow_list)
_CodebookDumper.add_representer(_FlowDict, _represent_flow_dict)


def dump_codebook_yaml(codebook: Codebook) -> str:
    """The codebook as YAML text in format 1 (UTF-8 characters written as themselves)."""
    data = _styled(codebook.as_data())
    return yaml.dump(
        data, Dumper=_CodebookDumper, allow_unicode=True, sort_keys=False, width=_NO_WRAPPING, indent=2
    )


def _styled(data: Any, field: str | None = None) -> Any:
    """Mark what is written in flow style, and write a single example as `example:`."""
    if isinstance(data, dict):
        styled: dict[str, Any] = _FlowDict() if field in _FLOW_MAPPING_FIELDS else {}
        for name, value in data.items():
            if name == "examples" and len(value) == 1:
                styled["example"] = _styled(value[0])
            else:
                styled[name] = _styled(value, name)
        return styled
    if isinstance(data, list):
        items = [_styled(item) for item in data]
        flow = field in _FLOW_LIST_FIELDS and all(isinstance(item, str) for item in items)
        return _FlowList(items) if flow else items
    return data
