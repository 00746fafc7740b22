"""The codebook format and model: reading every field, the tree, colours, hashing, writing, diffing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from itertools import pairwise

import pytest
import yaml

import qcode.codebook.yaml_tree as yaml_tree
from qcode.codebook import check_codebook_text, diff_codebooks, dump_codebook_yaml, parse_codebook_text
from qcode.domain.codebook import DEFAULT_PALETTE, Code, Codebook, Source, Text

FULL = textwrap.dedent(
    """\
    format: 1
    id: pilot
    version: 1.10
    title: {zh: 试编码, en: Pilot}
    description: 小编码本
    languages: [zh, en]
    keyword_match: substring
    sources:
      - {key: d2000, cite: "Denhardt & Denhardt (2000)"}
    codes:
      - id: NPS
        name: {zh: 新公共服务, en: New Public Service}
        codable: false
        description: {zh: 规范视角, en: Normative lens}
        sources: [d2000]
        children:
          - id: NPS.CITIZEN
            name: {zh: 服务于公民, en: Serve citizens}
            key: n1
            color: "#ABC"
            definition: {zh: 把公众视为公民, en: The public as citizens}
            include: {zh: 权利, en: Rights}
            exclude: {zh: 功能 → S.FUNC, en: Functions -> S.FUNC}
            example: {zh: 他们是居民, en: They live here}
            keywords: [公民, 顾客]
            sources: [d2000]
      - id: S.FUNC
        name: {zh: 服务功能, en: Service functions}
        key: s1
        color: Teal
        definition: |
          {zh: not a map}
          second line
        examples:
          - {zh: 只能看指南, en: Guides only}
          - {zh: 缴费没反应, en: Payments fail}
        keywords: [在线办理]
        children:
          - id: S.FUNC.PAY
            name: {zh: 缴费, en: Payments}
            key: s2
          - id: S.FUNC.BOOK
            name: {zh: 预约, en: Booking}
            children:
              - {id: S.FUNC.BOOK.ONLINE, name: {zh: 在线预约, en: Online booking}}
      - id: 背景
        name: {zh: 背景, en: Background}
    """
)


@pytest.fixture(scope="module")
def full() -> Codebook:
    assert check_codebook_text(FULL) == []
    return parse_codebook_text(FULL)


# -- reading ---------------------------------------------------------------------------------------


def test_the_smallest_codebook():
    codebook = parse_codebook_text("codes: [{id: A, name: A}]")
    assert [code.id for code in codebook] == ["A"]
    code = codebook["A"]
    assert (code.name, code.codable, code.key, code.color, code.parent, code.children) == (
        Text("A"),
        True,
        None,
        None,
        None,
        (),
    )
    assert (codebook.format_version, codebook.keyword_match, codebook.languages) == (1, "token", ())


def test_metadata_is_read(full):
    assert (full.format_version, full.id, full.version) == (1, "pilot", "1.10")
    assert full.title.get("en") == "Pilot" and full.description == Text("小编码本")
    assert full.languages == ("zh", "en") and full.keyword_match == "substring"
    assert full.sources == (Source("d2000", "Denhardt & Denhardt (2000)"),)


def test_every_code_field_is_read(full):
    code = full["NPS.CITIZEN"]
    assert code.name == Text(translations=(("zh", "服务于公民"), ("en", "Serve citizens")))
    assert (code.key, code.color, code.codable, code.parent) == ("n1", "#aabbcc", True, "NPS")
    assert code.definition.get("en") == "The public as citizens"
    assert code.include.get("zh") == "权利"
    assert code.exclude.get("en") == "Functions -> S.FUNC"
    assert code.examples == (Text(translations=(("zh", "他们是居民"), ("en", "They live here"))),)
    assert code.keywords == ("公民", "顾客") and code.sources == ("d2000",)
    group = full["NPS"]
    assert group.is_group and group.description.get("en") == "Normative lens" and group.sources == ("d2000",)
    function = full["S.FUNC"]
    assert function.color == "#008080"  # the named colour teal, case-insensitive
    assert function.definition == Text(
        "{zh: not a map}\nsecond line"
    )  # a literal block, final newline stripped
    assert [example.get("en") for example in function.examples] == ["Guides only", "Payments fail"]


def test_values_are_read_as_written_not_as_yaml_types():
    codebook = parse_codebook_text(
        "codes:\n  - {id: 1.10, name: yes, key: on, keywords: [2020, null, true]}\n"
    )
    code = codebook["1.10"]
    assert (code.name, code.key, code.keywords) == (Text("yes"), "on", ("2020", "true"))


def test_empty_optional_fields_are_absent():
    codebook = parse_codebook_text(
        "codes:\n  - id: A\n    name: A\n    definition:\n    keywords:\n    children:\n"
    )
    code = codebook["A"]
    assert (code.definition, code.keywords, code.children) == (Text(), (), ())


def test_unicode_ids_with_inner_spaces_are_fine():
    codebook = parse_codebook_text("codes: [{id: 角色 定位, name: 角色定位}]")
    assert "角色 定位" in codebook


# -- Text ------------------------------------------------------------------------------------------


def test_text_falls_back_sensibly():
    bilingual = Text.of({"zh": "服务", "en": "Service"})
    assert bilingual.get("en") == "Service" and bilingual.get("zh-Hant") == "服务"
    assert bilingual.get("fr") == "服务" and bilingual.get() == "服务" and str(bilingual) == "服务"
    assert Text.of({"en": "Only English"}).get("zh") == "Only English"
    assert Text.of("plain").get("en") == "plain" and Text.of(None) == Text() and not Text()
    assert bilingual.languages == ("zh", "en") and bilingual.as_data() == {"zh": "服务", "en": "Service"}


def test_text_equality_ignores_order_and_surrounding_space():
    assert Text.of({"zh": " 服务 ", "en": "Service"}) == Text.of({"en": "Service\n", "zh": "服务", "fr": ""})
    assert hash(Text.of({"zh": "a", "en": "b"})) == hash(Text.of({"en": "b", "zh": "a"}))
    assert Text("a") != Text.of({"zh": "a"})


def test_text_refuses_contradictions():
    with pytest.raises(ValueError):
        Text("a", (("zh", "b"),))
    with pytest.raises(ValueError):
        Text(translations=(("zh", "a"), ("zh", "b")))


# -- the tree --------------------------------------------------------------------------------------


def test_document_order_and_lookup(full):
    assert [code.id for code in full] == [
        "NPS", "NPS.CITIZEN", "S.FUNC", "S.FUNC.PAY", "S.FUNC.BOOK", "S.FUNC.BOOK.ONLINE", "背景",
    ]  # fmt: skip
    assert len(full) == 7 and "S.FUNC" in full and "nope" not in full
    assert full.get("nope") is None and full.get("S.FUNC") is full["S.FUNC"]
    with pytest.raises(KeyError, match="nope"):
        full["nope"]


def test_hierarchy(full):
    assert [code.id for code in full.roots()] == ["NPS", "S.FUNC", "背景"]
    assert [code.id for code in full.children_of("S.FUNC")] == ["S.FUNC.PAY", "S.FUNC.BOOK"]
    assert full.parent_of("S.FUNC.BOOK.ONLINE").id == "S.FUNC.BOOK" and full.parent_of("NPS") is None
    assert full.subtree("S.FUNC") == ("S.FUNC", "S.FUNC.PAY", "S.FUNC.BOOK", "S.FUNC.BOOK.ONLINE")
    assert full.subtree("S.FUNC.PAY") == ("S.FUNC.PAY",)
    assert [full.depth(code_id) for code_id in ("NPS", "NPS.CITIZEN", "S.FUNC.BOOK.ONLINE")] == [0, 1, 2]


def test_what_a_coder_uses(full):
    assert "NPS" not in [code.id for code in full.codable()] and len(full.codable()) == 6
    assert full.by_key() == {"n1": "NPS.CITIZEN", "s1": "S.FUNC", "s2": "S.FUNC.PAY"}
    assert (
        full.display_name("S.FUNC", "zh") == "服务功能" and full.display_name("S.FUNC", "en") == "Service functions"
    )


def test_colours_come_from_the_code_or_the_palette_by_position(full):
    assert full.color_of("NPS.CITIZEN") == "#aabbcc"
    assert full.color_of("NPS") == DEFAULT_PALETTE[0]
    assert full.color_of("S.FUNC.PAY") == DEFAULT_PALETTE[3]
    assert full.color_of("背景") == DEFAULT_PALETTE[6]
    many = parse_codebook_text("codes: [" + ", ".join(f"{{id: c{i}, name: c}}" for i in range(30)) + "]")
    colours = [many.color_of(f"c{i}") for i in range(30)]
    assert colours[:24] == list(DEFAULT_PALETTE) and colours[24] == colours[0]
    assert all(a != b for a, b in pairwise(colours))


def test_an_inconsistent_tree_is_refused():
    a = Code(id="A", name=Text("A"), children=("B",))
    b = Code(id="B", name=Text("B"), parent="A")
    Codebook(codes=(a, b))
    with pytest.raises(ValueError, match="duplicate"):
        Codebook(codes=(a, b, b))
    with pytest.raises(ValueError, match="parent"):
        Codebook(codes=(Code(id="A", name=Text("A")), b))
    with pytest.raises(ValueError, match="child"):
        Codebook(codes=(a, Code(id="B", name=Text("B"))))
    with pytest.raises(ValueError, match="depth-first"):
        Codebook(codes=(b, a))
    with pytest.raises(ValueError, match="colour"):
        Code(id="A", name=Text("A"), color="#ABC")


# -- content hash ----------------------------------------------------------------------------------


def test_content_hash_ignores_comments_layout_and_key_order():
    block = textwrap.dedent(
        """\
        # a comment
        codes:
          - id: A
            name:
              zh: 甲
              en: A
            keywords: [x, y]   # trailing comment
            codable: true
        keyword_match: token
        format: 1
        """
    )
    flow = 'codes: [{keywords: ["x", "y"], name: {en: A, zh: "甲"}, id: A}]'
    assert parse_codebook_text(block).content_hash() == parse_codebook_text(flow).content_hash()
    assert len(parse_codebook_text(flow).content_hash()) == 64


def test_content_hash_changes_with_content():
    base = parse_codebook_text("codes: [{id: A, name: A}]").content_hash()
    for changed in (
        "codes: [{id: A, name: B}]",
        "codes: [{id: A, name: A, key: a}]",
        "version: 2\ncodes: [{id: A, name: A}]",
    ):
        assert parse_codebook_text(changed).content_hash() != base


# -- writing ---------------------------------------------------------------------------------------


def test_dump_round_trips(full):
    text = dump_codebook_yaml(full)
    assert check_codebook_text(text) == []
    again = parse_codebook_text(text)
    assert again == full and again.content_hash() == full.content_hash()
    assert dump_codebook_yaml(again) == text


def test_dump_round_trips_awkward_values():
    codebook = Codebook(
        codes=(
            Code(
                id="1.10",
                name=Text("yes"),
                key="no",
                keywords=("null", "#tag", "a: b"),
                definition=Text("line 1\n  line 2"),
            ),
            Code(
                id="it's",
                name=Text.of({"zh": "“引号”", "en": 'it\'s "quoted"'}),
                color="#00ff00",
                examples=(Text("- dash"),),
            ),
            Code(id="~", name=Text("~"), exclude=Text("[not a list]")),
        ),
        version="007",
    )
    text = dump_codebook_yaml(codebook)
    again = parse_codebook_text(text)
    assert again == codebook and again.content_hash() == codebook.content_hash()


def test_dump_writes_our_format_readably(full):
    text = dump_codebook_yaml(full)
    assert text.startswith("format: 1\nid: pilot\nversion: '1.10'\n")
    assert "    name: {zh: 新公共服务, en: New Public Service}\n" in text
    assert "        keywords: [公民, 顾客]\n" in text
    assert "        example: {zh: 他们是居民, en: They live here}\n" not in text  # flow only for names
    assert "        example:\n          zh: 他们是居民\n" in text
    assert "    definition: |-\n      {zh: not a map}\n      second line\n" in text
    assert "\\u" not in text  # Chinese is written as itself


# -- diff ------------------------------------------------------------------------------------------


def test_diff_reports_added_removed_changed_and_moved(full):
    edited = (
        FULL.replace("key: n1", "key: n9")
        .replace("    keywords: [在线办理]\n", "")
        .replace("  - id: 背景\n    name: {zh: 背景, en: Background}\n", "  - id: NEW\n    name: New\n")
        # move S.FUNC.PAY from S.FUNC to the top level
        .replace("      - id: S.FUNC.PAY\n        name: {zh: 缴费, en: Payments}\n        key: s2\n", "")
        + "  - {id: S.FUNC.PAY, name: {zh: 缴费, en: Payments}, key: s2}\n"
    )
    new = parse_codebook_text(edited)
    diff = diff_codebooks(full, new)
    assert diff.added == ("NEW",) and diff.removed == ("背景",)
    assert diff.changed == {"NPS.CITIZEN": ("key",), "S.FUNC": ("keywords",)}
    assert diff.moved == {"S.FUNC.PAY": ("S.FUNC", None)}
    assert diff.metadata_changed == () and diff
    assert not diff_codebooks(full, parse_codebook_text(dump_codebook_yaml(full)))


def test_diff_reports_metadata_changes(full):
    new = parse_codebook_text(FULL.replace("version: 1.10", "version: 1.11"))
    assert diff_codebooks(full, new).metadata_changed == ("version",)


# -- loaders and layering --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'codes:\n  - id: A\n    name: "unterminated\n',
        "codes: [{id: A, name: A}\nx: 1\n",
        "codes:\n  - id: A\n  name: A\n",
        "codes:\n  - {id: 甲, name: A, key: a}\n  - {id: 甲, name: B, key: a, color: nope, zzz: 1}\n",
        "a: &x [1]\nb: *x\ncodes: [{id: A, name: A}]\n",
    ],
)
def test_the_pure_python_loader_reports_the_same_positions(text, monkeypatch):
    with_libyaml = check_codebook_text(text)
    monkeypatch.setattr(yaml_tree, "_LOADER", yaml.SafeLoader)
    pure = check_codebook_text(text)
    assert [(p.line, p.column, p.severity) for p in pure] == [
        (p.line, p.column, p.severity) for p in with_libyaml
    ]


def test_the_codebook_package_imports_neither_textual_nor_sqlite_utils():
    code = "import sys, qcode.codebook; sys.exit(bool({'textual', 'sqlite_utils'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
