"""The first-appearance curve (F7): new codes per transcript in coding order, as bars, and what the
held-back saturation test set would add."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Sparkline, Static

from qcode.errors import QcodeError
from qcode.project.workspace import Workspace
from qcode.reports.saturation import Saturation, saturation, saturation_verdict
from qcode.tui import bindings
from qcode.tui.screen_base import QcodeScreen

_BAR_WIDTH = 40


class SaturationScreen(QcodeScreen[None]):
    BINDINGS = bindings.SATURATION

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.result: Saturation | None = None

    def compose(self) -> ComposeResult:
        yield Static("[b]Saturation[/b] · new codes per transcript, in coding order", id="saturation-title")
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
            self.result = saturation(self.workspace.store, self.workspace.codebook)
        except QcodeError as exc:
            self.qapp.report(exc)
            return
        self.query_one(Sparkline).data = [len(s.new_codes) for s in self.result.steps] or [0]
        self.query_one("#saturation-chart", Static).update(self.chart(self.result))

    def chart(self, result: Saturation) -> Text:
        book = self.workspace.codebook
        text = Text()
        most = max((len(s.new_codes) for s in result.steps), default=0) or 1
        width = max((len(s.transcript) for s in result.steps), default=10)
        for step in result.steps:
            bar = "█" * max(1 if step.new_codes else 0, round(len(step.new_codes) / most * _BAR_WIDTH))
            text.append(f"{step.transcript:<{width}} ")
            text.append(bar, style="bold green")
            text.append(f" {len(step.new_codes)} new · {step.cumulative} in all"
                        + (f" · {len(step.new_categories)} new categor{'y' if len(step.new_categories) == 1 else 'ies'}"
                           if step.new_categories else "") + "\n", style="dim")
        if not result.steps:
            text.append("No coded transcripts yet.\n", style="dim")
        text.append("\n" + saturation_verdict(result) + "\n", style="bold")
        for code in result.test_new_codes:
            text.append(f"  + code {book.display_name(code)} ({code})\n")
        for relation in result.test_new_relations:
            text.append(f"  + relation {relation.source} —{relation.type}→ {relation.target}\n")
        return text

    def action_back(self) -> None:
        self.app.pop_screen()
