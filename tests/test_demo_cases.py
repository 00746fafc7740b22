"""The demo carries persons and attributes, the questionnaire imported, and two coders' codings of it all."""

from __future__ import annotations

import json

import yaml

from qcode.project.demo import build_demo
from qcode.project.demo_cases import INTERVIEWER, PERSONS, TRANSCRIPTS
from qcode.project.demo_codings import SPEC


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
    # The questionnaire is imported: one document per respondent with open answers (11 of 12), its closed
    # answers as attributes, each respondent one person whose role follows 您的身份.
    survey = next((root / "questionnaire").glob("*.csv"))
    again = run("import", survey, "-p", root)
    assert again.exit_code == 0, again.stderr
    assert "wjx questionnaire, 12 respondents; created 0 documents" in again.stdout
    assert "11 unchanged" in again.stdout
    crosstab = json.loads(run("crosstab", "--by", "attr:您的身份", "--format", "json", "-p", root).stdout)
    assert [g["group"] for g in crosstab["groups"]][:2] == ["公职人员", "市民"]
    assert {persons[f"问卷{n}号"]["attributes"]["role"] for n in (3, 7, 11)} == {"official"}


def test_the_demo_is_coded_by_two_coders_who_mostly_agree(tmp_path, run):
    """Every report of the comparison shows real numbers on the first run: two coders' codings, complete,
    with some differences (so agreement is neither perfect nor absent), officials and citizens apart."""
    root = tmp_path / "demo"
    assert run("demo", "--no-ui", "--path", root).exit_code == 0
    agree = json.loads(run("agree", "--bootstrap", "0", "--format", "json", "-p", root).stdout)
    assert agree["coders"] == ["小周", "小林"]
    assert 0.6 < agree["label_sets"]["krippendorff_alpha_masi"]["value"] < 1
    per_code = [c["krippendorff_alpha_nominal"]["value"] for c in agree["per_code"].values()]
    assert 1.0 in per_code and any(v is not None and v < 0.8 for v in per_code)
    freq = {(r["code"], r["attr:role"]): r["codings"] for r in json.loads(
        run("freq", "--by", "attr:role", "--format", "json", "-p", root).stdout) if r["scope"] == "code"}
    assert freq[("O.STAFF", "official")] > 0 and freq[("O.STAFF", "citizen")] == 0
    assert freq[("S.INFO_QUALITY.READABILITY", "citizen")] > 0
    crosstab = json.loads(run("crosstab", "--by", "attr:role", "--format", "json", "-p", root).stdout)
    organisation = next(c for c in crosstab["codes"] if c["code"] == "TOE_O")
    assert organisation["test"]["p_value"] < 0.05
    matrix = run("matrix", "--format", "csv", "-p", root).stdout.splitlines()
    assert matrix[0].startswith("case,") and len(matrix) == 1 + 17  # six interviews, eleven respondents
    assert any(line.startswith("临溪发布满意度调查-问卷星-1,") for line in matrix)


def test_every_demo_quotation_is_found_once(tmp_path):
    """The codings file quotes the text exactly: a quotation that is missing or found twice is an error
    (checked when the demo is built), and each note names one of the two coders."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    for _, _, _, *notes in spec["codings"]:
        for note in notes:
            word, coder, *rest = note.split() if note.split()[0] in ("only", "wider") else ["as", *note.split()]
            assert coder in spec["coders"] and (word != "as" or len(rest) == 1), note
    with build_demo(tmp_path / "demo") as project:
        codings = project.store.codings.all()
    assert len({(c.transcript, c.code, c.start, c.end) for c in codings}) > 80
    assert {c.coder for c in codings} == set(spec["coders"])
