"""A segmenter's dictionary as a small SQLite file, so that a few words can be looked up without loading it.

jieba keeps its dictionary as one Python dict of about half a million entries (words with their
frequencies, and every prefix of a word with frequency 0); loading it costs most of a second. Cutting a
short search query needs only the entries for the query's own substrings, which this file answers in a
millisecond. The file is written once (to a temporary name, then renamed, so a reader never sees half of
it) and never changed; its `meta` table holds the dictionary's total frequency and longest entry.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path

_SCHEMA = (
    "CREATE TABLE freq (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
)


def write_frequencies(path: Path, frequencies: Mapping[str, int], total: int) -> None:
    """Write `frequencies` (every entry, including prefixes of frequency 0) and `total` to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(partial)) as db:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            for statement in _SCHEMA:
                db.execute(statement)
            db.executemany("INSERT INTO freq VALUES (?, ?)", sorted(frequencies.items()))
            longest = max(map(len, frequencies), default=0)
            db.executemany("INSERT INTO meta VALUES (?, ?)", [("total", total), ("longest", longest)])
            db.commit()
        os.replace(partial, path)
    except sqlite3.Error as exc:
        raise OSError(f"cannot write {path}: {exc}") from exc  # callers handle one kind of failure
    finally:
        partial.unlink(missing_ok=True)


class FrequencyFile:
    """Read-only lookups in a file written by `write_frequencies`; None from `open` if it cannot be read,
    OSError from `lookup` if it turns out damaged."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        meta = dict(db.execute("SELECT key, value FROM meta"))
        self.total: int = meta["total"]
        self.longest: int = meta["longest"]

    @classmethod
    def open(cls, path: Path) -> FrequencyFile | None:
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            return cls(db)
        except (sqlite3.Error, KeyError):
            return None  # damaged or from an older layout: the caller falls back to the full dictionary

    def lookup(self, words: Iterable[str]) -> dict[str, int]:
        """The entries among `words` (absent words are not in the dictionary)."""
        sql = "SELECT word, freq FROM freq WHERE word IN (SELECT value FROM json_each(?))"
        try:
            return dict(self._db.execute(sql, [json.dumps(sorted(set(words)), ensure_ascii=False)]))
        except sqlite3.Error as exc:
            raise OSError(f"cannot read the cached dictionary: {exc}") from exc

    def close(self) -> None:
        self._db.close()
