"""A very large text segmented on several processes gives exactly the tokens of one process."""

from __future__ import annotations

import multiprocessing

import pytest

from qcode.text import segment_parallel
from qcode.text.segment import Lexicon, segmenter_for
from qcode.text.segment_parallel import segment_large
from qcode.text.sentences import split_sentences

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")

SENTENCES = ["我们这个号是二〇一六年开的，当时是上面要求每个部门都要有。", "说实话，阅读量一直上不去！",
             "嗯……WeChat 公众号 2.0 版本上线以后，留言多了；", "“一网通办”推了以后，系统对接还是没打通？",
             "ｅｘｃｅｌ表格里的数字，３５个人。"]


def test_one_huge_line_gives_the_same_tokens_on_several_processes(monkeypatch):
    text = "受访者A：" + "".join(SENTENCES[i % len(SENTENCES)] for i in range(600))  # one line, one turn
    spans = split_sentences(text, 5, len(text))
    segmenter = segmenter_for(Lexicon.combine([], []))
    alone = segmenter.segment(text, spans)
    monkeypatch.setattr(segment_parallel, "PARALLEL_MIN_CHARACTERS", 0)
    monkeypatch.setattr(segment_parallel.os, "cpu_count", lambda: 3)
    spread = segment_large(segmenter, text, spans)
    assert [(t.starts, t.ends, t.words) for t in spread] == [(t.starts, t.ends, t.words) for t in alone]
    assert len(spread) == len(spans) > 100
    assert sum(len(t) for t in spread) > 1000


def test_groups_are_contiguous_and_cover_every_span():
    spans = [(i * 10, i * 10 + 7) for i in range(1000)]
    groups = segment_parallel._groups(spans, 8)
    assert [span for group in groups for span in group] == spans
    assert 6 <= len(groups) <= 9 and all(groups)
