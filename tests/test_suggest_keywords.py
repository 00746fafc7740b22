"""Keyword suggestions: strong and weak matches, `qcode suggest` as coder auto:keywords, and --evaluate.

The hand count (sentences of `tests/words_support.py`; alice rated 访谈01 and 访谈02, not E01):

    sentence                                  suggested (keyword, strength)        alice coded
    访谈01 s1 嗯，压力很大。                   -                                    E.POLICY
    访谈01 s2 就是说，留言回复要及时！          S.INTERACTION (留言回复, strong)      S.INTERACTION
    访谈01 s4 那个，权威性很重要，我们要辟谣。   S.CREDIBILITY (辟谣 strong; 权威 weak) S.CREDIBILITY
    访谈01 s5 公众号的技术人员不够，问题很多。   T.SKILL (技术, weak)                  T.SKILL
    访谈02 s0 公众号怎么样？                    -                                    S.INTERACTION
    访谈02 s1 我觉得公众号很好，互动也多。       S.INTERACTION (互动, strong)          -
    访谈02 s2 我认为问题是技术。                T.SKILL (技术, strong)                T.SKILL
    E01 s0-s2 ... official account ...        T.SKILL (official account, strong)   (not rated)

    S.INTERACTION: suggested 2, coded 2, agreed 1 -> precision 1/2, recall 1/2, F1 1/2
    S.CREDIBILITY: 1, 1, 1 -> 1, 1, 1;   T.SKILL: 2, 2, 2 -> 1, 1, 1
    E.POLICY: 0, 1, 0 -> precision undefined, recall 0, F1 0;   all codes: 5, 6, 4 -> 4/5, 4/6, 8/11
"""

from __future__ import annotations

import json

import pytest

from qcode.codebook import parse_codebook_text
from qcode.errors import InputError
from qcode.project.codebook_loading import install_codebook
from qcode.project.coding import CodingSession
from qcode.project.wordtools import (
    AUTO_CODER,
    evaluate_suggestions,
    suggestions_for,
    write_suggestions,
)
from qcode.text.suggest import KeywordMatcher, KeywordRule, Strength, best_per_code, keyword_score
from tests.words_support import CODEBOOK, apply_fixture_codings, build_word_project, dump


@pytest.fixture
def proj(tmp_path):
    project = build_word_project(tmp_path / "p")
    yield project
    project.close()


def sentence(store, name: str, index: int) -> tuple[int, int]:
    info = store.transcripts.by_name(name)
    unit = store.transcripts.units(info.id, "sentence")[index]
    return unit.start, unit.end


# -- matching -------------------------------------------------------------------------------------------


def _matches(rules, text, words, strong_only=False):
    starts, ends, position = [], [], 0
    for word in words:
        start = text.index(word, position)
        starts.append(start)
        ends.append(start + len(word))
        position = start + len(word)
    found = KeywordMatcher(rules).matches(text, words, starts, ends, strong_only=strong_only)
    return [(m.rule.keyword, str(m.strength), text[m.start:m.end]) for m in found]


def test_whole_tokens_are_strong_and_word_beginnings_or_ends_are_weak():
    rules = [KeywordRule(code, keyword, (keyword,))
             for code, keyword in (("A", "权威"), ("B", "技术"), ("C", "人员"), ("D", "作"), ("E", "统"))]
    text = "权威性和技术人员，操作系统，权威"
    words = ["权威性", "和", "技术人员", "操作系统", "权威"]
    assert _matches(rules, text, words) == [("权威", "weak", "权威性"), ("技术", "weak", "技术人员"),
                                            ("人员", "weak", "技术人员"), ("权威", "strong", "权威")]
    assert _matches(rules, text, words, strong_only=True) == [("权威", "strong", "权威")]  # 1-char never weak


def test_phrase_keywords_match_adjacent_words_only():
    rules = [KeywordRule("T", "official account", ("official", "account"))]
    text = "the official account, official. account"
    words = ["the", "official", "account", "official", "account"]
    assert _matches(rules, text, words) == [("official account", "strong", "official account")]


def test_one_suggestion_per_code_the_strongest_then_the_first():
    rule_a, rule_b = KeywordRule("C", "权威", ("权威",)), KeywordRule("C", "辟谣", ("辟谣",))
    from qcode.text.suggest import KeywordMatch

    matches = [KeywordMatch(rule_a, Strength.WEAK, 3, 6), KeywordMatch(rule_b, Strength.STRONG, 12, 14),
               KeywordMatch(rule_b, Strength.STRONG, 20, 22)]
    [only] = best_per_code(0, 30, matches)
    assert (only.start, only.end, only.code, only.keyword, only.strength, only.match_start) == (
        0, 30, "C", "辟谣", Strength.STRONG, 12)


