"""`qcode.text.precise_cut` cuts exactly as jieba's `lcut` (the Han tokens, with their offsets), and the
segmenter's tokens and offsets are pinned for varied text (as cut before the precise cut existed)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.resources import bundled_dir
from qcode.text import segment
from qcode.text.decode import fold_width
from qcode.text.precise_cut import JIEBA_VERSION, PreciseCut, precise_cut_for
from qcode.text.readers import read_transcript
from qcode.text.tokenize_en import english_spans, normalize_english
from qcode.text.segment import (
    Lexicon,
    Segmenter,
    codebook_words,
    han_tokens_by_cut,
    has_han,
    parse_dictionary,
    segmenter_for,
    tokens_from_cut,
)

DICTIONARY = "旺苍发布 nz\n12345热线 5 nz\n一网通办\n新公共服务 20\n"
TERMS = (("S.INTERACTION", "留言回复"), ("T.SKILL", "official account"), ("E.POLICY", "政策文件"))


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return segmenter_for(Lexicon.combine(parse_dictionary(DICTIONARY), codebook_words(TERMS)))


def jiebas(seg: Segmenter, text: str) -> list[tuple[int, int, str]]:
    """The Han tokens of jieba's own `lcut` of `text`, with offsets."""
    return list(zip(*han_tokens_by_cut(seg.tokenizer.lcut, text, 0, len(text)), strict=True))


def precise(seg: Segmenter, text: str, begin: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    assert seg.precise is not None
    return list(zip(*seg.precise.han_tokens(text, begin, len(text) if end is None else end), strict=True))


def test_segmenters_use_the_precise_cut_with_the_jieba_version_it_follows(seg):
    assert segment._jieba_version() == JIEBA_VERSION  # else this whole module tests nothing
    assert isinstance(seg.precise, PreciseCut)


def test_another_jieba_version_is_cut_by_jieba_itself_with_the_same_tokens(seg, monkeypatch):
    assert precise_cut_for(seg.tokenizer, has_han, "0.42.2") is None
    monkeypatch.setattr(segment, "_jieba_version", lambda: "0.43")
    other = Segmenter(seg.tokenizer, seg.lexicon)
    assert other.precise is None
    text = "受访者A：旺苍发布的留言回复要及时，WeChat公众号也有。"
    assert other.tokens(text) == seg.tokens(text)


def test_every_bundled_transcript_is_cut_as_jieba_cuts_it(seg):
    for path in sorted(bundled_dir("transcripts").iterdir()):
        text = fold_width(read_transcript(path).text)
        assert precise(seg, text) == jiebas(seg, text), path.name


def test_a_piece_inside_a_text_is_cut_with_offsets_into_the_text(seg):
    text = "前言。我们这个号是二〇一六年开的，旺苍发布和12345热线。后记"
    begin, end = 3, len(text) - 3
    piece = [(s + begin, e + begin, w) for s, e, w in jiebas(seg, text[begin:end])]
    assert precise(seg, text, begin, end) == piece


# Characters that exercise every branch: dictionary words and their prefixes, characters the HMM sees,
# Latin letters, digits and the symbols jieba keeps in its blocks, white space, punctuation, full-width
# forms, and Han characters jieba cuts one by one outside its blocks (〇, Extension A, U+9FD6 to U+9FFF,
# compatibility ideographs, the supplementary planes).
_ALPHABET = ("的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出得也"
             "旺苍发布热线网通办新公共服务留言回复政策文件公众号阅读量鲲鹏龘靐齉"
             "abcXYZ0123+#&._%-  \n\t，。！？：；“”（）、…ＡＢ１２〇㐀䶵鿖鿿豈𠮷")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=60))
def test_random_text_is_cut_as_jieba_cuts_it(seg, text):
    assert precise(seg, text) == jiebas(seg, text)


def test_runs_of_dictionary_words_are_cut_as_jieba_cuts_them(seg):
    """Long stretches of real words, where the route's choices (and its ties) matter most."""
    rng = random.Random(11)
    words = sorted(w for w, f in seg.tokenizer.FREQ.items() if f and has_han(w))
    for _ in range(200):
        text = "".join(rng.choice(words) + rng.choice(["", "", "", "，", "a", "1"]) for _ in range(rng.randint(1, 30)))
        assert precise(seg, text) == jiebas(seg, text), text


def test_words_jieba_is_told_to_split_are_split_as_jieba_splits_them(seg, monkeypatch):
    from jieba import finalseg

    text = "南宁公安的政务微信，群众留言太多了，那个萌萌哒网红书记。"
    hmm_words = {w for _, _, w in jiebas(seg, text) if w not in seg.tokenizer.FREQ and len(w) > 1}
    assert hmm_words  # words only jieba's HMM makes
    monkeypatch.setattr(finalseg, "Force_Split_Words", finalseg.Force_Split_Words | hmm_words)
    forced = Segmenter(seg.tokenizer, seg.lexicon)
    assert precise(forced, text) == jiebas(forced, text)
    assert not hmm_words & {w for _, _, w in precise(forced, text)}


# -- the segmenter's tokens, pinned ----------------------------------------------------------------------

