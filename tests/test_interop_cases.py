"""REFI-QDA variables and cases: attributes and persons go out to .qdpx (valid against the XSD) and come back."""

from __future__ import annotations

import zipfile

from lxml import etree

from qcode.interop.qdpx_export import export_qdpx
from qcode.interop.qdpx_import import init_project_from_qdpx
from qcode.project.attributes import CaseValue, define_attribute, export_attributes, list_persons, map_speakers, store_values
from qcode.project.project import Project
from tests.interop_support import validate

NS = "{urn:QDA-XML:project:1.0}"

pytest_plugins = ["tests.reports_support"]


def test_attributes_and_persons_round_trip_through_qdpx(report_project, tmp_path):
    store = report_project.store
    define_attribute(store, "transcript", "band", "category", ("青年", "中年", "老年"))
    store_values(store, [CaseValue("transcript", "T1", "age", "34.5"), CaseValue("transcript", "T2", "age", "51"),
                         CaseValue("transcript", "T1", "band", "青年"),
                         CaseValue("transcript", "T1", "interviewed", "2024-05-01"),
                         CaseValue("transcript", "T2", "married", "是")])
    map_speakers(store, "王女士", "受访者A")  # T1 and T3
    store_values(store, [CaseValue("person", "王女士", "gender", "女"), CaseValue("person", "王女士", "role", "citizen")])
    path = export_qdpx(report_project, tmp_path / "cases.qdpx").path
    result = validate(path)
    assert result.returncode == 0, result.stdout + result.stderr

    root = etree.fromstring(zipfile.ZipFile(path).read("project.qde"))
    variables = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind(f"{NS}Variables/{NS}Variable")}
    assert variables == {"band": "Text", "age": "Float", "interviewed": "Date", "married": "Boolean",
                         "gender": "Text", "role": "Text"}
    (case,) = root.iterfind(f"{NS}Cases/{NS}Case")
    assert case.get("name") == "王女士" and len(case.findall(f"{NS}SourceRef")) == 2

    copy = init_project_from_qdpx(tmp_path / "copy", path)
    assert not [w for w in copy.warnings if "left out" in w.message]
    with Project.open(tmp_path / "copy") as back:
        assert export_attributes(back.store) == export_attributes(store)
        persons = {p["person"]: p for p in list_persons(back.store)}
        assert persons["王女士"]["speaks_as"] == ["T1:受访者A", "T3:受访者A"]
        assert persons["王女士"]["attributes"] == {"gender": "女", "role": "citizen"}
