"""English messages that count things say "1 transcript" and "2 transcripts", never "1 transcripts"; the
Chinese ones, with no plural, read the same for both.

Each test runs the real CLI on a project with exactly one transcript, code, coder, coding and memo, and on
one with two of each.
"""

from __future__ import annotations

import pytest

from qcode.cli.project_cmds import print_summary
from qcode.i18n import counted, using_language
from qcode.i18n.extract import messages_in
from qcode.project.coding import CodingSession
from qcode.project.project import Project

TEXTS = ["受访者A：公众号很好用。\n", "受访者B：留言没人回。\n"]
CODES = ["INFO", "REPLY"]
CODERS = ["ann", "bob"]


def codebook_yaml(n: int) -> str:
    return "codes:\n" + "".join(f"  - {{id: {code}, name: 编码{code}}}\n" for code in CODES[:n])


@pytest.fixture(params=[1, 2], ids=["one", "two"])
def study(request, tmp_path, run):
    """A project with `n` transcripts, codes, coders, codings and memos (one coding and memo per coder)."""
    n = request.param
    root = tmp_path / "study"
    assert run("init", root).exit_code == 0
    (tmp_path / "cb.yaml").write_text(codebook_yaml(n), encoding="utf-8")
    assert run("codebook", "load", tmp_path / "cb.yaml", "-p", root).exit_code == 0
    files = []
    for i, text in enumerate(TEXTS[:n]):
        files.append(tmp_path / f"t{i + 1}.txt")
        files[-1].write_text(text, encoding="utf-8")
    assert run("import", *files, "-p", root).exit_code == 0
    with Project.open(root) as project:
        for i, coder in enumerate(CODERS[:n]):
            transcript = project.store.transcripts.by_name(f"t{i + 1}")
            session = CodingSession(project.store, coder)
            session.apply(transcript, CODES[i], 4, 9)
            session.set_memo("transcript", transcript.guid, "值得追问")
    return n, root


def test_counted_picks_the_form_and_fills_in_the_values():
    assert counted(1, "{count} coding in {name}", "{count} codings in {name}", name="t1") == "1 coding in t1"
    assert counted(0, "{count} coding in {name}", "{count} codings in {name}", name="t1") == "0 codings in t1"
    with using_language("zh"):
        assert counted(2, "{count} transcript", "{count} transcripts") == "2 份访谈"


def test_both_forms_given_to_counted_are_messages():
    source = 'counted(n, "{count} memo", "{count} memos", name=x)\n'
    assert [m.text for m in messages_in(source, "qcode/x.py", cli=False)] == ["{count} memo", "{count} memos"]


def test_backup_counts_transcripts_and_codings(study, run):
    n, root = study
    result = run("backup", "-p", root)
    assert result.exit_code == 0, result.stderr
    expected = "1 transcript, 1 coding)." if n == 1 else "2 transcripts, 2 codings)."
    assert expected in result.stdout


def test_the_refi_export_and_import_count_each_noun(study, run, tmp_path):
    n, root = study
    out = tmp_path / "out.qdpx"
    result = run("export", "qdpx", out, "-p", root)
    assert result.exit_code == 0, result.stderr
    if n == 1:
        summary = "1 transcript, 1 code or group, 1 coder, 1 coding, 1 memo."
    else:
        summary = "2 transcripts, 2 codes and groups, 2 coders, 2 codings, 2 memos."
    assert f"Wrote {out}: {summary}" in result.stdout
    result = run("init", tmp_path / "again", "--from", out)
    assert result.exit_code == 0, result.stderr
    assert summary[:-1] + ", 0 review statuses." in result.stdout


def test_codebook_counts_agree_with_their_numbers(study, run, tmp_path, capsys):
    n, root = study
    (tmp_path / "cb.yaml").write_text(codebook_yaml(n), encoding="utf-8")
    check = run("codebook", "check", tmp_path / "cb.yaml")
    assert check.exit_code == 0, check.stderr
    assert f"OK — {'1 code' if n == 1 else '2 codes'}, 0 groups" in check.stdout
    again = run("codebook", "load", tmp_path / "cb.yaml", "-p", root)
    assert f"({'1 code' if n == 1 else '2 codes'}); nothing changed." in again.stdout
    with Project.open(root) as project:
        print_summary(project)  # what `qcode demo --no-ui` prints
    assert f"Codebook: (untitled) — {'1 code' if n == 1 else '2 codes'}\n" in capsys.readouterr().out
    (tmp_path / "grouped.yaml").write_text(
        "codes:\n  - id: G\n    name: 组\n    codable: false\n    children:\n"
        + "".join(f"      - {{id: {code}, name: 编码{code}}}\n" for code in CODES[:n]), encoding="utf-8")
    loaded = run("codebook", "load", tmp_path / "grouped.yaml", "-p", root)
    assert loaded.exit_code == 0, loaded.stderr
    assert f": {'1 code' if n == 1 else '2 codes'} in 1 group (" in loaded.stdout


def test_chinese_reads_the_same_for_one_and_for_two(study, run, tmp_path):
    n, root = study
    out = tmp_path / "out.qdpx"
    backup = run("--lang", "zh", "backup", "-p", root)
    assert f"{n} 份访谈，{n} 条编码记录）。" in backup.stdout
    export = run("--lang", "zh", "export", "qdpx", out, "-p", root)
    assert f"已写入 {out}：{n} 份访谈，{n} 个编码和分组，{n} 位编码员，{n} 条编码记录，{n} 条备忘。" in export.stdout
    check = run("--lang", "zh", "codebook", "check", tmp_path / "cb.yaml")
    assert f"无误 — {n} 个编码，0 个分组" in check.stdout
