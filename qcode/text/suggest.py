"""Keyword suggestions: the units a code's keywords point to, and how well the keywords agree with a coder.

Matching (see `reference/chinese-text.md` §3), against the tokens of a unit:

- **strong**: the keyword's words occur as consecutive tokens, with nothing or white space between them
  (a one-word keyword is simply a token; a phrase never spans punctuation);
- **weak**: a one-word keyword of at least two characters is the beginning or the end of a longer token
  (权威 in 权威性, 技术 in 技术人员, update in updates). Raw substrings in the middle of a word match only
  when the codebook says `keyword_match: substring` (also weak): 操作 in 操作系统 is a false hit far
  more often than a true one.

A unit gets at most one suggestion per code: the strongest, and among equals the first in the text.
Suggestions are hints; nothing here codes anything.

Evaluation against a coder, over the units of the transcripts that coder has rated: a unit is
*suggested* for code k when a keyword of k matches in it, and *coded* with k when the coder's codings
mark it by the unit rule. For each code, TP = |suggested ∩ coded|, precision = TP / |suggested|, recall =
TP / |coded| and F1 = 2·TP / (|suggested| + |coded|). A ratio whose denominator is 0 is undefined: it is
None, with the reason in `note`. The row for all codes pools the (unit, code) pairs (micro-average).
"""

from __future__ import annotations

from typing import Any

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from qcode.i18n import _
from qcode.text.kwic import fold_for_search, only_space_between, substring_spans

# A one-word keyword shorter than this never matches weakly: one character is part of too many words.
MIN_WEAK_KEYWORD_LENGTH = 2


class Strength(StrEnum):
    """How a keyword matched: a whole token or phrase (strong), or the start or end of a token (weak)."""

    STRONG = "strong"
    WEAK = "weak"


@dataclass(frozen=True, slots=True)
class KeywordRule:
    """A keyword of a code, with the normalised words it segments into."""

    code: str
    keyword: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KeywordMatch:
    """Where a keyword matched: `[start, end)` of the matching token(s) in the text."""

    rule: KeywordRule
    strength: Strength
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A code suggested for the unit `[start, end)` because `keyword` matched at `[match_start, match_end)`."""

    start: int
    end: int
    code: str
    keyword: str
    strength: Strength
    match_start: int
    match_end: int


class KeywordMatcher:
    """Finds the keywords of many codes among a unit's tokens in one pass over the tokens."""

    def __init__(self, rules: Iterable[KeywordRule]) -> None:
        self._single: dict[str, list[KeywordRule]] = defaultdict(list)
        self._phrases: dict[str, list[KeywordRule]] = defaultdict(list)
        for rule in rules:
            if not rule.words:
                continue
            if len(rule.words) == 1:
                self._single[rule.words[0]].append(rule)
            else:
                self._phrases[rule.words[0]].append(rule)
        self._weak_lengths = sorted({len(w) for w in self._single if len(w) >= MIN_WEAK_KEYWORD_LENGTH})

    def __bool__(self) -> bool:
        return bool(self._single or self._phrases)

    def matches(self, text: str, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                *, strong_only: bool = False) -> list[KeywordMatch]:
        """Every keyword match among the tokens (`words` with offsets into `text`), in text order."""
        found = []
        single, phrases, lengths = self._single, self._phrases, self._weak_lengths
        for i, word in enumerate(words):
            for rule in single.get(word, ()):
                found.append(KeywordMatch(rule, Strength.STRONG, starts[i], ends[i]))
            for rule in phrases.get(word, ()):
                stop = i + len(rule.words)
                if tuple(words[i:stop]) == rule.words and only_space_between(text, starts, ends, i, stop):
                    found.append(KeywordMatch(rule, Strength.STRONG, starts[i], ends[stop - 1]))
            if strong_only:
                continue
            for length in lengths:
                if length >= len(word):
                    break
                prefix, suffix = word[:length], word[-length:]
                for piece in (prefix,) if prefix == suffix else (prefix, suffix):
                    for rule in single.get(piece, ()):
                        found.append(KeywordMatch(rule, Strength.WEAK, starts[i], ends[i]))
        return found


