"""`qcode check`: is the project database whole, and does everything in it agree with everything else?

SQLite's own checks (integrity, foreign keys) find damaged pages and dangling references; qcode's find
what SQLite cannot know: a coding without its journal entry (undo and audit would miss it), offsets
outside the text, units out of order, a text that no longer matches its checksum.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from qcode.i18n import _, counted
from qcode.storage.database import Store

_MAX_LISTED = 20  # per check: a badly damaged database would otherwise print thousands of lines


@dataclass(frozen=True)
class HealthReport:
    checks: list[tuple[str, list[str]]]  # (what was checked, what is wrong)

    @property
    def ok(self) -> bool:
        return not any(found for _, found in self.checks)


def check_store(store: Store) -> HealthReport:
    """Run every check; each gives the problems it found (empty when all is well)."""
    db = store.db
    try:
        damage = _integrity(db)
    except sqlite3.DatabaseError as exc:
        damage = [str(exc)]
    if damage:  # the other checks would read damaged pages: report the damage alone
        return HealthReport([(_("SQLite integrity"), damage[:_MAX_LISTED])])
    checks = [
        (_("SQLite integrity"), damage),
        (_("foreign keys"), [_("{table} row {row} refers to a missing {parent} row").format(
            table=table, row=rowid, parent=parent)
            for table, rowid, parent, _fk in db.execute("PRAGMA foreign_key_check").fetchall()]),
        (_("journal entries of codings"), [
            _("coding {coding} ({code} by {coder} in {transcript}) has no journal entry").format(
                coding=guid, code=code, coder=coder, transcript=name) for guid, code, coder, name in
            db.execute("SELECT c.guid, c.code_id, k.name, t.name FROM codings c JOIN coders k ON k.id = c.coder_id "
                       "JOIN transcripts t ON t.id = c.transcript_id WHERE NOT EXISTS (SELECT 1 FROM journal j "
                       "WHERE j.entity = 'codings' AND j.entity_key = c.guid) ORDER BY c.id").fetchall()]),
        (_("coding offsets"), [
            counted(chars, "coding {coding} in {transcript} spans {start}-{end}, outside the text's {count} character",
                    "coding {coding} in {transcript} spans {start}-{end}, outside the text's {count} characters",
                    coding=guid, transcript=name, start=start, end=end) for
            guid, name, start, end, chars in
            db.execute('SELECT c.guid, t.name, c.start, c."end", t.characters FROM codings c JOIN transcripts t '
                       'ON t.id = c.transcript_id WHERE c.start < 0 OR c."end" <= c.start OR c."end" > t.characters '
                       "ORDER BY c.id").fetchall()]),
        (_("units (turns and sentences)"), _units(db)),
        (_("transcript texts"), _texts(db)),
    ]
    return HealthReport([(what, found[:_MAX_LISTED] + ([_("... and {count} more").format(count=len(found) - _MAX_LISTED)]
                                                        if len(found) > _MAX_LISTED else []))
                         for what, found in checks])


def _integrity(db: Database) -> list[str]:
    # SQLite may give many problems in one row, one per line: count and list them one by one.
    found = [line for row in db.execute("PRAGMA integrity_check").fetchall() for line in str(row[0]).splitlines()]
    return [] if found == ["ok"] else found


def _units(db: Database) -> list[str]:
    found = []
    previous: tuple[int, str, int] | None = None
    for transcript, name, kind, idx, start, end, chars in db.execute(
            'SELECT u.transcript_id, t.name, u.kind, u.idx, u.start, u."end", t.characters FROM units u '
            "JOIN transcripts t ON t.id = u.transcript_id ORDER BY u.transcript_id, u.kind, u.idx"):
        if not 0 <= start <= end <= chars:
            found.append(counted(chars, "{kind} {index} of {transcript} spans {start}-{end}, outside the text's "
                                        "{count} character",
                                 "{kind} {index} of {transcript} spans {start}-{end}, outside the text's {count} "
                                 "characters", kind=kind, index=idx, transcript=name, start=start, end=end))
        if previous is not None and previous[:2] == (transcript, kind) and start < previous[2]:
            found.append(_("{kind} {index} of {transcript} starts at {start}, before the {kind} ahead of it ends").format(
                kind=kind, index=idx, transcript=name, start=start))
        previous = (transcript, kind, end)
    return found


def _texts(db: Database) -> list[str]:
    found = []
    for name, text, sha256, chars in db.execute("SELECT name, text, sha256, characters FROM transcripts ORDER BY id"):
        if len(text) != chars:
            found.append(counted(len(text), "{transcript}: the text has {count} character, the record says {recorded}",
                                 "{transcript}: the text has {count} characters, the record says {recorded}",
                                 transcript=name, recorded=chars))
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha256:
            found.append(_("{transcript}: the text does not match its SHA-256 checksum (changed outside qcode?)").format(
                transcript=name))
    return found
