"""The home screen: every transcript with its size, speakers and each coder's progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from qcode.errors import QcodeError
from qcode.i18n import _
from qcode.project.listing import TranscriptSummary
from qcode.project.workspace import Workspace
from qcode.tui import bindings
from qcode.tui.widgets.footer import Footer


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """A small text bar: ▰▰▰▱▱ with the fraction, for a table cell."""
    if total <= 0:
        return "—"
    filled = round(width * done / total)
    return "▰" * filled + "▱" * (width - filled) + f" {done}/{total}"


class TranscriptsScreen(Screen[None]):
    """Pick a transcript to code; see who has completed what."""

    BINDINGS = bindings.TRANSCRIPTS

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.summaries: list[TranscriptSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="transcripts-intro")
        yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Transcript"), _("Characters"), _("Turns"), _("Speakers"), _("Your progress"), _("Done"),
                          _("Other coders"))
        table.focus()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: the one place the list is (re)loaded.
        self.reload()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        selected = table.cursor_row
        self.summaries = self.workspace.transcripts()
        coder = self.workspace.coder
        table.clear()
        for s in self.summaries:
            mine = s.progress.get(coder)
            others = [f"{name}{' ✓' if p.complete else ''}" for name, p in s.progress.items() if name != coder]
            table.add_row(
                s.name,
                f"{s.characters:,}",
                str(s.turns),
                "、".join(s.speakers) or "—",
                progress_bar(mine.coded_turns if mine else 0, s.turns),
                "✓" if mine and mine.complete else "",
                ", ".join(others) or "—",
                key=s.name,
            )
        if self.summaries:
            table.move_cursor(row=min(max(selected, 0), len(self.summaries) - 1))
        done = sum(1 for s in self.summaries if (p := s.progress.get(coder)) and p.complete)
        self.query_one("#transcripts-intro", Static).update(
            _("[b]{count}[/b] transcripts · you are [b]{coder}[/b] · {done} completed by you · "
              "[dim]Enter: code · Ctrl+D: mark complete · F2: codebook · ?: help[/dim]").format(
                count=len(self.summaries), coder=coder, done=done)
        )

    def _current(self) -> TranscriptSummary | None:
        table = self.query_one(DataTable)
        if not self.summaries or table.cursor_row < 0:
            return None
        return self.summaries[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from qcode.tui.screens.coding import CodingScreen

        current = self._current()
        if current is None:
            return
        try:
            document = self.workspace.open(current.name)
        except QcodeError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self.app.push_screen(CodingScreen(self.workspace, document))

    def action_complete(self) -> None:
        current = self._current()
        if current is None:
            return
        info = self.workspace.transcript(current.name)
        complete = not self.workspace.session.is_complete(info)
        self.workspace.session.set_complete(info, complete)
        message = _("{transcript}: complete for {coder}") if complete else _("{transcript}: reopened for {coder}")
        self.notify(message.format(transcript=info.name, coder=self.workspace.coder))
        self.reload()

    def action_reload(self) -> None:
        self.reload()
