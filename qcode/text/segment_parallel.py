"""Segmenting a very large text on every core: jieba is pure Python and takes about two seconds per
million characters, so a 50 MB transcript would keep one core busy for most of a minute.

The sentences are dealt out in contiguous groups to forked worker processes, which inherit the loaded
dictionary and the text instead of receiving them; only the groups' spans go out and their tokens come
back. `Segmenter.segment` gives the same tokens however the spans are grouped, so the result is exactly
that of one process. Forking is done only from the main thread of a process that can fork (not from the
coding screen's worker threads, nor on Windows or macOS's default); everywhere else one process does it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from qcode.text.decode import fold_width
from qcode.text.segment import Segmenter, Tokens

#: Below this many characters one process is quicker than starting others.
PARALLEL_MIN_CHARACTERS = 2_000_000
_GROUPS_PER_WORKER = 4

# What a forked worker inherits: the segmenter and the folded text of the job under way.
_job: tuple[Segmenter, str] | None = None


def segment_large(segmenter: Segmenter, text: str, spans: Sequence[tuple[int, int]]) -> list[Tokens]:
    """`segmenter.segment(text, spans)`, spread over the machine's cores when the text is very large."""
    workers = min(os.cpu_count() or 1, 8)
    if len(text) < PARALLEL_MIN_CHARACTERS or workers < 2 or len(spans) < 2 or not _can_fork():
        return segmenter.segment(text, spans)
    global _job
    folded = fold_width(text)
    groups = _groups(spans, workers * _GROUPS_PER_WORKER)
    _job = (segmenter, folded)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_segment_group, groups))
    finally:
        _job = None
    return [Tokens(starts, ends, words) for part in parts for starts, ends, words in part]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.current_thread() is threading.main_thread()


def _groups(spans: Sequence[tuple[int, int]], count: int) -> list[list[tuple[int, int]]]:
    """`spans` cut into about `count` contiguous groups of about equal characters."""
    total = sum(end - start for start, end in spans) or 1
    share = total / count
    groups: list[list[tuple[int, int]]] = [[]]
    filled = 0
    for span in spans:
        if filled >= share and groups[-1]:
            groups.append([])
            filled = 0
        groups[-1].append(span)
        filled += span[1] - span[0]
    return groups


def _segment_group(spans: list[tuple[int, int]]) -> list[tuple[list[int], list[int], list[str]]]:
    assert _job is not None, "only called in a worker forked by segment_large"
    segmenter, folded = _job
    return [(t.starts, t.ends, t.words) for t in segmenter.segment_folded(folded, spans)]
