"""The codebook as a tree with each code's hotkey, colour and the coder's count in this transcript."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qcode.domain.codebook import Codebook
from qcode.i18n import N_
from qcode.tui.bindings import CODEBOOK_PANE
from qcode.tui.shown import visible_text


class CodebookTree(Tree[str]):
    """Codes in codebook order; groups are dimmed (they cannot be applied). Node data is the code id."""

    BINDINGS = CODEBOOK_PANE

    class MemoRequested(Message):
        """The coder asked to write a memo on the highlighted code."""

        def __init__(self, code_id: str) -> None:
            super().__init__()
            self.code_id = code_id

    class Leave(Message):
        """The coder wants to go back to the text."""

    def action_apply_highlighted(self) -> None:
        self.action_select_cursor()

    def action_code_memo(self) -> None:
        code_id = self.highlighted_code()
        if code_id:
            self.post_message(self.MemoRequested(code_id))

    def action_return_to_text(self) -> None:
        self.post_message(self.Leave())

    def __init__(self, codebook: Codebook, *, lang: str | None = None, id: str | None = None) -> None:
        super().__init__("codebook", id=id)
        self.codebook = codebook
        self.lang = lang
        self.counts: dict[str, int] = {}
        self.nodes: dict[str, TreeNode[str]] = {}
        self.show_root = False
        self.guide_depth = 2
        self._fill()

    def _fill(self) -> None:
        for code in self.codebook:
            parent = self.nodes[code.parent] if code.parent else self.root
            node = parent.add(self._label(code.id), data=code.id, expand=True, allow_expand=bool(code.children))
            self.nodes[code.id] = node
        self.root.expand()

    def rebuild(self, codebook: Codebook, keep: str | None = None) -> None:
        """Show a changed codebook, keeping the cursor on `keep` (or the code it was on) when it is still there."""
        keep = keep or self.highlighted_code()
        self.codebook = codebook
        self.clear()
        self.nodes = {}
        self._fill()
        if keep is not None and keep in self.nodes:
            self.call_after_refresh(self.move_to, keep)

    def _label(self, code_id: str) -> Text:
        code = self.codebook[code_id]
        name = self.codebook.display_name(code_id, self.lang)
        label = Text()
        if code.codable:
            label.append(f"{code.key or '  ':<2} ", style="bold")
            label.append("■ ", style=self.codebook.color_of(code_id))
            label.append(name)
            count = self.counts.get(code_id, 0)
            if count:
                label.append(f" {count}", style="dim")
        else:
            label.append(name, style="bold dim")
        return visible_text(label)

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show how often each code is applied (by this coder, in this transcript); relabels only changes."""
        changed = {c for c in set(counts) | set(self.counts) if counts.get(c, 0) != self.counts.get(c, 0)}
        self.counts = dict(counts)
        for code_id in changed:
            if code_id in self.nodes:
                self.nodes[code_id].set_label(self._label(code_id))

    def highlighted_code(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def move_to(self, code_id: str) -> None:
        node = self.nodes.get(code_id)
        if node is not None:
            self.move_cursor(node)


class BrowserCodebookTree(CodebookTree):
    """The tree of the codebook browser (F2): there Enter opens the code's passages, nothing is applied,
    and there is no text to go back to, so the footer offers only what works (Escape is the screen's Back)."""

    BINDINGS = [Binding("enter", "select_cursor", N_("Passages"), show=True)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("apply_highlighted", "return_to_text"):
            return False
        return True
