"""Two coders grow the codebook on their own machines; `qcode merge` brings both together, losing nothing."""

from __future__ import annotations

import json
import shutil

from qcode.project.code_relations import RelationEditor
from qcode.project.codebook_editing import CodebookEditor
from qcode.project.codebook_loading import current_codebook
from qcode.project.project import Project

TEXT = "访谈者：留言有人回吗？\n受访者A：三天都没人回，打热线才有人管。编辑就一个人，忙不过来。\n"


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def test_new_codes_of_two_coders_are_all_kept_and_twins_are_offered_for_merging(tmp_path, run):
    base = tmp_path / "base"
    run("init", base)
    (tmp_path / "A01.txt").write_text(TEXT, encoding="utf-8")
    run("-p", base, "import", tmp_path / "A01.txt")
    run("-p", base, "codes", "add", "CAT", "--name", "回应", "--group")
    ann_root, bob_root = tmp_path / "ann", tmp_path / "bob"
    shutil.copytree(base, ann_root)
    shutil.copytree(base, bob_root)

    with Project.open(ann_root) as ann:
        info = ann.store.transcripts.by_name("A01")
        editor = CodebookEditor(ann.store, "ann")
        made, coding = editor.add_and_apply("ann", info, *_span("三天都没人回"), "留言不回", parent="CAT")
        other, _ = editor.add_and_apply("ann", info, *_span("编辑就一个人"), "人手不足", parent="CAT")
        RelationEditor(ann.store, "ann").link(other.code_id, made.code_id, "条件", "人少回不过来")
        RelationEditor(ann.store, "ann").star(coding.guid)
    with Project.open(bob_root) as bob:
        info = bob.store.transcripts.by_name("A01")
        twin, _ = CodebookEditor(bob.store, "bob").add_and_apply("bob", info, *_span("三天都没人回"), "留言不回",
                                                                 parent="CAT")
        hotline, _ = CodebookEditor(bob.store, "bob").add_and_apply("bob", info, *_span("打热线才有人管"), "转热线")

    assert made.code_id != twin.code_id  # random ids: never the same id for two coders' codes
    result = run("-p", ann_root, "merge", bob_root)
    assert result.exit_code == 0, result.stderr
    assert f"qcode codes merge {twin.code_id} {made.code_id}" in result.stdout + result.stderr

    with Project.open(ann_root) as merged:
        book = current_codebook(merged.store)
        assert {made.code_id, other.code_id, twin.code_id, hotline.code_id} <= {c.id for c in book}
        assert book[twin.code_id].parent == "CAT" and book[hotline.code_id].parent is None
        assert len(merged.store.codings.all()) == 4
        assert len(merged.store.relations.all()) == 1 and len(merged.store.relations.starred()) == 1
    text = (ann_root / "codebooks" / "codebook.yaml").read_text(encoding="utf-8")
    assert "转热线" in text and "人手不足" in text

    # Following the offer joins the twins: bob's coding moves onto ann's code, nothing is lost.
    assert run("-p", ann_root, "codes", "merge", twin.code_id, made.code_id).exit_code == 0
    data = json.loads(run("-p", ann_root, "report", "open-coding", "--format", "json").stdout)
    row = next(r for r in data if r["concept"] == made.code_id)
    assert row["codings"] == 2 and row["statements"][0]["starred"]
