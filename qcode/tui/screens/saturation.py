"""The first-appearance curve (F7): new codes per transcript in coding order, as bars, and what the
held-back saturation test set would add."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Sparkline, Static

from qcode.errors import QcodeError
from qcode.workspace import Workspace
from qcode.reports.saturation import Saturation
from qcode.tui import bindings
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.widgets.footer import Footer
from qcode.i18n import _
from qcode.tui.shown import visible_text

_BAR_WIDTH = 40


class SaturationScreen(QcodeScreen[None]):
    BINDINGS = bindings.SATURATION

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.result: Saturation | None = None
        self.verdict = ""

    def compose(self) -> ComposeResult:
        yield Static("[b]" + _("Saturation") + "[/b] · " + _("new codes per transcript, in coding order"),
                     id="saturation-title")
        yield Sparkline([], id="saturation-spark")
        with VerticalScroll():
            yield Static(id="saturation-chart")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload_codebook(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            self.result, self.verdict = self.workspace.saturation()
        except QcodeError as exc:
            self.qapp.report(exc)
            return
        self.query_one(Sparkline).data = [len(s.new_codes) for s in self.result.steps] or [0]
        self.query_one("#saturation-chart", Static).update(self.chart(self.result))

    def chart(self, result: Saturation) -> Text:
        book = self.workspace.codebook
        text = Text()
        most = max((len(s.new_codes) for s in result.steps), default=0) or 1
        width = max((cell_len(s.transcript) for s in result.steps), default=10)  # in cells: names may be Chinese
        for step in result.steps:
            bar = "█" * max(1 if step.new_codes else 0, round(len(step.new_codes) / most * _BAR_WIDTH))
            text.append(step.transcript + " " * (width - cell_len(step.transcript)) + " ")
            text.append(bar, style="bold green")
            counts = " " + _("{new} new · {total} in all").format(new=len(step.new_codes), total=step.cumulative)
            if step.new_categories:
                categories = len(step.new_categories)
                counts += " · " + (_("1 new category") if categories == 1 else
                                   _("{count} new categories").format(count=categories))
            text.append(counts + "\n", style="dim")
        if not result.steps:
            text.append(_("No coded transcripts yet.") + "\n", style="dim")
        text.append("\n" + self.verdict + "\n", style="bold")
        for code in result.test_new_codes:
            text.append("  + " + _("code {name} ({code})").format(name=book.display_name(code), code=code) + "\n")
        for relation in result.test_new_relations:
            text.append("  + " + _("relation {source} —{type}→ {target}").format(
                source=relation.source, type=relation.type, target=relation.target) + "\n")
        return visible_text(text)

    def action_back(self) -> None:
        self.app.pop_screen()
