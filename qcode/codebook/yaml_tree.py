"""Parsing codebook text into a YAML node tree, safely and with positions, or saying why it cannot be.

Nodes (not Python objects) are what we want: they carry the line and column of every key and value, and
composing them never runs constructors. Two inputs could still hurt: aliases, which let a few lines
stand for billions of nodes once expanded (a "YAML bomb"), and very deep nesting, which crashes
libyaml's recursive composer. A first pass over the parser's events refuses both before composing.
"""

from __future__ import annotations

import re

import yaml
from yaml.error import MarkedYAMLError

from qcode.codebook.problems import ProblemLog
from qcode.i18n import _

# libyaml is much faster; the pure-Python loader gives the same nodes and marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Problems are always reported by the pure-Python parser: libyaml's messages and its own nesting limit
# (1000 levels since 0.2.5, found only after scanning ahead) differ between the versions PyYAML bundles.
_REPORTING_LOADER = yaml.SafeLoader

#: Collections nested deeper than this are refused. A code nests two levels (its mapping and its
#: `children` list), so this allows codes about 30 levels deep.
MAX_NESTING = 64

_MAX_REPORTED_ALIASES = 10

# A key followed by a full-width colon, a common slip when typing YAML with a Chinese input method.
_FULL_WIDTH_COLON_KEY = re.compile(r"^\s*(?:-\s+)?[^\s:：#'\"]+：")


def compose_yaml(text: str, log: ProblemLog) -> yaml.Node | None:
    """The single document's root node; None (with errors logged) for a refused or broken document.

    An empty document (no content, or only comments) gives None without logging: the caller knows
    what an empty codebook means.
    """
    if not _events_are_safe(text, ProblemLog(log.path), _LOADER):
        # Something is wrong: find it again with the parser whose findings do not depend on the version.
        _events_are_safe(text, log, _REPORTING_LOADER)
        return None
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        _log_yaml_error(error, text, log)
        return None


def _events_are_safe(text: str, log: ProblemLog, loader: type) -> bool:
    depth = 0
    aliases = 0
    documents = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > _MAX_REPORTED_ALIASES:
                    break
                log.error(
                    event.start_mark,
                    _("alias '*{anchor}' is not allowed in a codebook: write the content out in full "
                      "(anchors and aliases are refused because they can expand enormously)").format(
                        anchor=event.anchor),
                )
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    log.error(event.start_mark, _("the YAML is nested more than {levels} levels deep").format(
                        levels=MAX_NESTING))
                    return False
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    log.error(
                        event.start_mark,
                        _("a second YAML document starts here; a codebook is a single document "
                          "(remove the '---' line or split the file)"),
                    )
                    return False
    except yaml.YAMLError as error:
        _log_yaml_error(error, text, log)
        return False
    return aliases == 0


def _log_yaml_error(error: yaml.YAMLError, text: str, log: ProblemLog) -> None:
    if not isinstance(error, MarkedYAMLError) or error.problem_mark is None:
        log.error(None, _("YAML syntax error: {problem}").format(problem=error))
        return
    mark = error.problem_mark
    message = _("YAML syntax error: {problem}").format(problem=error.problem)
    if error.context:
        if error.context_mark is not None:
            message += _(" ({context} at line {line}, column {column})").format(
                context=error.context, line=error.context_mark.line + 1, column=error.context_mark.column + 1)
        else:
            message += f" ({error.context})"
    message += _hint(text, mark.line)
    log.error(mark, message)


def _hint(text: str, line_index: int) -> str:
    """A likely cause, for the two slips that produce the most puzzling parser messages."""
    lines = text.splitlines()
    line = lines[line_index] if line_index < len(lines) else ""
    if "\t" in line[: len(line) - len(line.lstrip())]:
        return _("; this line is indented with a tab, YAML needs spaces")
    for index in (line_index - 1, line_index):
        if 0 <= index < len(lines) and _FULL_WIDTH_COLON_KEY.match(lines[index]):
            return _("; line {line} has a full-width colon '：' after a key, YAML needs ': ' (colon, space)").format(
                line=index + 1)
    return ""
