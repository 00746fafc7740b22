"""The statistics screen: code frequencies as bars with coders side by side, and the code x transcript
matrix as a heat table. `x` writes the project workbook to the project's exports/ folder.

Numbers come from `qcode.reports.statistics` (the same definitions as `qcode freq`), computed in a thread
worker on its own connection (`run_job`); this screen only draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Static

from qcode.i18n import N_, _, counted
from qcode.workspace import Workspace
from qcode.reports.statistics import CodeCoderCounts, CodeGroupCounts, CodeTranscriptMatrix
from qcode.tui import bindings
from qcode.tui.messages import Notice, WorkDone, WorkFailed
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.shown import name_markup, visible_name, visible_text
from qcode.tui.widgets.footer import Footer
from qcode.tui.workers import Progress, run_job

UNITS = (N_("turn"), N_("sentence"))
MEASURES = (N_("units"), N_("codings"), N_("characters"), N_("share"))
CODER_COLORS = ("#4e9af1", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7")
BAR_WIDTH = 28
HEAT = ("#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")


@dataclass(frozen=True)
class Statistics:
    bars: CodeCoderCounts | CodeGroupCounts | None
    heat: CodeTranscriptMatrix | None
    error: str | None = None
    groupings: tuple[str, ...] = ("coder",)


def heat_color(value: float, largest: float) -> str:
    """A sequential colour for a heat-table cell (light for little, dark orange for the most)."""
    if not largest or not value:
        return ""
    step = min(len(HEAT) - 1, int(len(HEAT) * value / largest))
    return HEAT[step]


LABEL_CELLS = 10  # width of the series labels before the bars, in screen cells (CJK counts two)


def fit_cells(label: str, width: int = LABEL_CELLS) -> str:
    """`label` cut or padded to exactly `width` screen cells, so bars start in one column whatever the script."""
    if cell_len(label) > width:
        label = set_cell_size(label, width - 1) + "…"
    return set_cell_size(label, width)


def bar_text(counts: CodeCoderCounts | CodeGroupCounts, measure: str = "units") -> Text:
    """One block per code: its name (and, by group, the test), then one bar per coder or group, scaled to
    the largest value; the series labels are padded by screen cells so every bar starts in one column."""
    values = counts.units if measure == "units" else counts.codings
    series = counts.coders if isinstance(counts, CodeCoderCounts) else counts.groups
    tests = counts.tests if isinstance(counts, CodeGroupCounts) else ("",) * len(counts.rows)
    largest = max((v for row in values for v in row), default=0) or 1
    text = Text()
    for row, per_series, test in zip(counts.rows, values, tests):
        label = ("  " * row.depth) + row.name + (" " + _("(subtree)") if row.scope == "subtree" else "")
        text.append("■ ", style=row.color)
        text.append(label, style="bold" if row.scope == "subtree" else "")
        text.append(f"  {test}\n" if test else "\n", style="italic")
        for j, name in enumerate(series):
            length = round(BAR_WIDTH * per_series[j] / largest)
            text.append(f"   {fit_cells(name)} ", style="dim")
            text.append("█" * length, style=CODER_COLORS[j % len(CODER_COLORS)])
            text.append(f" {per_series[j]}\n")
    return visible_text(text)


class StatisticsScreen(QcodeScreen[None]):
    BINDINGS = bindings.STATISTICS

    class Counted(WorkDone[Statistics]):
        """The figures for the current unit, measure and grouping are counted."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.unit = "turn"
        self.measure = "units"
        self.grouping = "coder"  # bars per coder, or per group of person / attr:NAME (g cycles)
        self.groupings: tuple[str, ...] = ("coder", "person")
        self.stats: Statistics | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Counting…"), id="stats-summary")
        with Horizontal():
            with VerticalScroll(id="stats-bars"):
                yield Static(id="bars")
            yield DataTable(id="heat", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        self.compute()

    def compute(self) -> None:
        unit, measure, grouping = self.unit, self.measure, self.grouping

        def count(workspace: Workspace, _progress: Progress) -> Statistics:
            groupings = ("coder", "person", *(f"attr:{name}" for name in workspace.attribute_names()))
            bars = workspace.code_counts(grouping, unit=unit)
            heat = workspace.code_transcript_matrix(unit=unit, measure=measure)
            return Statistics(bars, heat, groupings=groupings)

        run_job(self, self.workspace, count, self.Counted, name="statistics")

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        self.show(message.result)

    @on(WorkFailed)
    def _not_counted(self, message: WorkFailed) -> None:
        if message.job == "statistics":
            message.stop()  # shown here, in place of the figures
            self.show(Statistics(None, None, message.text))

    def show(self, stats: Statistics) -> None:
        self.stats = stats
        self.groupings = stats.groupings
        summary = self.query_one("#stats-summary", Static)
        table = self.query_one("#heat", DataTable)
        table.clear(columns=True)
        if stats.bars is None or stats.heat is None:
            summary.update(Text(_("No statistics: {error}").format(error=stats.error), style="yellow"))
            return
        summary.update(Text.assemble(
            (_("Unit: "), "dim"), f"{_(self.unit)} (u)", (_("  ·  heat table: "), "dim"), f"{_(self.measure)} (m)",
            (_("  ·  bars: units coded per "), "dim"), f"{_(self.grouping)} (g); ",
            counted(stats.bars.units_total, "{count:,} unit in all", "{count:,} units in all"),
            (_("  ·  x: export the workbook"), "dim"),
        ))
        self.query_one("#bars", Static).update(bar_text(stats.bars))
        heat = stats.heat
        table.add_columns(_("code"), *map(name_markup, heat.transcripts), _("all"))
        largest = heat.largest
        for row, values, total in zip(heat.rows, heat.values, heat.totals):
            cells = []
            for value in values:
                shown = "" if value is None else (f"{value:.0%}" if self.measure == "share" else str(value))
                color = heat_color(value or 0, largest)
                cells.append(Text(shown, style=f"black on {color}" if color else ""))
            total_text = "" if total is None else (f"{total:.0%}" if self.measure == "share" else str(total))
            label = ("  " * row.depth) + row.name + (" Σ" if row.scope == "subtree" else "")
            table.add_row(Text(visible_name(label), style="bold" if row.scope == "subtree" else ""), *cells, total_text)

    def action_cycle_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.compute()

    def action_cycle_grouping(self) -> None:
        """Bars per coder, per person, then per value of each attribute (with the crosstab's test per code)."""
        choices = self.groupings if self.grouping in self.groupings else ("coder",)
        self.grouping = choices[(choices.index(self.grouping) + 1) % len(choices)]
        self.compute()

    def action_cycle_measure(self) -> None:
        self.measure = MEASURES[(MEASURES.index(self.measure) + 1) % len(MEASURES)]
        self.compute()

    def action_export(self) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.export(self.workspace.exports_dir / f"qcode-report-{stamp}.xlsx")

    def export(self, path: Path) -> None:
        """Write the project workbook in a worker; the app says where (or why not), even if this screen
        was left meanwhile."""
        unit = self.unit

        def write(workspace: Workspace, _progress: Progress) -> int:
            return workspace.export_workbook(path, unit=unit)  # cells changed to fit Excel

        def written(changed: int) -> Notice:
            note = counted(changed, " ({count} cell changed to fit Excel)", " ({count} cells changed to fit Excel)") \
                if changed else ""
            return Notice(_("Wrote {path}").format(path=path) + note)

        run_job(self.app, self.workspace, write, written, name="export", exclusive=False)

    def action_back(self) -> None:
        self.app.pop_screen()
