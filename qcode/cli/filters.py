"""The filter options every analysis command shares, declared once: which data, and how it is grouped.

`filter_options()` adds `--transcripts`, `--coders`, `--codes`, `--speakers` and `--where` (each name list
comma-separated and/or repeated) and hands the command one `selection` argument, a
`qcode.analysis.selection.Selection`. `by_option()` adds `--by` with the groupings a command supports,
`attr:NAME` among them. The old singular spellings (`--transcript`, `--coder`, `--speaker`) still work,
hidden from `--help`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import click

from qcode.i18n import N_, _

F = Callable[..., Any]

HELP = {
    "transcripts": N_("Only these transcripts (names, comma-separated or repeated). Default: all."),
    "coders": N_("Only these coders' codings, each coder's counted on its own (comma-separated or repeated). "
                 "Default: one voice per passage (the consensus where recorded, else each passage once)."),
    "codes": N_("Only these codes, each with the codes under it (ids, comma-separated or repeated)."),
    "speakers": N_("Only the turns of these speaker labels or persons (comma-separated or repeated); 'all' also "
                   "keeps interviewers, whose turns are left out by default."),
    "where": N_("Only cases meeting an attribute condition: ATTR=VALUE, ATTR!=VALUE, ATTR<N, ATTR>N, "
                "'ATTR in A,B' (repeatable; all must hold). Transcript attributes choose transcripts, person "
                "attributes choose speakers' turns."),
}


def filter_options(*, coders: bool = True, codes: bool = True, speakers: bool = True, where: bool = True,
                   coders_help: str | None = None, codes_help: str | None = None) -> Callable[[F], F]:
    """The shared filters; the command receives `selection` instead of the separate options."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            from qcode.analysis.selection import Selection  # lazy: --help speed

            def names(main: str, alias: str) -> tuple[str, ...]:
                return tuple(kwargs.pop(main, ()) or ()) + tuple(kwargs.pop(alias, ()) or ())

            transcripts = names("transcripts", "transcript_alias")
            chosen_coders = names("coders", "coder_alias")
            chosen_codes = tuple(kwargs.pop("codes", ()) or ())
            chosen_speakers = names("speakers", "speaker_alias")
            conditions = tuple(kwargs.pop("where", ()) or ())
            kwargs["selection"] = Selection.from_options(
                transcripts=transcripts or None, coders=chosen_coders or None, codes=chosen_codes or None,
                speakers=chosen_speakers or None, where=conditions)
            return func(*args, **kwargs)

        options = [
            click.option("--transcripts", "transcripts", multiple=True, metavar="NAMES", help=HELP["transcripts"]),
            click.option("--transcript", "transcript_alias", multiple=True, hidden=True),
        ]
        if coders:
            options += [click.option("--coders", "coders", multiple=True, metavar="NAMES",
                                     help=coders_help or HELP["coders"]),
                        click.option("--coder", "coder_alias", multiple=True, hidden=True)]
        if codes:
            options.append(click.option("--codes", "codes", multiple=True, metavar="IDS", help=codes_help or HELP["codes"]))
        if speakers:
            options += [click.option("--speakers", "speakers", multiple=True, metavar="LABELS", help=HELP["speakers"]),
                        click.option("--speaker", "speaker_alias", multiple=True, hidden=True)]
        if where:
            options.append(click.option("--where", "where", multiple=True, metavar="COND", help=HELP["where"]))
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


class Grouping(click.ParamType):
    """One of a command's fixed groupings, or `attr:NAME` (an attribute of transcripts or persons)."""

    name = "grouping"

    def __init__(self, choices: Sequence[str], attributes: bool = True) -> None:
        self.choices = tuple(choices)
        self.attributes = attributes

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.choices + (("attr:NAME",) if self.attributes else ())) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if text in self.choices:
            return text
        if self.attributes and text.startswith("attr:") and text[5:].strip():
            return "attr:" + text[5:].strip()
        allowed = ", ".join(self.choices + (("attr:NAME",) if self.attributes else ()))
        self.fail(_("{value!r} is not a grouping; choose {allowed}").format(value=value, allowed=allowed), param, ctx)


def by_option(choices: Sequence[str], *, default: str | None = None, help: str | None = None,
              attributes: bool = True) -> Callable[[F], F]:
    """`--by`: a fixed grouping of the command, or attr:NAME."""
    text = help or "Group the results: " + ", ".join(choices) + (
        ", or attr:NAME (an attribute of transcripts or persons)" if attributes else "") + "."
    return click.option("--by", "by", type=Grouping(choices, attributes), default=default,
                        show_default=default is not None, help=text)
