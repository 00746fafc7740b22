"""Schema additions for transcripts as they really arrive (issue 13): turn times and transcript metadata.

- `units.time`: for turns, the time the turn starts in the recording, in seconds from the start, read
  from a timestamp beside its label or from subtitle cues; NULL when the transcript gives none.
  Times are stored with the turn and never left in the speech.
- `transcripts.metadata`: a JSON object of what the import kept out of the units: `convention` (how the
  file was read), `front_matter` (YAML front matter of a Markdown file), `headings`, `header` (the lines
  of an export header: title, date, duration, keywords). NULL for transcripts imported before.
"""

from __future__ import annotations

from sqlite_utils import Database

from qcode.storage.schema import migration


@migration("t13_turn_times_and_metadata")
def m_t13_turn_times_and_metadata(db: Database) -> None:
    db.execute("ALTER TABLE units ADD COLUMN time REAL")
    db.execute("ALTER TABLE transcripts ADD COLUMN metadata TEXT")
