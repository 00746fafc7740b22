"""The transcript view of the coding screen: a keyboard-first, Line-API widget for long transcripts.

One widget, `TranscriptView`, in parts that each read on their own:

- widget.py   the widget: its public interface, the layout per width, drawing visible rows from a cache;
- document.py the transcript it shows (text, turns, sentences, highlights), validated and indexed;
- rows.py     what one row shows (gutter with times and code marks, styled runs of text);
- palette.py  the styles, worked out from the theme once (code colours made readable);
- keys.py     the selection (anchor and head) and the keys that move or extend it;
- mouse.py    click, drag, double and triple click.
"""

from qcode.tui.widgets.transcript_view.rows import gutter_time
from qcode.tui.widgets.transcript_view.widget import TranscriptView

__all__ = ["TranscriptView", "gutter_time"]
