"""Is the terminal light or dark? Asked once before the app starts, so qcode follows the terminal.

Order: the user's setting; the terminal's answer to the OSC 11 background-colour query (xterm, VTE,
iTerm2, WezTerm, kitty, Windows Terminal, tmux); `$COLORFGBG` (rxvt, Konsole); else dark.
"""

from __future__ import annotations

import os
import re
import select
import sys

_OSC11_REPLY = re.compile(rb"\x1b\]11;rgba?:([0-9a-fA-F]+)/([0-9a-fA-F]+)/([0-9a-fA-F]+)")


def _luminance(red: float, green: float, blue: float) -> float:
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def background_is_light(timeout: float = 0.15) -> bool | None:
    """True/False when the terminal says, None when it cannot tell (not a terminal, no answer)."""
    answer = _query_background(timeout)
    if answer is not None:
        return answer
    colorfgbg = os.environ.get("COLORFGBG", "")
    if colorfgbg:
        background = colorfgbg.split(";")[-1]
        if background.isdigit():
            return int(background) in (7, 15)
    return None


def _query_background(timeout: float) -> bool | None:
    if os.environ.get("CI") or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    try:
        import termios  # lazy: POSIX only
        import tty  # lazy: POSIX only
    except ImportError:  # Windows: no termios; rely on the fallbacks
        return None
    fd = sys.stdin.fileno()
    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        return None
    reply = b""
    try:
        tty.setcbreak(fd)
        os.write(sys.stdout.fileno(), b"\x1b]11;?\x07")
        while True:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                break
            reply += os.read(fd, 64)
            if reply.endswith((b"\x07", b"\x1b\\")):
                break
    except OSError:
        return None
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    found = _OSC11_REPLY.search(reply)
    if not found:
        return None
    channels = [int(value, 16) / (16 ** len(value) - 1) for value in found.groups()]
    return _luminance(*channels) > 0.5


def default_theme(setting: str | None = None) -> str:
    """The Textual theme to start with: the user's choice, else one matching the terminal."""
    if setting and setting != "auto":
        return setting
    return "textual-light" if background_is_light() else "textual-dark"
