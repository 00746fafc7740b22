"""The methods paragraph and `qcode agree` say exactly what entered the figures, and whether it was blind.

The project: ann and bob both completed t1; ann alone completed t2 (bob coded in it without completing);
bob alone completed t3; nobody completed t4. Only t1 can enter any kappa or alpha.
"""

from __future__ import annotations

import json
import re

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project

CODEBOOK = """\
codes:
  - {id: A, name: {zh: 回应及时, en: Timely response}}
  - {id: B, name: {zh: 人员不足, en: Understaffing}}
  - {id: C, name: 平台依赖}
"""
T1 = "".join(f"受访者{i % 2}：第{i}句讲留言回复。第{i}句讲人手不够！\n" for i in range(12))
OTHERS = {"t2": "访谈者：你们怎么回复留言？\n受访者：一般当天回复。\n", "t3": "访谈者：人手够吗？\n受访者：不够。\n",
          "t4": "访谈者：还有什么补充？\n受访者：没有了。\n"}


@pytest.fixture
def study(tmp_path, run):
    root = tmp_path / "study"
    run("init", root)
    (tmp_path / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "t1.txt").write_text(T1, encoding="utf-8")
    for name, text in OTHERS.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    assert run("codebook", "load", tmp_path / "cb.yaml", "-p", root).exit_code == 0
    files = [tmp_path / f"{n}.txt" for n in ("t1", *OTHERS)]
    assert run("import", *files, "-p", root).exit_code == 0
    with Project.open(root) as project:
        store = project.store
        t = {n: store.transcripts.by_name(n) for n in ("t1", *OTHERS)}
        ann, bob = CodingSession(store, "ann"), CodingSession(store, "bob")
        for i, line_start in enumerate(m.start() for m in re.finditer("受访者", T1)):
            first = T1.index("讲留言回复", line_start)
            second = T1.index("讲人手不够", line_start)
            ann.apply(t["t1"], "A", first, first + 5)
            if i % 3:
                bob.apply(t["t1"], "A", first, first + 5)
            if i % 2:
                ann.apply(t["t1"], "B", second, second + 5)
            if i % 4 != 1:
                bob.apply(t["t1"], "B" if i % 2 else "C", second, second + 5)
        ann.apply(t["t2"], "A", 0, 5)
        bob.apply(t["t2"], "A", 0, 5)
        bob.apply(t["t3"], "B", 0, 5)
        ann.set_complete(t["t1"])
        bob.set_complete(t["t1"])
        ann.set_complete(t["t2"])
        bob.set_complete(t["t3"])
    return root


