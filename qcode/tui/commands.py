"""Command palette (Ctrl+P) entries: apply a code, open a transcript, go to a screen.

The palette offers what fits the current screen: on the coding screen every applicable code (matched by
the same matcher as the picker: id, names, pinyin initials), and everywhere the transcripts and screens.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from qcode.tui.wording import counted
from qcode.tui.screens.coding import CodingScreen


class QcodeCommands(Provider):
    """Codes, transcripts and screens as palette commands."""

    def _entries(self) -> list[tuple[str, str, object]]:
        """(text, help, callback) for everything the palette can do here."""
        app = self.app
        workspace = getattr(app, "workspace", None)
        if workspace is None:
            return []
        entries: list[tuple[str, str, object]] = []
        screen = self.screen
        if isinstance(screen, CodingScreen):
            book = workspace.codebook
            for code in book.codable():
                label = f"Apply code {code.key + ' ' if code.key else ''}{book.display_name(code.id)} ({code.id})"
                entries.append((label, "to the selection, or the sentence at the caret", partial(screen.apply_code, code.id)))
        for summary in workspace.transcripts():
            entries.append((f"Open transcript {summary.name}", f"{summary.characters:,} characters, "
                            f"{counted(summary.turns, 'turn')}", partial(self._open, summary.name)))
        for name, action in (("Agreement", "agreement"), ("Statistics", "statistics"), ("Search", "search"),
                             ("Codebook", "codebook"), ("Help: every key", "help")):
            entries.append((f"Go to {name}", "", partial(app.run_action, action)))
        return entries

    def _open(self, name: str) -> None:
        workspace = self.app.workspace  # type: ignore[attr-defined]  # self.app is typed App, not QcodeApp (issue 11 point 4)
        self.app.push_screen(CodingScreen(workspace, workspace.open(name)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, text=text, help=help_text or None)

    async def discover(self) -> Hits:
        for text, help_text, callback in self._entries():
            yield DiscoveryHit(text, callback, help=help_text or None)
