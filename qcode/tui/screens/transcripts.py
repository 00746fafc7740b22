"""The home screen: every transcript with its size, speakers, attributes and each coder's progress.

`/` filters the list by attribute conditions (the `--where` syntax, several separated by `;`), Ctrl+E
sets attributes of the transcript under the cursor (`NAME=VALUE; NAME=VALUE`, checked as on the CLI).
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from qcode.errors import QcodeError
from qcode.project.attributes import AttributeReport, CaseValue
from qcode.tui.dialogs.line_input import LineInputDialog
from qcode.project.listing import TranscriptSummary
from qcode.workspace import Workspace
from qcode.tui import bindings
from qcode.tui.messages import OpenTranscript
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.shown import name_markup
from qcode.i18n import _, counted
from qcode.tui.widgets.footer import Footer


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """A small text bar: ▰▰▰▱▱ with the fraction, for a table cell."""
    if total <= 0:
        return "—"
    filled = round(width * done / total)
    return "▰" * filled + "▱" * (width - filled) + f" {done}/{total}"


class TranscriptsScreen(QcodeScreen[None]):
    """Pick a transcript to code; see who has completed what."""

    BINDINGS = bindings.TRANSCRIPTS

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.summaries: list[TranscriptSummary] = []
        self.where: tuple[str, ...] = ()  # the attribute conditions the list is filtered by

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="transcripts-intro")
        yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: the one place the list is (re)loaded.
        self.reload()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        selected = table.cursor_row
        kept: set[str] | None
        try:
            kept = self.workspace.transcripts_where(self.where)
        except QcodeError as exc:
            self.qapp.report(exc)
            self.where, kept = (), None
        self.summaries = [s for s in self.workspace.transcripts() if kept is None or s.name in kept]
        names = self.workspace.attribute_names("transcript")
        values = self.workspace.transcript_attributes()
        coder = self.workspace.coder
        table.clear(columns=True)
        table.add_columns(_("Transcript"), _("Characters"), _("Turns"), _("Speakers"), *map(name_markup, names),
                          _("Your progress"), _("Done"),
                          _("Other coders"))
        for s in self.summaries:
            found = values.get(s.name, {})
            mine = s.progress.get(coder)
            others = [f"{name_markup(name)}{' ✓' if p.complete else ''}" for name, p in s.progress.items()
                      if name != coder]
            table.add_row(
                name_markup(s.name),
                f"{s.characters:,}",
                str(s.turns),
                "、".join(map(name_markup, s.speakers)) or "—",
                *(name_markup(found.get(n, "")) for n in names),
                progress_bar(mine.coded_turns if mine else 0, s.turns),
                "✓" if mine and mine.complete else "",
                ", ".join(others) or "—",
                key=s.name,
            )
        if self.summaries:
            table.move_cursor(row=min(max(selected, 0), len(self.summaries) - 1))
        done = sum(1 for s in self.summaries if (p := s.progress.get(coder)) and p.complete)
        shown = _(" · where [b]{conditions}[/b]").format(conditions=escape("; ".join(self.where))) if self.where else ""
        intro = (_("[b]{count}[/b] transcript{shown} · you are [b]{coder}[/b] · {done} completed by you · "
                   "[dim]Enter: code · Ctrl+D: mark complete · /: filter · Ctrl+E: attributes · ?: help[/dim]")
                 if len(self.summaries) == 1 else
                 _("[b]{count}[/b] transcripts{shown} · you are [b]{coder}[/b] · {done} completed by you · "
                   "[dim]Enter: code · Ctrl+D: mark complete · /: filter · Ctrl+E: attributes · ?: help[/dim]"))
        self.query_one("#transcripts-intro", Static).update(
            intro.format(
                count=len(self.summaries), shown=shown, coder=name_markup(coder), done=done)
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
        current = self._current()
        if current is None:
            return
        try:
            document = self.workspace.open(current.name)
        except QcodeError as exc:
            self.qapp.report(exc)
            return
        self.post_message(OpenTranscript(document))  # the app opens the coding screen

    def action_complete(self) -> None:
        current = self._current()
        if current is None:
            return
        info = self.workspace.transcript(current.name)
        complete = not self.workspace.session.is_complete(info)

        def stored(_changed: bool) -> None:
            message = _("{transcript}: complete for {coder}") if complete else _("{transcript}: reopened for {coder}")
            self.notify(message.format(transcript=name_markup(info.name), coder=name_markup(self.workspace.coder)))
            self.reload()

        self.qapp.write(lambda workspace: workspace.session.set_complete(info, complete), stored)

    def action_reload(self) -> None:
        self.reload()

    def action_persons(self) -> None:
        """The persons speaking in the transcript under the cursor, with their attributes (qcode.tui.screens.persons)."""
        from qcode.tui.screens.persons import PersonsScreen  # lazy: loaded when first opened, to keep the TUI's start-up short

        current = self._current()
        self.app.push_screen(PersonsScreen(self.workspace, current.name if current else None))

    def action_filter(self) -> None:
        """Filter the list by attribute conditions (empty: every transcript)."""
        def apply(text: str | None) -> None:
            if text is None:
                return
            self.where = tuple(part.strip() for part in text.split(";") if part.strip())
            self.reload()

        self.app.push_screen(LineInputDialog(_("Show transcripts where"), "; ".join(self.where),
                                             hint=_("e.g. group=官员; age>30; township in 县城,青石镇 · empty: all")),
                             apply)

    def action_edit_attributes(self) -> None:
        """Set attributes of the transcript under the cursor: NAME=VALUE; NAME=VALUE."""
        current = self._current()
        if current is None:
            return
        found = self.workspace.transcript_attributes().get(current.name, {})

        def save(text: str | None) -> None:
            if not text:
                return
            values = []
            for part in (p.strip() for p in text.split(";") if p.strip()):
                name, sep, raw = part.partition("=")
                if not sep or not name.strip() or not raw.strip():
                    self.notify(_("'{text}': write NAME=VALUE").format(text=part), severity="error")
                    return
                values.append(CaseValue("transcript", current.name, name.strip(), raw.strip()))
            def stored(_report: AttributeReport) -> None:
                self.notify(counted(len(values), "{transcript}: {count} attribute value stored",
                                    "{transcript}: {count} attribute values stored",
                                    transcript=name_markup(current.name)))
                self.reload()

            self.qapp.write(lambda workspace: workspace.store_attributes(values), stored)

        shown = "; ".join(f"{k}={v}" for k, v in found.items())
        self.app.push_screen(LineInputDialog(_("Attributes of {transcript}").format(transcript=name_markup(current.name)), shown,
                                             hint=_("NAME=VALUE; NAME=VALUE · types are checked as by "
                                                    "`qcode attributes set`")), save)
