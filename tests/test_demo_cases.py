"""The demo carries persons and attributes, and a questionnaire that `qcode import` reads."""

from __future__ import annotations

import json

from qcode.project.demo_cases import INTERVIEWER, PERSONS, TRANSCRIPTS


def test_the_demo_has_persons_attributes_and_a_questionnaire(tmp_path, run):
    root = tmp_path / "demo"
    assert run("demo", "--no-ui", "--path", root).exit_code == 0
    cases = {r["case"]: r for r in json.loads(run("attributes", "export", "--format", "json", "-p", root).stdout)}
    assert {name: cases[name]["attributes"] for name in TRANSCRIPTS} == TRANSCRIPTS
    assert cases[INTERVIEWER]["attributes"] == {"role": "interviewer"}
    assert cases["B02 年轻母亲"]["attributes"]["age"] == 34
    persons = {p["person"]: p for p in json.loads(run("persons", "list", "--format", "json", "-p", root).stdout)}
    assert persons["B02 年轻母亲"]["speaks_as"] == ["B02-citizen-young-parent:受访者", "B02-citizen-young-parent:受访者C"]
    assert len(persons[INTERVIEWER]["speaks_as"]) == 6 and set(PERSONS) < set(persons)
    # The interviewer's turns are left out of word counts by default, kept with --speakers all.
    default = json.loads(run("words", "--by", "person", "--format", "json", "-p", root).stdout)
    everyone = json.loads(run("words", "--by", "person", "--speakers", "all", "--format", "json", "-p", root).stdout)
    assert INTERVIEWER not in {r["person"] for r in default} and INTERVIEWER in {r["person"] for r in everyone}
    survey = next((root / "questionnaire").glob("*.csv"))
    result = run("import", survey, "-p", root)
    assert result.exit_code == 0, result.stderr
    assert "wjx questionnaire, 12 respondent(s); created 11 document(s)" in result.stdout
    crosstab = json.loads(run("crosstab", "--by", "attr:您的身份", "--format", "json", "-p", root).stdout)
    assert [g["group"] for g in crosstab["groups"]] == ["公职人员", "市民", "(no value)"]
