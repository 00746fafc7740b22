"""Sentences of a report that are English in its JSON and in the reader's language everywhere else.

An undefined statistic's reason and a report's notes are stored in English (the JSON researchers' scripts
read does not depend on the interface language). A `Message` is that English text, a plain `str` to JSON
and to comparisons, which also remembers its catalogue message and placeholders, so that a table, a
screen or a methods paragraph can say it again in the language it is written in (`translated`).
"""

from __future__ import annotations

from collections.abc import Mapping

from qcode.i18n import _


class Message(str):
    """English text (what `str` gives) that `translated` renders in the current language."""

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, /, **params: object) -> Message:
        text = super().__new__(cls, template.format(**params))
        text.template, text.params = template, params
        return text

    def translated(self) -> str:
        """The message in the current language, its placeholders (messages too) translated as well."""
        # Only nested messages are translated: a name (of a coder, a code) is shown as it is.
        values = {name: value.translated() if isinstance(value, Message) else value
                  for name, value in self.params.items()}
        return _(self.template).format(**values)


def translated(text: str) -> str:
    """A report's sentence in the current language: a `Message`, or a constant marked with `N_`."""
    if isinstance(text, Message):
        return text.translated()
    return _(text)
