"""The bundled New Public Service x TOE codebook: complete, bilingual, clean, and round-trippable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qcode.codebook import check_codebook, dump_codebook_yaml, load_codebook, parse_codebook_text
from qcode.domain.codebook import Codebook

BUNDLED = Path(__file__).resolve().parent.parent / "codebooks" / "nps-toe.yaml"

FAMILIES = {
    "NPS": ["NPS.CITIZEN", "NPS.PUBLIC_INTEREST", "NPS.CITIZENSHIP", "NPS.DEMOCRATIC", "NPS.ACCOUNTABILITY",
            "NPS.SERVE_NOT_STEER", "NPS.VALUE_PEOPLE"],
    "TOE_T": ["T.ADVANTAGE", "T.COMPATIBILITY", "T.COMPLEXITY", "T.CAPABILITY", "T.SECURITY"],
    "TOE_O": ["O.LEADERSHIP", "O.RESOURCES", "O.STAFF", "O.STRUCTURE", "O.PROCESS", "O.INCENTIVE"],
    "TOE_E": ["E.POLICY", "E.PEER", "E.DEMAND", "E.PLATFORM", "E.OPINION"],
    "SVC": ["S.ROLE", "S.INFO_QUALITY", "S.INFO_QUALITY.TIMELINESS", "S.INFO_QUALITY.RELEVANCE",
            "S.INFO_QUALITY.READABILITY", "S.SERVICE_FUNCTION", "S.INTERACTION", "S.CREDIBILITY",
            "S.SUSTAINABILITY", "S.REACH"],
    "META": ["META.SUGGESTION", "META.CONTEXT"],
}  # fmt: skip


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook(BUNDLED)


def test_it_passes_the_check_with_no_errors_and_no_warnings():
    assert check_codebook(BUNDLED) == []


def test_six_groups_and_thirty_five_codable_codes(codebook):
    assert [code.id for code in codebook.roots()] == list(FAMILIES)
    assert all(root.is_group for root in codebook.roots())
    assert len(codebook.codable()) == 35 and len(codebook) == 41
    for group, members in FAMILIES.items():
        assert list(codebook.subtree(group)[1:]) == members
    assert codebook.children_of("S.INFO_QUALITY") == tuple(
        codebook[f"S.INFO_QUALITY.{facet}"] for facet in ("TIMELINESS", "RELEVANCE", "READABILITY")
    )


def test_every_codable_code_is_complete_and_bilingual(codebook):
    for code in codebook.codable():
        for field in ("name", "definition", "include", "exclude"):
            assert set(getattr(code, field).languages) == {"zh", "en"}, (code.id, field)
        assert len(code.examples) == 1 and set(code.examples[0].languages) == {"zh", "en"}, code.id
        assert 3 <= len(code.keywords) <= 4, code.id
        assert code.key is not None and code.color is not None, code.id


def test_groups_are_described_and_cite_their_sources(codebook):
    cited = {source.key for source in codebook.sources}
    for group in codebook.roots():
        assert set(group.name.languages) == set(group.description.languages) == {"zh", "en"}, group.id
        assert set(group.sources) <= cited
    assert all(codebook[group].sources for group in ("NPS", "TOE_T", "TOE_O", "TOE_E", "SVC"))


def test_hotkeys_follow_the_family_scheme(codebook):
    letters = {"NPS": "n", "TOE_T": "t", "TOE_O": "o", "TOE_E": "e", "SVC": "s", "META": "m"}
    for group, members in FAMILIES.items():
        top_level = [code_id for code_id in members if codebook.parent_of(code_id).id == group]
        assert [codebook[code_id].key for code_id in top_level] == [
            f"{letters[group]}{position}" for position in range(1, len(top_level) + 1)
        ]
    assert [code.key for code in codebook.children_of("S.INFO_QUALITY")] == ["i1", "i2", "i3"]


def test_no_keyword_is_shared_and_every_exclude_reference_exists(codebook):
    keywords = [keyword for code in codebook for keyword in code.keywords]
    assert len(keywords) == len(set(keywords))
    referenced = set()
    for code in codebook:
        for text in (code.exclude.get("zh"), code.exclude.get("en")):
            referenced |= set(re.findall(r"\b(?:NPS|META|[TOES])\.[A-Z_]+(?:\.[A-Z_]+)?", text))
    assert referenced and referenced <= {code.id for code in codebook.codable()}


def test_it_round_trips_through_dump(codebook):
    again = parse_codebook_text(dump_codebook_yaml(codebook))
    assert again == codebook
    assert again.content_hash() == codebook.content_hash()
