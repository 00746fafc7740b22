"""`check_codebook`: every check, with the exact line and column it reports."""

from __future__ import annotations

import pytest
import yaml

from qcode.codebook import check_codebook, check_codebook_text, load_codebook, parse_codebook_text
from qcode.errors import InputError, Problem


def found(text: str) -> list[tuple[int | None, int | None, str, str]]:
    """(line, column, severity, message) of every problem in `text`."""
    return [(p.line, p.column, p.severity, p.message) for p in check_codebook_text(text, "cb.yaml")]


def only(text: str) -> tuple[int | None, int | None, str, str]:
    problems = found(text)
    assert len(problems) == 1, problems
    return problems[0]


# -- the file --------------------------------------------------------------------------------------


def test_a_missing_file_raises_input_error_naming_it(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(InputError, match=r"nope\.yaml does not exist"):
        check_codebook(missing)
    with pytest.raises(InputError, match=r"nope\.yaml does not exist"):
        load_codebook(missing)


def test_a_directory_raises_input_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="is a directory") as caught:
        load_codebook(tmp_path)
    assert caught.value.problems[0].path == str(tmp_path)


def test_a_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfcodes: [{id: A, name: \xe7\x94\xb2}]\n")
    assert check_codebook(path) == []
    assert load_codebook(path).display_name("A") == "甲"


def test_non_utf8_bytes_are_located_by_line_and_character_column(tmp_path):
    path = tmp_path / "gbk.yaml"
    # Line 2 is "  - {id: 甲, name: 乙}" with 乙 saved as GBK; the BOM and 甲 (UTF-8) precede it.
    path.write_bytes(b"\xef\xbb\xbfcodes:\n  - {id: \xe7\x94\xb2, name: " + "乙".encode("gbk") + b"}\n")
    [problem] = check_codebook(path)
    assert (problem.path, problem.line, problem.column) == (str(path), 2, 19)
    assert "not valid UTF-8" in problem.message and "GB18030" in problem.message


def test_utf16_is_refused_with_advice(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes("codes: [{id: A, name: A}]".encode("utf-16"))
    [problem] = check_codebook(path)
    assert (problem.line, problem.column) == (1, 1)
    assert "UTF-16" in problem.message and "UTF-8" in problem.message


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [problem] = check_codebook(path)
    assert "binary file" in problem.message
    assert (problem.line, problem.column) == (3, 1)  # the NUL after "\x89PNG\r\n" and "\x1a\n"


def test_an_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="the codebook is empty") as caught:
        load_codebook(path)
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (1, 1)
    assert only("# only a comment\n")[3].startswith("the codebook is empty")


def test_control_characters_are_located():
    assert only('codes: [{id: A, name: "甲\x01"}]\n')[:2] == (1, 25)


# -- YAML ------------------------------------------------------------------------------------------


