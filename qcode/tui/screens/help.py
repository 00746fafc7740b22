"""Every key binding, generated from the binding registry (with the user's remapping applied), and the
codebook's hotkeys."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from qcode.domain.codebook import Codebook
from qcode.i18n import N_, _
from qcode.tui import bindings
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.widgets.footer import Footer

INTRO = N_(
    "On the coding screen, letters and digits type a code's hotkey (listed at the end): select a sentence "
    "with ↓/↑, type its hotkey, and the code is applied and saved at once. Enter opens a picker that "
    "also finds codes by name or pinyin initials. Remap any key in your settings file, section [keys], "
    'by the id shown, e.g. "view.next_sentence" = "down,j".'
)


def pad_cells(text: str, width: int, indent: str = "") -> str:
    """`text` padded to `width` terminal cells (a Chinese character takes two), then a space."""
    return f"{indent}{text}{' ' * max(0, width - cell_len(text))} "


class HelpScreen(QcodeScreen[None]):
    BINDINGS = [Binding("escape,question_mark,f1", "app.pop_screen", N_("Back"), id="help.back")]

    def __init__(self, codebook: Codebook | None) -> None:
        super().__init__()
        self.codebook = codebook

    def keys_of(self, binding: Binding) -> str:
        """The keys that trigger a binding now, after the user's remapping."""
        keymap = self.qapp.user_config.keymap
        keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
        return " / ".join(self.app.get_key_display(Binding(k.strip(), binding.action)) for k in keys.split(","))

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Static(Text.assemble((_("qcode keys") + "\n", "bold"), _(INTRO)))
            for section in bindings.registry():
                text = Text()
                text.append(f"\n{_(section.title)}\n", style="bold")
                for binding in section.entries:
                    text.append(pad_cells(self.keys_of(binding), 18, "  "), style="bold")
                    text.append(pad_cells(_(binding.description), 24))
                    text.append(f"{binding.id or ''}\n", style="dim")
                yield Static(text)
            if self.codebook is not None:
                text = Text()
                text.append("\n" + _("Code hotkeys (coding screen)") + "\n", style="bold")
                for code in self.codebook.codable():
                    if code.key:
                        text.append(f"  {code.key:<4} ", style="bold")
                        text.append("■ ", style=self.codebook.color_of(code.id))
                        text.append(f"{self.codebook.display_name(code.id)}  ")
                        text.append(f"{code.id}\n", style="dim")
                yield Static(text)
        yield Footer()
