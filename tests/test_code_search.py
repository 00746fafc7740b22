"""Finding codes by hotkey, id, Chinese name, English name and pinyin initials."""

from __future__ import annotations

import json

from qcode.codebook import load_codebook
from qcode.codebook.search import CodeMatcher
from tests.conftest import REPO_ROOT


def test_matching_by_every_field():
    matcher = CodeMatcher(load_codebook(REPO_ROOT / "codebooks" / "nps-toe.yaml"))
    first = lambda q: matcher.match(q)[0]  # noqa: E731
    assert (first("s4").code, first("s4").field) == ("S.INTERACTION", "key")
    assert first("hd").code == "S.INTERACTION"  # 互动 -> hu dong
    assert first("互动").code == "S.INTERACTION"
    assert first("s.int").code == "S.INTERACTION"
    assert first("credib").code == "S.CREDIBILITY"
    assert first("gxl").code == "S.CREDIBILITY"  # 公信力
    assert matcher.match("zzzzqqq") == []
    assert len(matcher.match("")) == 35  # every applicable code, in codebook order
    assert all(not load_codebook(REPO_ROOT / "codebooks" / "nps-toe.yaml")[m.code].is_group for m in matcher.match(""))


def test_romanised_names_are_cached_per_codebook(tmp_path):
    book = load_codebook(REPO_ROOT / "codebooks" / "nps-toe.yaml")
    CodeMatcher(book, cache_dir=tmp_path)
    [cache] = tmp_path.glob("pinyin-*.json")
    assert json.loads(cache.read_text(encoding="utf-8"))["S.INTERACTION"][0] == "hdyyhcy"
    cache.write_text(json.dumps({**json.loads(cache.read_text(encoding="utf-8")), "S.INTERACTION": ["qq", "qq"]}),
                     encoding="utf-8")
    assert CodeMatcher(book, cache_dir=tmp_path).match("qq")[0].code == "S.INTERACTION"  # read from the cache
    cache.write_text("not json", encoding="utf-8")
    assert CodeMatcher(book, cache_dir=tmp_path).match("hd")[0].code == "S.INTERACTION"  # damaged: rebuilt
