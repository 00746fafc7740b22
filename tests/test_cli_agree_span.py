"""`qcode agree --unit span` on a small project: the passages, offsets and expected figures are worked
out by hand here (the formulas themselves are tested in test_agreement_unitizing.py)."""

from __future__ import annotations

import json

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project

# Three short interviews (written for this test). Offsets are code points of the stored text.
FIRST = ("访谈者：您觉得政务公众号的信息发布及时吗？\n受访者A：大部分时候还算及时，但是遇到突发事件的时候，"
         "往往要等到第二天才有正式通报，群众就会先去看别的渠道。\n访谈者：谢谢。\n")
SECOND = "访谈者：您平时怎么和部门互动？\n受访者B：一般在留言区提问，回复很慢，有时候根本没人回复。\n"
THIRD = "访谈者：还有补充吗？\n受访者C：希望多发一些办事指南。\n"
CODEBOOK = """\
codes:
  - id: G
    name: 信息
    codable: false
    children:
      - {id: A, name: 及时}
      - {id: B, name: 互动}
  - {id: C, name: 建议}
"""


def hand_u_alpha(length: int, a: tuple[int, int], b: tuple[int, int]) -> float:
    r"""uα of two coders with one passage each of the same code, by agreement.md's formulas (m = 2).

    l_XX = 2|a ∩ b|; l_X∅ = |a \ b| + |b \ a| = |a| + |b| - 2|a ∩ b| = l_∅X; l.. = 2L, l_X. = |a| + |b|;
    S = |a|² + |b|² + the gaps' length 2L - |a| - |b|.
    sum over c != k of e_ck = l..(l..² - l_X.² - l_∅.²)/(l..² - S); observed off-diagonal = l_X∅ + l_∅X.
    """
    la, lb = a[1] - a[0], b[1] - b[0]
    common = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    total = 2 * length
    coded = la + lb
    s = la**2 + lb**2 + (total - coded)
    expected = total * (total**2 - coded**2 - (total - coded) ** 2) / (total**2 - s)
    return 1 - 2 * (coded - 2 * common) / expected


