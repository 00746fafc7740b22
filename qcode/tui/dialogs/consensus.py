"""Record the team's agreed codes for one disagreement, as the coder "consensus"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList

from qcode.domain.codebook import Codebook
from qcode.i18n import _
from qcode.project.reliability import Disagreement
from qcode.tui import bindings


class ConsensusDialog(ModalScreen[list[str] | None]):
    """Offers every code any coder applied to the unit; the codes all coders applied start selected."""

    BINDINGS = bindings.CONSENSUS_DIALOG

    def __init__(self, codebook: Codebook, disagreement: Disagreement, offered: list[str], agreed: set[str]) -> None:
        super().__init__()
        self.codebook = codebook
        self.disagreement = disagreement
        self.offered = offered
        self.agreed = agreed

    def compose(self) -> ComposeResult:
        d = self.disagreement
        text = " ".join(d.text.split())
        with Vertical(classes="dialog"):
            yield Label("[b]" + _("Consensus for {transcript}, {unit} {number}").format(
                transcript=d.transcript, unit=_(d.unit), number=d.index + 1) + "[/b]")
            yield Label(f"“{text[:160]}{'…' if len(text) > 160 else ''}”", classes="hint", markup=False)
            yield SelectionList[str](*(
                (f"{self.codebook.display_name(code)}  " + _("({code}; by {coders})").format(
                    code=code, coders=", ".join(c for c, codes in d.codes.items() if codes and code in codes)),
                 code, code in self.agreed)
                for code in self.offered
            ))
            yield Label("[dim]" + _("Space: select · Ctrl+S: record as coder 'consensus' · Escape: cancel") + "[/dim]",
                        classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(SelectionList)
        options.focus()
        if self.offered:
            options.highlighted = 0

    def action_save(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)
