"""Attributes of transcripts and persons, persons behind speaker labels, and what `--where` and roles select.

The project is the hand-counted report fixture (`tests/reports_support.py`): T1 turns t0 访谈者, t1
受访者A, t2 访谈者, t3 受访者A; T2 turns h (no speaker), i 访谈者, r 受访者B; T3 turns 访谈者, 受访者A.
Every turn has content, so 9 turns in all.
"""

from __future__ import annotations

import datetime
import json

import openpyxl
import pytest

from qcode.analysis.cases import resolve_cases
from qcode.analysis.selection import Selection
from qcode.analysis.units import load_report_data
from qcode.domain.attributes import guess_type, parse_value
from qcode.errors import InputError
from qcode.project.attributes import export_attributes, import_attributes, map_speakers
from qcode.reports.frequencies import code_frequencies
from tests.conftest import dump

pytest_plugins = ["tests.reports_support"]


def _row(table, code: str):
    return next(r for r in table.rows if r.code == code and r.scope == "code")


@pytest.mark.parametrize("type_,raw,canonical", [
    ("number", "35", "35"), ("number", "３５.0", "35"), ("number", "2.5", "2.5"), ("number", "1,200", "1200"),
    ("date", "2024/3/5", "2024-03-05"), ("date", "2024年3月5日", "2024-03-05"),
    ("boolean", "是", "true"), ("boolean", "No", "false"), ("text", " 东城 ", "东城"),
])
def test_values_are_stored_in_one_canonical_form(type_, raw, canonical):
    assert parse_value(type_, raw) == canonical


@pytest.mark.parametrize("type_,raw", [("number", "abc"), ("number", "nan"), ("date", "2024-02-30"),
                                       ("boolean", "maybe"), ("category", "老年"), ("text", "")])
def test_bad_values_are_refused(type_, raw):
    with pytest.raises(ValueError):
        parse_value(type_, raw, ("青年", "中年"))


def test_types_are_guessed_from_every_value():
    assert guess_type(["34", "51", ""]) == "number"
    assert guess_type(["2024-01-02", "2024/3/5"]) == "date"
    assert guess_type(["是", "否"]) == "boolean"
    assert guess_type(["34", "thirty"]) == "text"


def test_an_import_with_bad_cells_names_each_and_stores_nothing(report_project, tmp_path):
    store = report_project.store
    path = tmp_path / "attrs.csv"
    path.write_text("transcript,age,group\nT1,34,官员\nT2,abc,市民\nT9,40,市民\n", encoding="utf-8")
    import_attributes(store, _write(tmp_path / "ok.csv", "transcript,age\nT1,34\n"), "transcript")
    before = dump(report_project.root / "qcode.db")
    with pytest.raises(InputError) as caught:
        import_attributes(store, path, "transcript")
    problems = [(p.path, p.line, p.column) for p in caught.value.problems]
    assert (str(path), 3, 2) in problems  # 'abc' is not a number (age exists as number)
    assert (str(path), 4, 1) in problems or any("T9" in p.message for p in caught.value.problems)
    assert dump(report_project.root / "qcode.db") == before


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_xlsx_import_and_json_export(report_project, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["transcript", "age", "interviewed", "group"])
    sheet.append(["T1", 34, datetime.date(2024, 5, 1), "官员"])  # a real Excel date cell
    sheet.append(["T2", 51.0, None, "市民"])
    path = tmp_path / "attrs.xlsx"
    book.save(path)
    report = import_attributes(report_project.store, path, "transcript")
    assert (report.values, report.skipped_empty) == (5, 1)
    exported = {r["case"]: r for r in export_attributes(report_project.store, "transcript")}
    assert exported["T1"] == {"case": "T1", "kind": "transcript",
                              "attributes": {"age": 34, "interviewed": "2024-05-01", "group": "官员"}}
    assert exported["T2"]["attributes"] == {"age": 51, "group": "市民"}
    assert exported["T3"]["attributes"] == {}


