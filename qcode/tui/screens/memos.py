"""Every memo in one list (F6): on codings, transcripts, codes, relations and the project.

t cycles the type shown, c the coder, k chooses a code (its memos, its codings' memos and its relations'
memos, with the codes under it); the highlighted memo is shown in full below.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from qcode.workspace import Workspace
from qcode.reports.memo_list import MEMO_KINDS, MemoEntry
from qcode.tui import bindings
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.dialogs.choice import ChoiceDialog
from qcode.tui.shown import name_markup, text_markup
from qcode.tui.widgets.footer import Footer
from qcode.i18n import N_, _

KIND_NAMES = {"coding": N_("coding"), "transcript": N_("transcript"), "code": N_("code"), "relation": N_("relation"),
              "project": N_("project")}  # memo kinds, as shown


class MemosScreen(QcodeScreen[None]):
    BINDINGS = bindings.MEMOS

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.kind: str | None = None
        self.coder: str | None = None
        self.code: str | None = None
        self.memos: list[MemoEntry] = []
        self.shown: list[MemoEntry] = []

    def compose(self) -> ComposeResult:
        yield Static(id="memos-filter")
        yield DataTable(id="memos-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="memo-full"):
            yield Static(id="memo-text")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("type"), _("about"), _("coder"), _("updated"), _("memo"))
        self.reload()
        table.focus()

    def reload(self) -> None:
        self.memos = self.workspace.memos()
        self._show()

    def reload_codebook(self) -> None:
        self.reload()

    def _show(self) -> None:
        book = self.workspace.codebook
        codes = set(book.subtree(self.code)) if self.code and self.code in book else None
        self.shown = self.workspace.filter_memos(self.memos, kind=self.kind, coder=self.coder, codes=codes)
        table = self.query_one(DataTable)
        table.clear()
        for memo in self.shown:
            table.add_row(_(KIND_NAMES[memo.kind]), name_markup(memo.about[:40]), name_markup(memo.coder), memo.updated_at[:10],
                          name_markup(memo.text.splitlines()[0][:60]) if memo.text else "")
        code = (f"{name_markup(book.display_name(self.code))} ({name_markup(self.code)})" if self.code and self.code in book
                else _("all codes"))
        self.query_one("#memos-filter", Static).update(
            _("[b]Memos[/b] · {shown} of {count} · type [b]{kind}[/b] (t) · coder [b]{coder}[/b] (c) · "
              "code [b]{code}[/b] (k)").format(shown=len(self.shown), count=len(self.memos),
                                               kind=_(KIND_NAMES[self.kind]) if self.kind else _("all kinds"),
                                               coder=name_markup(self.coder) if self.coder else _("all coders"), code=code))
        self._full(0)

    def _full(self, row: int) -> None:
        memo = self.shown[row] if 0 <= row < len(self.shown) else None
        self.query_one("#memo-text", Static).update(
            "" if memo is None else
            f"[b]{_(KIND_NAMES[memo.kind])}[/b] · {name_markup(memo.about)} · {name_markup(memo.coder)}\n\n{text_markup(memo.text)}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._full(event.cursor_row)

    def action_cycle_kind(self) -> None:
        choices = [None, *MEMO_KINDS]
        self.kind = choices[(choices.index(self.kind) + 1) % len(choices)]
        self._show()

    def action_cycle_coder(self) -> None:
        choices = [None, *sorted({m.coder for m in self.memos})]
        self.coder = choices[(choices.index(self.coder) + 1) % len(choices)] if self.coder in choices else None
        self._show()

    def action_choose_code(self) -> None:
        book = self.workspace.codebook
        options = [("\x00all", "[b]" + _("all codes") + "[/b]")] + [
            (c.id, f"{'  ' * book.depth(c.id)}{book.display_name(c.id)} [dim]{c.id}[/dim]") for c in book]

        def chosen(code: str | None) -> None:
            if code is not None:
                self.code = None if code == "\x00all" else code
                self._show()

        self.app.push_screen(ChoiceDialog(_("Memos about which code (with the codes under it)?"), options), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()
