"""What an analysis covers: ONE `Selection` of transcripts, coders, codes, speakers and attribute conditions.

Every analysis (agreement, frequencies, co-occurrence, quotes, word counts, crosstabs, suggestions'
evaluation and the TUI's screens) takes a `Selection` and resolves it here, so a name means the same
thing everywhere and an unknown name is always the same `InputError` listing the valid ones.

Defaults (None = "not given"): every transcript; coders as the analysis chooses them (reports: one voice
per passage, see `qcode.analysis.units`; agreement: the coders who completed a transcript); every code of
the codebook; every speaker except those whose person has the role `interviewer` (`speakers=("all",)`
keeps them too). A code named in `codes` brings its whole subtree where an analysis counts subtrees.

`where` holds attribute conditions (`ATTR=VALUE`, `ATTR!=VALUE`, `ATTR<N`, `ATTR>N`, `ATTR in A,B`): a
condition on a transcript attribute keeps the transcripts that meet it; one on a person attribute keeps
the turns of the persons that meet it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qcode.domain.codebook import Codebook
from qcode.domain.models import CONSENSUS_CODER  # noqa: F401  (the coder the team's agreed codings are recorded as)
from qcode.analysis.names import unknown_names  # noqa: F401  (re-exported: callers import it from here)
from qcode.errors import InputError
from qcode.i18n import N_, _

MACHINE_CODER_PREFIX = "auto:"  # coders that are programs (keyword suggestions), not people
ALL_SPEAKERS = "all"  # `--speakers all`: interviewers' turns too
NO_SPEAKER = "(no speaker)"

OPERATORS = ("!=", "<=", ">=", "=", "<", ">", " in ")


@dataclass(frozen=True, slots=True)
class Condition:
    """One `--where` condition: attribute, operator (= != < > <= >= in) and the value(s) as typed."""

    attribute: str
    operator: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        joined = ",".join(self.values)
        return f"{self.attribute} in {joined}" if self.operator == "in" else f"{self.attribute}{self.operator}{joined}"


_CONDITION = re.compile(r"^\s*(?P<attr>[^=!<>]+?)\s*(?P<op>!=|<=|>=|=|<|>|\s+in\s+)\s*(?P<value>.*?)\s*$", re.S)


def parse_condition(text: str) -> Condition:
    """`ATTR=VALUE`, `ATTR!=VALUE`, `ATTR<N`, `ATTR>N` (also <=, >=) or `ATTR in A,B,...`."""
    found = _CONDITION.match(text)
    if not found or not found["attr"].strip():
        raise InputError(_("--where {condition}: write ATTR=VALUE, ATTR!=VALUE, ATTR<NUMBER, ATTR>NUMBER "
                           "or 'ATTR in A,B'").format(condition=repr(text)))
    operator = found["op"].strip()
    value = found["value"]
    if operator == "in":
        values = tuple(v.strip() for v in value.split(",") if v.strip())
        if not values:
            raise InputError(_("--where {condition}: 'in' needs a comma-separated list of values").format(
                condition=repr(text)))
    else:
        values = (value,)
    return Condition(found["attr"].strip(), operator, values)


def split_names(values: Iterable[str] | str | None) -> tuple[str, ...] | None:
    """Names given as repeated options and/or comma-separated lists (each once); None when none were given."""
    if values is None:
        return None
    if isinstance(values, str):
        values = (values,)
    names = [part.strip() for value in values for part in value.replace("，", ",").split(",") if part.strip()]
    return tuple(dict.fromkeys(names)) or None


@dataclass(frozen=True)
class Selection:
    """The filters of an analysis; None means the default (see the module docstring)."""

    transcripts: tuple[str, ...] | None = None
    coders: tuple[str, ...] | None = None
    codes: tuple[str, ...] | None = None
    speakers: tuple[str, ...] | None = None
    where: tuple[Condition, ...] = ()

    @classmethod
    def from_options(cls, *, transcripts=None, coders=None, codes=None, speakers=None, where=()) -> Selection:
        """From CLI values: comma-separated and/or repeated names, `--where` texts."""
        return cls(split_names(transcripts), split_names(coders), split_names(codes), split_names(speakers),
                   tuple(parse_condition(w) if isinstance(w, str) else w for w in where or ()))

    @property
    def all_speakers(self) -> bool:
        """`--speakers all`: interviewers' turns count too."""
        return self.speakers is not None and ALL_SPEAKERS in self.speakers

    def describe(self) -> list[str]:
        """The filters that were given, as short phrases (for notes under a report)."""
        parts = []
        for label, value in ((N_("transcripts: {names}"), self.transcripts), (N_("coders: {names}"), self.coders),
                             (N_("codes: {names}"), self.codes), (N_("speakers: {names}"), self.speakers)):
            if value is not None:
                parts.append(_(label).format(names=", ".join(value)))
        parts += [_("where {condition}").format(condition=c) for c in self.where]
        return parts


def resolve_codes(codebook: Codebook, names: tuple[str, ...] | None) -> tuple[str, ...]:
    """The named codes with their subtrees (every code when None), in codebook order."""
    if names is None:
        return tuple(code.id for code in codebook)
    missing = [n for n in names if n not in codebook]
    if missing:
        raise unknown_names("code", missing, [c.id for c in codebook], N_("load a codebook"))
    wanted = {member for name in names for member in codebook.subtree(name)}
    return tuple(code.id for code in codebook if code.id in wanted)


def check_coders(names: tuple[str, ...], known: Sequence[str]) -> tuple[str, ...]:
    """The named coders, after checking each exists."""
    missing = [n for n in names if n not in known]
    if missing:
        raise unknown_names("coder", missing, sorted(known), N_("nobody has coded yet"))
    return names


def is_human(coder: str) -> bool:
    return not coder.startswith(MACHINE_CODER_PREFIX)
