"""Checks that compare codes with each other: ids, hotkeys, keywords, groups and exclude references.

Each problem points at the later of the codes involved and names the line of the earlier one, so the
message can be read where the fix is usually made.
"""

from __future__ import annotations

import re

from qcode.codebook.problems import ProblemLog, line_of
from qcode.codebook.reader import CodebookDraft, CodeDraft
from qcode.i18n import _

# In an `exclude` text, "-> X" or "→ X" names the code to use instead; the reference runs to the end of
# the clause. Only tokens that look like this codebook's ids are checked, so prose after an arrow
# ("→ 相应问题代码", "-> the relevant code") is left alone.
_ARROW_CLAUSE = re.compile(r"(?:->|→)([^；;。\n]*)")
_TOKEN = re.compile(r"[^\s,，、:：()（）\[\]【】\"'“”‘’]+")


def check_rules(draft: CodebookDraft, log: ProblemLog) -> None:
    """Log every problem found by comparing the codes of a draft with each other."""
    _check_ids(draft.codes, log)
    _check_hotkeys(draft.codes, log)
    _check_keywords(draft.codes, log)
    _check_groups(draft.codes, log)
    _check_exclude_references(draft.codes, log)


def _check_ids(codes: list[CodeDraft], log: ProblemLog) -> None:
    first: dict[str, CodeDraft] = {}
    for code in codes:
        if code.id is None or code.id_node is None:
            continue
        if code.id in first:
            log.error(
                code.id_node,
                _("duplicate id '{id}': the code at line {line} already has it").format(
                    id=code.id, line=line_of(first[code.id].anchor)),
            )
        else:
            first[code.id] = code


def _check_hotkeys(codes: list[CodeDraft], log: ProblemLog) -> None:
    by_key: dict[str, tuple[CodeDraft, int]] = {}
    two_char_by_first: dict[str, str] = {}  # first character of a two-character hotkey -> that hotkey
    for code in codes:
        key, node = code.key, code.key_node
        if key is None or node is None:
            continue
        if key in by_key:
            earlier, line = by_key[key]
            log.error(
                node, _("hotkey '{key}' of {code} is already used by {other} (line {line})").format(
                    key=key, code=code.label, other=earlier.label, line=line)
            )
            continue
        # Hotkeys are one or two characters, so a clash of prefixes is one of these two cases.
        if len(key) == 2:
            clash = key[0] if key[0] in by_key else None
        else:
            clash = two_char_by_first.get(key)
        if clash is not None:
            earlier, line = by_key[clash]
            shorter, longer = sorted((key, clash), key=len)
            log.error(
                node,
                _("hotkey '{key}' of {code} and hotkey '{clash}' of {other} (line {line}) are ambiguous: "
                  "after '{shorter}' the coding screen cannot tell whether '{longer}' is coming").format(
                    key=key, code=code.label, clash=clash, other=earlier.label, line=line, shorter=shorter,
                    longer=longer),
            )
            continue
        by_key[key] = (code, line_of(node))
        if len(key) == 2:
            two_char_by_first.setdefault(key[0], key)


def _check_keywords(codes: list[CodeDraft], log: ProblemLog) -> None:
    owner: dict[str, tuple[CodeDraft, int]] = {}
    for code in codes:
        for keyword, node in code.keywords:
            folded = keyword.casefold()
            if folded not in owner:
                owner[folded] = (code, line_of(node))
                continue
            earlier, line = owner[folded]
            log.warning(
                node,
                _("keyword '{keyword}' is shared by {other} (line {line}) and {code}; "
                  "a suggestion from it cannot tell the two apart").format(
                    keyword=keyword, other=earlier.label, line=line, code=code.label),
            )


def _check_groups(codes: list[CodeDraft], log: ProblemLog) -> None:
    for code in codes:
        if code.codable:
            continue
        if not code.children:
            log.warning(
                code.anchor,
                _("{code} is a group (codable: false) with no children; it organises nothing").format(
                    code=code.label),
            )
        if code.keywords:
            log.warning(
                code.keywords[0][1],
                _("{code} is a group, which cannot be applied, so its keywords are never suggested").format(
                    code=code.label),
            )


def _check_exclude_references(codes: list[CodeDraft], log: ProblemLog) -> None:
    ids = {code.id for code in codes if code.id is not None}
    namespaces = {code_id.split(".", 1)[0] for code_id in ids if "." in code_id}
    for code in codes:
        if code.exclude_node is None:
            continue
        texts = (
            [code.exclude.plain] if code.exclude.plain else [value for _, value in code.exclude.translations]
        )
        missing: list[str] = []
        for text in texts:
            for clause in _ARROW_CLAUSE.findall(text):
                for token in _TOKEN.findall(clause):
                    token = token.rstrip(".")
                    looks_like_id = "." in token and token.split(".", 1)[0] in namespaces
                    if looks_like_id and token not in ids and token not in missing:
                        missing.append(token)
        for token in missing:
            log.warning(
                code.exclude_node,
                _("the exclude text of {code} refers to '{token}', which is not a code id").format(
                    code=code.label, token=token),
            )