def test_suggestions_for_one_transcript_in_text_order(proj):
    store = proj.store
    info = store.transcripts.by_name("访谈01")
    text = store.transcripts.text(info.id)
    found = suggestions_for(store, info.id)
    assert [((s.start, s.end), s.code, s.keyword, s.strength, text[s.match_start:s.match_end]) for s in found] == [
        (sentence(store, "访谈01", 2), "S.INTERACTION", "留言回复", Strength.STRONG, "留言回复"),
        (sentence(store, "访谈01", 4), "S.CREDIBILITY", "辟谣", Strength.STRONG, "辟谣"),
        (sentence(store, "访谈01", 5), "T.SKILL", "技术", Strength.WEAK, "技术人员"),
    ]
    apply_fixture_codings(proj)
    assert suggestions_for(store, info.id, coder="alice") == []  # she has coded all three already
    assert len(suggestions_for(store, info.id, coder="bob")) == 3


def test_suggestions_per_turn_span_the_turn(proj):
    store = proj.store
    info = store.transcripts.by_name("访谈01")
    turns = store.transcripts.units(info.id, "turn")
    found = suggestions_for(store, info.id, unit="turn")
    assert [((s.start, s.end), s.code) for s in found] == [
        ((turns[1].start, turns[1].end), "S.INTERACTION"),
        ((turns[3].start, turns[3].end), "S.CREDIBILITY"),
        ((turns[3].start, turns[3].end), "T.SKILL"),
    ]
    with pytest.raises(InputError, match="unknown unit"):
        suggestions_for(store, info.id, unit="paragraph")


def test_english_phrase_keywords_are_suggested(proj):
    info = proj.store.transcripts.by_name("E01")
    assert [(s.code, s.keyword, s.strength) for s in suggestions_for(proj.store, info.id)] == [
        ("T.SKILL", "official account", Strength.STRONG)] * 3


def test_a_substring_codebook_also_matches_inside_words_as_weak(proj):
    install_codebook(proj, parse_codebook_text("keyword_match: substring\n" + CODEBOOK.replace("[政策文件]", "[术人]")),
                     source="substring")
    info = proj.store.transcripts.by_name("访谈01")
    found = {(s.code, s.keyword, s.strength) for s in suggestions_for(proj.store, info.id)}
    assert ("E.POLICY", "术人", Strength.WEAK) in found
    install_codebook(proj, parse_codebook_text(CODEBOOK.replace("[政策文件]", "[术人]")), source="token")
    assert "E.POLICY" not in {s.code for s in suggestions_for(proj.store, info.id)}


# -- qcode suggest ----------------------------------------------------------------------------------------


def test_suggest_stores_codings_of_auto_keywords_in_one_journalled_step(proj, run):
    store = proj.store
    result = run("suggest", "-p", proj.root)
    assert result.exit_code == 0, result.stderr
    assert "Stored 8 suggestions" in result.stderr
    auto = [c for c in store.codings.all() if c.coder == AUTO_CODER]
    assert sorted((c.transcript, c.code, c.memo) for c in auto) == sorted([
        ("访谈01", "S.INTERACTION", "strong: 留言回复"), ("访谈01", "S.CREDIBILITY", "strong: 辟谣"),
        ("访谈01", "T.SKILL", "weak: 技术"), ("访谈02", "S.INTERACTION", "strong: 互动"),
        ("访谈02", "T.SKILL", "strong: 技术"),
    ] + [("E01", "T.SKILL", "strong: official account")] * 3)
    for coding in auto:  # each spans its whole sentence
        info = store.transcripts.by_name(coding.transcript)
        spans = {(u.start, u.end) for u in store.transcripts.units(info.id, "sentence")}
        assert (coding.start, coding.end) in spans
    assert {r.transcript for r in store.review.all() if r.coder == AUTO_CODER and r.status == "complete"} == {
        "访谈01", "访谈02", "E01"}
    entries = store.journal.by_actor(AUTO_CODER)
    assert len({e.batch for e in entries}) == 1 and {e.source for e in entries} == {"suggest"}
    assert len(entries) == 8 + 3
    lines = result.stdout.splitlines()
    assert any(line.split()[:5] == ["T.SKILL", "技术能力", "4", "1", "5"] for line in lines)


def test_suggest_again_changes_nothing_and_a_new_codebook_replaces_the_suggestions(proj, run):
    store = proj.store
    write_suggestions(store)
    journal = store.journal.count()
    again = run("suggest", "-p", proj.root)
    assert again.exit_code == 0 and "nothing changed" in again.stderr
    assert store.journal.count() == journal
    fewer = CODEBOOK.replace("keywords: [技术, official account]", "keywords: [技术]")
    install_codebook(proj, parse_codebook_text(fewer), source="v2")
    report = write_suggestions(store)
    assert (report.codings, report.removed, report.unchanged) == (5, 8, False)
    assert CodingSession(store, AUTO_CODER, source="cli").undo() is not None  # one undoable step
    assert len([c for c in store.codings.all() if c.coder == AUTO_CODER]) == 8


def test_strong_only_leaves_weak_matches_out(proj):
    report = write_suggestions(proj.store, strong_only=True)
    assert report.by_code == {"S.INTERACTION": (2, 0), "S.CREDIBILITY": (1, 0), "T.SKILL": (4, 0)}


