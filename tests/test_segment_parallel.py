"""Transcripts segmented on several processes give exactly the index rows of one process."""

from __future__ import annotations

import multiprocessing

import pytest

from qcode.storage.text_index import pack_offsets
from qcode.text import segment_parallel
from qcode.text.segment import Lexicon, segmenter_for
from qcode.text.segment_parallel import Job, segment_jobs
from qcode.text.sentences import split_sentences

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")

SENTENCES = ["我们这个号是二〇一六年开的，当时是上面要求每个部门都要有。", "说实话，阅读量一直上不去！",
             "嗯……WeChat 公众号 2.0 版本上线以后，留言多了；", "“一网通办”推了以后，系统对接还是没打通？",
             "ｅｘｃｅｌ表格里的数字，３５个人。", "……"]


def _jobs() -> list[Job]:
    jobs = []
    for size in (600, 3, 0, 250):
        text = "受访者A：" + "".join(SENTENCES[i % len(SENTENCES)] for i in range(size))  # one line, one turn
        jobs.append(Job(text, [(i, start, end) for i, (start, end) in enumerate(split_sentences(text, 5, len(text)))]))
    return jobs


def test_transcripts_give_the_same_rows_on_several_processes_as_in_one(monkeypatch):
    jobs = _jobs()
    segmenter = segmenter_for(Lexicon.combine([], []))
    monkeypatch.setattr(segment_parallel, "_TASK_CHARACTERS", 1_000)  # many tasks, split inside transcripts
    alone = list(segment_jobs(segmenter, jobs))
    monkeypatch.setattr(segment_parallel, "PARALLEL_MIN_CHARACTERS", 0)
    monkeypatch.setattr(segment_parallel.os, "cpu_count", lambda: 3)
    monkeypatch.setattr(segment_parallel, "_can_fork", lambda: True)
    spread = list(segment_jobs(segmenter, jobs))
    assert spread == alone
    assert [len(rows) for rows, _ in alone][2] == 0 and len(alone) == len(jobs)
    # and the rows are those of segmenting each transcript in one piece
    for job, (rows, tokens) in zip(jobs, alone):
        pieces = segmenter.segment(job.text, [(start, end) for _, start, end in job.sentences])
        expected = [(idx, start, end, pack_offsets(p.starts, p.ends), " ".join(p.words))
                    for (idx, start, end), p in zip(job.sentences, pieces) if p.words]
        assert rows == expected and tokens == sum(map(len, pieces))
    assert sum(tokens for _, tokens in alone) > 1000


def test_groups_are_contiguous_and_cover_every_sentence():
    sentences = [(i, i * 10, i * 10 + 7) for i in range(1000)]
    groups = segment_parallel._groups(sentences, 700)
    assert [s for group in groups for s in group] == sentences
    assert 9 <= len(groups) <= 11 and all(groups)
    assert segment_parallel._groups([]) == [[]]
