"""jieba set-up (once, quiet, cached in the user cache folder), the project dictionary, and segmentation."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.errors import InputError
from qcode.text.decode import fold_width
from qcode.text.segment import (
    DEFAULT_TAG,
    Lexicon,
    UserWord,
    codebook_words,
    has_han,
    jieba_is_ready,
    parse_dictionary,
    read_dictionary,
    segmenter_for,
    setup_jieba,
)
from tests.conftest import REPO_ROOT


def run_python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter (jieba's set-up happens once per process)."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=False, capture_output=True,
                          text=True,
                          cwd=REPO_ROOT, env={**os.environ, **(env or {})}, timeout=120)


def segmenter(dictionary: str = "", terms: tuple[tuple[str, str], ...] = ()):
    return segmenter_for(Lexicon.combine(parse_dictionary(dictionary), codebook_words(terms)))


def cut(seg, text: str) -> list[str]:
    tokens = seg.tokens(text)
    return [text[s:e] for s, e in zip(tokens.starts, tokens.ends)]


# -- set-up ---------------------------------------------------------------------------------------------


def test_importing_the_module_or_the_cli_does_not_import_jieba():
    result = run_python("""
        import sys
        import qcode.text.segment, qcode.project.wordtools, qcode.cli.words_cmds
        from qcode.cli.main import cli
        print('jieba' in sys.modules, 'textual' in sys.modules)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_setup_writes_its_cache_in_the_user_cache_folder_and_nothing_on_stderr(tmp_path):
    cache, temp = tmp_path / "cache", tmp_path / "temp"
    temp.mkdir()
    result = run_python("""
        from qcode.text.segment import Lexicon, segmenter_for, setup_jieba
        setup_jieba()
        print("/".join(segmenter_for(Lexicon()).words("留言回复率是考核指标")))
    """, env={"XDG_CACHE_HOME": str(cache), "TMPDIR": str(temp)})
    assert result.returncode == 0
    assert result.stderr == ""  # jieba's "Building prefix dict ..." messages never reach the terminal
    assert result.stdout.strip() == "留言/回复率/是/考核/指标"
    assert [p.name for p in (cache / "qcode").iterdir()] == ["jieba-0.42.1.cache"]
    assert list(temp.iterdir()) == []  # not jieba's default, the shared temporary folder


