"""The unit rule: a coding marks a turn or sentence only through the unit's content characters."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.domain.unit_rule import (
    assign_by_share,
    assign_codings_to_units,
    content_prefix,
    is_content_character,
)
from qcode.errors import InputError


def sentences(*parts: str) -> tuple[str, np.ndarray, np.ndarray]:
    text = "".join(parts)
    ends = np.cumsum([len(p) for p in parts])
    return text, ends - [len(p) for p in parts], ends


def marks(
    text: str, starts, ends, codings: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    coding_starts = np.array([s for s, _ in codings], dtype=np.int64)
    coding_ends = np.array([e for _, e in codings], dtype=np.int64)
    unit, coding = assign_codings_to_units(
        content_prefix(text), starts, ends, coding_starts, coding_ends
    )
    return list(zip(unit.tolist(), coding.tolist(), strict=True))


def test_content_characters() -> None:
    for character in "我Aa1１😀￥+":
        assert is_content_character(character), character
    for character in " \n\t\u3000，。！？“”《》…—()、\u200b\ufeff":
        assert not is_content_character(character), repr(character)


def test_coding_spilling_over_the_full_stop_does_not_mark_the_next_sentence() -> None:
    text, starts, ends = sentences("我觉得还不够。", "群众留言太多了！")
    # The coder selected the first sentence and its full stop; the selection ends right after "。".
    assert marks(text, starts, ends, [(0, 7)]) == [(0, 0)]
    # A selection that also grabbed the closing quote and the next sentence's leading spaces.
    text, starts, ends = sentences("我觉得还不够。”", "  群众留言太多了！")
    assert marks(text, starts, ends, [(2, 10)]) == [(0, 0)]
    # One more character reaches 群, which is content: now the second sentence is marked too.
    assert marks(text, starts, ends, [(2, 11)]) == [(0, 0), (1, 0)]


def test_coding_covering_only_punctuation_marks_nothing() -> None:
    text, starts, ends = sentences("说实话……", "好。")
    assert marks(text, starts, ends, [(3, 5), (6, 7)]) == []


def test_coding_spanning_two_sentences_marks_both() -> None:
    text, starts, ends = sentences("信息要及时。", "他说。", "版本是3.5。")
    assert marks(text, starts, ends, [(4, 8)]) == [(0, 0), (1, 0)]
    # One coding across all three sentences.
    assert marks(text, starts, ends, [(0, len(text))]) == [(0, 0), (1, 0), (2, 0)]


def test_emoji_units_are_content() -> None:
    text, starts, ends = sentences("😀👍", "好的。", "🇨🇳！")
    assert marks(text, starts, ends, [(0, 1), (5, 7)]) == [(0, 0), (2, 1)]
    prefix = content_prefix(text)
    assert prefix[-1] == 2 + 2 + 2  # two emoji, 好的, two regional indicators


def test_zero_length_codings_and_units_without_content() -> None:
    text, starts, ends = sentences("好。", "……", "是的")
    assert marks(text, starts, ends, [(1, 1), (2, 4)]) == []


def test_units_need_not_cover_the_text() -> None:
    # Speaker labels lie outside turn units: "A：" then the speech.
    text = "A：我同意。\nB：不同意。"
    starts, ends = np.array([2, 9]), np.array([6, 13])
    assert marks(text, starts, ends, [(0, 2)]) == []
    assert marks(text, starts, ends, [(0, 3), (5, 11)]) == [(0, 0), (1, 1)]


def brute_force_marks(text: str, units, codings) -> list[tuple[int, int]]:
    found = []
    for c, (cs, ce) in enumerate(codings):
        for u, (us, ue) in enumerate(units):
            if any(
                is_content_character(text[i]) for i in range(max(us, cs), min(ue, ce))
            ):
                found.append((u, c))
    return found


alphabet = st.sampled_from(list("我们好。，！ a.\n😀…“”1"))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet, max_size=40), st.data())
def test_assignment_matches_brute_force(text: str, data: st.DataObject) -> None:
    cuts = sorted(
        set(data.draw(st.lists(st.integers(0, len(text)), max_size=6)) + [0, len(text)])
    )
    units = list(itertools.pairwise(cuts))
    codings = [
        tuple(
            sorted(
                data.draw(
                    st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))
                )
            )
        )
        for _ in range(data.draw(st.integers(0, 5)))
    ]
    found = marks(
        text, np.array([s for s, _ in units]), np.array([e for _, e in units]), codings
    )
    assert found == brute_force_marks(text, units, codings)


@given(st.text(max_size=50))
def test_content_prefix_matches_per_character_rule(text: str) -> None:
    prefix = content_prefix(text)
    expected = np.concatenate(
        [[0], np.cumsum([is_content_character(ch) for ch in text])]
    )
    assert prefix.tolist() == expected.tolist()


def test_share_rule_counts_content_characters_and_merges_overlaps() -> None:
    text, starts, ends = sentences(
        "我觉得还不够。", "群众留言太多了！"
    )  # 6 and 7 content chars
    prefix = content_prefix(text)
    # Group 0: two overlapping codings covering 我觉得还 (4 of 6 = 0.67) in sentence 0.
    # Group 1: 群众留 (3 of 7 = 0.43) in sentence 1.
    unit, group = assign_by_share(
        prefix,
        starts,
        ends,
        np.array([0, 1, 7]),
        np.array([3, 4, 10]),
        np.array([0, 0, 1]),
        0.5,
    )
    assert list(zip(unit.tolist(), group.tolist(), strict=True)) == [(0, 0)]
    unit, group = assign_by_share(
        prefix,
        starts,
        ends,
        np.array([0, 1, 7]),
        np.array([3, 4, 10]),
        np.array([0, 0, 1]),
        3 / 7,
    )
    assert list(zip(unit.tolist(), group.tolist(), strict=True)) == [(0, 0), (1, 1)]


def test_share_rule_punctuation_does_not_count_and_exact_ratios_pass() -> None:
    text, starts, ends = sentences("一二三四五六七八九十。")  # 10 content chars
    prefix = content_prefix(text)
    unit, _ = assign_by_share(
        prefix, starts, ends, np.array([9]), np.array([11]), np.array([0]), 0.1
    )
    assert unit.tolist() == [0]  # 十 is 1 of 10 content characters: share exactly 0.1
    unit, _ = assign_by_share(
        prefix, starts, ends, np.array([10]), np.array([11]), np.array([0]), 0.1
    )
    assert unit.tolist() == []


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet, min_size=1, max_size=30), st.data())
def test_share_rule_matches_brute_force(text: str, data: st.DataObject) -> None:
    cuts = sorted(
        set(data.draw(st.lists(st.integers(0, len(text)), max_size=5)) + [0, len(text)])
    )
    units = list(itertools.pairwise(cuts))
    n = data.draw(st.integers(0, 6))
    codings = [
        tuple(
            sorted(
                data.draw(
                    st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))
                )
            )
        )
        for _ in range(n)
    ]
    groups = [data.draw(st.integers(0, 2)) for _ in range(n)]
    share = data.draw(st.sampled_from([0.2, 0.5, 1.0]))
    unit, group = assign_by_share(
        content_prefix(text),
        np.array([s for s, _ in units]),
        np.array([e for _, e in units]),
        np.array([s for s, _ in codings], dtype=np.int64),
        np.array([e for _, e in codings], dtype=np.int64),
        np.array(groups, dtype=np.int64),
        share,
    )
    expected = []
    for u, (us, ue) in enumerate(units):
        content = [i for i in range(us, ue) if is_content_character(text[i])]
        for g in range(3):
            covered = {
                i
                for (cs, ce), gg in zip(codings, groups, strict=True)
                if gg == g
                for i in range(cs, ce)
            }
            if content and sum(i in covered for i in content) / len(content) >= share:
                expected.append((u, g))
    assert list(zip(unit.tolist(), group.tolist(), strict=True)) == expected


def test_invalid_inputs_are_rejected() -> None:
    prefix = content_prefix("一二三。")
    with pytest.raises(InputError):
        assign_by_share(
            prefix,
            np.array([0]),
            np.array([4]),
            np.array([0]),
            np.array([1]),
            np.array([0]),
            0.0,
        )
    with pytest.raises(ValueError):
        assign_codings_to_units(
            prefix, np.array([0, 1]), np.array([2, 4]), np.array([0]), np.array([1])
        )
    with pytest.raises(ValueError):
        assign_codings_to_units(
            prefix, np.array([0]), np.array([4]), np.array([3]), np.array([9])
        )
