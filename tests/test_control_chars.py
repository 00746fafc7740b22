"""Control characters and bidi overrides in names and memos (issue 10 point 8): refused in new names, shown
harmlessly wherever old or imported data reaches the screen, through the CLI and the TUI."""

from __future__ import annotations

import sqlite3

import pytest

from qcode.codebook.stored import current_codebook
from qcode.domain.control_chars import first_control, visible_controls, visible_name, without_controls
from qcode.project.coding import CodingSession
from qcode.project.project import Project
from tests.conftest import dump
from tests.tui_support import TEXT, make_app, make_project, until

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;title\x07"
RLO = "\u202e"
HOSTILE = f"坏{CLEAR}名{TITLE}x{RLO}y"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def test_every_kind_of_control_character_is_found_and_shown_one_for_one():
    for char in ["\x00", "\x07", "\x1b", "\r", "\x7f", "\x85", "\x9b", *map(chr, range(0x202A, 0x202F)),
                 *map(chr, range(0x2066, 0x206A))]:
        assert first_control(f"a{char}b") == f"U+{ord(char):04X}"
        assert first_control(f"a{char}b", multiline=True) == f"U+{ord(char):04X}"
        assert len(visible_controls(f"a{char}b")) == 3 and char not in visible_controls(f"a{char}b")
        assert without_controls(f"a{char}b") == "ab"
    assert first_control("受访者A 王 tab\tok") == "U+0009" and first_control("a\tb\nc", multiline=True) is None
    assert visible_controls("行一\n\t行二") == "行一\n\t行二"
    assert visible_name("行一\n\t行二") == "行一␊␉行二"
    assert visible_name(HOSTILE) == "坏␛[2J名␛]0;title␇x�y"
    assert first_control("普通的名字 Zhang-3 (二)") is None and visible_name("普通") == "普通"


@pytest.fixture
def proj(tmp_path):
    return make_project(tmp_path / "proj")


@pytest.mark.parametrize("args", [
    ["complete", "t1", "--coder", HOSTILE],
    ["attributes", "set", "t1", f"年龄{CLEAR}=3"],
    ["attributes", "set", "t1", f"备注=a{RLO}b"],
    ["attributes", "define", f"组{TITLE}", "--type", "text"],
    ["persons", "map", f"王{CLEAR}", "--speaker", "受访者A"],
    ["speakers", "rename", "受访者A", f"受访者{RLO}B"],
])
def test_new_names_with_control_characters_are_refused_and_nothing_changes(run, proj, args):
    before = dump(proj / "qcode.db")
    result = run(*args, "-p", proj)
    assert result.exit_code != 0, result.stdout
    assert "control character" in result.stderr and "Traceback" not in result.stderr
    assert not any(char in result.stderr for char in RAW)
    assert dump(proj / "qcode.db") == before


def test_a_transcript_file_or_as_name_with_escapes_is_refused(run, proj, tmp_path):
    source = tmp_path / "访谈.txt"
    source.write_text(TEXT, encoding="utf-8")
    before = dump(proj / "qcode.db")
    result = run("import", source, "--as", HOSTILE, "-p", proj)
    assert result.exit_code != 0 and "U+001B" in result.stderr and "--as NAME" in result.stderr
    named = tmp_path / f"x{CLEAR}.txt"
    named.write_text(TEXT + "另一份。\n", encoding="utf-8")
    result = run("import", named, "-p", proj)
    assert result.exit_code != 0 and "U+001B" in result.stderr and str(tmp_path) in result.stderr
    assert "\x1b" not in result.stderr
    assert dump(proj / "qcode.db") == before


def test_codebook_check_names_file_and_line_of_each_control_character(run, tmp_path):
    book = tmp_path / "cb.yaml"
    book.write_text('codes:\n'
                    '  - {id: A, name: "坏\\e[2J名"}\n'
                    '  - {id: "B\\u202eX", name: 好}\n'
                    '  - {id: C, name: 行, definition: "含\\a铃声", description: "多行\\n\\t可以"}\n', encoding="utf-8")
    result = run("codebook", "check", book)
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if "control character" in line]
    assert [line.split(": ")[1] for line in lines] == [f"{book}:2:19", f"{book}:3:10", f"{book}:4:34"]
    assert "U+001B" in lines[0] and "U+202E" in lines[1] and "U+0007" in lines[2]


