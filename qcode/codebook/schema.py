"""The fields of codebook format 1, and the rules for the values that are not free text."""

from __future__ import annotations

import difflib
import re

from qcode.i18n import _

#: The newest codebook format this qcode reads (the top-level `format` field).
FORMAT_VERSION = 1

TOP_LEVEL_FIELDS = ("format", "id", "version", "title", "description", "languages", "keyword_match",
                    "sources", "codes")  # fmt: skip
CODE_FIELDS = ("id", "name", "codable", "key", "color", "description", "definition", "include",
               "exclude", "examples", "example", "keywords", "sources", "children")  # fmt: skip
SOURCE_FIELDS = ("key", "cite")

# Names people plausibly use for our fields, where difflib would suggest nothing or the wrong field
# (difflib offers 'version' for 'schema_version').
_FIELD_ALIASES = {
    "top level": {
        "schema_version": "format", "format_version": "format", "groups": "codes", "name": "title",
        "language": "languages", "references": "sources", "citations": "sources",
    },
    "code": {
        "codes": "children", "subcodes": "children", "label": "name", "title": "name",
        "hotkey": "key", "shortcut": "key", "colour": "color", "keyword": "keywords",
        "inclusion": "include", "exclusion": "exclude", "source": "sources", "group": "codable",
    },
    "source": {"id": "key", "citation": "cite", "reference": "cite"},
}  # fmt: skip

#: A hotkey: one or two lower-case ASCII letters or digits, typed in the coding screen.
HOTKEY = re.compile(r"[a-z0-9]{1,2}")

#: A language code such as zh, en, zh-Hant or pt-BR (a BCP 47 tag, loosely).
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def unknown_field_message(name: str, context: str, known: tuple[str, ...]) -> str:
    """'unknown field X in a code (did you mean Y?)', suggesting the nearest known field if any."""
    suggestion = _FIELD_ALIASES.get(context, {}).get(name.lower())
    if suggestion is None:
        close = difflib.get_close_matches(name.lower(), known, n=1)
        suggestion = close[0] if close else None
    hint = (_(" (did you mean '{suggestion}'?)").format(suggestion=suggestion) if suggestion
            else _("; known fields: {fields}").format(fields=", ".join(known)))
    return _("unknown field '{field}' in {where}{hint}").format(field=name, where=describe_context(context), hint=hint)


def suggest(value: str, choices: list[str] | tuple[str, ...]) -> str:
    """' (did you mean X?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(value, choices, n=1)
    return _(" (did you mean '{suggestion}'?)").format(suggestion=close[0]) if close else ""


def describe_context(context: str) -> str:
    """'the top level', 'a code' or 'a source', for messages."""
    return {"top level": _("the top level"), "code": _("a code"), "source": _("a source")}.get(context, context)
