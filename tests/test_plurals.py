"""English messages that count things say "1 transcript" and "2 transcripts", never "1 transcripts"; the
Chinese ones, with no plural, read the same for both.

Each test runs the real CLI (or the TUI, headless) on a project with exactly one transcript, code, coder,
coding and memo, and on one with two of each.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from qcode.cli.project_cmds import print_summary
from qcode.i18n import counted, set_language, using_language
from qcode.i18n.extract import messages_in
from qcode.project.coding import CodingSession
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.tui.screens.codebook import CodebookScreen
from qcode.tui.screens.retrieval import RetrievalScreen
from tests.tui_support import TEXT as TUI_TEXT
from tests.tui_support import make_app, make_project, run_scenario, until

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


@pytest.fixture(params=[1, 2], ids=["one", "two"])
def coded_in_tui(request, tmp_path):
    """The TUI test project with `n` codings of S.INFO by ann, in `n` transcripts."""
    n = request.param
    root = make_project(tmp_path / "p")
    with Project.open(root) as project:
        if n == 2:
            (root / "transcripts" / "t2.txt").write_text(TUI_TEXT + "访谈者：再见。\n", encoding="utf-8")
            import_transcripts(project, [root / "transcripts" / "t2.txt"])
        session = CodingSession(project.store, "ann")
        for name in ["t1", "t2"][:n]:
            session.apply(project.store.transcripts.by_name(name), "S.INFO", TUI_TEXT.index("公众号"),
                          TUI_TEXT.index("谁在管"))
    return n, root


def _screens(root, language: str) -> dict[str, str]:
    async def scenario():
        app = make_app(root, transcript=None)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            codebook = CodebookScreen(app.workspace)
            app.push_screen(codebook)
            await pilot.pause()
            codebook.show("S.INFO")
            await pilot.pause()
            seen = {"code": str(app.screen.query_one("#code-text", Static).render())}
            app.push_screen(RetrievalScreen(app.workspace, "S.INFO"))
            await until(pilot, lambda: isinstance(app.screen, RetrievalScreen))
            await pilot.pause()
            seen["passages"] = str(app.screen.query_one("#retrieval-title", Static).render())
            return seen

    set_language(language)
    return run_scenario(scenario())


def test_the_codebook_and_passages_screens_count_in_english(coded_in_tui):
    n, root = coded_in_tui
    seen = _screens(root, "en")
    if n == 1:
        assert "· 1 coding\n" in seen["code"] and "1 passage in 1 transcript" in seen["passages"]
    else:
        assert "· 2 codings\n" in seen["code"] and "2 passages in 2 transcripts" in seen["passages"]


def test_the_codebook_and_passages_screens_count_in_chinese(coded_in_tui):
    n, root = coded_in_tui
    seen = _screens(root, "zh")
    assert f"· {n} 条编码记录\n" in seen["code"] and f"{n} 个片段，来自 {n} 份访谈" in seen["passages"]