def offsets(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


ANN_A = offsets(FIRST, "往往要等到第二天才有正式通报")
BOB_A = offsets(FIRST, "要等到第二天才有正式通报，群众")
ANN_B = offsets(SECOND, "回复很慢")
BOB_B = offsets(SECOND, "回复很慢，有时候根本没人回复")
ANN_C_OVERLAP = offsets(FIRST, "群众就会先去看别的渠道")  # overlaps bob's A, not ann's own A
ANN_C_ON_A = offsets(FIRST, "第二天才有正式通报，群众就会")  # overlaps ann's own A: codes not exclusive


@pytest.fixture
def study(tmp_path, run):
    root = tmp_path / "study"
    run("init", root)
    for name, text in (("t1", FIRST), ("t2", SECOND), ("t3", THIRD)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    assert run("codebook", "load", tmp_path / "cb.yaml", "-p", root).exit_code == 0
    assert run("import", *(tmp_path / f"{n}.txt" for n in ("t1", "t2", "t3")), "-p", root).exit_code == 0
    with Project.open(root) as project:
        t1, t2, t3 = (project.store.transcripts.by_name(n) for n in ("t1", "t2", "t3"))
        ann = CodingSession(project.store, "ann")
        bob = CodingSession(project.store, "bob")
        ann.apply(t1, "A", *ANN_A)
        bob.apply(t1, "A", *BOB_A)
        ann.apply(t2, "B", *ANN_B)
        bob.apply(t2, "B", *BOB_B)
        ann.apply(t3, "C", *offsets(THIRD, "多发一些办事指南"))
        for session in (ann, bob):
            session.set_complete(t1)
            session.set_complete(t2)
        ann.set_complete(t3)  # bob never completes t3: it is left out of the span comparison
    return root


def agree_json(run, root, *args):
    result = run("agree", "-p", root, "--unit", "span", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def lengths(root) -> dict[str, int]:
    with Project.open(root) as project:
        return {t.name: t.characters for t in project.store.transcripts.all()}


def test_span_json_shape_and_a_hand_computed_value(run, study):
    report = agree_json(run, study, "--codes", "A", "--bootstrap", "0")
    assert list(report)[:6] == ["unit", "coders", "n_units", "overall", "per_code", "pairwise"]
    assert report["unit"] == "span" and report["coders"] == ["ann", "bob"]
    assert list(report["overall"]) == ["u_alpha", "binary_u_alpha", "cu_alpha"]
    assert list(report["per_code"]["A"]) == ["k_u_alpha", "binary_u_alpha"]
    for result in [*report["overall"].values(), *report["per_code"]["A"].values()]:
        assert {"value", "undefined_reason", "ci95"} <= set(result)
    assert "coverage" in report["overall"]["cu_alpha"]
    # Only t1 and t2 were completed by both; uα is computed on their whole text.
    sizes = lengths(study)
    assert report["transcripts"] == ["t1", "t2"]
    assert report["transcript_lengths"] == {"t1": sizes["t1"], "t2": sizes["t2"]}
    assert report["continuum_length"] == sizes["t1"] + sizes["t2"]
    assert any("t3" in note for note in report["notes"])
    # Code A alone: ann's and bob's passages in t1, nothing in t2 (one long continuum: pooled = concatenated).
    expected = hand_u_alpha(sizes["t1"] + sizes["t2"], ANN_A, BOB_A)
    assert report["overall"]["u_alpha"]["value"] == pytest.approx(expected, abs=1e-12)
    assert report["overall"]["binary_u_alpha"]["value"] == pytest.approx(expected, abs=1e-12)  # one code
    assert report["per_code"]["A"]["binary_u_alpha"]["value"] == pytest.approx(expected, abs=1e-12)
    # Where the passages overlap, both applied A: cuα has one value only, so it is 0/0, not 1.
    assert report["overall"]["cu_alpha"]["value"] is None
    # coverage = l*.. / sum_{c≠∅} l_c. = 2 x 12 ("要等到第二天才有正式通报") / (14 + 15) = 24/29
    assert report["overall"]["cu_alpha"]["coverage"] == pytest.approx(24 / 29)


def test_domain_is_the_children_of_a_group_and_bootstrap_resamples_transcripts(run, study):
    report = agree_json(run, study, "--domain", "G", "--bootstrap", "200", "--seed", "3", "--by", "transcript")
    assert report["codes"] == ["A", "B"] and report["options"]["domain"] == "G"
    assert report["bootstrap"]["resampled"] == "transcripts"
    assert report["overall"]["u_alpha"]["ci95"] is not None
    assert set(report["by_transcript"]) == {"t1", "t2"}
    sizes = lengths(study)
    t1 = report["by_transcript"]["t1"]
    assert t1["length"] == sizes["t1"]
    assert t1["per_code"]["A"]["binary_u_alpha"]["value"] == pytest.approx(hand_u_alpha(sizes["t1"], ANN_A, BOB_A))
    assert t1["per_code"]["B"]["binary_u_alpha"]["undefined_reason"] == "no coder used this code"
    assert t1["overall"]["u_alpha"]["ci95"] is None  # nothing to resample within one transcript


def test_overlapping_codes_of_a_coder_leave_the_overall_figures_undefined_with_where(run, study):
    with Project.open(study) as project:
        CodingSession(project.store, "ann").apply(project.store.transcripts.by_name("t1"), "C", *ANN_C_ON_A)
    report = agree_json(run, study, "--codes", "A,C", "--bootstrap", "50")
    reason = report["overall"]["u_alpha"]["undefined_reason"]
    assert report["overall"]["u_alpha"]["value"] is None
    assert "ann" in reason and "t1" in reason
    assert f"[{ANN_A[0]}, {ANN_A[1]})" in reason and f"[{ANN_C_ON_A[0]}, {ANN_C_ON_A[1]})" in reason
    assert report["per_code"]["A"]["binary_u_alpha"]["value"] is not None
    table = run("agree", "-p", study, "--unit", "span", "--codes", "A,C", "--bootstrap", "0")
    assert table.exit_code == 0 and "not one variable" in table.stdout


def test_codes_that_only_meet_across_coders_are_one_variable(run, study):
    with Project.open(study) as project:
        CodingSession(project.store, "ann").apply(project.store.transcripts.by_name("t1"), "C", *ANN_C_OVERLAP)
    report = agree_json(run, study, "--codes", "A,C", "--bootstrap", "0")
    assert report["overall"]["u_alpha"]["value"] is not None
    assert report["overall"]["cu_alpha"]["value"] is not None  # ann's C meets bob's A
    assert report["per_code"]["C"]["k_u_alpha"]["value"] is not None


@pytest.mark.parametrize("fmt, expected", [("table", "uα (where and which code"), ("md", "| \\|uα"),
                                           ("csv", "transcript_length,t1,characters")])
def test_text_formats(run, study, fmt, expected):
    result = run("agree", "-p", study, "--unit", "span", "--domain", "G", "--bootstrap", "100", "--format", fmt,
                 "--by", "transcript")
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout
    assert "t3" in result.stdout or fmt == "csv"  # the note on the left-out transcript


@pytest.mark.parametrize("language, words", [("en", ["unitized continua", "bootstrap intervals over transcripts",
                                                      "of this text"]),
                                             ("zh", ["单元化alpha", "以转录稿为单位", "的文本"])])
def test_methods_paragraph(run, study, language, words):
    result = run("agree", "-p", study, "--unit", "span", "--domain", "G", "--bootstrap", "100", "--methods", language)
    assert result.exit_code == 0, result.stderr
    value = agree_json(run, study, "--domain", "G", "--bootstrap", "100")["overall"]["u_alpha"]["value"]
    assert f"{value:.3f}" in result.stdout
    for word in words:
        assert word in result.stdout
    assert "Mathet" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--domain", "C"], "no child codes"),
    (["--domain", "NOPE"], "no code 'NOPE'"),
    (["--domain", "G", "--codes", "A"], "either --codes or --domain"),
])
def test_bad_domain_options(run, study, args, message):
    result = run("agree", "-p", study, "--unit", "span", *args)
    assert result.exit_code != 0
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_by_with_other_units_gives_a_report_per_group_and_span_takes_only_transcript(run, study):
    # Issue 14: --by groups every agreement analysis (one report per transcript here).
    result = run("agree", "-p", study, "--unit", "turn", "--by", "transcript", "--bootstrap", "0")
    assert result.exit_code == 0 and "== transcript = t1 ==" in result.stdout
    result = run("agree", "-p", study, "--unit", "span", "--by", "person")
    assert result.exit_code != 0 and "--unit span" in result.stderr + result.stdout


def test_disagreements_on_spans_are_the_character_runs(run, study):
    result = run("disagreements", "-p", study, "--unit", "span", "--codes", "A", "--format", "json")
    assert result.exit_code == 0, result.stderr
    runs = json.loads(result.stdout)
    # ann's A starts 2 characters before bob's; bob's ends 3 characters after ann's.
    assert [(d["start"], d["end"]) for d in runs] == [(ANN_A[0], BOB_A[0]), (ANN_A[1], BOB_A[1])]


def test_rollup_counts_a_subtree_as_its_group(run, study):
    report = agree_json(run, study, "--rollup", "--codes", "G", "--bootstrap", "0")
    assert report["codes"] == ["G"]
    assert report["per_code_counts"]["G"] == {"ann": 2, "bob": 2}  # A in t1 and B in t2, each coder
    sizes = lengths(study)
    total = sizes["t1"] + sizes["t2"]
    # Two passages per coder, now of one value G, on t1 and t2 laid end to end: l and S add over them.
    a1, b1 = ANN_A, BOB_A
    a2 = (ANN_B[0] + sizes["t1"], ANN_B[1] + sizes["t1"])
    b2 = (BOB_B[0] + sizes["t1"], BOB_B[1] + sizes["t1"])
    common = sum(max(0, min(x[1], y[1]) - max(x[0], y[0])) for x, y in ((a1, b1), (a2, b2)))
    coded = sum(p[1] - p[0] for p in (a1, b1, a2, b2))
    s = sum((p[1] - p[0]) ** 2 for p in (a1, b1, a2, b2)) + (2 * total - coded)
    expected = 2 * total * ((2 * total) ** 2 - coded**2 - (2 * total - coded) ** 2) / ((2 * total) ** 2 - s)
    assert report["overall"]["u_alpha"]["value"] == pytest.approx(1 - 2 * (coded - 2 * common) / expected)


@pytest.mark.parametrize("language, seed_word", [("en", "seed 7"), ("zh", "随机种子7")])
def test_methods_paragraph_names_exactly_what_entered_the_figures(run, study, language, seed_word):
    """Issue 10 point 11 for spans: the compared transcripts by name and size, the seed, codes by name."""
    report = agree_json(run, study, "--domain", "G", "--bootstrap", "50", "--seed", "7")
    result = run("agree", "-p", study, "--unit", "span", "--domain", "G", "--bootstrap", "50", "--seed", "7",
                 "--methods", language)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert f"{report['continuum_length']:,}" in text
    for name in report["transcripts"]:
        assert name in text
    assert seed_word in text
    assert "independently coded" not in text and "独立编码" not in text
