"""Per-project settings in `qcode.toml` (how speaker labels and sentences are recognised at import)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from qcode.domain.relations import DEFAULT_RELATION_TYPES
from qcode.errors import InputError, Problem
from qcode.i18n import N_, _

CONFIG_FILENAME = "qcode.toml"

# Written into a new project in the interface language (comments only: the settings are the same).
CONFIG_TEMPLATE = N_("""\
# qcode project settings. Changes apply to transcripts imported afterwards.

[import]
# Speaker labels are recognised from a whitelist of roles at the start of a line
# (访谈者, 受访者A, 被访者, 主持人, 问, 答, Q, A, I, R, 说话人1 ...). Add roles your study uses:
# extra_speaker_roles = ["访谈员", "调研员"]
# or replace the whole list:
# speaker_roles = ["访谈者", "受访者"]
# or give a full regular expression with a named group `speaker` (and optionally `time`):
# speaker_pattern = '^(?P<speaker>G\\d+-\\d+)[:：]'

# Treat ；/; as the end of a sentence (finer units; a semicolon often joins two clauses of one thought).
split_sentences_on_semicolon = true

# [relations]
# Relation types offered for links between codes (axial coding); the defaults are
# types = ["因果", "条件", "策略", "结果", "属于"]
""")


@dataclass(frozen=True)
class ImportSettings:
    speaker_roles: tuple[str, ...] | None = None
    extra_speaker_roles: tuple[str, ...] = ()
    speaker_pattern: str | None = None
    split_sentences_on_semicolon: bool = True


@dataclass(frozen=True)
class ProjectConfig:
    imports: ImportSettings = field(default_factory=ImportSettings)
    relation_types: tuple[str, ...] = DEFAULT_RELATION_TYPES


_LOCATION = re.compile(r"\(at line (\d+), column (\d+)\)")
_KNOWN = {"import": {"speaker_roles", "extra_speaker_roles", "speaker_pattern", "split_sentences_on_semicolon"},
          "relations": {"types"}}


def load_config(root: Path) -> ProjectConfig:
    """Read `qcode.toml` from the project root (a missing file means defaults)."""
    path = root / CONFIG_FILENAME
    if not path.exists():
        return ProjectConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(_("not UTF-8 (byte {offset})").format(offset=exc.start), path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        found = _LOCATION.search(str(exc))
        line, column = (int(found[1]), int(found[2])) if found else (None, None)
        message = _LOCATION.sub("", str(exc)).strip()
        raise InputError(_("invalid TOML: {reason}").format(reason=message), path=path, line=line,
                         column=column) from exc
    problems = [Problem(_("unknown section [{section}]").format(section=name), str(path))
                for name in data if name not in _KNOWN]
    section = data.get("import", {})
    if not isinstance(section, dict):
        problems.append(Problem(_("[import] must be a table"), str(path)))
        section = {}
    problems += [
        Problem(_("unknown setting '{key}' in [import]").format(key=key), str(path))
        for key in section if key not in _KNOWN["import"]
    ]

    def string_list(key: str) -> tuple[str, ...] | None:
        value = section.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(Problem(_("[import] {key} must be a list of non-empty strings").format(key=key), str(path)))
            return None
        return tuple(value)

    roles = string_list("speaker_roles")
    extra = string_list("extra_speaker_roles") or ()
    pattern = section.get("speaker_pattern")
    if pattern is not None and not isinstance(pattern, str):
        problems.append(Problem(_("[import] speaker_pattern must be a string"), str(path)))
        pattern = None
    semicolon = section.get("split_sentences_on_semicolon", True)
    if not isinstance(semicolon, bool):
        problems.append(Problem(_("[import] split_sentences_on_semicolon must be true or false"), str(path)))
        semicolon = True
    relations = data.get("relations", {})
    types = relations.get("types") if isinstance(relations, dict) else None
    if types is not None and (not isinstance(types, list) or not all(isinstance(t, str) and t.strip() for t in types)):
        problems.append(Problem(_("[relations] types must be a list of non-empty strings"), str(path)))
        types = None
    if problems:
        raise InputError(problems=problems)
    return ProjectConfig(ImportSettings(roles, extra, pattern, semicolon),
                         tuple(t.strip() for t in types) if types else DEFAULT_RELATION_TYPES)
