"""`search --where` and `words --codes` take the shared filters with their shared meaning (issue 14 point 2)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from qcode.project.demo import build_demo

    root = tmp_path_factory.mktemp("filters") / "demo"
    build_demo(root)
    return root


def _persons(run, root) -> dict[str, dict]:
    return {p["person"]: p for p in json.loads(run("persons", "list", "--format", "json", "-p", root).stdout)}


def test_search_where_keeps_the_turns_of_persons_meeting_the_condition(demo, run):
    everything = json.loads(run("search", "留言", "--format", "json", "-p", demo).stdout)
    officials = json.loads(run("search", "留言", "--where", "role=official", "--format", "json", "-p", demo).stdout)
    # The same hits as searching everything and keeping the turns of the persons whose role is official,
    # worked out here from `persons list` (transcript:label for each person).
    official_turns = {turn for p in _persons(run, demo).values() if p["attributes"].get("role") == "official"
                      for turn in p["speaks_as"]}
    expected = [h for h in everything if f"{h['transcript']}:{h['speaker']}" in official_turns]
    assert officials == expected
    assert 0 < len(officials) < len(everything)


def test_search_where_on_a_transcript_attribute_and_a_condition_nobody_meets(demo, run):
    attributes = json.loads(run("attributes", "export", "--format", "json", "-p", demo).stdout)
    town = next(a["attributes"]["township"] for a in attributes if a["kind"] == "transcript"
                and "township" in a["attributes"])
    in_town = {a["case"] for a in attributes if a["kind"] == "transcript" and a["attributes"].get("township") == town}
    hits = json.loads(run("search", "公众号", "--where", f"township={town}", "--format", "json", "-p", demo).stdout)
    assert hits and {h["transcript"] for h in hits} <= in_town
    nobody = run("search", "公众号", "--where", "role=nobody-has-this", "-p", demo)
    assert nobody.exit_code == 0 and "0 hits in 0 transcripts" in nobody.stderr


def test_words_codes_chooses_the_codes_counted_by_code(demo, run):
    children = json.loads(run("words", "--by", "code", "--codes", "NPS", "--top", "0", "--format", "json",
                              "-p", demo).stdout)
    every = json.loads(run("words", "--by", "code", "--top", "0", "--format", "json", "-p", demo).stdout)
    assert children and {r["code"] for r in children} <= {r["code"] for r in every}
    assert all(r["code"] == "NPS" or r["code"].startswith("NPS.") for r in children)
    assert children == [r for r in every if r["code"] == "NPS" or r["code"].startswith("NPS.")]
    refused = run("words", "--codes", "NPS", "-p", demo)
    assert refused.exit_code == 1 and "--by code" in refused.stderr


def _evaluation(run, root, *filters) -> dict:
    result = run("suggest", "--evaluate", "小林", "--format", "json", *filters, "-p", root)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_suggest_evaluate_takes_the_filters(demo, run):
    every = _evaluation(run, demo)
    organisation = _evaluation(run, demo, "--codes", "TOE_O")
    rows = [r for r in organisation["codes"] if r["code"] is not None]
    # The chosen subtree's rows are those of the whole evaluation; the pooled row sums only them.
    assert rows and all(r["code"] == "TOE_O" or r["code"].startswith("O.") for r in rows)
    assert rows == [r for r in every["codes"] if r["code"] in {row["code"] for row in rows}]
    pooled = organisation["codes"][-1]
    assert pooled["code"] is None and pooled["suggested"] == sum(r["suggested"] for r in rows)
    # --where keeps the officials' turns: fewer suggested and coded units, never more.
    officials = _evaluation(run, demo, "--where", "role=official")
    assert officials["codes"][-1]["suggested"] < every["codes"][-1]["suggested"]
    assert officials["codes"][-1]["coded"] < every["codes"][-1]["coded"]
    refused = run("suggest", "--codes", "TOE_O", "-p", demo)
    assert refused.exit_code == 1 and "--evaluate" in refused.stderr
