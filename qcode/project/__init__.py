"""Use cases on a project folder: create, open, import, load a codebook, code, undo.

This layer ties `text`, `codebook` and `storage` together; the CLI and the TUI call it and never SQL.
"""
