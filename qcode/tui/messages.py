"""What screens tell the app: messages bubble up from a screen, and the app switches screens.

A screen that wants another screen shown posts a message instead of importing that screen, so screens
never import each other in a circle.
"""

from __future__ import annotations

from textual.message import Message

from qcode.project.workspace import TranscriptDocument


class OpenTranscript(Message):
    """Open `document` in the coding screen (posted by the transcripts list)."""

    def __init__(self, document: TranscriptDocument) -> None:
        super().__init__()
        self.document = document
