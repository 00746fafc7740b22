"""The fuzzy code picker: type part of an id, a Chinese or English name, pinyin initials or a hotkey.

With `allow_create`, a name no code has is offered as "create code «name»": the coder then chooses its
parent (or the top level) and the picker returns a `NewCode` for the caller to create and apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qcode.codebook.search import CodeMatcher
from qcode.domain.codebook import Codebook
from qcode.i18n import N_, _
from qcode.tui import bindings
from qcode.tui.dialogs.choice import ChoiceDialog
from qcode.tui.shown import visible_name, visible_text


_CREATE = "\x00create"  # option id of the "create code" entry (no code id can contain NUL)
_TOP_LEVEL = "\x00top"


@dataclass(frozen=True)
class NewCode:
    """A code to create (and apply) with this name under this parent (None: top level)."""

    name: str
    parent: str | None


def parent_options(codebook: Codebook, first: str | None = None) -> list[tuple[str, str]]:
    """(id, label) of every place a code can go: the top level, then each code indented by depth."""
    options = [(_TOP_LEVEL, "[b]" + _("top level") + "[/b] " + _("(a new category)"))]
    for code in codebook:
        kind = "" if code.codable else " [dim]" + _("(group)") + "[/dim]"
        options.append((code.id, f"{'  ' * codebook.depth(code.id)}{codebook.display_name(code.id)}{kind}"
                                 f" [dim]{code.id}[/dim]"))
    if first is not None:
        options.sort(key=lambda option: option[0] != first)
    return options


def parent_from_option(option: str) -> str | None:
    return None if option == _TOP_LEVEL else option


class CodePicker(ModalScreen["str | NewCode | None"]):
    """Returns the chosen code id, a `NewCode` (with `allow_create`), or None."""

    BINDINGS = [
        *bindings.DIALOG,
        Binding("down", "move(1)", N_("Next"), show=False, id="picker.down"),
        Binding("up", "move(-1)", N_("Previous"), show=False, id="picker.up"),
    ]

    def __init__(self, matcher: CodeMatcher, codebook: Codebook, *, allow_create: bool = False,
                 title: str | None = None) -> None:
        super().__init__()
        self.matcher = matcher
        self.codebook = codebook
        self.allow_create = allow_create
        self.title_text = title or _("Apply code")
        self.query_text = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(f"[b]{visible_name(self.title_text)}[/b]  [dim]"
                        + _("id, 中文名, English name, pinyin initials (hd → 互动) or hotkey")
                        + (" · " + _("a new name creates a code") if self.allow_create else "") + "[/dim]")
            yield Input(placeholder=_("type to filter…"), id="picker-query")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._show("")
        self.query_one(Input).focus()

    def _label(self, code_id: str) -> Text:
        code = self.codebook[code_id]
        label = Text()
        label.append(f"{code.key or '':<3}", style="bold")
        label.append("■ ", style=self.codebook.color_of(code_id))
        label.append(self.codebook.display_name(code_id, "zh"))
        english = code.name.get("en") if "en" in code.name.languages else ""
        if english:
            label.append(f"  {english}", style="dim")
        label.append(f"  {code_id}", style="dim italic")
        return visible_text(label)

    def _show(self, query: str) -> None:
        self.query_text = " ".join(query.split())
        options = self.query_one(OptionList)
        options.clear_options()
        matches = [m for m in self.matcher.match(query) if m.code in self.codebook]
        entries = [Option(self._label(m.code), id=m.code) for m in matches]
        if self.allow_create and self.query_text and not any(
                self.codebook.display_name(c.id) == self.query_text for c in self.codebook):
            create = Option(Text.assemble(("＋ ", "bold green"), _("create code «{name}»").format(name=visible_name(self.query_text))), id=_CREATE)
            # First when nothing matches, so Enter creates; after the matches otherwise.
            entries = [create, *entries] if not matches else [*entries, create]
        options.add_options(entries)
        if entries:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.app.bell()
            return
        self._chosen(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._chosen(event.option.id)

    def _chosen(self, option: str | None) -> None:
        if option != _CREATE:
            self.dismiss(option)
            return
        name = self.query_text

        def placed(choice: str | None) -> None:
            if choice is not None:
                self.dismiss(NewCode(name, parent_from_option(choice)))

        self.app.push_screen(ChoiceDialog(_("Where does «{name}» go? (its category)").format(name=name),
                                          parent_options(self.codebook)),
                             placed)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