def best_per_code(unit_start: int, unit_end: int, matches: Iterable[KeywordMatch]) -> list[Suggestion]:
    """One suggestion per code for a unit: its strongest match, the first in the text among equals."""
    best: dict[str, KeywordMatch] = {}
    for match in matches:
        current = best.get(match.rule.code)
        if current is None or _better(match, current):
            best[match.rule.code] = match
    chosen = sorted(best.values(), key=lambda m: (m.start, m.rule.code))
    return [Suggestion(unit_start, unit_end, m.rule.code, m.rule.keyword, m.strength, m.start, m.end) for m in chosen]


def substring_matches(folded_text: str, rules: Iterable[KeywordRule], units: Sequence[tuple[int, int]]
                      ) -> list[tuple[int, KeywordMatch]]:
    """For a codebook with `keyword_match: substring`: every occurrence of a keyword's characters inside a
    unit, as a weak match (unit number, match). Whole-token occurrences are also found, strong, by
    `KeywordMatcher`. `folded_text` comes from `fold_for_search`; `units` are sorted and disjoint.
    """
    found = []
    for rule in rules:
        needle = fold_for_search(rule.keyword.strip())
        for start, end, number in substring_spans(folded_text, needle, units):
            found.append((number, KeywordMatch(rule, Strength.WEAK, start, end)))
    return found


def _better(match: KeywordMatch, current: KeywordMatch) -> bool:
    if match.strength != current.strength:
        return match.strength is Strength.STRONG
    return (match.start, match.end) < (current.start, current.end)


# -- evaluation ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeywordScore:
    """Precision and recall of a code's keywords (or of one keyword, or of all codes) against a coder."""

    code: str | None  # None: all codes pooled
    keyword: str | None  # None: all keywords of the code
    suggested: int  # units the keyword(s) matched in
    coded: int  # units the coder coded with the code
    agreed: int  # units both suggested and coded (true positives)
    precision: float | None
    recall: float | None
    f1: float | None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code, "keyword": self.keyword, "suggested": self.suggested, "coded": self.coded,
            "agreed": self.agreed, "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "note": self.note,
        }


def keyword_score(code: str | None, keyword: str | None, suggested: int, coded: int, agreed: int) -> KeywordScore:
    """Precision, recall and F1 from counts; undefined ratios are None and explained in `note`."""
    notes = []
    precision = agreed / suggested if suggested else None
    if precision is None:
        notes.append(_("precision undefined: nothing was suggested"))
    recall = agreed / coded if coded else None
    if recall is None:
        notes.append(_("recall undefined: the coder never coded it"))
    f1 = 2 * agreed / (suggested + coded) if suggested + coded else None
    return KeywordScore(code, keyword, suggested, coded, agreed, precision, recall, f1, "; ".join(notes))


def evaluate(suggested: Mapping[str, set[Hashable]], coded: Mapping[str, set[Hashable]], codes: Sequence[str]
             ) -> list[KeywordScore]:
    """Per code, then pooled: `suggested[code]` and `coded[code]` are sets of units (any hashable key)."""
    rows = []
    totals = [0, 0, 0]
    for code in codes:
        mine, theirs = suggested.get(code, set()), coded.get(code, set())
        agreed = len(mine & theirs)
        rows.append(keyword_score(code, None, len(mine), len(theirs), agreed))
        totals[0] += len(mine)
        totals[1] += len(theirs)
        totals[2] += agreed
    rows.append(keyword_score(None, None, *totals))
    return rows


def evaluate_keywords(matched: Mapping[KeywordRule, set[Hashable]], coded: Mapping[str, set[Hashable]]
                      ) -> list[KeywordScore]:
    """Per keyword: the units it matched in against the units coded with its code."""
    rows = []
    for rule, units in matched.items():
        theirs = coded.get(rule.code, set())
        rows.append(keyword_score(rule.code, rule.keyword, len(units), len(theirs), len(units & theirs)))
    return rows
