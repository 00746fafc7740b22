"""How programs count positions in a text, and converting their positions to our canonical code points.

REFI-QDA 1.5 (section 10.2) counts Unicode code points in the source's plain text, a leading BOM not
counted. Not every program does: NVivo for Windows counts UTF-16 code units (a character outside the
Basic Multilingual Plane, such as an emoji or 𠮷, is two) in text with CRLF line breaks (each two), and
some programs count in the text after turning CRLF into LF. Our canonical text has no BOM and `\\n`
line breaks, so even a file that follows the standard needs its positions shifted after every CRLF.

`SourceText` maps a position counted one way into the canonical text. `detect_counting` decides which
way a file counted, from all its selections together, with the strongest evidence first: positions
that do not fit the text at all; selection names that hold the excerpt (ATLAS.ti and QualCoder write
them, so does qcode); and, when names are empty (NVivo), whether selection boundaries fall between words
and lines or in the middle of them — positions counted the wrong way drift into words after the first
emoji or CRLF. Without evidence either way, the standard wins.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from qcode.text.decode import canonicalize
from qcode.i18n import N_, _

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Counting(StrEnum):
    """A way of counting positions in a source's text (the BOM is never counted)."""

    CODE_POINTS = "code points"  # the standard, over the text as written (CRLF is two)
    UTF16 = "UTF-16 code units"  # NVivo for Windows
    CODE_POINTS_LF = "code points, CRLF counted as one"
    UTF16_LF = "UTF-16 code units, CRLF counted as one"

    def label(self) -> str:
        """The convention's name in the interface language (the value is what is stored)."""
        return _(_COUNTING_LABELS[self])


_COUNTING_LABELS = {
    Counting.CODE_POINTS: N_("code points"),
    Counting.UTF16: N_("UTF-16 code units"),
    Counting.CODE_POINTS_LF: N_("code points, CRLF counted as one"),
    Counting.UTF16_LF: N_("UTF-16 code units, CRLF counted as one"),
}


#: Order of preference when the evidence cannot tell conventions apart: the standard first.
PREFERENCE = (Counting.CODE_POINTS, Counting.UTF16, Counting.CODE_POINTS_LF, Counting.UTF16_LF)


def _astral_unit_starts(text: str) -> list[int]:
    """UTF-16 offsets at which the characters outside the BMP of `text` start, ascending."""
    return [match.start() + k for k, match in enumerate(_ASTRAL.finditer(text))]


class SourceText:
    """A source's text as written (BOM already removed) and its canonical form, with position maps."""

    def __init__(self, written: str) -> None:
        self.written = written
        self.canonical = canonicalize(written)
        # Index in the written text of the LF of every CRLF: positions after it shift by one per pair.
        self._crlf_lf = [match.start() + 1 for match in re.finditer("\r\n", written)]
        self._astral_written = _astral_unit_starts(written)
        self._astral_canonical = self._astral_written if not self._crlf_lf else _astral_unit_starts(self.canonical)

    @property
    def has_crlf(self) -> bool:
        return bool(self._crlf_lf)

    @property
    def has_astral(self) -> bool:
        return bool(self._astral_written)

    def countings(self) -> tuple[Counting, ...]:
        """The conventions that give different positions in this text (others coincide with these)."""
        found = [Counting.CODE_POINTS]
        if self.has_astral:
            found.append(Counting.UTF16)
        if self.has_crlf:
            found.append(Counting.CODE_POINTS_LF)
            if self.has_astral:
                found.append(Counting.UTF16_LF)
        return tuple(found)

    def to_canonical(self, position: int, counting: Counting, *, is_end: bool) -> int | None:
        """`position`, counted by `counting`, as an index into the canonical text; None if outside it.

        A position between the two halves of a surrogate pair moves outwards (a selection never cuts a
        character); one between the CR and LF of a line break moves inwards (the break is left out).
        """
        if position < 0:
            return None
        if counting in (Counting.UTF16, Counting.UTF16_LF):
            starts = self._astral_written if counting is Counting.UTF16 else self._astral_canonical
            whole = bisect.bisect_right(starts, position - 2)  # astral characters entirely before it
            inside = whole < len(starts) and starts[whole] == position - 1
            position = position - whole - (0 if is_end or not inside else 1)
        if counting in (Counting.CODE_POINTS, Counting.UTF16):
            if position > len(self.written):
                return None
            before = bisect.bisect_left(self._crlf_lf, position)  # pairs whose LF lies before `position`
            between = before < len(self._crlf_lf) and self._crlf_lf[before] == position
            position = position - before - (1 if between and is_end else 0)
        return position if position <= len(self.canonical) else None


@dataclass(frozen=True)
class Selection:
    """A selection's positions as the file gives them, with its name (possibly an excerpt)."""

    text: SourceText
    start: int
    end: int
    name: str = ""


