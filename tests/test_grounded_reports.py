"""The grounded-theory demo and its thesis tables: open, axial and selective coding, memos, saturation.

Expected figures are counted straight from the demo's specification file (the quotations it codes), not
from the code under test.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter

import pytest
import yaml

from qcode.project.demo_grounded_theory import SPEC, build_gt_demo

SPECIFICATION = yaml.safe_load(SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gt(tmp_path_factory):
    root = tmp_path_factory.mktemp("gt") / "demo"
    build_gt_demo(root).close()
    return root


def test_open_coding_counts_and_starred_statements(gt, run):
    result = run("-p", gt, "report", "open-coding", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {r["concept"]: r for r in json.loads(result.stdout)}
    codings = Counter(code for _, code, *_ in SPECIFICATION["codings"])
    transcripts = {code: len({t for t, c, *_ in SPECIFICATION["codings"] if c == code}) for code in codings}
    assert {c: r["codings"] for c, r in rows.items()} == dict(codings)
    assert {c: r["transcripts"] for c, r in rows.items()} == transcripts
    starred = {code: quote for _, code, quote, *flags in SPECIFICATION["codings"] if "star" in flags}
    for code, row in rows.items():
        [statement] = row["statements"]
        if code in starred:
            assert statement["starred"] and statement["text"] == starred[code]
    # A01's K01: the starred coding is shown, not the earlier one, tagged with transcript and turn.
    assert rows["K01"]["statements"][0]["tag"].startswith("A01-")
    assert rows["K10"]["category"] == "C4"


def test_open_coding_markdown_and_two_examples(gt, run):
    md = run("-p", gt, "report", "open-coding", "--format", "md", "--examples", "2").stdout
    assert md.startswith("## 开放式编码\n\n| 范畴 | 初始概念 | 编码数 | 访谈数 | 原始语句（示例） |")
    line = next(l for l in md.splitlines() if "| 三审三校 |" in l)
    assert line.count("A01-") == 2 and "我们走完流程推出去已经晚上七点多了" in line.split("；")[0]


def test_axial_and_selective_coding(gt, run):
    axial = json.loads(run("-p", gt, "report", "axial-coding", "--format", "json").stdout)[0]["rows"]
    by_category = {r["对应范畴"]: r for r in axial}
    assert by_category["层层审核"]["主范畴"] == "流程约束"
    assert by_category["层层审核"]["关系"] == "层层审核 —因果→ 回应迟滞"
    assert "多级审核" in by_category["层层审核"]["范畴内涵"]
    selective = run("-p", gt, "report", "selective-coding", "--format", "json")
    storyline, structure = json.loads(selective.stdout)
    assert storyline["rows"][0]["核心范畴"] == "回应落差"
    assert storyline["rows"][0]["故事线"].startswith("县级政务公众号在流程约束")
    assert len(structure["rows"]) == len(SPECIFICATION["relations"])
    english = run("-p", gt, "report", "selective-coding", "--lang", "en", "--core", "M1").stdout
    assert "Procedural constraints" in english and "cause" in english


def test_docx_is_a_three_line_table(gt, run, tmp_path):
    out = tmp_path / "open.docx"
    assert run("-p", gt, "report", "open-coding", "--format", "docx", "-o", out).exit_code == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert "三审三校" in xml
    assert "w:insideV" not in xml.replace('w:insideV w:val="nil"', "").replace('w:insideV w:val="none"', "")
    assert 'w:sz="12"' in xml  # the heavy top and bottom rules


def test_saturation_curve_and_test_set(gt, run):
    data = json.loads(run("-p", gt, "saturation", "--format", "json").stdout)
    order = list(dict.fromkeys(t for t, *_ in SPECIFICATION["codings"] if t not in SPECIFICATION["saturation_test"]))
    assert [s["transcript"] for s in data["steps"]] == order
    seen: set[str] = set()
    for step in data["steps"]:
        codes = {c for t, c, *_ in SPECIFICATION["codings"] if t == step["transcript"]}
        assert set(step["new_codes"]) == codes - seen
        seen |= codes
        assert step["cumulative"] == len(seen)
    held = {c for t, c, *_ in SPECIFICATION["codings"] if t in SPECIFICATION["saturation_test"]}
    assert data["test_new_codes"] == sorted(held - seen)
    assert data["test_new_categories"] == [] and data["no_new_category"] is True
    text = run("-p", gt, "saturation").stdout
    assert "adds no new category" in text


def test_saturation_says_so_when_the_test_set_adds_a_category(gt, run, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(gt, copy)
    assert run("-p", copy, "codes", "add", "C9", "--name", "隐私顾虑", "--parent", "M4", "--group").exit_code == 0
    assert run("-p", copy, "codes", "add", "K17", "--name", "担心信息泄露", "--parent", "C9").exit_code == 0
    from qcode.project.coding import CodingSession
    from qcode.project.project import Project

    with Project.open(copy) as project:
        info = project.store.transcripts.by_name("B02-citizen-young-parent")
        text = project.store.transcripts.text(info.id)
        start = text.index("会不会哪天就泄露了")
        CodingSession(project.store, "研究者").apply(info, "K17", start, start + 9)
    data = json.loads(run("-p", copy, "saturation", "--format", "json").stdout)
    assert data["no_new_category"] is False and data["test_new_categories"] == ["C9"]
    assert "adds no new category" not in run("-p", copy, "saturation").stdout
    released = json.loads(run("-p", copy, "saturation", "--release", "B02-citizen-young-parent",
                              "--format", "json").stdout)
    assert released["no_new_category"] is None and released["steps"][-1]["transcript"] == "B02-citizen-young-parent"


def test_memos_export(gt, run, tmp_path):
    data = json.loads(run("-p", gt, "memos", "--format", "json").stdout)
    kinds = Counter(m["type"] for m in data)
    assert kinds["relation"] == sum(1 for *_, memo in SPECIFICATION["relations"] if memo)
    assert kinds["coding"] == len(SPECIFICATION["memos"]) and kinds["code"] == 1
    only = json.loads(run("-p", gt, "memos", "--code", "M3", "--format", "json").stdout)
    assert {m["type"] for m in only} == {"code", "coding", "relation"}
    out = tmp_path / "memos.xlsx"
    assert run("-p", gt, "memos", "--format", "xlsx", "-o", out).exit_code == 0 and out.stat().st_size > 0
    md = run("-p", gt, "memos", "--format", "md", "--type", "code").stdout
    assert "回应落差" in md and md.startswith("## Memos")
    bad = run("-p", gt, "memos", "--code", "NOPE")
    assert bad.exit_code != 0 and "no code 'NOPE'" in bad.stderr


def test_the_walk_through_states_the_demo_as_it_is(gt, run):
    from tests.conftest import REPO_ROOT

    page = (REPO_ROOT / "docs" / "grounded-theory.md").read_text(encoding="utf-8")
    codings = SPECIFICATION["codings"]
    starred = sum("star" in flags for *_, flags in ((c[:3], c[3:]) for c in codings))
    interviews = {"four": 4, "five": 5}
    claim = f"It has {len(codings)} codings, quoted from "
    assert claim in page
    said = page[page.index(claim) + len(claim):].split()[0]
    assert interviews[said] == len({t for t, *_ in codings})
    assert f"{starred} of them are starred" in page
    assert f"It has {len(SPECIFICATION['relations'])} relations" in page
    verdict = " ".join(run("-p", gt, "saturation").stdout.strip().splitlines()[-1].split())
    assert verdict in " ".join(page.split())


def test_codes_edit_and_reorder_from_the_cli(gt, run, tmp_path):
    import shutil

    from qcode.project.codebook_loading import current_codebook
    from qcode.project.project import Project

    copy = tmp_path / "p"
    shutil.copytree(gt, copy)
    edited = run("-p", copy, "codes", "edit", "K01", "--definition", "稿件须经三级审核。", "--keywords", "三审,终审",
                 "--example", "三审三校嘛。", "--key", "q1", "--color", "#AA3300")
    assert edited.exit_code == 0, edited.stderr
    assert run("-p", copy, "codes", "reorder", "K03", "--up", "2").exit_code == 0
    with Project.open(copy) as project:
        book = current_codebook(project.store)
        code = book["K01"]
        assert (code.definition.get("zh"), code.keywords, code.key, code.color) == (
            "稿件须经三级审核。", ("三审", "终审"), "q1", "#aa3300")
        assert [c.id for c in book.children_of("C1")] == ["K03", "K01", "K02"]
    text = (copy / "codebooks" / "gt-linxi.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Grounded-theory demo codebook")  # the comments survive
    bad = run("-p", copy, "codes", "edit", "K01", "--color", "red-ish")
    assert bad.exit_code != 0 and "#rrggbb" in bad.stderr


def test_passages_carry_the_turn_time_when_the_transcript_has_one(gt):
    from qcode.project.codebook_loading import current_codebook
    from qcode.project.project import Project
    from qcode.reports.quotes import format_time
    from qcode.reports.retrieval import passages

    with Project.open(gt) as project:
        found = {p.coding.transcript: p for p in passages(project.store, current_codebook(project.store), "K10")}
        a02 = project.store.transcripts.by_name("A02-department-head")
        text = project.store.transcripts.text(a02.id)
    # A02 times every turn ("[00:03:57] 受访者B："); A01 has no times.
    passage = found["A02-department-head"]
    line_start = text.rfind("\n", 0, passage.coding.start) + 1
    stamp = text[line_start:text.index("]", line_start) + 1]
    assert f"[00:{format_time(passage.time)}]" == stamp
    assert found["A01-editor"].time is None
