"""Schema additions that guard codings against being stored twice (migration t10b_codings_unique_span).

A coder applies a code to a span once: the unique index on (coder, transcript, code, start, end) backs
the duplicate checks that imports, merges and the coding screen make inside their write transaction,
so two processes writing at once can never both add the same coding.

Older qcode could store such duplicates (two `codings import` of one file at the same moment). The
migration folds each group into its oldest coding: distinct memos are joined into the kept one, and
every change is journalled (`coding.dedupe`, with the removed coding's full image), so nothing is lost.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from qcode.storage.clock import utc_now
from qcode.storage.schema import migration

_IMAGE = (
    'SELECT c.id, c.guid, k.name, t.name, c.code_id, c.start, c."end", c.memo, c.created_at, c.updated_at '
    "FROM codings c JOIN coders k ON k.id = c.coder_id JOIN transcripts t ON t.id = c.transcript_id "
)
_FIELDS = ("guid", "coder", "transcript", "code", "start", "end", "memo", "created_at", "updated_at")


def _journal(db: Database, batch: str, action: str, key: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    db.execute(
        "INSERT INTO journal (at, actor, batch, kind, target_batch, action, entity, entity_key, before, after, "
        "source) VALUES (?, 'qcode', ?, 'do', NULL, ?, 'codings', ?, ?, ?, 'migration')",
        [utc_now(), batch, action, key,
         None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
         None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True)],
    )


def fold_duplicate_codings(db: Database) -> int:
    """Fold codings stored more than once into their oldest copy; return how many were removed."""
    groups = db.execute(
        'SELECT coder_id, transcript_id, code_id, start, "end" FROM codings '
        'GROUP BY coder_id, transcript_id, code_id, start, "end" HAVING count(*) > 1'
    ).fetchall()
    removed = 0
    batch = f"migration-t10b-dedupe-{utc_now()}"
    for coder_id, transcript_id, code_id, start, end in groups:
        rows = db.execute(
            _IMAGE + 'WHERE c.coder_id = ? AND c.transcript_id = ? AND c.code_id = ? AND c.start = ? '
            'AND c."end" = ? ORDER BY c.created_at, c.id',
            [coder_id, transcript_id, code_id, start, end],
        ).fetchall()
        images = [dict(zip(_FIELDS, row[1:])) for row in rows]
        kept = images[0]
        memos: list[str] = []
        for image in images:
            if image["memo"].strip() and image["memo"] not in memos:
                memos.append(image["memo"])
        memo = "\n\n".join(memos)
        for row, image in zip(rows[1:], images[1:]):
            db.execute("DELETE FROM codings WHERE id = ?", [row[0]])
            _journal(db, batch, "coding.dedupe", image["guid"], image, None)
            removed += 1
        if memo != kept["memo"]:
            after = {**kept, "memo": memo, "updated_at": utc_now()}
            db.execute("UPDATE codings SET memo = ?, updated_at = ? WHERE id = ?",
                       [memo, after["updated_at"], rows[0][0]])
            _journal(db, batch, "coding.dedupe", kept["guid"], kept, after)
    return removed


@migration("t10b_codings_unique_span")
def m_t10b_codings_unique_span(db: Database) -> None:
    fold_duplicate_codings(db)
    db.execute('CREATE UNIQUE INDEX codings_unique_span ON codings(coder_id, transcript_id, code_id, start, "end")')
    # (coder_id, transcript_id) is a prefix of the unique index, which serves its queries: one index less to
    # keep up on every insert.
    db.execute("DROP INDEX codings_by_coder")


# The length check on every coding read `transcripts.characters`, which is stored after the text: each
# check walked the text's overflow pages (about a second per thousand codings on 100,000-character
# transcripts). A covering index holds the length apart from the text, and the triggers read it there.
_LENGTH_CHECKS = [
    "CREATE INDEX transcripts_length ON transcripts(id, characters)",
    "DROP TRIGGER codings_within_text_insert",
    "DROP TRIGGER codings_within_text_update",
    """
    CREATE TRIGGER codings_within_text_insert BEFORE INSERT ON codings
    WHEN NEW."end" > (SELECT characters FROM transcripts INDEXED BY transcripts_length WHERE id = NEW.transcript_id)
    BEGIN SELECT RAISE(ABORT, 'coding ends beyond the end of its transcript'); END
    """,
    """
    CREATE TRIGGER codings_within_text_update BEFORE UPDATE ON codings
    WHEN NEW."end" > (SELECT characters FROM transcripts INDEXED BY transcripts_length WHERE id = NEW.transcript_id)
    BEGIN SELECT RAISE(ABORT, 'coding ends beyond the end of its transcript'); END
    """,
]


@migration("t10b_transcript_length_index")
def m_t10b_transcript_length_index(db: Database) -> None:
    for statement in _LENGTH_CHECKS:
        db.execute(statement)
