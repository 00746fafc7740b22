"""Reusable Textual widgets of the qcode TUI."""

from qcode.tui.transcript_model import Highlight, Turn
from qcode.tui.widgets.transcript_view import TranscriptView

__all__ = ["Highlight", "TranscriptView", "Turn"]
