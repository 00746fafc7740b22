"""Segmenting transcripts for the word index, on every core when there is much text.

jieba's algorithm is pure Python and takes more than a second per million characters on one core
(`qcode.text.precise_cut`; jieba's own `lcut` about twice that), so a 50 MB transcript, or a few hundred
interviews, would keep one core busy for a long time. The sentences are dealt out in contiguous groups
of about `_TASK_CHARACTERS` (short transcripts bundled together, one worker call per bundle) to forked
worker processes, which inherit the loaded dictionary and the folded texts instead of receiving them;
only the groups' spans go out, and the
rows to store come back (offsets already packed, words already joined), which the calling process
writes while the workers go on. `Segmenter.segment_folded` gives the same tokens however the spans are
grouped, so the rows are exactly those of one process. Forking is done only from the main thread of a
process that can fork (not from the coding screen's worker threads, nor on Windows or macOS's default),
and only for enough text to pay for it; everywhere else the same groups are segmented in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import TypeVar

from qcode.storage.text_index import IndexRow, pack_offset_arrays
from qcode.text.decode import fold_width
from qcode.text.segment import Segmenter

_Item = TypeVar("_Item")

#: Below this many characters in all, one process is quicker than starting others.
PARALLEL_MIN_CHARACTERS = 400_000
#: About this many characters of sentences go to a worker at a time.
_TASK_CHARACTERS = 100_000
_MAX_WORKERS = 8

#: A group of one job's sentences: (job number, [(sentence idx, start, end), ...]).
Task = tuple[int, list[tuple[int, int, int]]]

# What a forked worker inherits: the segmenter and the folded texts of the jobs under way.
_work: tuple[Segmenter, list[str]] | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """One transcript to segment: its text and its sentences as (sentence idx, start, end)."""

    text: str
    sentences: Sequence[tuple[int, int, int]]


@dataclass(frozen=True, slots=True)
class Part:
    """The index rows of one group of a job's sentences (those with words), in the order of the text."""

    job: int  # its number in the list of jobs
    rows: list[IndexRow]
    tokens: int
    first: bool  # the job's first part
    last: bool  # the job's last part (a short job is one part, both first and last)


def segment_jobs(segmenter: Segmenter, jobs: Sequence[Job]) -> Iterator[tuple[list[IndexRow], int]]:
    """Per job, in order: the index rows of its sentences that have words, and their number of tokens."""
    rows: list[IndexRow] = []
    tokens = 0
    for part in segment_parts(segmenter, jobs):
        rows += part.rows
        tokens += part.tokens
        if part.last:
            yield rows, tokens
            rows, tokens = [], 0


def segment_parts(segmenter: Segmenter, jobs: Sequence[Job]) -> Iterator[Part]:
    """Every job's parts, in order, each as soon as it is done (so the caller can store it meanwhile)."""
    global _work
    tasks = [(number, group) for number, job in enumerate(jobs) for group in _groups(job.sentences)]
    bundles = _bundles(tasks)
    workers = min(os.cpu_count() or 1, _MAX_WORKERS)
    parallel = (workers > 1 and len(bundles) > 1 and _can_fork()
                and sum(len(job.text) for job in jobs) >= PARALLEL_MIN_CHARACTERS)
    _work = (segmenter, [fold_width(job.text) for job in jobs])
    try:
        if parallel:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                yield from _parts(chain.from_iterable(pool.map(_segment_bundle, bundles)), tasks)
        else:
            yield from _parts(map(_segment_task, tasks), tasks)
    finally:
        _work = None


def _bundles(tasks: list[Task]) -> list[list[Task]]:
    """Consecutive tasks gathered into bundles of about `_TASK_CHARACTERS`: one worker call each, so that
    hundreds of short transcripts do not cost hundreds of round trips between processes."""
    return _filled(tasks, lambda task: sum(end - start for _, start, end in task[1]), _TASK_CHARACTERS)


def _parts(results: Iterator[tuple[list[IndexRow], int]], tasks: list[Task]) -> Iterator[Part]:
    numbers = [number for number, _ in tasks]
    for i, (rows, tokens) in enumerate(results):
        number = numbers[i]
        yield Part(number, rows, tokens, i == 0 or numbers[i - 1] != number,
                   i + 1 == len(numbers) or numbers[i + 1] != number)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.current_thread() is threading.main_thread()


def _groups(sentences: Sequence[tuple[int, int, int]], size: int | None = None) -> list[list[tuple[int, int, int]]]:
    """`sentences` cut into contiguous groups of about `size` (`_TASK_CHARACTERS`) characters (at least one)."""
    return _filled(sentences, lambda sentence: sentence[2] - sentence[1], size or _TASK_CHARACTERS)


def _filled(items: Iterable[_Item], characters: Callable[[_Item], int], size: int) -> list[list[_Item]]:
    """`items` in order, cut into contiguous lists each closed once it holds `size` characters or more (the
    last may hold fewer; none is empty unless `items` is)."""
    lists: list[list[_Item]] = [[]]
    filled = 0
    for item in items:
        if filled >= size and lists[-1]:
            lists.append([])
            filled = 0
        lists[-1].append(item)
        filled += characters(item)
    return lists


def _segment_bundle(bundle: list[Task]) -> list[tuple[list[IndexRow], int]]:
    return [_segment_task(task) for task in bundle]


def _segment_task(task: Task) -> tuple[list[IndexRow], int]:
    assert _work is not None, "only called inside segment_jobs"
    segmenter, texts = _work
    number, sentences = task
    with _no_cycle_collection():
        pieces = segmenter.segment_packed(texts[number], [(start, end) for _, start, end in sentences])
        rows = [(idx, start, end, pack_offset_arrays(starts, ends), words)
                for (idx, start, end), (starts, ends, words) in zip(sentences, pieces) if words]
        return rows, sum(len(starts) for starts, _, _ in pieces)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused: jieba and the rows make millions of short-lived containers and no
    cycles (reference counting frees them), and each collection would walk every live one."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
