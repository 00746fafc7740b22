"""Every passage of a code across transcripts, with context, turn (and its time), coder, memo and star.

Enter jumps to the passage in the coding screen; c includes the code's children; space marks a passage
and a marks all of yours; r recodes the marked (or highlighted) passages, s splits the marked ones off
into a new code; * stars a passage as the example statement of its code (open-coding table).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qcode.i18n import _, counted
from qcode.domain.models import Span
from qcode.errors import QcodeError
from qcode.workspace import Workspace
from qcode.reports.retrieval import Passage
from qcode.text.asr import format_time
from qcode.tui import bindings
from qcode.tui.codebook_changes import submit_change
from qcode.tui.dialogs.form import FormDialog
from qcode.tui.dialogs.picker import CodePicker, NewCode
from qcode.tui.messages import OpenTranscript
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.shown import name_markup, visible_name
from qcode.tui.widgets.footer import Footer


class RetrievalScreen(QcodeScreen[None]):
    BINDINGS = bindings.RETRIEVAL

    def __init__(self, workspace: Workspace, code_id: str, *, children: bool = False) -> None:
        super().__init__()
        self.workspace = workspace
        self.code_id = code_id
        self.with_children = children
        self.found: list[Passage] = []
        self.marked: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="retrieval-title")
        yield OptionList(id="passages")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        book = self.workspace.codebook
        if self.code_id not in book:
            self.app.pop_screen()
            return
        try:
            self.found = self.workspace.passages(self.code_id, children=self.with_children)
        except QcodeError as exc:
            self.qapp.report(exc)
            return
        self.marked &= {p.coding.guid for p in self.found}
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.clear_options()
        options.add_options([Option(self._label(p), id=p.coding.guid) for p in self.found])
        if self.found:
            options.highlighted = min(keep or 0, len(self.found) - 1)
        transcripts = len({p.coding.transcript for p in self.found})
        scope = _("with its children") if self.with_children else _("only (c: with children)")
        marked = " · " + _("{count} marked").format(count=len(self.marked)) if self.marked else ""
        self.query_one("#retrieval-title", Static).update(
            f"[b]{name_markup(book.display_name(self.code_id))}[/b] [dim]{name_markup(self.code_id)} · {scope}[/dim] · "
            + _("{passages} in {transcripts}").format(
                passages=counted(len(self.found), "{count} passage", "{count} passages"),
                transcripts=counted(transcripts, "{count} transcript", "{count} transcripts")) + marked)

    def reload_codebook(self) -> None:
        self.reload()

    def _label(self, passage: Passage) -> Text:
        book = self.workspace.codebook
        coding = passage.coding
        head = Text()
        head.append("● " if coding.guid in self.marked else "  ", style="bold yellow")
        head.append("★ " if passage.starred else "", style="bold yellow")
        head.append(visible_name(passage.tag), style="bold")
        if passage.time is not None:
            head.append(f" [{format_time(passage.time)}]", style="dim")
        head.append(f" · {visible_name(coding.coder)}", style="dim")
        if passage.speaker:
            head.append(f" · {visible_name(passage.speaker)}", style="dim")
        if self.with_children and coding.code != self.code_id:
            head.append(f" · {visible_name(book.display_name(coding.code) if coding.code in book else coding.code)}",
                        style="dim")
        head.append("\n")
        head.append(visible_name(" ".join(passage.before.split())[-40:]), style="dim")
        head.append(visible_name(" ".join(passage.text.split())), style=f"bold {book.color_of(coding.code)}"
                    if coding.code in book else "bold")
        head.append(visible_name(" ".join(passage.after.split())[:40]), style="dim")
        if coding.memo:
            head.append("\n  ✎ " + visible_name(coding.memo.splitlines()[0][:100]), style="italic")
        return head

    def _highlighted(self) -> Passage | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.found:
            self.notify(_("No passage here"), severity="warning")
            return None
        return self.found[options.highlighted]

    def action_jump(self) -> None:
        passage = self._highlighted()
        if passage is None:
            return
        try:
            document = self.workspace.open(passage.coding.transcript)
        except QcodeError as exc:
            self.qapp.report(exc)
            return
        self.post_message(OpenTranscript(document, focus=Span(passage.coding.start, passage.coding.end),
                                         show_others=passage.coding.coder != self.workspace.coder))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_jump()

    def action_toggle_children(self) -> None:
        self.with_children = not self.with_children
        self.reload()

    def action_mark(self) -> None:
        passage = self._highlighted()
        if passage is not None:
            self.marked ^= {passage.coding.guid}
            self.reload()
            self.query_one(OptionList).action_cursor_down()

    def action_mark_mine(self) -> None:
        """Mark every passage of this coder (then r recodes all of them, s splits them off)."""
        mine = {p.coding.guid for p in self.found if p.coding.coder == self.workspace.coder}
        self.marked = set() if mine and mine <= self.marked else mine
        self.reload()

    def action_star(self) -> None:
        passage = self._highlighted()
        if passage is None:
            return
        guid, starred = passage.coding.guid, not passage.starred
        submit_change(self.qapp, lambda edit: edit.relations.star(guid, starred), lambda _changed: None)

    def action_recode(self) -> None:
        chosen = [p.coding.guid for p in self.found if p.coding.guid in self.marked]
        passage = self._highlighted()
        if not chosen and passage is not None:
            chosen = [passage.coding.guid]
        if not chosen:
            return

        def recode(code: str | NewCode | None) -> None:
            if not isinstance(code, str):
                return
            def recoded(result) -> None:
                self.marked.clear()
                self.reload()
                self.notify(result.message.capitalize(), timeout=3)

            submit_change(self.qapp, lambda edit: edit.codebook.recode(chosen, code), recoded)

        self.app.push_screen(CodePicker(self.qapp.code_matcher(), self.workspace.codebook,
                                        title=counted(len(chosen), "Recode {count} passage to", "Recode {count} passages to")), recode)

    def action_split(self) -> None:
        chosen = [p.coding.guid for p in self.found if p.coding.guid in self.marked
                  and p.coding.code == self.code_id]
        if not chosen:
            self.notify(_("Mark the passages to split off with space first"), severity="warning")
            return

        def split(values: dict[str, str] | None) -> None:
            if not values or not values["name"].strip():
                return
            def split_off(result) -> None:
                self.marked.clear()
                self.reload()
                self.notify(result.message.capitalize(), timeout=4)

            name = values["name"]
            submit_change(self.qapp, lambda edit: edit.codebook.split(self.code_id, chosen, name), split_off)

        self.app.push_screen(FormDialog(counted(len(chosen), "Split {count} passage of {code} into a new code",
                                                "Split {count} passages of {code} into a new code", code=self.code_id),
                                        [("name", _("Name of the new code"), "")]), split)

    def action_back(self) -> None:
        self.app.pop_screen()
