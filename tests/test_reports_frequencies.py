"""`qcode freq` against hand counts of the fixture project (see test_reports_fixture.py for the layout).

Every expected number below was counted by hand from the unit and coding table in that module's
docstring; the comments say which codings and units make each number.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from qcode.project.coding import CodingSession
from qcode.analysis.selection import Selection
from qcode.reports.frequencies import code_frequencies
from qcode.analysis.units import load_report_data

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture

ROWS = [("G", "subtree"), ("Q", "code"), ("Q", "subtree"), ("Q.TIME", "code"), ("Q.READ", "code"),
        ("R", "code"), ("L", "code")]

# (codings, units, transcripts, characters), pooled over the three coders, turns as units.
POOLED_TURNS = {
    # G = Q, Q.TIME, Q.READ, R: c1 c2 c3 c5 c6 c7 c8 c9 c10; turns T1 t1 t2 t3, T2 i r; chars T1 17+13+4, T2 17
    ("G", "subtree"): (9, 5, 2, 51),
    ("Q", "code"): (1, 2, 1, 17),  # c10 marks T2 i and r
    # c1 c2 c3 c7 c8 c9 c10; turns T1 t1 t3, T2 i r (r marked by c9 and c10 counts once); chars 17+4+17
    ("Q", "subtree"): (7, 4, 2, 38),
    ("Q.TIME", "code"): (3, 1, 1, 17),  # three overlapping codings in one turn; union [19,36)
    ("Q.READ", "code"): (3, 2, 2, 8),  # c7/c8 same turn (two coders) count once; [72,76) + [24,28)
    ("R", "code"): (2, 2, 2, 18),  # c5 marks t2 only (spills into t3 over "……"); c6 marks T2 i
    ("L", "code"): (2, 2, 2, 15),  # c4 in T1 t1, c11 in T2's header line
}
TURNS_TOTAL = 9  # T1 4 + T2 3 + T3 2, all with content

POOLED_SENTENCE_UNITS = {
    ("G", "subtree"): 7,  # T1 s1 s2 s3 s4 s7, T2 i r
    ("Q", "code"): 2,
    ("Q", "subtree"): 6,  # T1 s1 s2 s3 s7, T2 i r
    ("Q.TIME", "code"): 3,  # c1 covers s1 and s2, c3 reaches into s3 ("领导")
    ("Q.READ", "code"): 2,
    ("R", "code"): 2,  # s4 and T2 i; s5 "……" has no content and is never marked
    ("L", "code"): 2,
}
SENTENCES_TOTAL = 12  # T1 7 of 8 (s5 "……" has no content), T2 3, T3 2


def freq_json(run, root, *args) -> list[dict]:
    result = run("freq", "--format", "json", "-p", root, *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def by_row(records: list[dict], key: str | None = None) -> dict:
    found = {}
    for r in records:
        row = (r["code"], r["scope"]) if key is None else (r["code"], r["scope"], r[key])
        found[row] = (r["codings"], r["units"], r["transcripts"], r["characters"])
    return found


def test_pooled_turn_frequencies_match_the_hand_counts(report_project, run):
    records = freq_json(run, report_project.root)
    assert [(r["code"], r["scope"]) for r in records] == ROWS
    assert by_row(records) == POOLED_TURNS
    assert {r["units_total"] for r in records} == {TURNS_TOTAL}
    shares = {(r["code"], r["scope"]): r["share"] for r in records}
    assert shares[("G", "subtree")] == pytest.approx(5 / 9)
    assert shares[("Q.TIME", "code")] == pytest.approx(1 / 9)
    for r in records:
        assert {"code", "codings", "units", "transcripts", "characters"} <= set(r)


def test_sentence_units_follow_the_unit_rule(report_project, run):
    records = freq_json(run, report_project.root, "--unit", "sentence")
    assert {(r["code"], r["scope"]): r["units"] for r in records} == POOLED_SENTENCE_UNITS
    assert {r["units_total"] for r in records} == {SENTENCES_TOTAL}
    # Codings, transcripts and characters do not depend on the unit.
    assert {k: (v[0], v[2], v[3]) for k, v in by_row(records).items()} == {
        k: (v[0], v[2], v[3]) for k, v in POOLED_TURNS.items()}


def test_by_coder_counts_each_coders_own_codings(report_project, run):
    records = freq_json(run, report_project.root, "--by", "coder")
    assert {r["coder"] for r in records} == {"甲", "乙", "丙"}
    assert {r["units_total"] for r in records} == {TURNS_TOTAL}  # the pooled denominator
    got = by_row(records, "coder")
    expected = {
        ("G", "subtree", "甲"): (5, 5, 2, 51),  # c1 c3 c5 c8 c10
        ("G", "subtree", "乙"): (3, 3, 2, 19),  # c2 c6 c9: T1 t1, T2 i r; 10 + 5 + 4
        ("G", "subtree", "丙"): (1, 1, 1, 3),  # c7
        ("Q", "subtree", "甲"): (4, 4, 2, 38),
        ("Q", "subtree", "乙"): (2, 2, 2, 14),
        ("Q.TIME", "code", "甲"): (2, 1, 1, 17),  # c1 and c3 overlap: union [19,36)
        ("Q.TIME", "code", "乙"): (1, 1, 1, 10),
        ("Q.TIME", "code", "丙"): (0, 0, 0, 0),
        ("Q.READ", "code", "甲"): (1, 1, 1, 4),
        ("Q.READ", "code", "乙"): (1, 1, 1, 4),
        ("Q.READ", "code", "丙"): (1, 1, 1, 3),
        ("R", "code", "甲"): (1, 1, 1, 13),
        ("L", "code", "丙"): (1, 1, 1, 8),
        ("L", "code", "甲"): (1, 1, 1, 7),
    }
    assert {k: got[k] for k in expected} == expected
    # Pooling counts a unit once: Q.READ marks 3 turns coder by coder but 2 pooled.
    assert sum(got[("Q.READ", "code", c)][1] for c in ("甲", "乙", "丙")) == 3
    assert POOLED_TURNS[("Q.READ", "code")][1] == 2


def test_by_speaker_attributes_units_to_the_speaker_of_their_turn(report_project, run):
    records = freq_json(run, report_project.root, "--by", "speaker")
    totals = {r["speaker"]: r["units_total"] for r in records}
    assert totals == {"受访者A": 3, "受访者B": 1, "访谈者": 4, None: 1}
    got = by_row(records, "speaker")
    expected = {
        ("Q.TIME", "code", "受访者A"): (3, 1, 1, 17),
        ("Q.TIME", "code", "访谈者"): (0, 0, 0, 0),
        ("Q.READ", "code", "受访者A"): (2, 1, 1, 4),
        ("Q.READ", "code", "受访者B"): (1, 1, 1, 4),
        # c10 spans two speakers' turns: it counts for both, with the characters inside each turn.
        ("Q", "code", "访谈者"): (1, 1, 1, 6),
        ("Q", "code", "受访者B"): (1, 1, 1, 5),
        # c5 marks only the interviewer's turn, but 2 of its characters ("……") lie in 受访者A's turn.
        ("R", "code", "访谈者"): (2, 2, 2, 10),
        ("R", "code", "受访者A"): (0, 0, 0, 2),
        ("L", "code", "受访者A"): (1, 1, 1, 8),
        ("L", "code", None): (1, 1, 1, 7),  # the header line has no speaker
        ("G", "subtree", "受访者A"): (5, 2, 1, 23),
        ("G", "subtree", "受访者B"): (2, 1, 1, 5),
        ("G", "subtree", "访谈者"): (3, 2, 2, 11),
        ("G", "subtree", None): (0, 0, 0, 0),
    }
    assert {k: got[k] for k in expected} == expected


def test_by_transcript_uses_each_transcripts_own_units(report_project, run):
    records = freq_json(run, report_project.root, "--by", "transcript")
    assert {r["transcript"]: r["units_total"] for r in records} == {"T1": 4, "T2": 3, "T3": 2}
    got = by_row(records, "transcript")
    assert got[("G", "subtree", "T1")] == (6, 3, 1, 34)  # c1 c2 c3 c5 c7 c8
    assert got[("G", "subtree", "T2")] == (3, 2, 1, 17)  # c6 c9 c10
    assert got[("G", "subtree", "T3")] == (0, 0, 0, 0)
    assert got[("L", "code", "T1")] == (1, 1, 1, 8)
    assert got[("L", "code", "T2")] == (1, 1, 1, 7)
    share = {(r["code"], r["scope"], r["transcript"]): r["share"] for r in records}
    assert share[("L", "code", "T2")] == pytest.approx(1 / 3)


def test_filters_restrict_coders_transcripts_and_codes(report_project, run):
    records = freq_json(run, report_project.root, "--coders", "甲,乙", "--codes", "Q")
    assert [(r["code"], r["scope"]) for r in records] == [("Q", "code"), ("Q", "subtree"), ("Q.TIME", "code"),
                                                           ("Q.READ", "code")]
    got = by_row(records)
    assert got[("Q.READ", "code")] == (2, 2, 2, 8)  # c8 and c9; c7 is 丙's
    assert got[("Q", "subtree")] == (6, 4, 2, 38)  # c1 c2 c3 c8 c9 c10
    records = freq_json(run, report_project.root, "--transcripts", "T2", "--coders", "丙", "--coders", "甲")
    got = by_row(records)
    assert got[("L", "code")] == (1, 1, 1, 7)  # c11 (c4 is in T1)
    assert got[("Q.READ", "code")] == (0, 0, 0, 0)  # c9 is 乙's
    assert {r["units_total"] for r in records} == {3}


def test_machine_coders_count_only_when_named(report_project, run):
    t3 = report_project.store.transcripts.by_name("T3")
    CodingSession(report_project.store, "auto:keywords", source="suggest").apply(t3, "L", 16, 20)
    assert by_row(freq_json(run, report_project.root)) == POOLED_TURNS  # keyword suggestions left out
    named = by_row(freq_json(run, report_project.root, "--coders", "auto:keywords"))
    assert named[("L", "code")] == (1, 1, 1, 4)


def test_the_api_gives_the_same_numbers_as_the_cli(report_project):
    data = load_report_data(report_project.store, Selection())
    table = code_frequencies(data, "turn")
    assert {(r.code, r.scope): (r.total.codings, r.total.units, r.total.transcripts, r.total.characters)
            for r in table.rows} == POOLED_TURNS
    assert table.coders == ("丙", "乙", "甲")
    assert table.transcripts == ("T1", "T2", "T3")


def test_table_csv_and_md_formats(report_project, run, tmp_path):
    table = run("freq", "-p", report_project.root)
    assert table.exit_code == 0, table.stderr
    assert "9 turns in 3 transcripts, coders: 丙, 乙, 甲" in table.stdout
    line = next(line for line in table.stdout.splitlines() if line.strip().startswith("Q.TIME"))
    assert line.split()[-5:] == ["3", "1", "11.1%", "1", "17"]

    cross = run("freq", "--lang", "zh", "--by", "coder", "--measure", "characters", "--format", "md", "-p", report_project.root)
    assert cross.exit_code == 0, cross.stderr
    assert "| 编码 | 名称 | 范围 | 丙 | 乙 | 甲 | 合计 |" in cross.stdout  # --lang zh: headers in Chinese too
    assert "| &nbsp;&nbsp;&nbsp;&nbsp;Q.TIME | 及时性 |  | 0 | 10 | 17 | 17 |" in cross.stdout

    target = tmp_path / "out" / "freq.csv"
    written = run("freq", "--by", "transcript", "--format", "csv", "-o", target, "-p", report_project.root)
    assert written.exit_code == 0, written.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    found = {(r["code"], r["scope"], r["transcript"]): r for r in rows}
    assert found[("G", "subtree", "T1")]["characters"] == "34"
    assert found[("L", "code", "T2")]["units_total"] == "3"


def test_english_names(report_project, run):
    records = freq_json(run, report_project.root, "--lang", "en")
    assert records[0]["name"] == "Problems"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--coders", "丁"], "no coder named '丁'; the project has: 丙, 乙, 甲"),
        (["--transcripts", "T9"], "no transcript named 'T9'; the project has: T1, T2, T3"),
        (["--codes", "Q.NOPE"], "no code named 'Q.NOPE'"),
        (["--format", "xlsx"], "--format xlsx writes a file: give it with -o FILE.xlsx"),
    ],
)
def test_bad_selections_are_errors_without_traceback(report_project, run, args, message):
    result = run("freq", "-p", report_project.root, *args)
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_project_without_a_codebook_is_an_error(project, run):
    result = run("freq", "-p", project.root)
    assert result.exit_code == 1
    assert "this project has no codebook yet" in result.stderr


def test_an_unknown_unit_is_refused_by_the_option_parser(report_project, run):
    result = run("freq", "--unit", "word", "-p", report_project.root)
    assert result.exit_code == 2 and "Invalid value for '--unit'" in result.stderr
