"""The codebook browser: the tree, and for the highlighted code its definition, include/exclude rules,
examples, keywords and your memo on it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static, Tree

from qcode.i18n import _
from qcode.project.workspace import Workspace
from qcode.tui import bindings
from qcode.tui.widgets.codebook_tree import CodebookTree
from qcode.tui.widgets.footer import Footer


class CodebookScreen(Screen[None]):
    BINDINGS = bindings.CODEBOOK_SCREEN

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.codebook = workspace.codebook

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield CodebookTree(self.codebook, id="codebook-tree")
            with VerticalScroll(id="code-details"):
                yield Static(id="code-text")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(CodebookTree)
        tree.focus()
        tree.cursor_line = 0
        first = next(iter(self.codebook), None)
        if first is not None:
            self.show(first.id)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data:
            self.show(event.node.data)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected) -> None:
        event.stop()  # Enter in the browser only shows; codes are applied on the coding screen

    def show(self, code_id: str) -> None:
        book = self.codebook
        code = book[code_id]
        text = Text()
        text.append("■ ", style=book.color_of(code_id))
        text.append(book.display_name(code_id, "zh") + "\n", style="bold")
        if "en" in code.name.languages:
            text.append(code.name.get("en") + "\n")
        details = code_id + (_("  · hotkey {key}").format(key=code.key) if code.key else "")
        details += "" if code.codable else _("  · group (organises codes, cannot be applied)")
        text.append(details + "\n\n", style="dim")
        for label, value in ((_("Definition"), code.definition), (_("Use when"), code.include),
                             (_("Do not use when"), code.exclude), (_("About"), code.description)):
            if value:
                text.append(label + "\n", style="bold")
                for lang in value.languages or ("",):
                    text.append((value.get(lang) if lang else str(value)) + "\n")
                text.append("\n")
        if code.examples:
            text.append(_("Examples") + "\n", style="bold")
            for example in code.examples:
                for lang in example.languages or ("",):
                    text.append(f"  “{example.get(lang) if lang else str(example)}”\n")
            text.append("\n")
        if code.keywords:
            text.append(_("Keywords") + "  ", style="bold")
            text.append("、".join(code.keywords) + "\n\n")
        text.append(_("Your memo"), style="bold")
        text.append("  (Ctrl+E)\n", style="dim")
        text.append(self.workspace.session.memo("code", code_id) or "—")
        self.query_one("#code-text", Static).update(text)

    @on(CodebookTree.MemoRequested)
    def _memo_from_tree(self, event: CodebookTree.MemoRequested) -> None:
        self._edit(event.code_id)

    def action_code_memo(self) -> None:
        code_id = self.query_one(CodebookTree).highlighted_code()
        if code_id:
            self._edit(code_id)

    def _edit(self, code_id: str) -> None:
        from qcode.tui.screens.coding import edit_code_memo

        edit_code_memo(self.app, self.workspace, code_id)
        self.call_after_refresh(self.show, code_id)

    @on(CodebookTree.Leave)
    def _leave(self) -> None:
        self.app.pop_screen()

    def action_dismiss(self) -> None:
        self.app.pop_screen()
