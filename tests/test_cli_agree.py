"""`qcode agree` and `qcode disagreements` on a small project whose ratings are worked out by hand.

The expected per-unit ratings below are written by reading the text, not computed by qcode; the
statistics are then checked against scikit-learn and the krippendorff package (used only in tests).
"""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from qcode.project.coding import CodingSession
from qcode.project.project import Project

# Sentences (by the importer's rules): s0 第一句。 s1 “第二句”很重要。 | s2 第三句？ s3 第四句。 s4 第五句…… s5 第六句； s6 第七句。 | s7 第八句。
TEXT = "访谈者：第一句。“第二句”很重要。\n受访者A：第三句？第四句。第五句……第六句；第七句。\n访谈者：第八句。\n"
SECOND = "访谈者：你好。\n受访者B：不错。挺好。\n"
CODEBOOK = """\
codes:
  - id: G
    name: 组
    codable: false
    children:
      - {id: A, name: 甲}
      - {id: B, name: 乙}
  - {id: C, name: 丙}
"""


def span(text: str, piece: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


@pytest.fixture
def study(tmp_path, run):
    root = tmp_path / "study"
    run("init", root)
    (tmp_path / "t1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "t2.txt").write_text(SECOND, encoding="utf-8")
    (tmp_path / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    assert run("codebook", "load", tmp_path / "cb.yaml", "-p", root).exit_code == 0
    assert run("import", tmp_path / "t1.txt", tmp_path / "t2.txt", "-p", root).exit_code == 0
    with Project.open(root) as project:
        t1 = project.store.transcripts.by_name("t1")
        t2 = project.store.transcripts.by_name("t2")
        ann = CodingSession(project.store, "ann")
        bob = CodingSession(project.store, "bob")
        # ann: A on s0 — spilling the opening quote of s1, which must not mark s1; A on s2+s3 in one coding;
        #      B on s4; C on s6.
        ann.apply(t1, "A", TEXT.index("第一句"), TEXT.index("“") + 1)
        ann.apply(t1, "A", *(lambda a, b: (a[0], b[1]))(span(TEXT, "第三句？"), span(TEXT, "第四句。")))
        ann.apply(t1, "B", *span(TEXT, "第五句"))
        ann.apply(t1, "C", *span(TEXT, "第七句。"))
        # bob: A on s0; A on s3; B on s4 and s5 (two codings); A on s7 — only punctuation of s6 would not count.
        bob.apply(t1, "A", *span(TEXT, "第一句。"))
        bob.apply(t1, "A", *span(TEXT, "第四句"))
        bob.apply(t1, "B", *span(TEXT, "第五句……"))
        bob.apply(t1, "B", *span(TEXT, "第六句；"))
        bob.apply(t1, "A", *span(TEXT, "第八句"))
        bob.apply(t1, "C", *span(TEXT, "。", 4))  # the full stop after 第七句: punctuation only, marks nothing
        for session in (ann, bob):
            session.set_complete(t1)
        ann.set_complete(t2)  # bob never completes t2: its units are missing for him
        ann.apply(t2, "C", *span(SECOND, "不错"))
    return root


# Per sentence of t1 (s0..s7), by hand:
ANN = {"A": [1, 0, 1, 1, 0, 0, 0, 0], "B": [0, 0, 0, 0, 1, 0, 0, 0], "C": [0, 0, 0, 0, 0, 0, 1, 0]}
BOB = {"A": [1, 0, 0, 1, 0, 0, 0, 1], "B": [0, 0, 0, 0, 1, 1, 0, 0], "C": [0, 0, 0, 0, 0, 0, 0, 0]}


def agree_json(run, root, *args):
    result = run("agree", "-p", root, "--format", "json", "--bootstrap", "0", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_has_the_documented_shape(run, study):
    report = agree_json(run, study, "--unit", "sentence")
    assert list(report)[:8] == ["unit", "coders", "n_units", "overall", "per_code", "pairwise", "label_sets", "notes"]
    stats = ["percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "krippendorff_alpha_nominal",
             "brennan_prediger", "gwet_ac1"]
    assert report["unit"] == "sentence" and report["coders"] == ["ann", "bob"]
    assert isinstance(report["n_units"], int)
    assert list(report["overall"]) == stats
    assert list(report["per_code"]) == ["A", "B", "C"]
    assert list(report["pairwise"]) == ["ann|bob"]
    for table in [report["overall"], *report["per_code"].values(), *report["pairwise"].values()]:
        assert list(table) == stats
        for result in table.values():
            assert set(result) == {"value", "undefined_reason", "ci95"}
            assert (result["value"] is None) == (result["undefined_reason"] is not None)
    assert set(report["label_sets"]) == {"krippendorff_alpha_masi"}


def test_per_code_statistics_match_hand_counts_and_reference_libraries(run, study):
    report = agree_json(run, study, "--unit", "sentence")
    # t1 has 8 sentences both rated; t2's 3 sentences are rated by ann only (missing for bob).
    assert report["n_units"] == 11 and report["n_units_pairable"] == 8
    for code in ("A", "B"):
        got = report["per_code"][code]
        expected_kappa = cohen_kappa_score(ANN[code], BOB[code])
        assert got["cohen_kappa"]["value"] == pytest.approx(expected_kappa, abs=1e-9)
        agreement = np.mean(np.array(ANN[code]) == np.array(BOB[code]))
        assert got["percent_agreement"]["value"] == pytest.approx(agreement, abs=1e-9)
        data = np.array([ANN[code] + [0, 1, 0], BOB[code] + [np.nan] * 3], dtype=float)  # t2: ann C on s1 only
        alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert got["krippendorff_alpha_nominal"]["value"] == pytest.approx(alpha, abs=1e-9)
    # bob never applied C where it counts, ann once: kappa is 0 by formula (p_e = p_o ... ) — check by sklearn.
    assert report["per_code"]["C"]["cohen_kappa"]["value"] == pytest.approx(cohen_kappa_score(ANN["C"], BOB["C"]), abs=1e-9)
    assert report["per_code_counts"]["A"] == {"ann": 3, "bob": 3}


def test_multi_label_units_make_overall_single_label_statistics_null_with_a_pointer(run, study):
    report = agree_json(run, study, "--unit", "turn")
    reason = report["overall"]["cohen_kappa"]["undefined_reason"]
    assert report["overall"]["cohen_kappa"]["value"] is None
    assert "per_code" in reason and "label_sets" in reason
    assert report["label_sets"]["krippendorff_alpha_masi"]["value"] is not None


def test_transcript_units_and_rollup(run, study):
    report = agree_json(run, study, "--unit", "transcript", "--rollup")
    assert report["codes"] == ["G", "C"]
    # G (A or B): both used it in t1; ann used only C in t2. C: ann in t1 (s6) and t2; bob's C covers only a
    # full stop, but at transcript level every code used anywhere counts, so bob has C in t1 too.
    assert report["per_code_counts"]["G"] == {"ann": 1, "bob": 1}
    assert report["per_code_counts"]["C"] == {"ann": 2, "bob": 1}


def test_incomplete_transcripts_are_missing_unless_asked(run, study):
    default = agree_json(run, study, "--unit", "sentence")
    assert default["rated"] == {"ann": ["t1", "t2"], "bob": ["t1"]}
    with Project.open(study) as project:
        t2 = project.store.transcripts.by_name("t2")
        CodingSession(project.store, "bob").apply(t2, "C", *span(SECOND, "挺好"))
    widened = agree_json(run, study, "--unit", "sentence", "--include-incomplete")
    assert widened["rated"]["bob"] == ["t1", "t2"]
    assert widened["n_units_pairable"] == 11


def test_filters_and_errors(run, study):
    only_a = agree_json(run, study, "--unit", "sentence", "--codes", "A", "--transcripts", "t1")
    assert list(only_a["per_code"]) == ["A"] and only_a["transcripts"] == ["t1"]
    group = run("agree", "-p", study, "--codes", "G")
    assert group.exit_code == 1 and "--rollup" in group.stderr
    unknown = run("agree", "-p", study, "--coders", "ann,zoe")
    assert unknown.exit_code == 1 and "zoe" in unknown.stderr
    alone = run("agree", "-p", study, "--coders", "ann")
    assert alone.exit_code == 0  # one coder named explicitly: statistics are undefined, with reasons
    assert "Traceback" not in alone.stderr


def test_bootstrap_is_reproducible_with_a_seed(run, study):
    first = agree_json(run, study, "--unit", "sentence", "--bootstrap", "300", "--seed", "7")
    second = agree_json(run, study, "--unit", "sentence", "--bootstrap", "300", "--seed", "7")
    ci = first["per_code"]["A"]["cohen_kappa"]["ci95"]
    assert ci is not None and ci[0] <= first["per_code"]["A"]["cohen_kappa"]["value"] <= ci[1]
    assert first == second


def test_character_level(run, study):
    report = agree_json(run, study, "--unit", "char", "--codes", "A", "--transcripts", "t1")
    # Hand count on t1 for code A: ann covers 第一句。“ (5) and 第三句？第四句。 (8); bob covers 第一句。(4),
    # 第四句 (3) and 第八句 (3).
    both, ann_only, bob_only = 4 + 3, 1 + 5, 3
    n = len(TEXT)
    neither = n - both - ann_only - bob_only
    p_o = (both + neither) / n
    p_e = ((both + ann_only) * (both + bob_only) + (neither + bob_only) * (neither + ann_only)) / n**2
    assert report["per_code"]["A"]["percent_agreement"]["value"] == pytest.approx(p_o, abs=1e-12)
    assert report["per_code"]["A"]["cohen_kappa"]["value"] == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-12)


def test_methods_paragraphs_carry_the_figures(run, study):
    report = agree_json(run, study, "--unit", "sentence")
    kappa_a = report["per_code"]["A"]["cohen_kappa"]["value"]
    en = run("agree", "-p", study, "--unit", "sentence", "--methods", "en").stdout
    zh = run("agree", "-p", study, "--unit", "sentence", "--methods", "zh").stdout
    assert "Two coders (ann, bob)" in en and "sentences as the unit of analysis" in en
    assert f"{kappa_a:.3f}" in en and "Landis & Koch, 1977" in en and "Krippendorff, 2004" in en
    assert "95% CI" in en
    assert "两名编码员（ann、bob）" in zh and "句子为分析单位" in zh and f"{kappa_a:.3f}" in zh
    assert "Landis" in zh and "Krippendorff" in zh


def test_table_csv_and_markdown_formats(run, study, tmp_path):
    table = run("agree", "-p", study, "--unit", "sentence", "--bootstrap", "0")
    assert table.exit_code == 0 and "Per code" in table.stdout and "甲" in table.stdout
    csv_out = tmp_path / "agree.csv"
    assert run("agree", "-p", study, "--format", "csv", "-o", csv_out).exit_code == 0
    lines = csv_out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "scope,key,statistic,value,ci95_low,ci95_high,undefined_reason"
    assert any(line.startswith("per_code,A,cohen_kappa,") for line in lines)
    md = run("agree", "-p", study, "--format", "md").stdout
    assert "| code | name | ann | bob |" in md


def test_disagreements_list_units_in_document_order(run, study):
    result = run("disagreements", "-p", study, "--unit", "sentence", "--format", "json")
    found = json.loads(result.stdout)
    # Sentences where the two code sets differ: s2 (ann A), s5 (bob B), s6 (ann C), s7 (bob A).
    assert [(d["transcript"], d["index"]) for d in found] == [("t1", 2), ("t1", 5), ("t1", 6), ("t1", 7)]
    assert found[0]["text"] == "第三句？" and found[0]["speaker"] == "受访者A"
    assert found[0]["codes"] == {"ann": ["A"], "bob": []}
    table = run("disagreements", "-p", study, "--unit", "sentence")
    assert "4 disagreements" in table.stdout and "第三句？" in table.stdout
    assert "甲 [A]" in table.stdout  # codes by name (the codebook has Chinese names only), id in brackets
