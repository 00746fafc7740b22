"""Relation types between codes (axial coding): the defaults, their English names, and how input is read.

Plain rules with no storage, so that reports and the project layer share one definition.
"""

from __future__ import annotations

#: The relation types a project starts with (configurable in qcode.toml).
DEFAULT_RELATION_TYPES = ("因果", "条件", "策略", "结果", "属于")

#: The English names of the default relation types (shown with --lang en, accepted as input).
RELATION_TYPES_EN = {"因果": "cause", "条件": "condition", "策略": "strategy", "结果": "consequence", "属于": "part of"}
_FROM_ENGLISH = {en: zh for zh, en in RELATION_TYPES_EN.items()}


def relation_type_label(type_: str, lang: str = "zh") -> str:
    return RELATION_TYPES_EN.get(type_, type_) if lang == "en" else type_


def normalise_type(type_: str) -> str:
    """A relation type as stored: the Chinese name of a default type given in English, else as typed."""
    type_ = " ".join(type_.split())
    return _FROM_ENGLISH.get(type_.lower(), type_)
