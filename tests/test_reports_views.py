"""The SQL views (`coded_passages`, `code_frequencies`, `code_frequencies_by_coder`) agree with `qcode freq`
and `qcode quotes`, queried with plain sqlite3 as any SQLite client would."""

from __future__ import annotations

import json
import sqlite3

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture


def rows(db_path, sql: str) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_code_frequencies_agree_with_freq(report_project, run):
    result = run("freq", "--format", "json", "-p", report_project.root)
    freq = {r["code"]: r for r in json.loads(result.stdout) if r["scope"] == "code"}
    view = rows(report_project.db_path, "SELECT * FROM code_frequencies")
    assert [r["code_id"] for r in view] == ["G", "Q", "Q.TIME", "Q.READ", "R", "L"]  # codebook order
    for r in view:
        if r["code_id"] == "G":  # a group has no codings of its own
            assert (r["codings"], r["characters"], r["turns_touched"]) == (0, 0, 0)
            continue
        mine = freq[r["code_id"]]
        assert (r["codings"], r["transcripts"], r["characters"]) == (
            mine["codings"], mine["transcripts"], mine["characters"]), r["code_id"]
    # Turns touched equal units where every coding covers some content of each turn it touches. R differs:
    # c5 overlaps 受访者A's turn only with "……", which the unit rule does not count.
    touched = {r["code_id"]: r["turns_touched"] for r in view}
    assert {c: (touched[c], freq[c]["units"]) for c in freq} == {
        "Q": (2, 2), "Q.TIME": (1, 1), "Q.READ": (2, 2), "R": (3, 2), "L": (2, 2)}
    assert {r["code_id"]: r["coders"] for r in view} == {"G": 0, "Q": 1, "Q.TIME": 2, "Q.READ": 3, "R": 2, "L": 2}


def test_code_frequencies_by_coder_agree_with_freq_by_coder(report_project, run):
    result = run("freq", "--by", "coder", "--format", "json", "-p", report_project.root)
    freq = {(r["code"], r["coder"]): r for r in json.loads(result.stdout) if r["scope"] == "code"}
    view = rows(report_project.db_path, "SELECT * FROM code_frequencies_by_coder")
    assert len(view) == sum(1 for r in freq.values() if r["codings"])
    for r in view:
        mine = freq[(r["code_id"], r["coder"])]
        assert (r["codings"], r["transcripts"], r["characters"]) == (
            mine["codings"], mine["transcripts"], mine["characters"])
    q_time = {r["coder"]: r["characters"] for r in view if r["code_id"] == "Q.TIME"}
    assert q_time == {"甲": 17, "乙": 10}  # 甲's c1 and c3 overlap: merged, as in freq


def test_coded_passages_agree_with_quotes(report_project, run):
    result = run("quotes", "--lang", "zh", "G", "--rollup", "--format", "json", "-p", report_project.root)
    quoted = json.loads(result.stdout) + json.loads(
        run("quotes", "--lang", "zh", "L", "--format", "json", "-p", report_project.root).stdout)
    view = rows(report_project.db_path, "SELECT * FROM coded_passages")
    key = ("transcript", "speaker", "coder", "start", "end", "text", "memo")
    as_view = sorted((tuple(r[k] for k in key) + (r["code_id"], r["code_name"], r["coding_guid"]) for r in view),
                     key=str)
    as_quotes = sorted((tuple(q[k] for k in key) + (q["code"], q["name"], q["guid"]) for q in quoted), key=str)
    assert as_view == as_quotes
    assert all(r["characters"] == r["end"] - r["start"] for r in view)


def test_views_exist_in_a_new_project_and_are_empty(project):
    for view in ("coded_passages", "code_frequencies", "code_frequencies_by_coder"):
        assert rows(project.db_path, f"SELECT count(*) AS n FROM {view}") == [{"n": 0}]
