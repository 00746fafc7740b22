"""jieba's precise mode with its HMM, giving the Han tokens with their offsets, in fewer Python steps.

The word index keeps only the tokens that hold a Han character, with their offsets. jieba's `lcut`
makes every token (punctuation and spaces too) through three nested generators, builds each piece's
DAG as a dict of lists, scores it with a generator per character, and its HMM copies a path list per
character and state; offsets then have to be rebuilt from token lengths. `PreciseCut` runs the same
algorithm on the same dictionary with the same floating-point operations in the same order, so it
chooses exactly the same words (ties included), but scores the DAG while it builds it, keeps the HMM's
back pointers instead of paths, and only makes the tokens the index keeps. The algorithm is jieba
0.42.1's (`Tokenizer.cut` with `HMM=True`, `finalseg.cut`); `precise_cut_for` returns None for any
other jieba version, and callers then cut with jieba itself. tests/test_precise_cut.py compares the two
on varied text.

jieba's steps, as followed here:
- The text is split into blocks of `[\u4E00-\u9FD5a-zA-Z0-9+#&._%-]`; every other character is a token
  of its own (or part of a white-space token), so the only Han tokens outside blocks are single
  characters outside that range (〇, Extension A, compatibility ideographs, the supplementary planes).
- In a block, each position's best route maximises `log(freq) - log(total) + route[next]` over the
  dictionary words starting there (the single character, at `log(1)`, when there is none); equal
  scores go to the longer word.
- Along the route, runs of single characters are gathered: one alone is a token; a run that is itself
  a dictionary word is cut into characters; any other run goes to the HMM (`finalseg`), which cuts its
  `[\u4E00-\u9FD5]` stretches by Viterbi over the states B, M, E, S (ties to the later state letter).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from importlib import import_module
from math import log
from typing import Any

#: The jieba version whose algorithm this module follows.
JIEBA_VERSION = "0.42.1"

_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&._%\\-]+")  # jieba's re_han_default
_HMM_RUN = re.compile("[\u4E00-\u9FD5]+")  # finalseg's re_han
# Han characters jieba never puts in a block: each is a token of its own.
_LONE_HAN = re.compile("[\u3007\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0003134F]")

#: (starts, ends, words) of tokens, offsets into the text given.
HanTokens = tuple[list[int], list[int], list[str]]


class PreciseCut:
    """The Han tokens of jieba's precise-mode cut (HMM on) with one tokenizer's dictionary.

    The tokenizer's dictionary must not change afterwards (a `Segmenter`'s never does).
    """

    def __init__(self, tokenizer: Any, is_han: Callable[[str], bool]) -> None:
        finalseg = import_module("jieba.finalseg")  # loaded with jieba, which made `tokenizer`
        self._get = tokenizer.FREQ.get
        self._logtotal = log(tokenizer.total)
        self._is_han = is_han  # whether a token holds a Han character (memoised by the caller)
        self._hmm = _Viterbi(finalseg.start_P, finalseg.trans_P, finalseg.emit_P, finalseg.MIN_FLOAT)
        self._force_split: set[str] = finalseg.Force_Split_Words  # jieba's, changed by its del_word

    def han_tokens(self, text: str, begin: int, end: int) -> HanTokens:
        """The tokens of `text[begin:end]` that hold a Han character, as `lcut` cuts that piece."""
        starts: list[int] = []
        ends: list[int] = []
        words: list[str] = []
        for match in _BLOCK.finditer(text, begin, end):
            block_start, block_end = match.span()
            if block_end - block_start == 1:
                character = match.group()
                if "\u4e00" <= character <= "\u9fd5":
                    starts.append(block_start)
                    ends.append(block_end)
                    words.append(character)
            else:
                self._block(match.group(), block_start, starts, ends, words)
        if _LONE_HAN.search(text, begin, end) is not None:
            return _with_lone_characters(text, begin, end, (starts, ends, words))
        return starts, ends, words

    def _block(self, block: str, offset: int, starts: list[int], ends: list[int], words: list[str]) -> None:
        """Append the Han tokens of one block (jieba's `__cut_DAG`) at `offset` in the text."""
        get, is_han = self._get, self._is_han
        last = len(block)
        nexts = _best_route(block, get, self._logtotal)
        run = -1  # where the current run of single characters began, if one is open
        x = 0
        while x < last:
            y = nexts[x]
            if y - x == 1:
                if run < 0:
                    run = x
            else:
                if run >= 0:
                    if x - run > 1:
                        self._run(block, run, x, offset, starts, ends, words)
                    elif "\u4e00" <= block[run] <= "\u9fd5":  # a single character (the commonest run)
                        starts.append(offset + run)
                        ends.append(offset + x)
                        words.append(block[run])
                    run = -1
                word = block[x:y]
                if is_han(word):
                    starts.append(offset + x)
                    ends.append(offset + y)
                    words.append(word)
            x = y
        if run >= 0:
            self._run(block, run, last, offset, starts, ends, words)

    def _run(self, block: str, start: int, end: int, offset: int,
             starts: list[int], ends: list[int], words: list[str]) -> None:
        """A run of single characters on the route: alone, cut into characters, or through the HMM."""
        run = block[start:end]
        if end - start > 1 and not self._get(run):
            for match in _HMM_RUN.finditer(run):
                self._hmm_words(match.group(), offset + start + match.start(), starts, ends, words)
            return
        for position, character in enumerate(run, offset + start):
            if "\u4e00" <= character <= "\u9fd5":
                starts.append(position)
                ends.append(position + 1)
                words.append(character)

    def _hmm_words(self, run: str, offset: int, starts: list[int], ends: list[int], words: list[str]) -> None:
        """The words finalseg's `__cut` makes of a run of Han characters (all Han)."""
        force_split = self._force_split
        begin = following = 0
        for i, state in enumerate(self._hmm.states(run)):
            if state == "B":
                begin = i
            elif state == "E":
                _add_word(run, begin, i + 1, offset, force_split, starts, ends, words)
                following = i + 1
            elif state == "S":
                starts.append(offset + i)
                ends.append(offset + i + 1)
                words.append(run[i])
                following = i + 1
        if following < len(run):
            _add_word(run, following, len(run), offset, force_split, starts, ends, words)


def _add_word(run: str, start: int, end: int, offset: int, force_split: set[str],
              starts: list[int], ends: list[int], words: list[str]) -> None:
    word = run[start:end]
    if force_split and end - start > 1 and word in force_split:
        for position in range(start, end):
            starts.append(offset + position)
            ends.append(offset + position + 1)
            words.append(run[position])
        return
    starts.append(offset + start)
    ends.append(offset + end)
    words.append(word)


def _best_route(block: str, get: Callable[[str], int | None], logtotal: float) -> list[int]:
    """For each position of `block`, the end of the word jieba's route takes there (`calc` over `get_DAG`).

    The same sums in the same order as jieba: `(log(freq) - logtotal) + route[next]`, the longest word
    winning a tie (jieba takes `max` of (score, end) pairs).
    """
    length = len(block)
    score = [0.0] * (length + 1)
    nexts = [0] * length
    for k in range(length - 1, -1, -1):
        best = 0.0
        chosen = -1
        i = k
        fragment = block[k]
        while True:
            frequency = get(fragment)
            if frequency is None:
                break
            i += 1
            if frequency:
                value = log(frequency) - logtotal + score[i]
                if chosen < 0 or value >= best:
                    best, chosen = value, i
            if i >= length:
                break
            fragment = block[k:i + 1]
        if chosen < 0:  # no word starts here: the character alone, at log(1)
            best, chosen = 0.0 - logtotal + score[k + 1], k + 1
        score[k] = best
        nexts[k] = chosen
    return nexts


class _Viterbi:
    """finalseg's Viterbi over the states B, M, E, S, with back pointers instead of copied paths."""

    def __init__(self, start: dict[str, float], trans: dict[str, dict[str, float]],
                 emit: dict[str, dict[str, float]], minimum: float) -> None:
        self.start = [start[s] for s in "BMES"]
        self.emit = [emit[s].get for s in "BMES"]
        self.minimum = minimum
        self.trans = {(a, b): trans[a].get(b, minimum) for a in "BMES" for b in "BMES"}

    def states(self, run: str) -> str:
        """The likeliest state of each character of `run` (finalseg's `viterbi`)."""
        low = self.minimum
        emit_b, emit_m, emit_e, emit_s = self.emit
        t = self.trans
        tEB, tSB, tMM, tBM = t["E", "B"], t["S", "B"], t["M", "M"], t["B", "M"]
        tSS, tES, tBE, tME = t["S", "S"], t["E", "S"], t["B", "E"], t["M", "E"]
        first = run[0]
        b = self.start[0] + emit_b(first, low)
        m = self.start[1] + emit_m(first, low)
        e = self.start[2] + emit_e(first, low)
        s = self.start[3] + emit_s(first, low)
        back: list[tuple[str, str, str, str]] = []  # per character after the first: the previous state of B, M, E, S
        for character in run[1:]:
            em = emit_b(character, low)
            b_from_e, b_from_s = e + tEB + em, s + tSB + em
            em = emit_m(character, low)
            m_from_m, m_from_b = m + tMM + em, b + tBM + em
            em = emit_s(character, low)
            s_from_s, s_from_e = s + tSS + em, e + tES + em
            em = emit_e(character, low)
            e_from_b, e_from_m = b + tBE + em, m + tME + em
            # max over (probability, state) pairs: a tie goes to the later letter
            previous = ("E" if b_from_e > b_from_s else "S", "M" if m_from_m >= m_from_b else "B",
                        "B" if e_from_b > e_from_m else "M", "S" if s_from_s >= s_from_e else "E")
            b = b_from_e if b_from_e > b_from_s else b_from_s
            m = m_from_m if m_from_m >= m_from_b else m_from_b
            e = e_from_b if e_from_b > e_from_m else e_from_m
            s = s_from_s if s_from_s >= s_from_e else s_from_e
            back.append(previous)
        state = "S" if s >= e else "E"
        path = [state]
        for previous in reversed(back):
            state = previous[_SLOT[state]]
            path.append(state)
        path.reverse()
        return "".join(path)


_SLOT = {"B": 0, "M": 1, "E": 2, "S": 3}


def _with_lone_characters(text: str, begin: int, end: int, tokens: HanTokens) -> HanTokens:
    """`tokens` with the Han characters jieba cuts one by one outside its blocks, in order."""
    starts, ends, words = tokens
    new_starts: list[int] = []
    new_ends: list[int] = []
    new_words: list[str] = []
    taken = 0  # the tokens before this one are in the new lists
    for match in _LONE_HAN.finditer(text, begin, end):
        until = bisect_left(starts, match.start(), taken)
        new_starts += starts[taken:until]
        new_ends += ends[taken:until]
        new_words += words[taken:until]
        new_starts.append(match.start())
        new_ends.append(match.end())
        new_words.append(match.group())
        taken = until
    return new_starts + starts[taken:], new_ends + ends[taken:], new_words + words[taken:]


def precise_cut_for(tokenizer: Any, is_han: Callable[[str], bool], jieba_version: str) -> PreciseCut | None:
    """A `PreciseCut` for `tokenizer`, or None if jieba is not the version whose algorithm it follows."""
    return PreciseCut(tokenizer, is_han) if jieba_version == JIEBA_VERSION else None
