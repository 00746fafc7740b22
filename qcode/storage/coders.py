"""Coders: the people (or programs, like `auto:keywords`) whose codings are kept apart."""

from __future__ import annotations

from sqlite_utils import Database

from qcode.domain.control_chars import check_name
from qcode.i18n import _
from qcode.storage.clock import utc_now


class CoderRepository:
    """Reads and writes `coders`; a coder is created the first time they code or are named."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def id_of(self, name: str) -> int | None:
        row = self.db.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def ensure(self, name: str) -> int:
        """The coder's id, creating the coder if needed (call inside a transaction)."""
        found = self.id_of(name)
        if found is not None:
            return found
        check_name(_("the coder name"), name)
        created = self.db.execute("INSERT INTO coders (name, created_at) VALUES (?, ?)", [name, utc_now()]).lastrowid
        assert created is not None  # an INSERT always sets it
        return created

    def names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM coders ORDER BY name")]