# (text, its tokens as (start, end, word)): cut with jieba 0.42.1 and the lexicon above before the
# precise cut replaced jieba's own in the segmenter; the word index stores exactly these.
PINNED = [
    ("我们这个号是二〇一六年开的，当时是上面要求每个部门都要有。",
     "0 2 我们|2 4 这个|4 5 号|5 6 是|6 7 二|7 8 〇|8 9 一|9 11 六年|11 12 开|12 13 的|14 16 当时|16 17 是|"
     "17 19 上面|19 21 要求|21 23 每个|23 25 部门|25 26 都|26 27 要|27 28 有"),
    ("Our official account is slow. The Official Account's replies aren't late; COVID-19 cost 3.5 million, "
     "12,000 e-mails.",
     "0 3 our|4 12 official|13 20 account|21 23 is|24 28 slow|30 33 the|34 42 official|43 50 account|"
     "53 60 replies|61 67 aren't|68 72 late|74 82 covid-19|83 87 cost|88 91 3.5|92 99 million|101 107 12,000|"
     "108 115 e-mails"),
    ("受访者A：旺苍发布的留言回复要及时，12345热线和一网通办都接进来了，WeChat公众号也有。",
     "0 3 受访者|3 4 a|5 9 旺苍发布|9 10 的|10 14 留言回复|14 15 要|15 17 及时|18 25 12345热线|25 26 和|"
     "26 30 一网通办|30 31 都|31 34 接进来|34 35 了|36 42 wechat|42 44 公众|44 45 号|45 46 也|46 47 有"),
    ("ＡＢＣ公众号２０２４年的阅读量是１２３４５次，Ｏｆｆｉｃｉａｌ Ａｃｃｏｕｎｔ。",
     "0 3 abc|3 5 公众|5 6 号|6 10 2024|10 11 年|11 12 的|12 14 阅读|14 15 量|15 16 是|16 21 12345|21 22 次|"
     "23 31 official|32 39 account"),
    ("新公共服务理论讲政策文件落实；㐀字和𠮷字、豈字，还有鿖。",
     "0 5 新公共服务|5 7 理论|7 8 讲|8 12 政策文件|12 14 落实|15 16 㐀|16 17 字|17 18 和|18 19 𠮷|19 20 字|"
     "21 23 豈字|24 26 还有|26 27 鿖"),
    ("张三李四王五赵六钱七孙八周九吴十郑十一王十二冯十三陈十四",
     "0 4 张三李四|4 7 王五赵|7 9 六钱|9 11 七孙|11 13 八周|13 14 九|14 17 吴十郑|17 19 十一|19 20 王|"
     "20 22 十二|22 23 冯|23 25 十三|25 26 陈|26 28 十四"),
    ("  \n\t", ""),
]


def _triples(pinned: str) -> list[tuple[int, int, str]]:
    return [(int(s), int(e), w) for s, e, w in (item.split(" ", 2) for item in pinned.split("|") if item)]


@pytest.mark.parametrize(("text", "expected"), PINNED, ids=range(len(PINNED)))
def test_tokens_and_offsets_are_those_pinned(seg, text, expected):
    tokens = seg.tokens(text)
    assert list(zip(tokens.starts, tokens.ends, tokens.words, strict=True)) == _triples(expected)
    by_jieba = tokens_from_cut(seg.tokenizer.lcut, fold_width(text), 0, len(text))
    assert by_jieba == tokens


def test_the_rows_the_index_stores_are_those_pinned(seg):
    """Sentence spans that cut words apart (编|辑, 回|复) are cut as if each were segmented alone."""
    text = "嗯……这个问题我觉得还是人手不够；三个编辑都是兼职。“一网通办”推了以后，系统对接还是没打通。" + PINNED[2][0]
    rows = [(list(starts), list(ends), words) for starts, ends, words in
            seg.segment_packed(fold_width(text), [(0, 20), (20, 31), (31, 60)])]
    assert rows == [
        ([0, 3, 5, 7, 8, 10, 12, 14, 17, 19], [1, 5, 7, 8, 10, 12, 14, 16, 19, 20], "嗯 这个 问题 我 觉得 还是 人手 不够 三个 编"),
        ([20, 21, 22, 23, 27], [21, 22, 23, 25, 31], "辑 都 是 兼职 一网通办"),
        ([32, 33, 34, 37, 39, 41, 43, 44, 47, 50, 52, 56, 57, 59], [33, 34, 36, 39, 41, 43, 44, 46, 50, 51, 56, 57, 59, 60],
         "推 了 以后 系统 对接 还是 没 打通 受访者 a 旺苍发布 的 留言 回"),
    ]


@pytest.mark.parametrize("text", ["İstanbul’s MAYOR met the Café’s owner", "区长说İstanbul很好，OFFICIAL Account’s 留言。",
                                  "ΟΔΟΣ road Σ sign"])
def test_latin_words_take_the_normal_form_of_each_word(seg, text):
    """The normal form is taken of a sentence at once where that keeps its length (İ lower-cases to two
    characters, so that sentence is done word by word): either way each word's own."""
    tokens = seg.tokens(text)
    latin = [(s, e) for s, e, w in zip(tokens.starts, tokens.ends, tokens.words, strict=True) if not has_han(w)]
    assert latin == english_spans(text)
    assert [w for w in tokens.words if not has_han(w)] == [normalize_english(text[s:e]) for s, e in latin]
