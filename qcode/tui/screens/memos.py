"""Every memo in one list (F6): on codings, transcripts, codes, relations and the project.

t cycles the type shown, c the coder, k chooses a code (its memos, its codings' memos and its relations'
memos, with the codes under it); the highlighted memo is shown in full below.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from qcode.project.workspace import Workspace
from qcode.reports.memo_list import MEMO_KINDS, MemoEntry, all_memos, filter_memos
from qcode.tui import bindings
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.dialogs.choice import ChoiceDialog


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
        table.add_columns("type", "about", "coder", "updated", "memo")
        self.reload()
        table.focus()

    def reload(self) -> None:
        self.memos = all_memos(self.workspace.store, self.workspace.codebook)
        self._show()

    def reload_codebook(self) -> None:
        self.reload()

    def _show(self) -> None:
        book = self.workspace.codebook
        codes = set(book.subtree(self.code)) if self.code and self.code in book else None
        self.shown = filter_memos(self.memos, kind=self.kind, coder=self.coder, codes=codes)
        table = self.query_one(DataTable)
        table.clear()
        for memo in self.shown:
            table.add_row(memo.kind, memo.about[:40], memo.coder, memo.updated_at[:10],
                          memo.text.splitlines()[0][:60] if memo.text else "")
        code = f"{book.display_name(self.code)} ({self.code})" if self.code and self.code in book else "all"
        self.query_one("#memos-filter", Static).update(
            f"[b]Memos[/b] · {len(self.shown)} of {len(self.memos)} · type [b]{self.kind or 'all'}[/b] (t) · "
            f"coder [b]{self.coder or 'all'}[/b] (c) · code [b]{code}[/b] (k)")
        self._full(0)

    def _full(self, row: int) -> None:
        memo = self.shown[row] if 0 <= row < len(self.shown) else None
        self.query_one("#memo-text", Static).update(
            "" if memo is None else f"[b]{memo.kind}[/b] · {memo.about} · {memo.coder}\n\n{memo.text}")

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
        options = [("\x00all", "[b]all codes[/b]")] + [
            (c.id, f"{'  ' * book.depth(c.id)}{book.display_name(c.id)} [dim]{c.id}[/dim]") for c in book]

        def chosen(code: str | None) -> None:
            if code is not None:
                self.code = None if code == "\x00all" else code
                self._show()

        self.app.push_screen(ChoiceDialog("Memos about which code (with the codes under it)?", options), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()
