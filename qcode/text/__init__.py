"""Transcript text: decoding files into canonical text, speaker turns and sentences.

Nothing here imports textual or sqlite_utils. Every offset is a half-open `[start, end)` range of
Python `str` indices into the canonical text (BOM removed, newlines as `\\n`).
"""
