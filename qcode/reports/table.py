"""The plain table every report turns into (terminal, CSV, Markdown, XLSX): its own module so that code
which only prints a table (`qcode import`, `transcripts`, the CLI's headers) loads nothing of the analysis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    """Headers and rows of plain values (str, int, float or None); `numeric` are right-aligned columns."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    numeric: tuple[int, ...] = ()
    percent: tuple[int, ...] = ()  # columns holding a share (0..1)
