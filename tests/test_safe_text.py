"""Text leaving qcode for a terminal or a spreadsheet: escape sequences shown, formulas defused."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcode.text.safe_text import spreadsheet_safe, spreadsheet_unescape, visible_controls

ANSI_RED = "\x1b[31m"
TITLE = "\x1b]0;pwned\x07"


def test_escape_sequences_and_other_controls_become_visible_one_for_one():
    text = f"受访者{ANSI_RED}红色{TITLE}\r覆盖\x9b2J\x7f\n\t下一行"
    shown = visible_controls(text)
    assert len(shown) == len(text)  # offsets stay valid
    assert not any(ch in shown for ch in "\x1b\x07\r\x9b\x7f")
    assert "␛[31m" in shown and "␇" in shown and "␍" in shown and "␡" in shown
    assert "\n\t下一行" in shown  # line feed and tab are kept
    assert visible_controls("普通的文字 plain") == "普通的文字 plain"


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                  "=1+1", "'=1+1", "''-x"])
def test_formula_starts_get_a_quote_and_come_back_unchanged(cell):
    safe = spreadsheet_safe(cell)
    assert safe.startswith("'") and safe[1:] == cell
    assert spreadsheet_unescape(safe) == cell


@pytest.mark.parametrize("value", ["-0.25", "+3", "-12", "1e-3", 3, -0.5, None, "普通", "a=b", "", "'"])
def test_numbers_and_ordinary_text_stay_as_they_are(value):
    assert spreadsheet_safe(value) == value


@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\r0123456789.eaå好 "))))
def test_escaping_is_undone_exactly(text):
    assert spreadsheet_unescape(spreadsheet_safe(text)) == text


def test_every_csv_qcode_writes_is_escaped(run, project):
    from qcode.cli.output import to_csv

    written = to_csv(["name", "value"], [["=cmd|' /C calc'!A0", -0.5], ["@x", "ok"]])
    rows = list(csv.reader(io.StringIO(written)))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "-0.5"] and rows[2] == ["'@x", "ok"]


def test_printed_output_shows_escape_sequences_files_keep_the_data(capsys, tmp_path):
    from qcode.cli import output

    output.write_output(f"name{ANSI_RED}{TITLE}\r\n", None)
    assert capsys.readouterr().out == "name␛[31m␛]0;pwned␇␍\n"
    output.write_output(f"name{ANSI_RED}\n", str(tmp_path / "out.txt"))
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == f"name{ANSI_RED}\n"


def test_error_messages_never_carry_escape_sequences(run, tmp_path):
    result = run("codebook", "check", tmp_path / f"nope{ANSI_RED}.yaml")
    assert result.exit_code != 0
    assert "\x1b" not in result.stderr and "␛[31m" in result.stderr
