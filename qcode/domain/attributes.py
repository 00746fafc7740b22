"""Attributes (REFI-QDA "variables") of cases: transcripts and persons, typed, with one canonical text each.

A value is stored as text in a canonical form, so equal values compare equal and ordered values sort:

- `text`: as given (stripped).
- `number`: a decimal number; integers without a decimal point (`35`), others as Python writes them
  (`2.5`). Full-width digits are accepted (`３５`).
- `date`: ISO `YYYY-MM-DD`; `2024/3/5`, `2024.3.5` and `2024年3月5日` are accepted.
- `boolean`: `true` or `false`; accepted are true/false, yes/no, 1/0, 是/否, 对/错, 真/假.
- `category`: one of an ordered list of levels (青年 < 中年 < 老年), compared by that order.

`parse_value` raises `ValueError` with a message for the user; callers add the file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from qcode.i18n import _
from qcode.domain.control_chars import first_control, visible_controls

ATTRIBUTE_TYPES = ("text", "number", "date", "boolean", "category")
CASE_KINDS = ("transcript", "person")
ROLE = "role"  # the person attribute whose value `interviewer` leaves a person's turns out of analyses
INTERVIEWER = "interviewer"

_TRUE = {"true", "yes", "y", "1", "是", "对", "真", "t"}
_FALSE = {"false", "no", "n", "0", "否", "错", "假", "f"}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@dataclass(frozen=True, slots=True)
class AttributeDefinition:
    """An attribute of one kind of case: its name, type and (for categories) ordered levels."""

    kind: str  # "transcript" or "person"
    name: str
    type: str
    levels: tuple[str, ...] = ()

    def parse(self, raw: object) -> str:
        return parse_value(self.type, raw, self.levels)

    def sort_key(self, value: str) -> tuple[Any, ...]:
        """Orders values: numbers by size, dates by day, categories by level, text and booleans as text."""
        if self.type == "number":
            return (0, float(value), "")
        if self.type == "category" and value in self.levels:
            return (0, self.levels.index(value), "")
        return (1, 0, value)


def _number(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    try:
        number = float(folded)
    except ValueError:
        raise ValueError(_("{value} is not a number").format(value=repr(text))) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(_("{value} is not a finite number").format(value=repr(text)))
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _date(text: str) -> str:
    found = _DATE.match(unicodedata.normalize("NFKC", text))
    if not found:
        raise ValueError(_("{value} is not a date (write YYYY-MM-DD)").format(value=repr(text)))
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3])).isoformat()
    except ValueError as exc:
        raise ValueError(_("{value} is not a date: {reason}").format(value=repr(text), reason=exc)) from None


def _boolean(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    if folded in _TRUE:
        return "true"
    if folded in _FALSE:
        return "false"
    raise ValueError(_("{value} is not true or false (also yes/no, 1/0, 是/否)").format(value=repr(text)))


def parse_value(type_: str, raw: object, levels: tuple[str, ...] = ()) -> str:
    """The canonical text of `raw` as a value of `type_`; ValueError says what is wrong."""
    if type_ not in ATTRIBUTE_TYPES:
        raise ValueError(_("unknown attribute type {type}; choose one of {types}").format(
            type=repr(type_), types=", ".join(ATTRIBUTE_TYPES)))
    if isinstance(raw, bool):
        raw = "true" if raw else "false"
    elif isinstance(raw, dt.datetime):
        raw = raw.date().isoformat()
    elif isinstance(raw, dt.date):
        raw = raw.isoformat()
    text = "" if raw is None else str(raw).strip()
    if not text:
        raise ValueError(_("the value is empty"))
    if (code := first_control(text, multiline=True)) is not None:
        raise ValueError(_("{value} contains the control character {code}").format(value=repr(visible_controls(text)),
                                                                                   code=code))
    if type_ == "number":
        return _number(text)
    if type_ == "date":
        return _date(text)
    if type_ == "boolean":
        return _boolean(text)
    if type_ == "category":
        if text not in levels:
            raise ValueError(_("{value} is not a level of this category ({levels})").format(
                value=repr(text), levels=", ".join(levels) or _("no levels yet")))
        return text
    return text


def guess_type(values: list[str]) -> str:
    """The narrowest type every non-empty value fits: number, date, boolean, else text."""
    present = [v for v in values if str(v).strip()]
    if not present:
        return "text"
    for candidate in ("number", "date", "boolean"):
        try:
            for value in present:
                parse_value(candidate, value)
        except ValueError:
            continue
        return candidate
    return "text"
