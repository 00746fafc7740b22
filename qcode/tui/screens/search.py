"""The search screen: a keyword-in-context concordance over every transcript.

Type a word or phrase (Chinese or English) and press Enter; hits are listed with their context. Enter on a
hit opens it in the coding screen with its sentence selected, ready for a hotkey; Ctrl+K codes the hit's
sentence from here. The word index is built by a background worker when the app starts; until it is
ready the screen shows its progress, as the app reports it (`WordIndexChanged`). Each search runs in a
worker (`run_job`) and comes back as a `Found` message.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Input, Static

from qcode.domain.models import Span
from qcode.errors import QcodeError
from qcode.i18n import _
from qcode.workspace import Workspace
from qcode.text.kwic import Hit
from qcode.tui import bindings
from qcode.tui.dialogs.picker import CodePicker, NewCode
from qcode.tui.messages import OpenTranscript, WordIndexChanged, WordIndexState, WorkDone
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.shown import name_markup, visible_name
from qcode.tui.widgets.footer import Footer
from qcode.tui.workers import Progress, run_job

CONTEXT = 18


def _left(text: str, width: int = 2 * CONTEXT) -> Text:
    """The left context right-aligned to `width` cells (CJK counts two), so matches line up."""
    flat = " ".join(text.split())
    while cell_len(flat) > width:
        flat = flat[1:]
    return Text(" " * (width - cell_len(flat)) + visible_name(flat), style="dim")


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]


class SearchScreen(QcodeScreen[None]):
    BINDINGS = bindings.SEARCH

    class Found(WorkDone[SearchResult]):
        """A search finished."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("search words or phrases, e.g. 留言回复 or WeChat — Enter to search"), id="query")
        yield Static(id="search-status")
        yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#hits", DataTable)
        table.add_columns(_("transcript"), _("speaker"), _("left"), _("match"), _("right"))
        self.query_one(Input).focus()
        self._show_index_state(self.qapp.word_index)

    @on(WordIndexChanged)
    def _index_changed(self, message: WordIndexChanged) -> None:
        self._show_index_state(message.state)

    def _show_index_state(self, state: WordIndexState) -> None:
        status = self.query_one("#search-status", Static)
        if state.error:
            status.update(Text(_("The word index could not be built: {error}").format(error=state.error),
                               style="red"))
        elif not state.ready:
            share = _(" {done}/{total} transcripts").format(done=state.done, total=state.total) if state.total else ""
            status.update(Text(_("Indexing words (jieba){progress}… search works when it is done.").format(
                progress=share), style="yellow"))
        elif not self.hits and not self.query_one(Input).value:
            status.update(Text(_("Word index ready."), style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if query:
            self.query_one("#search-status", Static).update(_("Searching for {query}…").format(query=query))
            self.run_search(query)

    def run_search(self, query: str) -> None:
        def find(workspace: Workspace, _progress: Progress) -> SearchResult:
            return SearchResult(query, workspace.search(query, context=CONTEXT))

        run_job(self, self.workspace, find, self.Found, name="search")

    @on(Found)
    def _found(self, message: Found) -> None:
        self.show(message.result.query, message.result.hits)

    def show(self, query: str, hits: list[Hit]) -> None:
        self.hits = hits
        table = self.query_one("#hits", DataTable)
        table.clear()
        for hit in hits:
            table.add_row(name_markup(hit.transcript), name_markup(hit.speaker or ""), _left(hit.left),
                          Text(visible_name(hit.match), style="bold reverse"),
                          Text(visible_name(" ".join(hit.right.split())), style="dim"))
        self.query_one("#search-status", Static).update(
            (_("{count} hit for {query} · Enter: open the hit · Ctrl+K: code its sentence") if len(hits) == 1
             else _("{count} hits for {query} · Enter: open the hit · Ctrl+K: code its sentence")).format(
                count=len(hits), query=query))
        if hits:
            table.focus()

    def _current(self) -> Hit | None:
        table = self.query_one("#hits", DataTable)
        if not self.hits or table.cursor_row < 0:
            return None
        return self.hits[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        hit = self._current()
        if hit is None:
            return
        try:
            document = self.workspace.open(hit.transcript)
        except QcodeError as exc:
            self.qapp.report(exc)
            return
        self.post_message(OpenTranscript(document, focus=Span(hit.sentence_start, hit.sentence_end)))

    def action_code_hit(self) -> None:
        hit = self._current()
        if hit is None:
            return

        def apply(code: str | NewCode | None) -> None:
            if not isinstance(code, str) or not code:
                return
            try:
                info = self.workspace.transcript(hit.transcript)
            except QcodeError as exc:
                self.qapp.report(exc)
                return
            book = self.workspace.codebook
            named = f"{book.display_name(code)} [{code}]" if code in book else code
            self.qapp.write(
                lambda workspace: workspace.session.apply(info, code, hit.sentence_start, hit.sentence_end),
                lambda _coding: self.notify(_("Coded the sentence in {transcript} with {code}").format(
                    transcript=hit.transcript, code=named), timeout=3))

        self.app.push_screen(CodePicker(self.qapp.code_matcher(), self.workspace.codebook), apply)

    def action_back(self) -> None:
        self.app.pop_screen()
