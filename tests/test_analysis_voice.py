"""Reports speak with one voice per passage: the consensus where recorded, else each distinct passage once.

Counts are by hand from the fixture of `tests/reports_support.py` plus three codings added here:
乙 codes exactly c8's words (Q.READ, T1 [72,76)), so that passage has two coders; and the team records
a consensus Q.TIME over T1's turn t1 [19,42), where 甲 (c1, c3) and 乙 (c2) coded Q.TIME.
"""

from __future__ import annotations

import json

import pytest

from qcode.analysis.selection import Selection
from qcode.analysis.units import load_report_data, with_one_voice
from qcode.project.coding import CodingSession
from qcode.reports.frequencies import code_frequencies
from qcode.reports.quotes import coded_passages
from tests.reports_support import span_of

pytest_plugins = ["tests.reports_support"]


@pytest.fixture
def voiced(report_project):
    store = report_project.store
    t1 = store.transcripts.by_name("T1")
    start, end = span_of("T1", "看不懂。")
    CodingSession(store, "乙", source="test").apply(t1, "Q.READ", start, end, "")
    return report_project


def _row(table, code: str):
    return next(r for r in table.rows if r.code == code and r.scope == "code")


def test_a_passage_coded_by_two_coders_counts_once_and_lists_both(voiced):
    data = load_report_data(voiced.store)
    assert data.voice == "one"
    # Q.READ passages: c7 (丙, [72,75)), c8 + 乙's copy ([72,76)), c9 (乙, T2) -> 3 distinct passages.
    assert _row(code_frequencies(data), "Q.READ").total.codings == 3
    quotes = coded_passages(data, "Q.READ").quotes
    assert [(q.transcript, q.start, q.end) for q in quotes] == [("T1", 72, 75), ("T1", 72, 76), ("T2", 24, 28)]
    assert sorted(quotes[1].coder.split(", ")) == ["乙", "甲"]
    # Naming the coders counts each coder's codings: 4.
    every = load_report_data(voiced.store, Selection(coders=("甲", "乙", "丙")))
    assert every.voice == "coders"
    assert _row(code_frequencies(every), "Q.READ").total.codings == 4


def test_the_consensus_speaks_where_it_was_recorded(voiced):
    store = voiced.store
    t1 = store.transcripts.by_name("T1")
    CodingSession(store, "consensus", source="test").apply(t1, "Q.TIME", 19, 42, "")
    data = load_report_data(store)
    # c1, c2, c3 overlap the consensus span and give way to it: one Q.TIME passage, the consensus.
    row = _row(code_frequencies(data), "Q.TIME")
    assert (row.total.codings, row.total.units) == (1, 1)
    assert data.consensus_passages == 1
    assert "consensus" in data.voice_note()
    (quote,) = coded_passages(data, "Q.TIME").quotes
    assert (quote.start, quote.end, quote.coder) == (19, 42, "consensus")
    # L by 丙 at [34,42) also overlaps the consensus region of the turn: the consensus decided that turn.
    assert _row(code_frequencies(data), "L").total.codings == 1  # only c11 in T2 remains
    coders = load_report_data(store, Selection(coders=("甲", "乙")))
    assert _row(code_frequencies(coders), "Q.TIME").total.codings == 3


def test_the_cli_says_which_voice_it_counted(voiced, run):
    result = run("freq", "--format", "json", "-p", voiced.root)
    assert result.exit_code == 0, result.stderr
    assert "one voice per passage" in result.stderr
    rows = {(r["code"], r["scope"]): r for r in json.loads(result.stdout)}
    assert rows[("Q.READ", "code")]["codings"] == 3
    result = run("freq", "--format", "json", "--coders", "甲,乙,丙", "-p", voiced.root)
    assert "each coder's own codings" in result.stderr
    rows = {(r["code"], r["scope"]): r for r in json.loads(result.stdout)}
    assert rows[("Q.READ", "code")]["codings"] == 4
    quoted = run("quotes", "Q.READ", "--format", "json", "-p", voiced.root)
    assert [r["coder"] for r in json.loads(quoted.stdout)][1] in ("乙, 甲", "甲, 乙")


def test_a_consensus_on_other_codes_still_decides_its_passage(voiced):
    store = voiced.store
    CodingSession(store, "consensus", source="test").apply(store.transcripts.by_name("T1"), "Q.TIME", 19, 42, "")
    only_l = load_report_data(store, Selection(codes=("L",)))
    # The team decided turn t1 (Q.TIME only), so 丙's L there gives way even when only L is counted.
    assert _row(code_frequencies(only_l), "L").total.codings == 1


def _same_analysis(derived, loaded, kinds=("turn", "sentence")):
    for name in ("coding_id", "coding_transcript", "coding_coder", "coding_code", "coding_start", "coding_end"):
        assert getattr(derived, name).tolist() == getattr(loaded, name).tolist(), name
    assert (derived.coding_voices, derived.consensus_passages, derived.codings_left_out, derived.voice) == (
        loaded.coding_voices, loaded.consensus_passages, loaded.codings_left_out, loaded.voice)
    for kind in kinds:
        a, b = derived.units(kind), loaded.units(kind)
        assert (a.marked_unit.tolist(), a.marked_coding.tolist()) == (b.marked_unit.tolist(), b.marked_coding.tolist())


@pytest.mark.parametrize("speakers", [None, ("all",)])
def test_one_voice_derived_from_every_coding_equals_one_voice_read(voiced, speakers):
    """The workbook reads the codings once and derives one voice per passage from them (with_one_voice):
    the same codings, voices and unit pairs as reading with voice "one", consensus and interviewers included."""
    store = voiced.store
    CodingSession(store, "consensus", source="test").apply(store.transcripts.by_name("T1"), "Q.TIME", 19, 42, "")
    selection = Selection(speakers=speakers)
    every = load_report_data(store, selection, voice="coders")
    every.units("sentence")  # a unit table built before the derivation is filtered, not rebuilt
    derived = with_one_voice(every)
    _same_analysis(derived, load_report_data(store, selection, voice="one"))
    assert derived.consensus_passages == 1
    # The source is left as it was: every coding of every coder.
    _same_analysis(every, load_report_data(store, selection, voice="coders"))


def test_one_voice_is_derived_only_from_every_coder(voiced):
    with pytest.raises(ValueError):
        with_one_voice(load_report_data(voiced.store))
    with pytest.raises(ValueError):
        with_one_voice(load_report_data(voiced.store, Selection(coders=("甲", "乙"))))
