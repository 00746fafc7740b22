"""Command palette (Ctrl+P) entries: apply a code, open a transcript, go to a screen.

The palette offers what fits the current screen: on the coding screen every applicable code (matched by
the same matcher as the picker: id, names, pinyin initials), and everywhere the transcripts and screens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from qcode.errors import QcodeError
from qcode.i18n import N_, _, counted
from qcode.tui.messages import OpenTranscript
from qcode.tui.screen_base import qcode_app
from qcode.tui.screens.coding import CodingScreen


class QcodeCommands(Provider):
    """Codes, transcripts and screens as palette commands."""

    def _entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        """(text, help, callback) for everything the palette can do here."""
        app = self.app
        workspace = qcode_app(app).workspace
        if workspace is None:
            return []
        entries: list[tuple[str, str, Callable[[], object]]] = []
        screen = self.screen
        if isinstance(screen, CodingScreen):
            book = workspace.codebook
            for code in book.codable():
                label = _("Apply code {key}{name} ({code})").format(
                    key=code.key + " " if code.key else "", name=book.display_name(code.id), code=code.id)
                entries.append((label, _("to the selection, or the sentence at the caret"),
                                partial(screen.apply_code, code.id)))
        for summary in workspace.transcripts():
            entries.append((_("Open transcript {name}").format(name=summary.name),
                            _("{characters}, {turns}").format(
                                characters=counted(summary.characters, "{count:,} character", "{count:,} characters"),
                                turns=counted(summary.turns, "{count} turn", "{count} turns")),
                            partial(self._open, summary.name)))
        for name, action in ((N_("Agreement"), "agreement"), (N_("Statistics"), "statistics"), (N_("Search"), "search"),
                             (N_("Codebook"), "codebook"), (N_("Help: every key"), "help")):
            entries.append((_("Go to {screen}").format(screen=_(name)), "", partial(app.run_action, action)))
        return entries

    def _open(self, name: str) -> None:
        workspace = qcode_app(self.app).workspace
        if workspace is None:
            return
        try:
            document = workspace.open(name)
        except QcodeError as exc:
            qcode_app(self.app).report(exc)
            return
        self.app.post_message(OpenTranscript(document))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, text=text, help=help_text or None)

    async def discover(self) -> Hits:
        for text, help_text, callback in self._entries():
            yield DiscoveryHit(text, callback, help=help_text or None)
