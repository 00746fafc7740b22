"""The persons screen (p on the transcripts screen): who speaks in a transcript, and their attributes.

Each speaker label of the transcript is a person (the one it is mapped to, else its own); the table shows
each person with the labels they speak under and one column per person attribute. Enter (or Ctrl+E)
edits the attributes of the person under the cursor as `NAME=VALUE; NAME=VALUE`, typed and checked as by
`qcode attributes set`, and stored through the write queue (journalled, so `qcode undo` takes it back).
`a` switches between this transcript's persons and every person of the project.
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from qcode.errors import QcodeError
from qcode.i18n import _, counted
from qcode.project.attributes import AttributeReport
from qcode.project.persons_view import PersonRow
from qcode.workspace import Workspace
from qcode.tui import bindings
from qcode.tui.dialogs.line_input import LineInputDialog
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.widgets.footer import Footer


class PersonsScreen(QcodeScreen[None]):
    """The persons of one transcript (or all of them) with their attributes, to read and edit."""

    BINDINGS = bindings.PERSONS

    def __init__(self, workspace: Workspace, transcript: str | None) -> None:
        super().__init__()
        self.workspace = workspace
        self.transcript = transcript
        self.show_all = transcript is None
        self.rows: list[PersonRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="persons-intro")
        yield DataTable(id="persons", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        selected = table.cursor_row
        self.rows = self.workspace.persons(None if self.show_all else self.transcript)
        names = self.workspace.attribute_names("person")
        table.clear(columns=True)
        table.add_columns(_("Person"), _("Speaks as"), *names)
        for row in self.rows:
            table.add_row(row.name, "、".join(row.speaks_as) or "—", *(row.attributes.get(n, "") for n in names),
                          key=row.name)
        if self.rows:
            table.move_cursor(row=min(max(selected, 0), len(self.rows) - 1))
        where = _("every person") if self.show_all else _("the speakers of [b]{transcript}[/b]").format(
            transcript=escape(self.transcript or ""))
        self.query_one("#persons-intro", Static).update(
            _("[b]{count}[/b] persons · {where} · [dim]Enter: edit attributes · a: all persons / this transcript · "
              "Escape: back[/dim]").format(count=len(self.rows), where=where))

    def current(self) -> PersonRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row < 0:
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        person = self.current()
        if person is None:
            return

        def save(text: str | None) -> None:
            if not text:
                return
            try:
                values = self.workspace.assignments("person", person.name, text)
            except QcodeError as exc:
                self.qapp.report(exc)
                return

            def stored(_report: AttributeReport) -> None:
                self.notify(counted(len(values), "{person}: {count} attribute value stored",
                                    "{person}: {count} attribute values stored", person=person.name))
                self.reload()

            self.qapp.write(lambda workspace: workspace.store_attributes(values), stored)

        shown = "; ".join(f"{k}={v}" for k, v in person.attributes.items())
        self.app.push_screen(LineInputDialog(_("Attributes of {person}").format(person=person.name), shown,
                                             hint=_("NAME=VALUE; NAME=VALUE · types are checked as by "
                                                    "`qcode attributes set` · e.g. role=official; age=34")), save)

    def action_toggle_all(self) -> None:
        if self.transcript is None:
            return
        self.show_all = not self.show_all
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
