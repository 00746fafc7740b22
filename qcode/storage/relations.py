"""Relations between codes (axial coding), starred example codings, and the saturation test set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qcode.storage.clock import utc_now
from qcode.storage.coders import CoderRepository
from qcode.storage.transaction import Transaction


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed link `source -> target` between two codes, with a memo."""

    guid: str
    source: str
    target: str
    type: str
    memo: str
    coder: str
    created_at: str
    updated_at: str

    def image(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in Relation.__dataclass_fields__}


_SELECT = (
    "SELECT r.guid, r.source_id, r.target_id, r.type, r.memo, k.name, r.created_at, r.updated_at "
    "FROM code_relations r JOIN coders k ON k.id = r.coder_id"
)


class RelationRepository:
    """Reads and writes `code_relations`, `coding_examples` and `saturation_tests`, journalling each change."""

    def __init__(self, db: Database, coders: CoderRepository) -> None:
        self.db = db
        self.coders = coders

    def available(self) -> bool:
        """False for a project file written before relations existed (read, never migrated, by merge)."""
        return self.db["code_relations"].exists()

    # -- relations -----------------------------------------------------------------------------------

    def all(self) -> list[Relation]:
        return [Relation(*r) for r in self.db.execute(f"{_SELECT} ORDER BY r.id")]

    def get(self, guid: str) -> Relation | None:
        row = self.db.execute(f"{_SELECT} WHERE r.guid = ?", [guid]).fetchone()
        return Relation(*row) if row else None

    def find(self, source: str, target: str, type_: str) -> Relation | None:
        row = self.db.execute(f"{_SELECT} WHERE r.source_id = ? AND r.target_id = ? AND r.type = ?",
                              [source, target, type_]).fetchone()
        return Relation(*row) if row else None

    def touching(self, code_id: str) -> list[Relation]:
        return [Relation(*r) for r in self.db.execute(
            f"{_SELECT} WHERE r.source_id = ? OR r.target_id = ? ORDER BY r.id", [code_id, code_id])]

    def restore(self, tx: Transaction, guid: str, before: dict[str, Any] | None, after: dict[str, Any] | None, action: str) -> None:
        """Make the relation `guid` equal to `after` (None deletes it) and journal it."""
        self.db.execute("PRAGMA defer_foreign_keys = ON")
        self.db.execute("DELETE FROM code_relations WHERE guid = ?", [guid])
        if after is not None:
            self.db.execute(
                "INSERT INTO code_relations (guid, source_id, target_id, type, memo, coder_id, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [guid, after["source"], after["target"], after["type"], after["memo"],
                 self.coders.ensure(after["coder"]), after["created_at"], after["updated_at"]],
            )
        tx.record(action, "code_relations", guid, before, after)

    # -- starred examples --------------------------------------------------------------------------

    def starred(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT coding_guid FROM coding_examples")}

    def stars(self) -> list[tuple[str, str]]:
        """(coding guid, coder who starred it) of every starred coding."""
        return self.db.execute("SELECT e.coding_guid, k.name FROM coding_examples e "
                               "JOIN coders k ON k.id = e.coder_id").fetchall()

    def set_star(self, tx: Transaction, coding_guid: str, coder: str, starred: bool) -> bool:
        """Star or unstar a coding as an example; False when it already was so."""
        is_starred = coding_guid in self.starred()
        if is_starred == starred:
            return False
        image = {"coding": coding_guid, "coder": coder}
        self.restore_star(tx, coding_guid, image if is_starred else None, image if starred else None)
        return True

    def restore_star(self, tx: Transaction, coding_guid: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        self.db.execute("DELETE FROM coding_examples WHERE coding_guid = ?", [coding_guid])
        if after is not None:
            self.db.execute("INSERT INTO coding_examples (coding_guid, coder_id, starred_at) VALUES (?, ?, ?)",
                            [coding_guid, self.coders.ensure(after["coder"]), utc_now()])
        tx.record("coding.star", "coding_examples", coding_guid, before, after)

    # -- saturation test set -------------------------------------------------------------------------

    def saturation_set(self) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT transcript_id FROM saturation_tests")}

    def saturation_names(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT t.name FROM saturation_tests s JOIN transcripts t ON t.id = s.transcript_id")]

    def restore_saturation(self, tx: Transaction, transcript_id: int, name: str, held_back: bool) -> None:
        before = {"transcript": name} if transcript_id in self.saturation_set() else None
        after = {"transcript": name} if held_back else None
        if before == after:
            return
        self.db.execute("DELETE FROM saturation_tests WHERE transcript_id = ?", [transcript_id])
        if held_back:
            self.db.execute("INSERT INTO saturation_tests (transcript_id, marked_at) VALUES (?, ?)",
                            [transcript_id, utc_now()])
        tx.record("transcript.saturation", "saturation_tests", name, before, after)
