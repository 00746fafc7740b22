"""`qcode chart freq|agreement -o FILE.png|svg`: figures for a thesis (matplotlib, the `charts` extra)."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.filters import filter_options
from qcode.errors import InputError
from qcode.i18n import N_, _, current_language, set_language

INSTALL_HINT = "pip install 'qcode[charts]'"


def _require_matplotlib() -> None:
    if importlib.util.find_spec("matplotlib") is None:
        raise InputError(_("charts need matplotlib, which is not installed; install it with: {command}").format(
            command=INSTALL_HINT))


def _output(output: str) -> Path:
    path = Path(output)
    if path.suffix.lower() not in (".png", ".svg"):
        raise InputError(_("a chart is written as .png or .svg, not {suffix}").format(suffix=path.suffix or "''"),
                         path=path)
    return path


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value:
        set_language(value)
    return current_language()


def _common(func):
    func = project_option(func)
    func = click.option("--lang", type=click.Choice(["zh", "en"]), default=None, callback=_language,
                        help="Language of code names and labels (default: the interface language).")(func)
    func = click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True,
                        help="Unit counted.")(func)
    return click.option("-o", "--output", required=True, metavar="FILE",
                        help="The image to write: FILE.png (150 dpi) or FILE.svg (text stays text).")(func)


@click.group()
def chart() -> None:
    """Figures as PNG or SVG images for a thesis (needs the charts extra: pip install 'qcode[charts]')."""


@chart.command("freq")
@_common
@filter_options()
@click.pass_context
def chart_freq(ctx: click.Context, output: str, unit: str, lang: str, project: str | None, selection) -> None:
    """Units coded per code, one bar per coder (the statistics screen's bars as an image)."""
    _require_matplotlib()
    path = _output(output)
    from qcode.reports.charts import frequency_chart  # lazy: --help speed
    from qcode.reports.statistics import code_coder_counts  # lazy: --help speed

    store = open_project(ctx, project).store
    frequency_chart(code_coder_counts(store, selection, unit=unit, lang=lang), path)
    click.echo(_("wrote {path}").format(path=path), err=True)


@chart.command("agreement")
@_common
@filter_options(coders_help=N_("Coders to compare (default: every human coder who completed a transcript)."))
@click.option("--include-incomplete", is_flag=True, help="Also count transcripts a coder coded in but did not mark complete.")
@click.option("--bootstrap", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap resamples for the 95% intervals (0: none).")
@click.pass_context
def chart_agreement(ctx: click.Context, output: str, unit: str, lang: str, project: str | None, selection,
                    include_incomplete: bool, bootstrap: int) -> None:
    """Krippendorff's alpha and Cohen's kappa per code, with 95% intervals and the 0.667 / 0.8 lines."""
    _require_matplotlib()
    path = _output(output)
    from qcode.analysis.ratings import AgreementOptions  # lazy: --help speed
    from qcode.analysis.selection import ALL_SPEAKERS  # lazy: --help speed
    from qcode.codebook.stored import require_codebook  # lazy: --help speed
    from qcode.project.reliability import run_agreement  # lazy: --help speed
    from qcode.reports.charts import agreement_chart  # lazy: --help speed

    store = open_project(ctx, project).store
    # As `qcode agree`: every speaker's turns count unless --speakers says otherwise.
    chosen = selection if selection.speakers is not None else replace(selection, speakers=(ALL_SPEAKERS,))
    selection = AgreementOptions(unit=unit, selection=chosen, include_incomplete=include_incomplete)
    report = run_agreement(store, selection, bootstrap=bootstrap, seed=1)
    book = require_codebook(store)
    agreement_chart(report, {code.id: book.display_name(code.id, lang) for code in book}, path)
    click.echo(_("wrote {path}").format(path=path), err=True)
