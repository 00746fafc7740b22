"""The live codebook: `codes` (one row per code, in document order) and `codebooks` (each load)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qcode.storage.clock import utc_now
from qcode.storage.transaction import Transaction

_CODE_COLUMNS = ("id", "parent_id", "position", "depth", "name", "name_en", "definition", "hotkey", "color",
                 "codable", "keywords", "spec")


@dataclass(frozen=True, slots=True)
class CodeRow:
    """A code as stored; `spec` is the full code as JSON, `keywords` a JSON list."""

    id: str
    parent_id: str | None
    position: int
    depth: int
    name: str
    name_en: str | None
    definition: str | None
    hotkey: str | None
    color: str | None
    codable: int
    keywords: str
    spec: str

    def as_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in _CODE_COLUMNS}


@dataclass(frozen=True, slots=True)
class CodebookRecord:
    """One loaded version of the codebook."""

    id: int
    codebook_id: str | None
    version: str | None
    title: str | None
    content_hash: str
    format_version: int
    source_path: str | None
    document: str
    loaded_at: str
    change: str | None = None  # JSON: what this version changed, for edits made while coding


_RECORD_COLUMNS = ("id, codebook_id, version, title, content_hash, format_version, source_path, document, "
                   "loaded_at, change")


class CodeRepository:
    """Reads and writes `codes` and `codebooks`; changes are journalled in the caller's transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def rows(self) -> list[CodeRow]:
        cols = ", ".join(_CODE_COLUMNS)
        return [CodeRow(*r) for r in self.db.execute(f"SELECT {cols} FROM codes ORDER BY position")]

    def ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM codes")}

    def codable(self, code_id: str) -> bool | None:
        """Whether the code can be applied; None when there is no such code."""
        row = self.db.execute("SELECT codable FROM codes WHERE id = ?", [code_id]).fetchone()
        return None if row is None else bool(row[0])

    def current_codebook(self) -> CodebookRecord | None:
        row = self.db.execute(f"SELECT {_RECORD_COLUMNS} FROM codebooks ORDER BY id DESC LIMIT 1").fetchone()
        return CodebookRecord(*row) if row else None

    def codebook_versions(self) -> list[CodebookRecord]:
        """Every saved version of the codebook, oldest first (number = `id`)."""
        return [CodebookRecord(*r) for r in self.db.execute(f"SELECT {_RECORD_COLUMNS} FROM codebooks ORDER BY id")]

    def codebook_version(self, version_id: int) -> CodebookRecord | None:
        row = self.db.execute(f"SELECT {_RECORD_COLUMNS} FROM codebooks WHERE id = ?", [version_id]).fetchone()
        return CodebookRecord(*row) if row else None

    def defer_checks(self) -> None:
        """Check references at commit, not per statement (for the rest of this transaction)."""
        self.db.execute("PRAGMA defer_foreign_keys = ON")

    def restore_row(self, code_id: str, wanted: dict[str, Any] | None) -> None:
        """Put one code row back to a journal image (None deletes it); for undo and redo.

        References are checked at commit, so a batch can restore parents, children and codings in any order.
        """
        self.db.execute("PRAGMA defer_foreign_keys = ON")
        self.db.execute("DELETE FROM codes WHERE id = ?", [code_id])
        if wanted is not None:
            placeholders = ", ".join("?" for _ in _CODE_COLUMNS)
            self.db.execute(f"INSERT INTO codes ({', '.join(_CODE_COLUMNS)}) VALUES ({placeholders})",
                            [wanted[c] for c in _CODE_COLUMNS])

    def row(self, code_id: str) -> CodeRow | None:
        cols = ", ".join(_CODE_COLUMNS)
        found = self.db.execute(f"SELECT {cols} FROM codes WHERE id = ?", [code_id]).fetchone()
        return CodeRow(*found) if found else None

    def replace_all(self, tx: Transaction, new_rows: Sequence[CodeRow]) -> dict[str, list[str]]:
        """Make `codes` equal to `new_rows`; return the ids added, changed and removed.

        The caller must have checked that removed codes have no codings (foreign keys would refuse anyway).
        """
        old = {r.id: r for r in self.rows()}
        new = {r.id: r for r in new_rows}
        # Parents may come after children in a changed tree; check references at commit time instead.
        self.db.execute("PRAGMA defer_foreign_keys = ON")
        report: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
        for code_id in [c for c in old if c not in new]:
            self.db.execute("DELETE FROM codes WHERE id = ?", [code_id])
            tx.record("code.remove", "codes", code_id, old[code_id].as_dict(), None)
            report["removed"].append(code_id)
        placeholders = ", ".join("?" for _ in _CODE_COLUMNS)
        assignments = ", ".join(f"{c} = ?" for c in _CODE_COLUMNS[1:])
        for row in new_rows:
            values = [getattr(row, c) for c in _CODE_COLUMNS]
            before = old.get(row.id)
            if before is None:
                self.db.execute(f"INSERT INTO codes ({', '.join(_CODE_COLUMNS)}) VALUES ({placeholders})", values)
                tx.record("code.add", "codes", row.id, None, row.as_dict())
                report["added"].append(row.id)
            elif before != row:
                self.db.execute(f"UPDATE codes SET {assignments} WHERE id = ?", values[1:] + [row.id])
                tx.record("code.update", "codes", row.id, before.as_dict(), row.as_dict())
                report["changed"].append(row.id)
        return report

    def record_codebook(
        self,
        tx: Transaction,
        *,
        codebook_id: str | None,
        version: str | None,
        title: str | None,
        content_hash: str,
        format_version: int,
        source_path: str | None,
        document: str,
        change: str | None = None,
        previous: int | None = None,
    ) -> int:
        """Save a version of the codebook; return its number. `previous` is the version it replaces."""
        new_id = self.db.execute(
            "INSERT INTO codebooks (codebook_id, version, title, content_hash, format_version, source_path, "
            "document, loaded_at, change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [codebook_id, version, title, content_hash, format_version, source_path, document, utc_now(), change],
        ).lastrowid
        assert new_id is not None  # an INSERT always sets it
        if change is None:
            tx.record("codebook.load", "codebooks", content_hash, None,
                      {"codebook_id": codebook_id, "version": version, "source_path": source_path})
        else:
            tx.record("codebook.edit", "codebooks", str(new_id), None if previous is None else {"version": previous},
                      {"version": new_id, "change": change})
        return new_id


def keywords_json(keywords: Sequence[str]) -> str:
    return json.dumps(list(keywords), ensure_ascii=False)
