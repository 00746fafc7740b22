"""Search without loading jieba's dictionary: the query cut from the cached dictionary entries
(`qcode.text.query_cut`) is jieba's own cut, and the hits past a limit are counted exactly."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.project.wordtools import prepare_segmenter, project_lexicon, search
from qcode.project.wordtools.search import search_counted
from qcode.resources import bundled_dir
from qcode.text.query_cut import query_words, save_query_dictionary
from qcode.text.readers import read_transcript
from qcode.text.segment import Lexicon, UserWord, dictionary_folder, segmenter_for
from tests.conftest import REPO_ROOT
from tests.words_support import build_word_project

# Project words of every kind: a new word, one jieba knows with another frequency, one with a tag, and
# words that overlap each other and ordinary text (so that add_word's order and prefixes matter).
LEXICON = Lexicon((
    UserWord("留言回复", None, "nz", "test"), UserWord("公众号", None, "nz", "test"),
    UserWord("政务新媒体", 5, "nz", "test"), UserWord("新媒体运营", None, "vn", "test"),
    UserWord("压力", 3, "n", "test"), UserWord("12345热线", None, "nz", "test"),
    UserWord("一网通办", None, "nz", "test"),
))

QUERIES = [
    "压力", "的", "公众号运营", "留言回复要及时", "政务新媒体运营的压力", "12345热线", "一网通办推了以后",
    "我们这个号是二〇一六年开的", "老年人不会用", "研究生命起源", "南京市长江大桥", "火星殖民计划",
    "official account", "WeChat公众号", "ＡＢＣ公众号", "嗯……这个问题", "受访者A：是的", "3.5倍", "𠮷野家",
    "结婚的和尚未结婚的", "他说的确实在理", "工信处女干事每月经过下属科室",
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    folder = tmp_path_factory.mktemp("query-cache")
    save_query_dictionary(segmenter_for(LEXICON), folder)
    return folder


def _demo_sentences() -> list[str]:
    text = "".join(read_transcript(p).text for p in sorted(bundled_dir("transcripts").iterdir()))
    pieces = [p for p in text.replace("？", "。").replace("！", "。").replace("\n", "。").split("。") if p.strip()]
    return pieces[::7]


def test_the_query_cut_is_jiebas_cut_for_sample_queries(cache):
    full = segmenter_for(LEXICON)
    rng = random.Random(11)
    sentences = _demo_sentences()
    # Whole sentences of the demo interviews, pieces of them, and the queries above.
    pieces = [s[a:a + rng.randint(1, 12)] for s in sentences for a in (rng.randrange(max(1, len(s))),)]
    queries = QUERIES + sentences + pieces
    assert len(queries) > 200
    for query in queries:
        assert query_words(LEXICON, query, cache) == full.words(query), query


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年压力公众号留言回复新媒体运营研究生命"
                        "乒乓球拍卖完了咯嘻囧冇氹ab1 ，。", min_size=1, max_size=24))
def test_the_query_cut_is_jiebas_cut_for_any_string_of_these_characters(cache, query):
    assert query_words(LEXICON, query, cache) == segmenter_for(LEXICON).words(query)


def test_without_the_cached_dictionary_the_caller_falls_back_to_jieba(tmp_path):
    assert query_words(LEXICON, "压力", tmp_path) is None
    assert query_words(LEXICON, "official account", tmp_path) == ["official", "account"]  # no jieba needed
    save_query_dictionary(segmenter_for(LEXICON), tmp_path)
    assert query_words(LEXICON, "压力", tmp_path) == ["压力"]
    other = Lexicon((UserWord("压力山大", None, "nz", "test"),))
    assert query_words(other, "压力山大", tmp_path) is None  # another lexicon: its changes are not written yet


def test_search_gives_the_same_hits_with_the_cached_cut_as_with_jieba(tmp_path):
    project = build_word_project(tmp_path / "p")
    try:
        store = project.store
        full = prepare_segmenter(store)  # also writes the cache the next searches read
        lexicon = project_lexicon(store)
        for query in ("压力", "公众号", "留言回复要及时", "我觉得公众号很好", "权威性", "技术", "official account",
                      "问题", "我们要辟谣", "火星殖民"):
            assert query_words(lexicon, query) == full.words(query), query
            assert search(store, query) == search(store, query, segmenter=full), query
    finally:
        project.close()


def test_a_warm_search_loads_neither_jiebas_dictionary_nor_the_word_counting_modules(tmp_path):
    project = build_word_project(tmp_path / "p")
    search(project.store, "压力")  # indexes, and writes the cached dictionary
    project.close()
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from qcode.project.project import Project
        from qcode.project.wordtools import search
        from qcode.text import segment
        with Project.open(Path({str(tmp_path / "p")!r})) as project:
            hits = search(project.store, "公众号")
        print(len(hits), segment.jieba_is_ready(), "qcode.project.wordtools.counts" in sys.modules,
              "scipy" in sys.modules)
    """)
    # This process set jieba up (and wrote the cache) in the cache folder of the test that came first.
    environment = {**os.environ, "XDG_CACHE_HOME": str(dictionary_folder().parent)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT,
                          check=True, env=environment)
    assert done.stdout.split() == ["3", "False", "False", "False"], done.stderr


@pytest.mark.parametrize("filters", [{}, {"speakers": ["受访者A"]}, {"transcripts": ["访谈02"]},
                                     {"speakers": ["访谈者", "受访者B"], "transcripts": ["访谈01", "访谈02"]}])
def test_the_hits_past_a_limit_are_counted_exactly(tmp_path, filters):
    project = build_word_project(tmp_path / "p")
    try:
        store = project.store
        for query in ("公众号", "我", "问题", "official account", "official", "压力很大"):
            every = search(store, query, **filters)
            counted = search_counted(store, query, limit=1, **filters)
            assert counted.hits == every[:1], query
            assert counted.total == len(every), query
            assert counted.transcripts == len({h.transcript for h in every}), query
    finally:
        project.close()


def test_a_terminal_table_shows_the_first_hits_and_counts_the_rest(tmp_path, run, monkeypatch):
    from qcode.cli import words_cmds

    project = build_word_project(tmp_path / "p")
    project.close()
    monkeypatch.setattr(words_cmds, "TABLE_HITS", 2)
    result = run("search", "公众号", "-p", tmp_path / "p")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2 + 2  # header, rule, two hits
    assert "3 hits in 2 transcripts" in result.stderr and "The first 2 are shown" in result.stderr
    every = run("search", "公众号", "--format", "csv", "-p", tmp_path / "p")
    assert len(every.stdout.splitlines()) == 1 + 3  # csv and json still give every hit


def test_a_damaged_or_unwritable_cache_falls_back_to_jieba(tmp_path):
    from qcode.text.query_cut import base_file

    save_query_dictionary(segmenter_for(LEXICON), tmp_path)
    base = base_file(tmp_path)
    data = bytearray(base.read_bytes())
    data[len(data) // 2:] = b"\x00" * (len(data) - len(data) // 2)  # the second half of the file lost
    base.write_bytes(bytes(data))
    assert query_words(LEXICON, "压力很大", tmp_path) in (None, segmenter_for(LEXICON).words("压力很大"))
    base.write_bytes(b"not a database")
    assert query_words(LEXICON, "压力很大", tmp_path) is None
    blocked = tmp_path / "a file where the folder should be"
    blocked.write_text("")
    save_query_dictionary(segmenter_for(LEXICON), blocked / "cache")  # cannot write: nothing raised
    assert query_words(LEXICON, "压力很大", blocked / "cache") is None
