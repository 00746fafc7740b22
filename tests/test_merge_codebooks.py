"""Merging codebooks: codes matched by id, conflicts named field by field, colours that do not move."""

from __future__ import annotations

from dataclasses import replace

from qcode.codebook import parse_codebook_text
from qcode.interop.codebook_merge import differing_fields, merge_codebooks

OURS = """
format: 1
codes:
  - id: A
    name: 甲
    codable: false
    children:
      - {id: A.1, name: 甲一, key: a1}
      - {id: A.2, name: 甲二, color: "#112233"}
  - {id: B, name: 乙}
"""


def book(text: str):
    return parse_codebook_text(text)


def test_codes_only_they_have_are_added_under_their_parent():
    ours = book(OURS)
    theirs = book(OURS.replace("      - {id: A.2, name: 甲二, color: \"#112233\"}",
                               "      - {id: A.2, name: 甲二, color: \"#112233\"}\n      - {id: A.3, name: 甲三}")
                  + "  - {id: C, name: 丙}\n")
    merged = merge_codebooks(ours, theirs)
    assert merged.added == ["A.3", "C"] and merged.conflicts == {} and merged.problems == []
    assert [c.id for c in merged.codebook] == ["A", "A.1", "A.2", "A.3", "B", "C"]
    assert merged.codebook["A.3"].parent == "A"
    # every code keeps the colour it showed before the merge, now written out
    for code in ours:
        assert merged.codebook[code.id].color == ours.color_of(code.id)
    assert merged.codebook["A.3"].color == theirs.color_of("A.3")
    again = merge_codebooks(merged.codebook, theirs)
    assert not again.changed and again.conflicts == {}  # an explicit colour never conflicts with none


def test_the_same_codebook_changes_nothing():
    merged = merge_codebooks(book(OURS), book(OURS))
    assert not merged.changed and len(merged.unchanged) == 4 and merged.codebook == book(OURS)


def test_conflicts_name_every_differing_field_and_keep_ours_unless_told():
    ours = book(OURS)
    theirs = book(OURS.replace("{id: A.1, name: 甲一, key: a1}", "{id: A.1, name: 甲壹, key: a9, definition: 新}")
                  .replace('color: "#112233"', 'color: "#445566"'))
    merged = merge_codebooks(ours, theirs)
    assert merged.conflicts == {"A.1": ["name", "definition", "key"], "A.2": ["color"]}
    assert not merged.changed and merged.codebook is ours
    taken = merge_codebooks(ours, theirs, prefer="theirs")
    assert taken.replaced == ["A.1", "A.2"]
    assert str(taken.codebook["A.1"].name) == "甲壹" and taken.codebook["A.2"].color == "#445566"
    kept = merge_codebooks(ours, theirs, prefer="ours")
    assert kept.codebook is ours


def test_a_moved_code_is_a_conflict_on_its_parent():
    ours = book(OURS)
    moved = replace(ours["B"], parent="A")
    assert differing_fields(ours["B"], moved) == ["parent"]


def test_a_merge_that_would_break_a_codebook_rule_says_why():
    # There A.1 has hotkey a2 and a new code C has a1; here A.1 keeps a1, so C cannot have it too.
    theirs = book(OURS.replace("key: a1", "key: a2") + "  - {id: C, name: 丙, key: a1}\n")
    merged = merge_codebooks(book(OURS), theirs, prefer="ours")
    assert merged.codebook is None
    assert any("hotkey 'a1'" in p for p in merged.problems)


def test_an_empty_side():
    ours = book(OURS)
    assert merge_codebooks(None, ours).codebook is ours and merge_codebooks(None, ours).added == [c.id for c in ours]
    assert merge_codebooks(ours, None).codebook is ours and not merge_codebooks(ours, None).changed
