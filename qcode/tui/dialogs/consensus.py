"""Record, change or clear the team's agreed codes for one disagreement (the coder "consensus").

The dialog opens with the recorded consensus of the passage ticked. When none is recorded yet, the codes
every coder applied are ticked as a proposal, and the dialog says so. Ctrl+S records exactly the ticked
codes (none ticked: clears it); Delete clears it. Boxes read `[x]` / `[ ]`, not by colour alone.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from qcode.domain.codebook import Codebook
from qcode.i18n import _
from qcode.project.reliability import Disagreement
from qcode.tui import bindings
from qcode.tui.shown import name_markup, visible_name
from qcode.tui.widgets.check_list import CheckList


class ConsensusDialog(ModalScreen[list[str] | None]):
    """Returns the codes to record ([] clears the consensus), or None when cancelled."""

    BINDINGS = bindings.CONSENSUS_DIALOG

    def __init__(self, codebook: Codebook, disagreement: Disagreement, offered: list[str], agreed: set[str],
                 recorded: set[str] | None = None) -> None:
        super().__init__()
        self.codebook = codebook
        self.disagreement = disagreement
        self.recorded = set(recorded or ())
        # Recorded codes no coder applied (e.g. set with `qcode consensus set`) are offered too.
        self.offered = offered + [c for c in sorted(self.recorded) if c not in offered]
        self.agreed = agreed

    def _label(self, code: str) -> str:
        d = self.disagreement
        name = self.codebook.display_name(code) if code in self.codebook else code
        by = [c for c, codes in d.codes.items() if codes and code in codes]
        return f"{name}  " + _("({code}; by {coders})").format(code=code, coders=", ".join(by) if by else _("no coder"))

    def compose(self) -> ComposeResult:
        d = self.disagreement
        text = " ".join(d.text.split())
        ticked = self.recorded if self.recorded else self.agreed
        state = (_("Recorded consensus: {codes}").format(codes=", ".join(sorted(self.recorded))) if self.recorded else
                 _("No consensus recorded yet; the codes every coder applied are ticked as a proposal"))
        with Vertical(classes="dialog"):
            yield Label("[b]" + _("Consensus for {transcript}, {unit} {number}").format(
                transcript=name_markup(d.transcript), unit=_(d.unit), number=d.index + 1) + "[/b]")
            yield Label(f"“{visible_name(text[:160])}{'…' if len(text) > 160 else ''}”", classes="hint", markup=False)
            yield Label(visible_name(state), id="consensus-state", markup=False)
            yield CheckList([(code, self._label(code), code in ticked) for code in self.offered],
                            id="consensus-codes")
            yield Label("[dim]" + _("Space: tick/untick · Ctrl+S: record the ticked codes · Delete: clear the consensus · "
                                    "Escape: cancel") + "[/dim]", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(CheckList)
        options.focus()
        if self.offered:
            options.highlighted = 0

    def action_save(self) -> None:
        self.dismiss(self.query_one(CheckList).ticked)

    def action_clear(self) -> None:
        self.dismiss([])

    def action_cancel(self) -> None:
        self.dismiss(None)