def test_malformed_yaml_names_file_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text('codes:\n  - id: A\n    name: "unterminated\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_codebook(path)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column) == (str(path), 4, 1)
    assert problem.message.startswith("YAML syntax error") and "line 3, column 11" in problem.message
    assert str(problem).startswith(f"{path}:4:1: YAML syntax error")


def test_unclosed_flow_list_points_at_the_unexpected_token():
    line, column, _, message = only("codes: [{id: A, name: A}\nx: 1\n")
    assert (line, column) == (2, 1)
    assert message.startswith("YAML syntax error")


def test_a_misindented_key_is_located():
    line, column, _, message = only("codes:\n  - id: A\n  name: A\n")
    assert (line, column) == (3, 3)
    assert message.startswith("YAML syntax error")


def test_tab_indentation_gets_a_hint():
    line, column, _, message = only("codes:\n\t- {id: A, name: A}\n")
    assert (line, column) == (2, 1)
    assert "indented with a tab" in message


def test_full_width_colon_after_a_key_gets_a_hint():
    line, column, _, message = only("codes:\n  - id：A\n    name: A\n")
    assert (line, column) == (3, 9)
    assert "line 2 has a full-width colon" in message


def test_full_width_colon_in_a_one_line_code_gets_a_hint():
    line, column, _, message = only("codes:\n  - id：A\n")
    assert (line, column) == (2, 5)
    assert "a code must be a mapping" in message and "full-width colon" in message


def test_duplicate_yaml_keys_are_refused_at_the_second():
    assert only("codes:\n  - id: A\n    name: A\n    name: B\n") == (
        4,
        5,
        "error",
        "duplicate key 'name' (first at line 3); YAML would silently keep only the last one",
    )


def test_duplicate_keys_inside_a_language_map_are_refused():
    line, column, _, message = only("codes:\n  - id: A\n    name: {zh: 甲, zh: 乙}\n")
    assert (line, column) == (3, 19)
    assert "duplicate key 'zh'" in message


def test_a_yaml_bomb_is_refused_without_expanding_it():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "\n".join(lines) + "\ncodes: [{id: A, name: A}]\n"  # 9**10 strings once expanded
    problems = found(bomb)  # expanding would take hours and terabytes; finishing at all is the check
    assert problems[0][:2] == (2, 10)
    assert "alias '*a0' is not allowed" in problems[0][3]
    assert len(problems) == 10  # aliases are listed up to a limit, then the check stops
    with pytest.raises(InputError):
        parse_codebook_text(bomb)


@pytest.mark.parametrize("fast_parser", ["libyaml", "pure-python"])
def test_deep_nesting_is_refused_without_crashing(fast_parser, monkeypatch):
    # The same finding whether or not PyYAML has libyaml, and whatever nesting limit its libyaml has.
    if fast_parser == "pure-python":
        monkeypatch.setattr("qcode.codebook.yaml_tree._LOADER", yaml.SafeLoader)
    deep = "codes: " + "[" * 100_000 + "]" * 100_000 + "\n"
    line, column, _, message = only(deep)
    assert (line, column) == (1, 71)  # the top-level mapping and 63 brackets are allowed
    assert "nested more than 64 levels" in message


def test_nesting_just_below_libyamls_own_limit_is_refused_at_ours():
    deep = "codes: " + "[" * 999 + "]" * 999 + "\n"
    assert only(deep)[:2] == (1, 71)


def test_a_second_document_is_refused():
    assert only("codes: [{id: A, name: A}]\n---\ncodes: [{id: B, name: B}]\n")[:2] == (2, 1)


def test_top_level_must_be_a_mapping():
    line, column, _, message = only("- id: A\n  name: A\n")
    assert (line, column) == (1, 1)
    assert "found a list" in message and "'codes:' line missing" in message
    assert only("just words\n")[:2] == (1, 1)


# -- top level -------------------------------------------------------------------------------------


def test_a_newer_format_says_to_upgrade():
    line, column, severity, message = only("format: 99\ncodes: [{id: A, name: A}]\nnew_field: 1\n")
    assert (line, column, severity) == (1, 9, "error")
    assert "format 99" in message and "upgrade qcode" in message


@pytest.mark.parametrize("value", ["0", "1.5", "x", "[1]"])
def test_format_must_be_a_positive_whole_number(value):
    assert only(f"format: {value}\ncodes: [{{id: A, name: A}}]\n")[:2] == (1, 9)


def test_codes_missing_or_empty():
    assert only("title: x\n")[:2] == (1, 1)
    assert "no 'codes' list" in only("title: x\n")[3]
    assert only("codes: []\n")[:2] == (1, 8)
    assert only("codes:\n")[:2] == (1, 7)
    assert "must be a list" in only("codes: {id: A}\n")[3]


def test_unknown_top_level_fields_get_suggestions():
    assert found("schema_version: 1\ngroups: []\ntitel: x\ncodes: [{id: A, name: A}]\n") == [
        (1, 1, "error", "unknown field 'schema_version' in the top level (did you mean 'format'?)"),
        (2, 1, "error", "unknown field 'groups' in the top level (did you mean 'codes'?)"),
        (3, 1, "error", "unknown field 'titel' in the top level (did you mean 'title'?)"),
    ]


def test_keyword_match_must_be_token_or_substring():
    line, column, _, message = only("keyword_match: tokens\ncodes: [{id: A, name: A}]\n")
    assert (line, column) == (1, 16)
    assert "did you mean 'token'?" in message


def test_languages_must_be_codes_listed_once():
    assert found("languages: [zh, 中文, zh]\ncodes: [{id: A, name: A}]\n") == [
        (1, 17, "error", "'中文' is not a language code (use codes such as zh, en, zh-Hant)"),
        (1, 21, "error", "language 'zh' is listed twice"),
    ]


def test_texts_are_checked_against_languages():
    text = (
        "languages: [zh, en]\n"
        "codes:\n"
        "  - {id: A, name: {zh: 甲}}\n"
        "  - {id: B, name: {zh: 乙, en: B, fr: B}}\n"
    )
    assert found(text) == [
        (3, 19, "warning", "the name of code 'A' has no 'en' text (the codebook's languages are zh, en)"),
        (4, 19, "warning", "the name of code 'B' has a 'fr' text, but 'fr' is not in languages (zh, en)"),
    ]


def test_a_language_map_key_must_be_a_language_code():
    assert only("codes:\n  - {id: A, name: {中文: 甲}}\n")[:2] == (2, 20)


# -- sources ---------------------------------------------------------------------------------------


def test_source_problems():
    text = (
        "sources:\n"
        "  - {key: a, cite: A}\n"
        "  - {key: a, cite: B}\n"
        "  - {key: c}\n"
        "  - {key: d, cite: D, url: x}\n"
        "codes:\n"
        "  - {id: A, name: A, sources: [a, b]}\n"
    )
    assert found(text) == [
        (3, 11, "error", "duplicate source key 'a' (first at line 2)"),
        (4, 5, "error", "source 'c' has no 'cite'"),
        (5, 23, "error", "unknown field 'url' in a source; known fields: key, cite"),
        (7, 35, "error", "unknown source 'b'; known sources: a, d"),
    ]


def test_citing_a_source_without_top_level_sources():
    line, column, _, message = only("codes:\n  - {id: A, name: A, sources: [x]}\n")
    assert (line, column) == (2, 32)
    assert "declares no top-level 'sources'" in message


# -- codes -----------------------------------------------------------------------------------------


def test_unknown_code_fields_get_suggestions():
    text = "codes:\n  - id: A\n    name: A\n    defintion: x\n    hotkey: a\n    colour: red\n    zzz: 1\n"
    assert found(text) == [
        (4, 5, "error", "unknown field 'defintion' in a code (did you mean 'definition'?)"),
        (5, 5, "error", "unknown field 'hotkey' in a code (did you mean 'key'?)"),
        (6, 5, "error", "unknown field 'colour' in a code (did you mean 'color'?)"),
        (
            7,
            5,
            "error",
            "unknown field 'zzz' in a code; known fields: "
            + ", ".join(
                [
                    "id",
                    "name",
                    "codable",
                    "key",
                    "color",
                    "description",
                    "definition",
                    "include",
                    "exclude",
                    "examples",
                    "example",
                    "keywords",
                    "sources",
                    "children",
                ]
            ),
        ),
    ]


def test_missing_id_and_name_point_at_the_code():
    assert found("codes:\n  - name: A\n  - id: B\n    definition: x\n") == [
        (2, 5, "error", "this code has no 'id'"),
        (3, 5, "error", "code 'B' has no 'name'"),
    ]


def test_empty_or_badly_spaced_ids_and_names():
    text = (
        'codes:\n  - {id: " A", name: A}\n  - {id: "", name: B}\n  - {id: C, name: ""}\n  - {id: D, name: }\n'
    )
    assert found(text) == [
        (2, 10, "error", "id ' A' has leading or trailing spaces"),
        (3, 10, "error", "this code's 'id' is empty"),
        (4, 19, "error", "the name of code 'C' is empty"),
        (5, 19, "error", "the name of code 'D' is empty"),  # an empty value sits where it would start
    ]


def test_an_id_cannot_contain_a_line_break():
    assert only('codes:\n  - {id: "A\\nB", name: A}\n')[:2] == (2, 10)


def test_duplicate_ids_point_at_the_second_and_name_the_first(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("codes:\n  - id: 服务\n    name: A\n  - id: X\n    name: X\n    children:\n"
                    "      - id: 服务\n        name: B\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as caught:
        load_codebook(path)
    [problem] = caught.value.problems
    assert problem == Problem("duplicate id '服务': the code at line 2 already has it", str(path), 7, 13)


def test_wrong_types_are_errors():
    text = (
        "codes:\n"
        "  - id: A\n"
        "    name: [甲]\n"
        '    codable: "false"\n'
        "    keywords: 流量, 营销\n"
        "    children: {id: B, name: B}\n"
        "    definition: [x]\n"
        "    examples: {zh: [x]}\n"
    )
    assert found(text) == [
        (
            3,
            11,
            "error",
            "the name of code 'A' must be a string or a mapping of language to string, found a list",
        ),
        (4, 14, "error", "'codable' of code 'A' must be true or false (without quotes)"),
        (5, 15, "error", "'keywords' of code 'A' must be a list, e.g. [流量, 阅读量]; found '流量, 营销'"),
        (
            6,
            15,
            "error",
            "'children' of code 'A' must be a list, e.g. [{id: ..., name: ...}]; found a mapping",
        ),
        (
            7,
            17,
            "error",
            "'definition' of code 'A' must be a string or a mapping of language to string, found a list",
        ),
        (8, 20, "error", "the 'zh' text of an example of code 'A' must be a string, found a list"),
    ]


def test_unsupported_yaml_tags_are_errors():
    assert found("codes:\n  - {id: !custom A, name: A}\n")[0][:2] == (2, 10)


def test_a_code_must_be_a_mapping():
    line, column, _, message = only("codes:\n  - id:A\n")
    assert (line, column) == (2, 5)
    assert "needs a space after ':'" in message


def test_example_and_examples_together():
    assert only("codes:\n  - id: A\n    name: A\n    examples: [x]\n    example: y\n")[:2] == (5, 5)


# -- hotkeys ---------------------------------------------------------------------------------------


def test_duplicate_hotkeys_point_at_the_second():
    text = "codes:\n  - {id: A, name: A, key: a1}\n  - {id: B, name: B, key: a1}\n"
    assert only(text) == (3, 27, "error", "hotkey 'a1' of code 'B' is already used by code 'A' (line 2)")


@pytest.mark.parametrize(("first", "second"), [("1", "12"), ("12", "1")])
def test_a_hotkey_that_starts_another_is_ambiguous(first, second):
    text = f"codes:\n  - {{id: A, name: A, key: '{first}'}}\n  - {{id: B, name: B, key: '{second}'}}\n"
    line, column, severity, message = only(text)
    assert (line, column, severity) == (3, 27, "error")
    assert "are ambiguous: after '1' the coding screen cannot tell whether '12' is coming" in message


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("N1", "hotkey 'N1' must be lower case: 'n1'"),
        ("abc", "hotkey 'abc' must be one or two characters from a-z and 0-9"),
        ("'é'", "hotkey 'é' must be one or two characters from a-z and 0-9"),
        ("'a b'", "hotkey 'a b' must be one or two characters from a-z and 0-9"),
    ],
)
def test_invalid_hotkeys(key, message):
    assert only(f"codes:\n  - id: A\n    name: A\n    key: {key}\n") == (4, 10, "error", message)


def test_hotkeys_are_read_as_written():
    codebook = parse_codebook_text("codes:\n  - {id: A, name: A, key: no}\n  - {id: B, name: B, key: 07}\n")
    assert codebook.by_key() == {"no": "A", "07": "B"}


def test_a_group_cannot_have_a_hotkey():
    text = (
        "codes:\n  - id: G\n    name: G\n    codable: false\n    key: g\n    children: [{id: A, name: A}]\n"
    )
    assert only(text)[:3] == (5, 10, "error")


# -- colours ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['"#12345"', '"#ggg"', "reddish", '"rgb(1,2,3)"'])
def test_invalid_colours(value):
    line, column, _, message = only(f"codes:\n  - id: A\n    name: A\n    color: {value}\n")
    assert (line, column) == (4, 12)
    assert "is not a colour" in message


def test_an_unquoted_hash_colour_is_explained():
    line, column, _, message = only("codes:\n  - id: A\n    name: A\n    color: #e15759\n")
    assert (line, column) == (4, 11)
    assert "quote it" in message


# -- keywords, groups, references ------------------------------------------------------------------


def test_a_keyword_shared_by_two_codes_is_a_warning_naming_both():
    text = (
        "codes:\n"
        "  - id: A\n    name: A\n    keywords: [流量, 营销]\n"
        "  - id: B\n    name: B\n    keywords: [阅读, 流量]\n"
    )
    assert only(text) == (
        7,
        20,
        "warning",
        "keyword '流量' is shared by code 'A' (line 4) and code 'B'; "
        "a suggestion from it cannot tell the two apart",
    )
    parse_codebook_text(text)  # warnings do not stop loading


def test_keyword_spaces_repeats_and_empties():
    # A keyword with a space is fine: suggestions match it as a phrase of adjacent words.
    text = 'codes:\n  - id: A\n    name: A\n    keywords: ["new media", 流量, 流量, ""]\n'
    assert found(text) == [
        (4, 33, "warning", "keyword '流量' is listed twice in code 'A'"),
        (4, 37, "error", "code 'A' has an empty keyword"),
    ]


def test_group_warnings():
    text = "codes:\n  - id: G\n    name: G\n    codable: false\n    keywords: [x]\n"
    assert found(text) == [
        (2, 9, "warning", "code 'G' is a group (codable: false) with no children; it organises nothing"),
        (
            5,
            16,
            "warning",
            "code 'G' is a group, which cannot be applied, so its keywords are never suggested",
        ),
    ]


def test_exclude_references_to_missing_ids_are_warnings():
    text = (
        "codes:\n"
        "  - id: S.ROLE\n"
        "    name: A\n"
        "    exclude: {zh: 功能 → S.SERVICE；其他 → 相应问题代码。,\n"
        "              en: 'Functions -> S.SERVCE; e.g. -> the right code'}\n"
        "  - {id: S.SERVICE, name: B, exclude: 'also code S.ROLE -> S.ROLE (double-code)'}\n"
    )
    assert only(text) == (
        4,
        14,
        "warning",
        "the exclude text of code 'S.ROLE' refers to 'S.SERVCE', which is not a code id",
    )


# -- reporting -------------------------------------------------------------------------------------


def test_every_problem_is_reported_in_file_order_with_path():
    text = "codes:\n  - {id: A, name: A, key: a}\n  - {id: A, name: B, key: a, color: nope}\n  - {name: C}\n"
    problems = check_codebook_text(text, "mine.yaml")
    assert [(p.line, p.column) for p in problems] == [(3, 10), (3, 27), (3, 37), (4, 5)]
    assert all(p.path == "mine.yaml" for p in problems)


def test_load_raises_with_every_error_but_not_warnings(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("codes:\n  - {id: A, name: A, keywords: [x]}\n  - {id: B, name: B, keywords: [x]}\n"
                    "  - {id: C, nam: C}\n  - {id: C, name: C}\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as caught:
        load_codebook(path)
    assert [(p.line, p.column, p.severity) for p in caught.value.problems] == [
        (4, 5, "error"), (4, 13, "error"), (5, 10, "error"),
    ]  # fmt: skip
    assert all(p.path == str(path) for p in caught.value.problems)
