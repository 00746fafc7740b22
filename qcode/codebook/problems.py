"""Collecting the problems found while reading a codebook, each located at a YAML node or a position."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from yaml import Node
from yaml.error import Mark

from qcode.errors import Problem

if TYPE_CHECKING:
    from yaml._yaml import Mark as LibyamlMark  # the marks of PyYAML's C parser

Where: TypeAlias = "Node | Mark | LibyamlMark | tuple[int, int] | None"


class ProblemLog:
    """Problems found in one file, in the order found; `sorted()` gives them in file order."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, where: Where, message: str) -> None:
        """Record an error at a node's start, a YAML mark, or a 1-based (line, column)."""
        self._add(where, message, "error")

    def warning(self, where: Where, message: str) -> None:
        """Record a warning: worth fixing, but the codebook can still be used."""
        self._add(where, message, "warning")

    @property
    def has_errors(self) -> bool:
        return any(problem.severity == "error" for problem in self.problems)

    def sorted(self) -> list[Problem]:
        """The problems by position (unlocated ones first); equal positions keep the order found."""
        return sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0))

    def _add(self, where: Where, message: str, severity: str) -> None:
        line, column = _position(where)
        self.problems.append(Problem(message, self.path, line, column, severity))


def _position(where: Where) -> tuple[int | None, int | None]:
    if where is None:
        return None, None
    if isinstance(where, tuple):
        return where
    mark = where.start_mark if isinstance(where, Node) else where
    # YAML marks are 0-based; people count lines and columns from 1.
    return mark.line + 1, mark.column + 1


def line_of(node: Node) -> int:
    """The 1-based line a node starts on, for messages that point back to an earlier occurrence."""
    return node.start_mark.line + 1