@dataclass(frozen=True)
class CountingDecision:
    """Which convention a file's positions follow, and why (a sentence for the import report)."""

    counting: Counting
    reason: str


def _squash(text: str) -> str:
    return " ".join(text.split())


def name_matches(name: str, excerpt: str) -> bool:
    """Whether a selection name is its excerpt, possibly cut short with an ellipsis."""
    wanted = _squash(name)
    if not wanted:
        return False
    have = _squash(excerpt)
    for ellipsis in ("\u2026", "..."):
        if wanted.endswith(ellipsis):
            prefix = wanted[: -len(ellipsis)].rstrip()
            return len(prefix) >= 3 and have.startswith(prefix)
    return have == wanted


def _clean_boundary(text: str, index: int) -> bool:
    """A position between words or lines, not inside a word (CJK characters count as word characters)."""
    if index <= 0 or index >= len(text):
        return True
    return not (text[index - 1].isalnum() and text[index].isalnum())


def detect_counting(selections: Sequence[Selection], origin: str | None = None) -> CountingDecision:
    """The convention that fits `selections` (all of one file) best; see the module docstring."""
    candidates = [c for c in PREFERENCE if any(c in s.text.countings() for s in selections)]
    if len(candidates) <= 1:
        return CountingDecision(Counting.CODE_POINTS, _("no text has CRLF line breaks or characters outside the "
                                                        "BMP, so every way of counting gives the same positions"))
    preference = list(PREFERENCE)
    if origin and "nvivo" in origin.lower():
        preference.remove(Counting.UTF16)
        preference.insert(0, Counting.UTF16)
    mapped: _Mapped = {
        c: [(s, s.text.to_canonical(s.start, c, is_end=False), s.text.to_canonical(s.end, c, is_end=True))
            for s in selections]
        for c in candidates
    }
    misfits = {c: sum(1 for _selection, a, b in rows if a is None or b is None or a > b) for c, rows in mapped.items()}
    fewest = min(misfits.values())
    fitting = [c for c in preference if c in candidates and misfits[c] == fewest]
    if len(fitting) == 1:
        chosen = fitting[0]
        others = ", ".join(_("{count} as {counting}").format(count=misfits[c], counting=c.label())
                           for c in candidates if c != chosen)
        return CountingDecision(chosen, _("only as {counting} do all selections fit their texts (misfits: {others})")
                                .format(counting=chosen.label(), others=others))

    names = {c: sum(1 for s, a, b in mapped[c] if a is not None and b is not None and a <= b and s.name.strip()
                    and name_matches(s.name, s.text.canonical[a:b])) for c in fitting}
    best_names = max(names.values())
    if best_names:
        chosen = max(fitting, key=lambda c: (names[c], -fitting.index(c)))
        if names[chosen] > min(names.values()):
            shown = ", ".join(_("{count} as {counting}").format(count=names[c], counting=c.label()) for c in fitting)
            return CountingDecision(chosen, _("selection names match the text when counted as {counting} ({shown})")
                                    .format(counting=chosen.label(), shown=shown))

    boundary = _boundary_scores(mapped, fitting)
    if boundary:
        chosen = max(fitting, key=lambda c: (boundary[c][0], -fitting.index(c)))
        default = fitting[0]
        score, tested = boundary[chosen]
        if chosen != default and score >= 0.8 and score - boundary[default][0] >= 0.2:
            shown = ", ".join(_("{count} as {counting}").format(count=f"{boundary[c][0]:.0%}", counting=c.label())
                              for c in fitting)
            return CountingDecision(chosen, _("selection boundaries fall between words or lines when counted as "
                                              "{counting} ({shown}, over {tested} boundaries where the ways differ)")
                                    .format(counting=chosen.label(), shown=shown, tested=tested))
    chosen = fitting[0]
    hint = _(" (the file comes from NVivo, which counts UTF-16 units)") if chosen is Counting.UTF16 else ""
    return CountingDecision(chosen, _("the selections do not tell how positions were counted; using {counting}")
                            .format(counting=chosen.label()) + hint)


_Mapped = dict[Counting, list[tuple[Selection, int | None, int | None]]]  # selection, start, end per convention


def _boundary_scores(mapped: _Mapped, fitting: list[Counting]) -> dict[Counting, tuple[float, int]]:
    """Per convention: the share of clean boundaries among positions where the conventions disagree."""
    rows = list(zip(*(mapped[c] for c in fitting)))
    clean = dict.fromkeys(fitting, 0)
    tested = 0
    for per_convention in rows:
        for side in (1, 2):
            indices = [row[side] for row in per_convention]
            if None in indices or len(set(indices)) == 1:
                continue
            tested += 1
            for c, row in zip(fitting, per_convention):
                clean[c] += _clean_boundary(row[0].text.canonical, row[side])
    if tested < 4:
        return {}
    return {c: (clean[c] / tested, tested) for c in fitting}
