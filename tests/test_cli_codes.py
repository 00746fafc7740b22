"""`qcode codes ...`, `codings recode` and `codebook history|diff` as a user runs them."""

from __future__ import annotations

import pytest

from qcode.project.codebook_loading import current_codebook
from qcode.project.project import Project

TRANSCRIPT = "访谈者：您觉得怎么样？\n受访者A：留言没人回，我就打12345投诉。后来他们回电话了。\n"


@pytest.fixture
def proj(tmp_path, run):
    root = tmp_path / "p"
    assert run("init", root).exit_code == 0
    (tmp_path / "A01.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert run("-p", root, "import", tmp_path / "A01.txt").exit_code == 0
    return root


def test_a_codebook_grows_from_nothing_and_every_version_is_kept(proj, run):
    assert run("-p", proj, "codes", "add", "CAT", "--name", "政府回应", "--group").exit_code == 0
    assert run("-p", proj, "codes", "add", "C1", "--name", "留言不回", "--parent", "CAT").exit_code == 0
    assert run("-p", proj, "codes", "add", "C2", "--name", "电话投诉", "--parent", "CAT").exit_code == 0
    assert run("-p", proj, "codes", "add", "C3", "--name", "留言没回应", "--parent", "CAT").exit_code == 0
    result = run("-p", proj, "codes", "rename", "C2", "--name", "热线投诉", "--name-en", "Hotline complaint")
    assert result.exit_code == 0 and "电话投诉 → 热线投诉" in result.stdout
    with Project.open(proj) as project:
        info = project.store.transcripts.by_name("A01")
        from qcode.project.coding import CodingSession

        CodingSession(project.store, "ann").apply(info, "C3", 10, 15, memo="原话")
    merged = run("-p", proj, "codes", "merge", "C3", "C1")
    assert merged.exit_code == 0 and "1 coding moved" in merged.stdout
    text = (proj / "codebooks" / "codebook.yaml").read_text(encoding="utf-8")
    assert "热线投诉" in text and "C3" not in text

    history = run("-p", proj, "codebook", "history")
    assert history.exit_code == 0
    assert "merge C3" in history.stdout and "rename C2" in history.stdout
    diff = run("-p", proj, "codebook", "diff", "4", "6", "--format", "json")
    import json

    changes = {(c["kind"], c["code"]): c for c in json.loads(diff.stdout)}
    assert changes[("merged", "C3")]["codings"] == 1
    assert "热线投诉" in changes[("renamed", "C2")]["detail"]


def test_refusals_say_why_and_change_nothing(proj, run):
    run("-p", proj, "codes", "add", "C1", "--name", "留言不回")
    with Project.open(proj) as project:
        from qcode.project.coding import CodingSession

        CodingSession(project.store, "ann").apply(project.store.transcripts.by_name("A01"), "C1", 10, 15)
    before = (proj / "codebooks" / "codebook.yaml").read_text(encoding="utf-8")
    for args, message in [
        (("codes", "delete", "C1"), "has 1 coding"),
        (("codes", "add", "C1", "--name", "重复"), "already exists"),
        (("codes", "move", "C1", "--parent", "NOPE"), "no code 'NOPE'"),
        (("codes", "merge", "C1", "NOPE"), "no code 'NOPE'"),
        (("codings", "recode", "--from", "C1", "--to", "NOPE"), "not an applicable code"),
        (("codes", "rename", "NOPE", "--name", "x"), "no code 'NOPE'"),
    ]:
        result = run("-p", proj, *args)
        assert result.exit_code != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert (proj / "codebooks" / "codebook.yaml").read_text(encoding="utf-8") == before


def test_recode_one_coder_and_undo_from_the_cli(proj, run):
    run("-p", proj, "codes", "add", "C1", "--name", "留言不回")
    run("-p", proj, "codes", "add", "C2", "--name", "热线")
    with Project.open(proj) as project:
        from qcode.project.coding import CodingSession

        info = project.store.transcripts.by_name("A01")
        CodingSession(project.store, "ann").apply(info, "C1", 10, 15, memo="m")
        CodingSession(project.store, "bob").apply(info, "C1", 10, 15)
    result = run("-p", proj, "codings", "recode", "--from", "C1", "--to", "C2", "--coder", "ann")
    assert result.exit_code == 0 and "Recoded 1 coding from" in result.stdout
    with Project.open(proj) as project:
        assert sorted((c.coder, c.code, c.memo) for c in project.store.codings.all()) == [
            ("ann", "C2", "m"), ("bob", "C1", "")]
    assert "undo" in run("-p", proj, "codes", "undo", "--coder", "ann").stdout
    with Project.open(proj) as project:
        assert {c.code for c in project.store.codings.all()} == {"C1"}


def test_relations_as_mermaid_and_dot(proj, run):
    run("-p", proj, "codes", "add", "A", "--name", "回应迟缓")
    run("-p", proj, "codes", "add", "B", "--name", "信任下降")
    linked = run("-p", proj, "codes", "link", "A", "B", "--type", "导致", "--memo", "回应慢削弱信任")
    assert linked.exit_code == 0 and "A -[导致]-> B" in linked.stdout
    assert "not among the project's relation types" in linked.stderr
    mermaid = run("-p", proj, "codes", "relations", "--format", "mermaid").stdout
    assert mermaid.splitlines() == ["flowchart LR", '    n0["回应迟缓"]', '    n1["信任下降"]', '    n0 -->|"导致"| n1']
    dot = run("-p", proj, "codes", "relations", "--format", "dot").stdout
    assert 'n0 -> n1 [label="导致"];' in dot and dot.startswith("digraph relations {")
    assert run("-p", proj, "codes", "link", "A", "B", "--type", "cause").stdout.strip() == "A -[因果]-> B"
    with Project.open(proj) as project:
        assert current_codebook(project.store) is not None
        assert [(r.type, r.memo) for r in project.store.relations.all()] == [("导致", "回应慢削弱信任"), ("因果", "")]


def test_relations_travel_in_the_refi_qda_export_and_it_still_validates(proj, run, tmp_path):
    from lxml import etree

    from qcode.interop.refi_common import code_guid
    from tests.interop_support import NS as PROJECT_NS, validate

    NS = {"p": PROJECT_NS}

    run("-p", proj, "codes", "add", "A", "--name", "回应迟缓")
    run("-p", proj, "codes", "add", "B", "--name", "信任下降")
    run("-p", proj, "codes", "link", "A", "B", "--type", "因果", "--memo", "回应慢 & 信任 <降>")
    out = tmp_path / "gt.qdpx"
    assert run("-p", proj, "export", "qdpx", out).exit_code == 0
    checked = validate(out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    import zipfile

    root = etree.fromstring(zipfile.ZipFile(out).read("project.qde"))
    [link] = root.findall(".//p:Links/p:Link", NS)
    assert (link.get("name"), link.get("direction")) == ("因果", "OneWay")
    assert (link.get("originGUID"), link.get("targetGUID")) == (code_guid("A"), code_guid("B"))
    note_guid = link.find("p:NoteRef", NS).get("targetGUID")
    [note] = [n for n in root.findall(".//p:Notes/p:Note", NS) if n.get("guid") == note_guid]
    assert note.find("p:PlainTextContent", NS).text == "回应慢 & 信任 <降>"


def test_relation_types_come_from_qcode_toml(proj, run):
    config = proj / "qcode.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[relations]\ntypes = ["导致", "抑制"]\n',
                      encoding="utf-8")
    run("-p", proj, "codes", "add", "A", "--name", "甲")
    run("-p", proj, "codes", "add", "B", "--name", "乙")
    known = run("-p", proj, "codes", "link", "A", "B", "--type", "抑制")
    assert known.exit_code == 0 and known.stderr == ""
    other = run("-p", proj, "codes", "link", "A", "B", "--type", "因果")
    assert other.exit_code == 0 and "导致 / 抑制" in other.stderr
    config.write_text('[relations]\ntypes = "因果"\n', encoding="utf-8")
    broken = run("-p", proj, "codes", "relations")
    assert broken.exit_code != 0 and "[relations] types must be a list" in broken.stderr


def test_hostile_names_and_ids_get_messages_not_tracebacks(proj, run):
    for args in [("codes", "add", "A", "--name", "   "), ("codes", "add", "B", "--name", "两行\n名字"),
                 ("codes", "link", "X", "Y", "--type", "因果"), ("codes", "undo"), ("codebook", "diff", "1", "9"),
                 ("codes", "move", "A", "--parent", "A")]:
        result = run("-p", proj, *args)
        assert "Traceback" not in result.stderr, args
        if args[1] != "undo":
            assert result.exit_code != 0 or args[1] == "add", (args, result.stdout, result.stderr)


def test_relations_come_back_from_a_refi_qda_round_trip(proj, run, tmp_path):
    run("-p", proj, "codes", "add", "A", "--name", "回应迟缓")
    run("-p", proj, "codes", "add", "B", "--name", "信任下降")
    run("-p", proj, "codes", "link", "A", "B", "--type", "因果", "--memo", "回应慢削弱信任")
    run("-p", proj, "codes", "link", "B", "A", "--type", "条件")
    out = tmp_path / "gt.qdpx"
    assert run("-p", proj, "export", "qdpx", out).exit_code == 0
    back = tmp_path / "back"
    result = run("init", back, "--from", out)
    assert result.exit_code == 0, result.stderr
    with Project.open(back) as project:
        assert sorted((r.source, r.target, r.type, r.memo) for r in project.store.relations.all()) == [
            ("A", "B", "因果", "回应慢削弱信任"), ("B", "A", "条件", "")]
        assert [m for m in project.store.memos.all() if "回应慢削弱信任" in m.text] == []  # not also a memo


def test_recode_one_coding_by_guid(proj, run):
    run("-p", proj, "codes", "add", "C1", "--name", "留言不回")
    run("-p", proj, "codes", "add", "C2", "--name", "热线")
    with Project.open(proj) as project:
        from qcode.project.coding import CodingSession

        info = project.store.transcripts.by_name("A01")
        one = CodingSession(project.store, "ann").apply(info, "C1", 10, 15, memo="留")
        CodingSession(project.store, "ann").apply(info, "C1", 16, 20)
    result = run("-p", proj, "codings", "recode", "--coding", one.guid, "--to", "C2")
    assert result.exit_code == 0 and "Recoded 1 coding to C2." in result.stdout
    with Project.open(proj) as project:
        assert sorted((c.code, c.start, c.memo) for c in project.store.codings.all()) == [
            ("C1", 16, ""), ("C2", 10, "留")]
    assert run("-p", proj, "codings", "recode", "--to", "C2").exit_code != 0
