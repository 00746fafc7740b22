"""Reads and writes persons, speaker-to-person maps and attributes (see `schema_attributes`); every change journalled."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qcode.domain.attributes import AttributeDefinition
from qcode.domain.control_chars import check_name
from qcode.i18n import _
from qcode.storage.clock import utc_now
from qcode.storage.database import Store
from qcode.storage.transaction import Transaction


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    guid: str
    name: str


def default_person_name(transcript: str, speaker: str) -> str:
    """The person a speaker label stands for until it is mapped: one per label per transcript."""
    return f"{transcript}:{speaker}"


class CaseRepository:
    """Persons, the speaker labels they speak under, attribute definitions and values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def of(cls, store: Store) -> CaseRepository:
        return cls(store.db)

    # -- persons ------------------------------------------------------------------------------------

    def persons(self) -> list[PersonRow]:
        return [PersonRow(*r) for r in self.db.execute("SELECT id, guid, name FROM persons ORDER BY name")]

    def person(self, name: str) -> PersonRow | None:
        row = self.db.execute("SELECT id, guid, name FROM persons WHERE name = ?", [name]).fetchone()
        return PersonRow(*row) if row else None

    def ensure_person(self, tx: Transaction, name: str, guid: str | None = None) -> PersonRow:
        found = self.person(name)
        if found is not None:
            return found
        check_name(_("the person name"), name)
        guid = guid or str(uuid.uuid4())
        cursor = self.db.execute("INSERT INTO persons (guid, name, created_at) VALUES (?, ?, ?)",
                                 [guid, name, utc_now()])
        tx.record("person.create", "persons", guid, None, {"guid": guid, "name": name})
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return PersonRow(cursor.lastrowid, guid, name)

    def speaker_map(self) -> dict[tuple[int, str], int]:
        """(transcript id, speaker label) -> person id, for the labels that are mapped."""
        return {(t, s): p for t, s, p in self.db.execute(
            "SELECT transcript_id, speaker, person_id FROM speaker_persons")}

    def map_speaker(self, tx: Transaction, transcript_id: int, transcript: str, speaker: str,
                    person: PersonRow) -> None:
        before = self.db.execute("SELECT p.name FROM speaker_persons sp JOIN persons p ON p.id = sp.person_id "
                                 "WHERE sp.transcript_id = ? AND sp.speaker = ?", [transcript_id, speaker]).fetchone()
        if before and before[0] == person.name:
            return
        self.db.execute("INSERT OR REPLACE INTO speaker_persons (transcript_id, speaker, person_id) VALUES (?, ?, ?)",
                        [transcript_id, speaker, person.id])
        key = f"{transcript}\x1f{speaker}"
        tx.record("person.map", "speaker_persons", key,
                  {"transcript": transcript, "speaker": speaker, "person": before[0]} if before else None,
                  {"transcript": transcript, "speaker": speaker, "person": person.name})

    def speaker_persons(self, transcript_id: int, speakers: list[str]) -> dict[str, str | None]:
        """The person each of these labels of a transcript is mapped to (None: not mapped)."""
        found = dict(self.db.execute(
            "SELECT sp.speaker, p.name FROM speaker_persons sp JOIN persons p ON p.id = sp.person_id "
            f"WHERE sp.transcript_id = ? AND sp.speaker IN ({', '.join('?' * len(speakers))})",
            [transcript_id, *speakers]).fetchall())
        return {speaker: found.get(speaker) for speaker in speakers}

    def restore_speaker_persons(self, tx: Transaction, transcript_id: int, persons: dict[str, str | None]) -> None:
        """Make these labels of a transcript map exactly as given. The caller's journal entry (a speaker
        rename) records the mapping before and after, which is what undo and redo give back."""
        for speaker, name in persons.items():
            self.db.execute("DELETE FROM speaker_persons WHERE transcript_id = ? AND speaker = ?",
                            [transcript_id, speaker])
            if name is not None:
                person = self.ensure_person(tx, name)
                self.db.execute("INSERT INTO speaker_persons (transcript_id, speaker, person_id) VALUES (?, ?, ?)",
                                [transcript_id, speaker, person.id])

    # -- attributes ---------------------------------------------------------------------------------

    def definitions(self, kind: str | None = None) -> list[AttributeDefinition]:
        sql = "SELECT kind, name, type, levels FROM attributes"
        params: list[Any] = []
        if kind is not None:
            sql += " WHERE kind = ?"
            params.append(kind)
        rows = self.db.execute(sql + " ORDER BY kind DESC, position, name", params).fetchall()
        return [AttributeDefinition(k, n, t, tuple(json.loads(levels))) for k, n, t, levels in rows]

    def define(self, tx: Transaction, definition: AttributeDefinition) -> None:
        """Create an attribute, or change its type or levels (the caller has checked the stored values fit)."""
        before = next((d for d in self.definitions(definition.kind) if d.name == definition.name), None)
        if before == definition:
            return
        levels = json.dumps(list(definition.levels), ensure_ascii=False)
        if before is None:
            position = self.db.execute("SELECT count(*) FROM attributes WHERE kind = ?", [definition.kind]).fetchone()[0]
            self.db.execute("INSERT INTO attributes (kind, name, type, levels, position) VALUES (?, ?, ?, ?, ?)",
                            [definition.kind, definition.name, definition.type, levels, position])
        else:
            self.db.execute("UPDATE attributes SET type = ?, levels = ? WHERE kind = ? AND name = ?",
                            [definition.type, levels, definition.kind, definition.name])
        tx.record("attribute.define", "attributes", f"{definition.kind}\x1f{definition.name}",
                  _definition_row(before), _definition_row(definition))

    def values(self, kind: str) -> dict[int, dict[str, str]]:
        """case id -> {attribute: canonical value} for one kind of case."""
        found: dict[int, dict[str, str]] = {}
        for case_id, name, value in self.db.execute(
                "SELECT v.case_id, v.name, v.value FROM attribute_values v JOIN attributes a "
                "ON a.kind = v.kind AND a.name = v.name WHERE v.kind = ? ORDER BY a.position", [kind]):
            found.setdefault(case_id, {})[name] = value
        return found

    def set_value(self, tx: Transaction, kind: str, name: str, case_id: int, case_name: str,
                  value: str | None) -> None:
        """Store a canonical value (None removes it)."""
        row = self.db.execute("SELECT value FROM attribute_values WHERE kind = ? AND name = ? AND case_id = ?",
                              [kind, name, case_id]).fetchone()
        before = row[0] if row else None
        if before == value:
            return
        if value is None:
            self.db.execute("DELETE FROM attribute_values WHERE kind = ? AND name = ? AND case_id = ?",
                            [kind, name, case_id])
        else:
            self.db.execute("INSERT OR REPLACE INTO attribute_values (kind, name, case_id, value) VALUES (?, ?, ?, ?)",
                            [kind, name, case_id, value])
        key = f"{kind}\x1f{case_name}\x1f{name}"
        image = {"kind": kind, "case": case_name, "attribute": name}
        tx.record("attribute.set", "attribute_values", key,
                  None if before is None else {**image, "value": before},
                  None if value is None else {**image, "value": value})


    def add_values(self, tx: Transaction, kind: str, rows: list[tuple[str, int, str, str]]) -> None:
        """Store many values at once: (attribute, case id, case name, canonical value).

        Journalled as one entry per case (`attribute.set_many`, after = {attribute: value}), which keeps a
        questionnaire of thousands of respondents quick to import.
        """
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO attribute_values (kind, name, case_id, value) VALUES (?, ?, ?, ?)",
            [(kind, name, case_id, value) for name, case_id, _case, value in rows])
        per_case: dict[str, dict[str, str]] = {}
        for name, _case_id, case, value in rows:
            per_case.setdefault(case, {})[name] = value
        tx.record_many("attribute.set_many", "attribute_values",
                       [(f"{kind}\x1f{case}", None, {"kind": kind, "case": case, "values": values})
                        for case, values in per_case.items()])


def _definition_row(definition: AttributeDefinition | None) -> dict[str, Any] | None:
    if definition is None:
        return None
    return {"kind": definition.kind, "name": definition.name, "type": definition.type,
            "levels": list(definition.levels)}