def test_agreement_can_compare_the_keywords_with_a_coder(proj, run):
    apply_fixture_codings(proj)
    write_suggestions(proj.store)
    result = run("agree", "--coders", f"{AUTO_CODER},alice", "--unit", "sentence", "--format", "json",
                 "-p", proj.root)
    assert result.exit_code == 0, result.stderr


def test_a_codebook_without_keywords_is_refused(proj):
    install_codebook(proj, parse_codebook_text("codes: [{id: A, name: A}]\n"), source="bare")
    with pytest.raises(InputError, match="no keywords"):
        write_suggestions(proj.store)


# -- evaluation -----------------------------------------------------------------------------------------------


def test_precision_and_recall_match_the_hand_count(proj):
    apply_fixture_codings(proj)
    result = evaluate_suggestions(proj.store, "alice")
    assert result.transcripts == ["访谈01", "访谈02"]
    table = {s.code: (s.suggested, s.coded, s.agreed, s.precision, s.recall, s.f1) for s in result.by_code}
    assert table == {
        "S.INTERACTION": (2, 2, 1, 0.5, 0.5, 0.5),
        "S.CREDIBILITY": (1, 1, 1, 1.0, 1.0, 1.0),
        "T.SKILL": (2, 2, 2, 1.0, 1.0, 1.0),
        "E.POLICY": (0, 1, 0, None, 0.0, 0.0),
        None: (5, 6, 4, 0.8, pytest.approx(4 / 6), pytest.approx(8 / 11)),
    }
    assert [s.note for s in result.by_code if s.note] == ["precision undefined: nothing was suggested"]
    keywords = {s.keyword: (s.suggested, s.coded, s.agreed, s.precision, s.recall) for s in result.by_keyword}
    assert keywords == {
        "留言回复": (1, 2, 1, 1.0, 0.5), "互动": (1, 2, 0, 0.0, 0.0), "权威": (1, 1, 1, 1.0, 1.0),
        "辟谣": (1, 1, 1, 1.0, 1.0), "技术": (2, 2, 2, 1.0, 1.0), "official account": (0, 2, 0, None, 0.0),
        "政策文件": (0, 1, 0, None, 0.0),
    }


def test_strong_only_evaluation(proj):
    apply_fixture_codings(proj)
    result = evaluate_suggestions(proj.store, "alice", strong_only=True)
    table = {s.code: (s.suggested, s.coded, s.agreed, s.precision, s.recall) for s in result.by_code}
    assert table["T.SKILL"] == (1, 2, 1, 1.0, 0.5)
    assert table[None] == (4, 6, 3, 0.75, 0.5)


def test_only_transcripts_the_coder_rated_count(proj):
    apply_fixture_codings(proj)
    store = proj.store
    CodingSession(store, "alice", source="test").set_complete(store.transcripts.by_name("访谈02"), False)
    only_first = evaluate_suggestions(store, "alice")
    assert only_first.transcripts == ["访谈01"]
    assert {s.code: (s.suggested, s.coded) for s in only_first.by_code}["S.INTERACTION"] == (1, 1)
    assert evaluate_suggestions(store, "alice", include_incomplete=True).transcripts == ["访谈01", "访谈02"]


def test_undefined_ratios_are_none_never_nan():
    empty = keyword_score("X", None, 0, 0, 0)
    assert (empty.precision, empty.recall, empty.f1) == (None, None, None)
    assert "nothing was suggested" in empty.note and "never coded" in empty.note


def test_evaluate_writes_nothing_and_prints_json(proj, run):
    apply_fixture_codings(proj)
    run("words", "-p", proj.root)  # build the index first, so that the dump compares coding data only
    before = dump(proj.db_path)
    result = run("suggest", "--evaluate", "alice", "--by-keyword", "--format", "json", "-p", proj.root)
    assert result.exit_code == 0, result.stderr
    assert dump(proj.db_path) == before
    data = json.loads(result.stdout)
    assert data["transcripts"] == ["访谈01", "访谈02"]
    assert data["codes"][-1] == {"code": None, "keyword": None, "suggested": 5, "coded": 6, "agreed": 4,
                                 "precision": 0.8, "recall": 4 / 6, "f1": 8 / 11, "note": ""}
    assert len(data["keywords"]) == 7
    table = run("suggest", "--evaluate", "alice", "-p", proj.root)
    assert "E.POLICY" in table.stdout and "—" in table.stdout and "(all codes)" in table.stdout


@pytest.mark.parametrize("args,message", [
    (["--evaluate", "carol"], "no coder named 'carol'"),
    (["--evaluate", AUTO_CODER], "machine coder"),
    (["--evaluate", "bob"], "has not marked any transcript complete"),
    (["--by-keyword"], "go with --evaluate"),
])
def test_bad_evaluation_requests(proj, run, args, message):
    apply_fixture_codings(proj)
    before = dump(proj.db_path)
    result = run("suggest", *args, "-p", proj.root)
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert dump(proj.db_path) == before
