"""Schema additions for cases: persons behind speaker labels, and typed attributes of transcripts and persons.

- `persons`: the people who speak in transcripts (REFI-QDA cases). A speaker label of a transcript that
  is not mapped is its own default person, named `TRANSCRIPT:LABEL`; a row appears once the person is
  mapped or given an attribute.
- `speaker_persons`: which person a speaker label of a transcript is (`受访者` in T1 and `受访者C` in T2 can
  be one person).
- `attributes`: the attribute definitions per kind of case (`transcript` or `person`): type (text,
  number, date, boolean, category) and, for categories, the ordered levels (JSON list).
- `attribute_values`: one canonical text per (kind, attribute, case); see `qcode.domain.attributes`.
"""

from __future__ import annotations

from sqlite_utils import Database

from qcode.storage.schema import migration

_CASES = [
    """
    CREATE TABLE persons (
        id         INTEGER PRIMARY KEY,
        guid       TEXT NOT NULL UNIQUE,
        name       TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE speaker_persons (
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        speaker       TEXT NOT NULL,
        person_id     INTEGER NOT NULL REFERENCES persons(id),
        PRIMARY KEY (transcript_id, speaker)
    )
    """,
    "CREATE INDEX speaker_persons_by_person ON speaker_persons(person_id)",
    """
    CREATE TABLE attributes (
        kind     TEXT NOT NULL CHECK (kind IN ('transcript', 'person')),
        name     TEXT NOT NULL,
        type     TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'boolean', 'category')),
        levels   TEXT NOT NULL DEFAULT '[]',  -- JSON list of the ordered levels of a category
        position INTEGER NOT NULL,
        PRIMARY KEY (kind, name)
    )
    """,
    """
    CREATE TABLE attribute_values (
        kind    TEXT NOT NULL,
        name    TEXT NOT NULL,
        case_id INTEGER NOT NULL,             -- transcripts.id or persons.id, as kind says
        value   TEXT NOT NULL,                -- canonical text (qcode.domain.attributes)
        PRIMARY KEY (kind, name, case_id),
        FOREIGN KEY (kind, name) REFERENCES attributes(kind, name) ON DELETE CASCADE
    )
    """,
    # A deleted transcript takes its attribute values with it.
    """
    CREATE TRIGGER transcript_attribute_values_delete AFTER DELETE ON transcripts
    BEGIN DELETE FROM attribute_values WHERE kind = 'transcript' AND case_id = OLD.id; END
    """,
]


@migration("t14_attributes_persons")
def m_t14_attributes_persons(db: Database) -> None:
    for statement in _CASES:
        db.execute(statement)