def test_a_coder_with_escapes_in_a_codings_csv_is_refused_with_its_line(run, proj, tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text(f"coder,transcript,start,end,code\nann,t1,0,5,O.STAFF\n{HOSTILE},t1,0,5,O.STAFF\n",
                   encoding="utf-8")
    before = dump(proj / "qcode.db")
    result = run("codings", "import", csv, "-p", proj)
    assert result.exit_code != 0 and f"{csv}:3" in result.stderr and "U+001B" in result.stderr
    assert dump(proj / "qcode.db") == before


def make_old_hostile_project(root):
    """A project made before control characters were refused: hostile coder, transcript, person, speaker,
    attribute, code name and memos, written straight into the database as an old qcode would have."""
    make_project(root)
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        session = CodingSession(project.store, "ann")
        start = TEXT.index("就我")
        coding = session.apply(info, "S.INTERACTION", start, start + 6)
        session.set_coding_memo(coding.guid, f"备忘{CLEAR}{TITLE}{RLO}反")
        session.set_memo("transcript", info.guid, f"稿{CLEAR}备忘")
        CodingSession(project.store, "bob").apply(info, "O.STAFF", start, start + 6)
    conn = sqlite3.connect(root / "qcode.db")
    with conn:
        conn.execute("UPDATE coders SET name = ? WHERE name = 'bob'", [f"bob{CLEAR}{RLO}"])
        conn.execute("UPDATE transcripts SET name = ?", [f"t1{TITLE}"])
        conn.execute("UPDATE codebooks SET document = replace(replace(document, '互动与用户参与', ?), 'Interaction', ?), "
                     "content_hash = 'old-hostile'", ['"互动\\e[2J\\u202e参与"', '"Inter\\e[2J\\u202eaction"'])
        conn.execute("UPDATE codes SET name = ? WHERE id = 'S.INTERACTION'", [f"互动{CLEAR}{RLO}参与"])
        conn.execute("UPDATE units SET speaker = ? WHERE speaker = '受访者A'", [f"受访者{CLEAR}A"])
    conn.close()
    return root


def test_the_cli_shows_old_hostile_names_with_their_controls_visible(run, tmp_path):
    root = make_old_hostile_project(tmp_path / "old")
    for args in (["transcripts"], ["quotes", "S.INTERACTION"], ["codebook", "show"],
                 ["disagreements", "--unit", "sentence", "--include-incomplete"], ["freq", "--by", "coder"]):
        result = run(*args, "-p", root)
        assert result.exit_code == 0, (args, result.stderr)
        shown = result.stdout + result.stderr
        assert not any(char in shown for char in RAW), args
    assert "t1␛]0;title␇" in run("transcripts", "-p", root).stdout


def _screen_text(app) -> str:
    """Every character the app would draw now (the text of the segments, not the escape codes Textual adds)."""
    update = app.screen._compositor.render_update(full=True)
    return "".join(segment.text for line in update.strips for segment in line)


def test_the_tui_never_draws_a_raw_control_character_from_old_data(tmp_path, run_pilot):
    root = make_old_hostile_project(tmp_path / "old")
    app = make_app(root, transcript=None)
    seen: dict[str, str] = {}

    async def scenario(pilot):
        await until(pilot, lambda: app.screen.query("DataTable"))
        await pilot.pause()
        seen["transcripts"] = _screen_text(app)
        await pilot.press("enter")  # the coding screen, with the memo in the info pane
        await until(pilot, lambda: type(app.screen).__name__ == "CodingScreen")
        await pilot.pause()
        seen["coding"] = _screen_text(app)
        for key, name in (("f2", "codebook"), ("f6", "memos"), ("f4", "statistics")):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause(0.2)
            seen[name] = _screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
        app.notify(f"通知 {CLEAR}{TITLE}{RLO}")
        await pilot.pause()
        seen["notification"] = _screen_text(app)

    run_pilot(app, scenario, size=(120, 40))
    for name, text in seen.items():
        assert not any(char in text for char in RAW), name
    assert "t1␛]0;title␇" in seen["transcripts"]
    assert "1 transcript ·" in seen["transcripts"]  # issue 10's "1 codings" class of defect, here too
    for name in ("coding", "codebook"):
        assert "互动␛[2J�参与" in seen[name] or "Inter␛[2J�action" in seen[name], name
    assert "备忘␛[2J" in seen["memos"]


def test_refi_qda_names_lose_their_control_characters_with_a_warning(tmp_path):
    """XML 1.0 cannot carry ESC, but it can carry C1 controls and bidi overrides."""
    from qcode.interop.qdpx_import import init_project_from_qdpx
    from tests.interop_support import NS, gid, write_qdpx

    text = "受访者：公众号很好用。\n"
    evil = f"安{RLO}妮\u009b"
    body = (f'<Users><User guid="{gid("user:a")}" name="{evil}"/></Users>'
            f'<CodeBook><Codes><Code guid="{gid("code:q")}" name="质量{RLO}" isCodable="true"/></Codes></CodeBook>'
            f'<Cases><Case guid="{gid("case:1")}" name="王{RLO}"/></Cases>'
            f'<Sources><TextSource guid="{gid("src:s")}" name="稿{RLO}一" plainTextPath="internal://{gid("src:s")}.txt">'
            f'<PlainTextSelection guid="{gid("sel:1")}" startPosition="4" endPosition="7" creatingUser="{gid("user:a")}">'
            f'<Coding guid="{gid("coding:1")}" creatingUser="{gid("user:a")}"><CodeRef targetGUID="{gid("code:q")}"/>'
            f"</Coding></PlainTextSelection></TextSource></Sources>")
    xml = f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name="t" origin="hostile">{body}</Project>'
    path = write_qdpx(tmp_path / "in.qdpx", xml, {f"sources/{gid('src:s')}.txt": text.encode("utf-8")})
    report = init_project_from_qdpx(tmp_path / "p", path)
    warned = [w.message if hasattr(w, "message") else str(w) for w in report.warnings]
    assert sum("holds control characters" in w for w in warned) >= 3, warned
    with Project.open(tmp_path / "p") as project:
        names = [*project.store.coders.names(), *(t.name for t in project.store.transcripts.all())]
        names += [p[2] for p in project.store.db.execute("SELECT * FROM persons").fetchall()]
        book = current_codebook(project.store)
        assert book is not None
        names += [book.display_name(code.id) for code in book]
        assert {"安妮", "稿一", "王", "质量"} <= set(names)
        assert not any(first_control(name) for name in names)


def test_check_lists_each_integrity_problem_on_its_own_line(run, tmp_path):
    root = make_project(tmp_path / "proj")
    with Project.open(root) as project:  # enough rows to fill many pages
        session = CodingSession(project.store, "ann")
        for i in range(400):
            session.set_memo("code", f"C{i}", "备忘" * 200)
    db = root / "qcode.db"
    size = db.stat().st_size
    with db.open("r+b") as file:
        file.seek((size // 4096 // 2) * 4096 + 100)
        file.write(b"\x00\xff" * 1500)
    result = run("check", "-p", root)
    assert result.exit_code == 1
    listed = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    assert "SQLite integrity" in result.stdout and 1 < len(listed) <= 21
    assert "\n" not in "".join(listed)


def test_a_new_coder_with_escapes_cannot_start_a_session_an_old_one_can(tmp_path):
    from qcode.errors import InputError

    root = make_old_hostile_project(tmp_path / "old")
    with Project.open(root) as project:
        with pytest.raises(InputError, match="U\\+001B"):
            CodingSession(project.store, f"新{CLEAR}")
        old = CodingSession(project.store, f"bob{CLEAR}{RLO}")  # stored before the refusal: still works
        assert old.coder == f"bob{CLEAR}{RLO}"