def agree_json(run, root, *args):
    result = run("agree", "-p", root, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def methods(run, root, language, *args):
    result = run("agree", "-p", root, "--methods", language, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_json_names_exactly_the_transcripts_characters_and_units_that_entered(run, study):
    report = agree_json(run, study, "--unit", "sentence", "--bootstrap", "0")
    compared = report["compared"]
    assert compared["transcripts"] == ["t1"]
    assert compared["characters"] == len(T1)
    assert compared["units"] == report["n_units_pairable"] == 24  # two sentences on each of 12 lines
    assert compared["by_transcript"] == [{"name": "t1", "characters": len(T1), "units": 24, "coders": ["ann", "bob"]}]
    assert compared["not_compared"] == [{"name": "t2", "coders": ["ann"]}, {"name": "t3", "coders": ["bob"]},
                                        {"name": "t4", "coders": []}]
    assert report["not_independent"] == []
    # The documented keys stay where they were.
    assert list(report)[:8] == ["unit", "coders", "n_units", "overall", "per_code", "pairwise", "label_sets", "notes"]
    assert report["transcripts"] == ["t1", "t2", "t3", "t4"]


def test_methods_paragraph_counts_only_what_both_coders_completed(run, study):
    report = agree_json(run, study, "--unit", "sentence")
    en = methods(run, study, "en", "--unit", "sentence")
    zh = methods(run, study, "zh", "--unit", "sentence")
    all_characters = len(T1) + sum(len(t) for t in OTHERS.values())
    assert f"{all_characters:,}" not in en and f"{all_characters:,}" not in zh
    assert f"on the 1 transcript that both coders had marked as completely coded (t1; {len(T1):,} characters)" in en
    assert "3 further transcripts (t2, t3, t4)" in en and "do not enter the figures" in en
    assert f"1份访谈转录稿（t1；共{len(T1):,}字）" in zh and "另有3份转录稿（t2、t3、t4）" in zh
    assert "N = 24 sentences in these transcripts" in en and "上述转录稿中共24个句子" in zh
    assert "1,000 resamples, seed 1" in en and "重抽样1,000次，随机种子1" in zh
    # Every code by name (English where the codebook has it, the one name otherwise), id in brackets.
    for code, english, chinese in (("A", "Timely response", "回应及时"), ("B", "Understaffing", "人员不足"),
                                   ("C", "平台依赖", "平台依赖")):
        row_en = next(line for line in en.splitlines() if line.startswith(f"| {english} ({code})"))
        row_zh = next(line for line in zh.splitlines() if line.startswith(f"| {chinese}（{code}）"))
        for stat in ("cohen_kappa", "krippendorff_alpha_nominal"):
            result = report["per_code"][code][stat]
            assert result["value"] is not None and result["ci95"] is not None
            cell = f"{result['value']:.3f} [{result['ci95'][0]:.3f}, {result['ci95'][1]:.3f}]"
            assert cell in row_en and cell in row_zh
    masi = report["label_sets"]["krippendorff_alpha_masi"]
    assert f"{masi['value']:.3f} (95% CI [{masi['ci95'][0]:.3f}, {masi['ci95'][1]:.3f}]" in en
    assert "independently: by qcode's record, none viewed" in en and "各编码员独立完成" in zh


def test_a_reveal_before_completing_is_named_everywhere_and_independence_is_not_claimed(run, study, tmp_path):
    with Project.open(study) as project:
        t1 = project.store.transcripts.by_name("t1")
        t2 = project.store.transcripts.by_name("t2")
        bob = CodingSession(project.store, "bob")
        bob.set_complete(t1, False)
        bob.record_reveal(t1)
        bob.set_complete(t1)
        bob.record_reveal(t2)  # t2 does not enter the figures: not reported
    report = agree_json(run, study, "--unit", "sentence", "--bootstrap", "0")
    [seen] = report["not_independent"]
    assert (seen["coder"], seen["transcript"], seen["status"]) == ("bob", "t1", "in_progress")
    en = methods(run, study, "en", "--unit", "sentence")
    zh = methods(run, study, "zh", "--unit", "sentence")
    assert "bob viewed the other coders' codings of t1 before completing it" in en
    assert "Each coder coded these transcripts independently" not in en and "not fully independent" in en
    assert "bob在完成t1的编码之前查看过其他编码员的编码" in zh and "各编码员独立完成" not in zh
    assert "t2" not in en.split("do not enter the figures")[1]
    table = run("agree", "-p", study, "--unit", "sentence", "--bootstrap", "0").stdout
    assert "bob saw other coders' codings of t1 before completing it" in table
    md = run("agree", "-p", study, "--unit", "sentence", "--bootstrap", "0", "--format", "md").stdout
    assert "bob saw other coders' codings of t1 before completing it" in md
    csv_text = run("agree", "-p", study, "--unit", "sentence", "--bootstrap", "0", "--format", "csv").stdout
    assert any(line.startswith("not_independent,t1,bob,") for line in csv_text.splitlines())


def test_three_coders_with_different_transcripts_are_listed_per_transcript(run, study):
    with Project.open(study) as project:
        t1, t2 = (project.store.transcripts.by_name(n) for n in ("t1", "t2"))
        cy = CodingSession(project.store, "cy")
        cy.apply(t1, "A", 0, 5)
        cy.set_complete(t1)
        cy.apply(t2, "A", 0, 5)
        cy.set_complete(t2)
    report = agree_json(run, study, "--unit", "sentence", "--bootstrap", "0")
    assert report["compared"]["transcripts"] == ["t1", "t2"]
    en = methods(run, study, "en", "--unit", "sentence", "--bootstrap", "0")
    assert "the 2 transcripts that at least two coders had marked as completely coded (t1 (ann, bob, cy); t2 (ann, cy);" in en
    assert "2 further transcripts (t3, t4)" in en


def test_without_a_transcript_both_coders_completed_the_paragraph_says_so_and_nothing_else(run, study):
    en = methods(run, study, "en", "--transcripts", "t2,t3", "--coders", "ann,bob")
    zh = methods(run, study, "zh", "--transcripts", "t2,t3", "--coders", "ann,bob")
    assert "No transcript was completed by two or more of these coders" in en and "kappa" not in en
    assert "没有任何转录稿由两名及以上编码员完成编码" in zh and "kappa" not in zh


@pytest.mark.parametrize("language, expected, wrong", [
    ("en", "Only one code has a defined kappa, ", "ranged from"),
    ("zh", "仅有一个代码的kappa有定义：", "介于"),
])
def test_one_code_with_a_defined_kappa_is_not_given_as_a_range(study, run, language, expected, wrong):
    result = run("agree", "--codes", "A", "--methods", language, "-p", study)
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout and wrong not in result.stdout
