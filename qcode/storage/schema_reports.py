"""Schema additions for reports: SQL views of frequencies and coded passages (migration 002).

The views let anyone open `qcode.db` in a SQLite client (the sqlite3 shell, DB Browser, Datasette) and
read the coding readably, without qcode. They count what SQL can count exactly; `qcode freq` is the
reference and `tests/test_reports_views.py` checks the views against it.

- `coded_passages`: one row per coding: transcript, speaker, coder, code id and name, `start`, `end`
  (half-open code-point offsets), `characters` (= end - start), the coded `text` (SQLite's `substr`
  counts code points, like Python, so `text` is exactly `transcripts.text[start:end]`), memo and
  timestamps. `speaker` is the speaker of the turn the coding starts in: the first turn (by position)
  that ends after the coding's start and begins before its end; NULL when that turn has no speaker
  label or the coding lies outside every turn.
- `code_frequencies`: one row per code of the live codebook, in codebook order, pooling every coder:
  `codings`; `coders` and `transcripts` that have at least one coding of it; `characters`, the
  characters its codings cover with each character counted once (overlapping codings, also of
  different coders, are merged); `turns_touched`, the turns any of its codings overlaps by at least one
  character. Counts are the code's own codings only (no subtree rollup), so groups show 0.
- `code_frequencies_by_coder`: the same per (code, coder), for the codes each coder used.

`turns_touched` is not qcode's unit count: `qcode freq` counts a turn only when a coding overlaps one of
its content characters (not white space or punctuation), so a coding that spills over a full stop into
the next turn touches two turns here but marks one in `qcode freq`. Where every coding overlapping a
turn covers some of its content, the two agree.
"""

from __future__ import annotations

from sqlite_utils import Database

from qcode.storage.schema import migration

REPORT_VIEWS = ("coded_passages", "code_frequencies", "code_frequencies_by_coder")

_CODED_PASSAGES = """
CREATE VIEW coded_passages AS
SELECT
    c.guid                                     AS coding_guid,
    t.name                                     AS transcript,
    (SELECT u.speaker FROM units u
      WHERE u.transcript_id = c.transcript_id AND u.kind = 'turn'
        AND u."end" > c.start AND u.start < c."end"
      ORDER BY u.idx LIMIT 1)                  AS speaker,
    k.name                                     AS coder,
    c.code_id                                  AS code_id,
    d.name                                     AS code_name,
    c.start                                    AS start,
    c."end"                                    AS "end",
    c."end" - c.start                          AS characters,
    substr(t.text, c.start + 1, c."end" - c.start) AS text,
    c.memo                                     AS memo,
    c.created_at                               AS created_at,
    c.updated_at                               AS updated_at
FROM codings c
JOIN transcripts t ON t.id = c.transcript_id
JOIN coders k ON k.id = c.coder_id
JOIN codes d ON d.id = c.code_id
"""


def _frequency_view(name: str, per_coder: bool) -> str:
    """A frequency view pooled over coders, or kept apart per coder (`per_coder`).

    Characters are the length of the union of the codings' intervals, merged per transcript with the
    gaps-and-islands method: a coding opens a new island when it starts after every earlier coding (in
    start order) has ended; each island covers [min(start), max(end)).
    """
    key = "code_id, coder_id" if per_coder else "code_id"
    join_key = "a.code_id = f.code_id AND a.coder_id = f.coder_id" if per_coder else "a.code_id = f.code_id"
    coder_column = "k.name AS coder," if per_coder else ""
    coder_join = "JOIN coders k ON k.id = a.coder_id" if per_coder else ""
    source = "counts a" if per_coder else "codes d LEFT JOIN counts a ON a.code_id = d.id"
    code_join = "JOIN codes d ON d.id = a.code_id" if per_coder else ""
    order = "d.position, k.name" if per_coder else "d.position"
    return f"""
CREATE VIEW {name} AS
WITH ordered AS (
    SELECT {key}, transcript_id, start, "end",
           max("end") OVER (PARTITION BY {key}, transcript_id ORDER BY start, "end"
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM codings
),
islands AS (
    SELECT {key}, transcript_id, start, "end",
           sum(CASE WHEN reach IS NULL OR start > reach THEN 1 ELSE 0 END)
               OVER (PARTITION BY {key}, transcript_id ORDER BY start, "end" ROWS UNBOUNDED PRECEDING) AS island
    FROM ordered
),
merged AS (
    SELECT {key}, max("end") - min(start) AS length FROM islands GROUP BY {key}, transcript_id, island
),
characters AS (SELECT {key}, sum(length) AS characters FROM merged GROUP BY {key}),
touched AS (
    SELECT c.{key.replace(", ", ", c.")}, count(DISTINCT u.id) AS turns
    FROM codings c JOIN units u
      ON u.transcript_id = c.transcript_id AND u.kind = 'turn' AND u.start < c."end" AND u."end" > c.start
    GROUP BY c.{key.replace(", ", ", c.")}
),
counts AS (
    SELECT {key}, count(*) AS codings, count(DISTINCT coder_id) AS coders,
           count(DISTINCT transcript_id) AS transcripts
    FROM codings GROUP BY {key}
)
SELECT
    d.position                      AS position,
    d.id                            AS code_id,
    d.name                          AS code_name,
    d.name_en                       AS code_name_en,
    d.parent_id                     AS parent_id,
    d.codable                       AS codable,
    {coder_column}
    coalesce(a.codings, 0)          AS codings,
    coalesce(a.coders, 0)           AS coders,
    coalesce(a.transcripts, 0)      AS transcripts,
    coalesce(f.characters, 0)       AS characters,
    coalesce(h.turns, 0)            AS turns_touched
FROM {source}
{code_join}
{coder_join}
LEFT JOIN characters f ON {join_key}
LEFT JOIN touched h ON {join_key.replace("f.", "h.")}
ORDER BY {order}
"""


@migration("002_report_views")
def m002_report_views(db: Database) -> None:
    db.execute(_CODED_PASSAGES)
    db.execute(_frequency_view("code_frequencies", per_coder=False))
    db.execute(_frequency_view("code_frequencies_by_coder", per_coder=True))
