"""`qcode search`: keyword in context over the segmented index, tokens and phrases, substrings, alignment."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from qcode.domain.models import UnitKind
from qcode.errors import InputError
from qcode.project.wordtools import search
from qcode.text.kwic import fit_left, fit_right, fold_for_search, one_line, substring_spans
from tests.words_support import build_word_project, dump


@pytest.fixture
def proj(tmp_path):
    project = build_word_project(tmp_path / "p")
    yield project
    project.close()


def where(hits) -> list[tuple[str, str, int]]:
    return [(h.transcript, h.match, h.sentence_index) for h in hits]


def test_each_hit_has_exact_offsets_context_speaker_and_sentence(proj):
    store = proj.store
    [first, second] = search(store, "压力", context=4)
    text = store.transcripts.text(first.transcript_id)
    for hit in (first, second):
        assert text[hit.start:hit.end] == hit.match == "压力"
        assert hit.left == text[max(0, hit.start - 4):hit.start] and hit.right == text[hit.end:hit.end + 4]
        assert hit.speaker in ("访谈者", "受访者A")
    sentences = store.transcripts.units(first.transcript_id, UnitKind.SENTENCE)
    assert (first.sentence_start, first.sentence_end) == (sentences[0].start, sentences[0].end)
    assert text[second.sentence_start:second.sentence_end] == "嗯，压力很大。"
    assert (first.speaker, second.speaker, second.left) == ("访谈者", "受访者A", "受访者A：嗯，"[-4:])


def test_phrases_are_adjacent_words_never_across_punctuation(proj):
    store = proj.store
    assert where(search(store, "留言回复要及时")) == [("访谈01", "留言回复要及时", 2)]
    assert search(store, "重要我们") == []  # the text says 重要，我们
    assert where(search(store, "重要")) == [("访谈01", "重要", 4)]


def test_english_words_and_phrases_ignore_case(proj):
    hits = search(proj.store, "Official Account")
    assert [h.match for h in hits] == ["official account", "official account", "Official Account"]
    assert [h.sentence_index for h in search(proj.store, "REPLIES")] == [2]


def test_tokens_by_default_substrings_on_request(proj):
    store = proj.store
    assert search(store, "公众") == []  # 公众号 is one word (the project dictionary says so)
    found = search(store, "公众", substring=True)
    assert [(h.transcript, h.match, h.right[:1]) for h in found] == [("访谈01", "公众", "号"), ("访谈02", "公众", "号"),
                                                                   ("访谈02", "公众", "号")]
    assert search(store, "访谈者", substring=True) == []  # speaker labels are not searched
    full_width = search(store, "ＯＦＦＩＣＩＡＬ ａｃｃｏｕｎｔ", substring=True)
    assert [h.match for h in full_width] == ["official account", "official account", "Official Account"]


def test_filters_and_limit(proj):
    store = proj.store
    assert where(search(store, "公众号", transcripts=["访谈02"])) == [("访谈02", "公众号", 0), ("访谈02", "公众号", 1)]
    assert where(search(store, "公众号", speakers=["访谈者"])) == [("访谈02", "公众号", 0)]
    assert len(search(store, "公众号", limit=2)) == 2
    assert where(search(store, "公众号", substring=True, speakers=["受访者A"])) == [("访谈01", "公众号", 5)]


@pytest.mark.parametrize("query,message", [("   ", "empty"), ("，。！", "no words to search for")])
def test_queries_without_words_are_refused(proj, query, message):
    with pytest.raises(InputError, match=message):
        search(proj.store, query)


def test_json_hits_point_into_the_stored_text(proj, run):
    result = run("search", "公众号", "--format", "json", "-p", proj.root)
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 3 and "3 hits in 2 transcripts" in result.stderr
    for hit in hits:
        assert {"transcript", "start", "end", "left", "match", "right", "speaker", "sentence_start",
                "sentence_end"} <= set(hit)
        info = proj.store.transcripts.by_name(hit["transcript"])
        text = proj.store.transcripts.text(info.id)
        assert text[hit["start"]:hit["end"]] == hit["match"]
        assert text[hit["start"] - len(hit["left"]):hit["start"]] == hit["left"]
        assert text[hit["end"]:hit["end"] + len(hit["right"])] == hit["right"]


def test_the_table_aligns_every_match_in_one_column(proj, run):
    for query in ("公众号", "official account"):
        result = run("search", query, "--context", "8", "-p", proj.root)
        assert result.exit_code == 0
        header, _, *rows = result.stdout.splitlines()
        column = header.index("match")  # the header is ASCII: characters are cells
        assert len(rows) == 3
        for row in rows:
            starts = [m.start() for m in re.finditer(query, row, flags=re.IGNORECASE)]
            assert any(cell_len(row[:start]) == column for start in starts), row


def test_bad_input_exits_with_a_message_and_changes_nothing(proj, run):
    before = dump(proj.db_path)
    for args, message in ((["search", ""], "empty"), (["search", "x", "--transcript", "nope"], "no transcript"),
                          (["search", "x", "--speaker", "nobody"], "no speaker")):
        result = run(*args, "-p", proj.root)
        assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert dump(proj.db_path) == before


# -- the pure helpers -------------------------------------------------------------------------------------


def test_fit_left_pads_to_exact_cells_and_never_halves_a_wide_character():
    assert fit_left("受访者A：压力", 8) == " A：压力"  # 7 cells fit; 者 would make 9
    assert fit_left("abc", 5) == "  abc"
    assert fit_left("压力", 3) == " 力"
    assert fit_right("压力很大", 5) == "压力"
    assert fit_right("ab压", 3) == "ab"


def test_one_line_keeps_the_length():
    assert one_line("上一行\n下一行\t。") == "上一行 下一行 。"


def test_search_folding_keeps_offsets():
    text = "İstanbul ＷｅＣｈａｔ"
    assert len(fold_for_search(text)) == len(text)
    assert fold_for_search(text).endswith("wechat")


def test_substrings_inside_sentences_only_and_not_overlapping():
    haystack = "aaaa|aa"
    assert substring_spans(haystack, "aa", [(0, 4), (5, 7)]) == [(0, 2, 0), (2, 4, 0), (5, 7, 1)]
    assert substring_spans("xxab", "ab", [(0, 3)]) == []  # runs past the end of the sentence