def test_interviewers_are_left_out_unless_all_speakers_are_asked_for(report_project, run):
    store = report_project.store
    assert map_speakers(store, "访谈员", "访谈者") == ["T1", "T2", "T3"]
    result = run("attributes", "set", "--kind", "person", "访谈员", "role=interviewer", "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    everyone = code_frequencies(load_report_data(store, Selection(speakers=("all",))))
    assert everyone.units_total == 9
    table = code_frequencies(load_report_data(store))
    assert table.units_total == 5  # t1, t3, h, r, T3's 受访者A
    # R: c5 marks t2 and c6 marks i, both interviewer turns; Q (c10) marks i and r, and stays for r.
    assert _row(table, "R").total.codings == 0
    assert (_row(table, "Q").total.codings, _row(table, "Q").total.units) == (1, 1)
    assert _row(everyone, "R").total.codings == 2


def test_where_on_transcript_and_person_attributes(report_project, run):
    store = report_project.store
    root = report_project.root
    assert run("attributes", "set", "T1", "age=34", "group=官员", "-p", root).exit_code == 0
    assert run("attributes", "set", "T2", "age=51", "group=市民", "-p", root).exit_code == 0
    assert run("attributes", "define", "band", "--type", "category", "--levels", "青年,中年,老年",
               "-p", root).exit_code == 0
    assert run("attributes", "set", "T2", "band=老年", "-p", root).exit_code == 0
    assert run("attributes", "set", "T1", "band=青年", "-p", root).exit_code == 0

    def names(*conditions):
        return [t.name for t in resolve_cases(store, Selection.from_options(where=conditions)).transcripts]

    assert names("group=官员") == ["T1"]
    assert names("age>40") == ["T2"]
    assert names("age<=34") == ["T1"]
    assert names("group != 官员") == ["T2"]  # T3 has no group: it meets no condition
    assert names("group in 官员,市民") == ["T1", "T2"]
    assert names("band>青年") == ["T2"]  # ordered by the levels, not by the characters
    with pytest.raises(InputError, match="compares numbers"):
        names("group<3")
    with pytest.raises(InputError, match="no attribute named 'nope'"):
        names("nope=1")
    # A person attribute keeps only the turns of the persons who meet it.
    assert run("attributes", "set", "--kind", "person", "T1:受访者A", "gender=女", "-p", root).exit_code == 0
    cases = resolve_cases(store, Selection.from_options(where=["gender=女"]))
    t1 = store.transcripts.by_name("T1")
    assert cases.left_out_speakers(t1.id) == {"访谈者", None}
    result = run("freq", "--where", "gender=女", "--format", "json", "-p", root)
    assert result.exit_code == 0, result.stderr
    units_total = json.loads(result.stdout)[0]["units_total"]
    assert units_total == 2  # T1's t1 and t3; in T2 and T3 nobody is 女, and h belongs to nobody


def test_the_cli_refuses_a_bad_value_with_its_column(report_project, run):
    result = run("attributes", "set", "T1", "age=34", "-p", report_project.root)
    assert result.exit_code == 0
    before = dump(report_project.root / "qcode.db")
    result = run("attributes", "set", "T1", "age=old", "-p", report_project.root)
    assert result.exit_code == 1 and "not a number" in result.stderr and "Traceback" not in result.stderr
    result = run("attributes", "set", "T7", "age=3", "-p", report_project.root)
    assert result.exit_code == 1 and "no transcript named 'T7'" in result.stderr
    assert dump(report_project.root / "qcode.db") == before


def _by(table, code: str, group: str):
    row = _row(table, code)
    return row.by[table.groups.index(group)]


def test_frequencies_by_a_transcript_attribute_and_by_a_person_attribute(report_project, run):
    store, root = report_project.store, report_project.root
    assert run("attributes", "set", "T1", "group=官员", "-p", root).exit_code == 0
    assert run("attributes", "set", "T2", "group=市民", "-p", root).exit_code == 0
    table = code_frequencies(load_report_data(store), by="attr:group")
    assert table.groups == ("官员", "市民", "(no value)")
    assert [(c.codings, c.units, c.units_total) for c in _row(table, "Q.TIME").by] == [(3, 1, 4), (0, 0, 3), (0, 0, 2)]
    by_transcript = code_frequencies(load_report_data(store), by="transcript")
    assert _by(table, "Q.READ", "官员") == _by(by_transcript, "Q.READ", "T1")
    assert _by(table, "Q.READ", "市民") == _by(by_transcript, "Q.READ", "T2")

    assert run("attributes", "set", "--kind", "person", "T1:受访者A", "gender=女", "-p", root).exit_code == 0
    people = code_frequencies(load_report_data(store, Selection(speakers=("all",))), by="attr:gender")
    assert people.groups == ("女", "(no value)")
    # Q.READ: c7 and c8 mark T1's t3 (受访者A, 女); c9 marks T2's r (受访者B, no value).
    assert [(c.codings, c.units, c.units_total) for c in _row(people, "Q.READ").by] == [(2, 1, 2), (1, 1, 7)]
    persons = code_frequencies(load_report_data(store, Selection(speakers=("all",))), by="person")
    assert "T1:受访者A" in persons.groups and "T3:受访者A" in persons.groups  # one person per label per transcript
    result = run("freq", "--by", "attr:group", "--format", "csv", "-p", root)
    assert result.exit_code == 0 and "官员" in result.stdout


def test_reports_say_which_interviewer_turns_and_codings_they_left_out(report_project, run):
    """A coding on an interviewer's turn must not vanish from a report unexplained."""
    map_speakers(report_project.store, "访谈员", "访谈者")
    assert run("attributes", "set", "--kind", "person", "访谈员", "role=interviewer",
               "-p", report_project.root).exit_code == 0
    default = run("freq", "-p", report_project.root)
    assert default.exit_code == 0, default.stderr
    assert "left out: the turns of interviewers (访谈者" in default.stderr
    dropped = load_report_data(report_project.store)
    assert dropped.codings_left_out > 0 and f"{dropped.codings_left_out} coding{'' if dropped.codings_left_out == 1 else 's'} on them" in default.stderr
    everyone = run("freq", "--speakers", "all", "-p", report_project.root)
    assert "left out" not in everyone.stderr