def test_an_unusable_cache_folder_is_silent_and_segmentation_still_works(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    result = run_python("""
        from qcode.text.segment import Lexicon, segmenter_for
        print("/".join(segmenter_for(Lexicon()).words("群众留言太多了")))
    """, env={"XDG_CACHE_HOME": str(blocker)})
    assert result.returncode == 0
    assert result.stderr == ""  # jieba's "Dump cache file failed" traceback is silenced too
    assert result.stdout.strip() == "群众/留言/太多/了"


def test_setup_in_a_worker_thread_happens_once_and_repeating_it_is_cheap(capfd, monkeypatch):
    with ThreadPoolExecutor(max_workers=3) as pool:
        for future in [pool.submit(setup_jieba) for _ in range(3)]:
            future.result()  # re-raises anything the worker raised
    assert jieba_is_ready()
    import jieba

    def load_again(self, *args, **kwargs):
        raise AssertionError("the jieba dictionary was loaded a second time")

    monkeypatch.setattr(jieba.Tokenizer, "initialize", load_again)  # cheap = never loads it again
    setup_jieba()
    seg = segmenter("天府信用 nz")
    assert segmenter("天府信用 nz") is seg  # same lexicon, same segmenter: no second copy of the dictionary
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_segmenting_from_two_threads_gives_the_same_tokens():
    seg = segmenter("公众号 nz")
    text = "我们公众号的留言回复很及时，群众也满意。" * 50
    results: list[list[str]] = []
    threads = [threading.Thread(target=lambda: results.append(seg.words(text))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results[0] == results[1] == seg.words(text)


# -- the project dictionary -------------------------------------------------------------------------------


def test_project_terms_and_codebook_keywords_come_out_whole():
    text = "南宁公安的政务微信公众号推行一网通办，留言回复率是考核指标。天府信用平台上线以后，旺苍发布也开通了。"
    plain = cut(segmenter(), text)
    assert "公众号" not in plain and "一网通办" not in plain and "天府信用" not in plain
    seg = segmenter("公众号 nz\n一网通办\n天府信用 nz\n旺苍发布 5 nz\n", (("S.INTERACTION", "留言回复"),))
    words = cut(seg, text)
    for term in ("公众号", "一网通办", "天府信用", "旺苍发布", "留言回复"):
        assert term in words


def test_project_words_carry_tags_so_the_tagger_keeps_them():
    from jieba.posseg import POSTokenizer

    seg = segmenter("天府信用\n正定发布 ns\n", (("X", "新公共服务"),))
    tags = {pair.word: pair.flag for pair in POSTokenizer(seg.tokenizer).lcut("天府信用和正定发布讲新公共服务")}
    assert tags["天府信用"] == DEFAULT_TAG == "nz"  # untagged user words would be 'x' and dropped by TextRank
    assert tags["正定发布"] == "ns"
    assert tags["新公共服务"] == "nz"


def test_dictionary_lines_are_parsed_with_frequency_and_tag():
    text = "\ufeff# comment\n\n公众号\n一网通办 nz\n天府信用 20\n旺苍发布 20 ns\nＡＢＣ热线\n"
    words = parse_dictionary(text, "d.txt")
    assert words == [
        UserWord("公众号", None, "nz", "d.txt:3"),
        UserWord("一网通办", None, "nz", "d.txt:4"),
        UserWord("天府信用", 20, "nz", "d.txt:5"),
        UserWord("旺苍发布", 20, "ns", "d.txt:6"),
        UserWord("ABC热线", None, "nz", "d.txt:7"),  # width-folded, as jieba sees the text
    ]


@pytest.mark.parametrize("line,column,message", [
    ("公众 号 nz 5", 1, "too many fields"),
    ("公众号 NZ", 5, "neither a frequency"),
    ("公众号 nz 5", 5, "not a frequency"),
    ("公众号 5 N", 7, "not a part-of-speech tag"),
    ("公众号 0", 5, "frequency of 0"),
    ("新华·社", 3, "'·' can never be inside a jieba word"),
    ("  《人民日报》", 3, "'《' can never be inside"),
])
def test_a_malformed_dictionary_line_is_reported_with_file_line_and_column(line, column, message):
    with pytest.raises(InputError) as caught:
        parse_dictionary(f"公众号 nz\n# ok\n{line}\n", "dictionary.txt")
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column) == ("dictionary.txt", 3, column)
    assert message in problem.message


def test_every_bad_line_is_reported_at_once():
    with pytest.raises(InputError) as caught:
        parse_dictionary("好 词 一 二\n好词\n坏·词\n", "d.txt")
    assert [p.line for p in caught.value.problems] == [1, 3]


def test_a_dictionary_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "dictionary.txt"
    path.write_bytes("公众号\n一网通办\n".encode() + "旺苍发布\n".encode("gbk"))
    with pytest.raises(InputError) as caught:
        read_dictionary(path)
    assert caught.value.problems[0].line == 3 and "UTF-8" in caught.value.problems[0].message


def test_a_missing_dictionary_is_empty(tmp_path):
    assert read_dictionary(tmp_path / "nothing.txt") == []


def test_codebook_terms_jieba_cannot_keep_whole_are_not_added():
    terms = [("A", "留言回复"), ("A", "official account"), ("B", "信息质量（准确性）"), ("C", "Ｗｅｂ端")]
    words = codebook_words(terms)
    assert [w.word for w in words] == ["留言回复", "Web端"]
    assert all(w.tag == "nz" and w.origin.startswith("codebook ") for w in words)


def test_the_fingerprint_follows_the_words_and_nothing_else():
    a = Lexicon.combine(parse_dictionary("公众号 nz\n", "a.txt"), [])
    b = Lexicon.combine(parse_dictionary("\n\n公众号 nz\n", "b.txt"), [])  # another file, same words
    c = Lexicon.combine(parse_dictionary("公众号 ns\n", "a.txt"), [])
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert Lexicon.combine(parse_dictionary("公众号 ns\n"), codebook_words([("X", "公众号")])).words[0].tag == "ns"


# -- segmentation -------------------------------------------------------------------------------------------


def test_full_width_letters_and_digits_are_folded_and_offsets_index_the_original():
    seg = segmenter("12345热线 nz")
    text = "受访者Ａ说：打１２３４５热线，或者12345热线。"
    tokens = seg.tokens(text)
    spans = [(text[s:e], w) for s, e, w in zip(tokens.starts, tokens.ends, tokens.words)]
    assert ("１２３４５热线", "12345热线") in spans and ("12345热线", "12345热线") in spans
    assert ("Ａ", "a") in spans


def test_mixed_chinese_and_english_text():
    seg = segmenter("公众号 nz")
    assert cut(seg, "WeChat公众号和12345热线") == ["WeChat", "公众号", "和", "12345", "热线"]
    assert seg.words("WeChat公众号") == ["wechat", "公众号"]
    assert cut(seg, "I don't know，他说的COVID-19。") == ["I", "don't", "know", "他", "说", "的", "COVID-19"]


def test_characters_jieba_emits_one_by_one_are_still_words():
    seg = segmenter()
    assert cut(seg, "二〇二三年𠮷字䶮") == ["二", "〇", "二三年", "𠮷", "字", "䶮"]


def test_punctuation_and_white_space_are_never_tokens():
    seg = segmenter()
    assert cut(seg, "“信息公开要及时。”（笑）…… \n\t—— !") == ["信息", "公开", "要", "及时", "笑"]


def test_spans_are_segmented_separately_with_offsets_into_the_whole_text():
    seg = segmenter()
    text = "访谈者：压力大吗？\n受访者：压力很大。"
    pieces = seg.segment(text, [(4, 9), (14, 19)])
    assert [[text[s:e] for s, e in zip(p.starts, p.ends)] for p in pieces] == [["压力", "大", "吗"], ["压力", "很大"]]


_ALPHABET = st.sampled_from(list("压力很大公众号留言回复技术人员〇𠮷") + list("abcXYZ019'’-.,+%") +
                            list("ＡＢ１２，。！？“”（）…《》 \n\t·"))


@settings(max_examples=200, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_tokens_are_ordered_disjoint_normalised_and_cover_every_letter(text):
    seg = segmenter("公众号 nz\n12ab热线 nz")
    tokens = seg.tokens(text)
    previous_end = 0
    covered = set()
    for start, end, word in zip(tokens.starts, tokens.ends, tokens.words):
        assert previous_end <= start < end <= len(text)
        previous_end = end
        assert word == fold_width(text[start:end]).lower().replace("’", "'")
        assert not any(c.isspace() for c in word)
        covered.update(range(start, end))
    for index, character in enumerate(fold_width(text)):
        if has_han(character) or (character.isascii() and character.isalnum()):
            assert index in covered, (text, index)


def test_segmenting_sentences_together_gives_the_same_tokens_as_one_by_one():
    """A turn's sentences are cut in one jieba call; the tokens must equal cutting each sentence alone."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from qcode.project.importing import cut_into_units
    from qcode.text.readers import read_transcript
    from qcode.text.turns import SpeakerPattern
    from tests.conftest import REPO_ROOT

    cutter = segmenter()

    def check(text: str) -> None:
        sentences = [(u.start, u.end) for u in cut_into_units(text, SpeakerPattern.default()) if u.kind == "sentence"]
        together = cutter.segment(text, sentences)
        alone = [cutter.tokens(text, start, end) for start, end in sentences]
        assert [(t.starts, t.ends, t.words) for t in together] == [(t.starts, t.ends, t.words) for t in alone]

    for path in sorted((REPO_ROOT / "transcripts").glob("*.txt")):
        check(read_transcript(path).text)

    pieces = st.sampled_from(["公众号", "留言回复", "。", "！", "？", "……", "...", "3.5", "WeChat", " ", "\n", "“好的”",
                              "受访者A：", "访谈者：", "一网通办", "Ｑ", "，", "ok.", "12345热线"])

    @settings(max_examples=150, deadline=None)
    @given(st.lists(pieces, max_size=40))
    def random_texts(parts: list[str]) -> None:
        check("".join(parts))

    random_texts()
