"""Decoding transcript bytes into canonical text: encodings, newlines, bad input, width folding."""

from __future__ import annotations

import codecs
import random

import pytest

from qcode.errors import InputError
from qcode.text.decode import Decoded, canonicalize, decode_bytes, fold_width

TEXT = "访谈者：您好，先介绍一下自己？\n受访者A：我在融媒体中心工作，粉丝3.5万。\n"
# Realistic transcript sentences, used to cut short GBK snippets.
CORPUS = (
    "受访者A：我们局里面对政务公开这个事情非常重视，每年都有考核指标，但是说实话基层的人手不够。"
    "访谈者：后台留言多吗？一般怎么处理？受访者B：多。每天几十条，多的时候一两百条，我们设了关键词自动回复。"
    "部门之间没有打通吧，技术上我们基本没有能力，领导对这个号还是重视的。"
)


def error_of(data: bytes, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        decode_bytes(data, path="t.txt", **kwargs)
    return caught.value


# --- canonical text -------------------------------------------------------------------------------


def test_canonicalize_drops_bom_and_unifies_newlines_only():
    assert canonicalize("\ufeff甲\r\n乙\r丙\n丁……Ａ１") == "甲\n乙\n丙\n丁……Ａ１"
    assert canonicalize("\r\r\n") == "\n\n"
    assert canonicalize("中\ufeff文") == "中\ufeff文"  # only a leading BOM is a BOM


def test_fold_width_folds_letters_and_digits_one_to_one():
    text = "受访者Ａ：１２３４５热线，ｅｍａｉｌ（笑）……𠮷"
    folded = fold_width(text)
    assert folded == "受访者A：12345热线，email（笑）……𠮷"
    assert len(folded) == len(text)


def test_fold_width_keeps_full_width_punctuation():
    assert fold_width("！？：（）＋＃") == "！？：（）＋＃"


# --- encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32"),
        (codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"), "utf-32"),
        (TEXT.encode("gbk"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16le-bom", "utf-16be-bom", "utf-32le-bom", "utf-32be-bom", "gbk"],
)
def test_every_encoding_decodes_to_the_same_canonical_text(data, encoding):
    assert decode_bytes(data) == Decoded(TEXT, encoding)


def test_gb18030_character_outside_gbk():
    text = "受访者：我姓𠮷，系统里打不出来，还有䶮和€。"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    assert decode_bytes(text.encode("gb18030")) == Decoded(text, "gb18030")


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_crlf_and_cr_become_newlines(newline, encoding):
    data = TEXT.replace("\n", newline).encode(encoding)
    assert decode_bytes(data).text == TEXT


@pytest.mark.parametrize("length", [4, 6, 8, 12, 16])
def test_short_gbk_snippets_decode_right(length):
    rng = random.Random(length)
    chinese = [c for c in CORPUS if "\u4e00" <= c <= "\u9fff"]
    for _ in range(40):
        start = rng.randrange(len(chinese) - length)
        snippet = "".join(chinese[start:start + length])
        assert decode_bytes(snippet.encode("gbk")) == Decoded(snippet, "gb18030"), snippet


def test_short_gbk_snippets_with_punctuation_decode_right():
    for start in range(0, len(CORPUS) - 16, 7):
        snippet = CORPUS[start:start + 10]
        if snippet.strip():
            assert decode_bytes(snippet.encode("gbk")).text == snippet


def test_big5_is_left_to_the_detector_not_read_as_gb18030_mojibake():
    text = "受訪者A：我們局裡面對政務公開這個事情非常重視，每年都有考核指標，但是說實話基層的人手不夠。" * 2
    data = text.encode("big5")
    data.decode("gb18030")  # strict GB18030 accepts it, as mojibake
    assert decode_bytes(data) == Decoded(text, "big5")


def test_explicit_encoding_wins():
    assert decode_bytes("café".encode(), encoding="latin-1") == Decoded("cafÃ©", "iso8859-1")
    assert decode_bytes(TEXT.encode("gbk"), encoding="GBK") == Decoded(TEXT, "gbk")
    assert decode_bytes(TEXT.encode("utf-16-le"), encoding="utf-16-le") == Decoded(TEXT, "utf-16-le")


def test_explicit_utf8_on_a_bom_file_still_drops_the_bom():
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode(), encoding="utf-8") == Decoded(TEXT, "utf-8")


# --- bad input ------------------------------------------------------------------------------------


def test_a_few_bad_bytes_in_utf8_are_reported_not_guessed():
    lines = [f"受访者A：第{n}行说的话，都是正常的UTF-8文字。" for n in range(1, 15)]
    # Line 12 loses the last byte of its 6th character (第 = E7 AC AC).
    damaged = lines[11][:5].encode() + "第".encode()[:2] + lines[11][6:].encode()
    data = b"\n".join([*(line.encode() for line in lines[:11]), damaged, *(line.encode() for line in lines[12:])])
    problem = error_of(data).problems[0]
    assert (problem.path, problem.line, problem.column) == ("t.txt", 12, 6)
    assert "not valid UTF-8" in problem.message
    assert "0xE7" in problem.message
    assert "the rest of the file is UTF-8" in problem.message
    assert "--encoding" in problem.message


def test_truncated_last_character_is_reported():
    data = "访谈者：你好\n受访者：我觉得还可以吧".encode()[:-1]
    problem = error_of(data).problems[0]
    assert (problem.line, problem.column) == (2, 11)


def test_column_counts_characters_not_bytes():
    data = "访谈者：好的好的好的好的好的好的".encode() + b"\xff" + "对。".encode()
    assert (error_of(data).problems[0].line, error_of(data).problems[0].column) == (1, 17)


def test_explicit_encoding_that_fails_names_line_column_and_encoding():
    data = "访谈者：你好\r\n受访者：".encode("gbk") + b"\xff\xff"
    problem = error_of(data, encoding="gbk").problems[0]
    assert (problem.line, problem.column) == (2, 5)
    assert "GBK" in problem.message and "0xFF" in problem.message


def test_unknown_encoding_name():
    assert "unknown encoding 'klingon'" in str(error_of(TEXT.encode(), encoding="klingon"))


def test_codec_that_is_not_a_text_encoding():
    assert "not a text encoding" in str(error_of(b"aGVsbG8=", encoding="base64"))


def test_bad_utf16_after_a_utf16_bom():
    data = codecs.BOM_UTF16_LE + "你好\n再见".encode("utf-16-le") + b"\x00\xd8" + "好".encode("utf-16-le")
    problem = error_of(data).problems[0]
    assert (problem.line, problem.column) == (2, 3)
    assert "UTF-16" in problem.message


def test_nul_bytes_mean_binary():
    problem = error_of(b"PK\x03\x04\n\x14\x00\x00\x00").problems[0]
    assert "binary file, not a transcript" in problem.message
    assert (problem.line, problem.column) == (2, 2)


def test_utf16_without_bom_is_refused_with_a_hint():
    message = str(error_of("Interviewer: hello".encode("utf-16-le")))
    assert "binary file" in message and "utf-16-le" in message


def test_random_bytes_mean_binary():
    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(4000))
    assert "binary file, not a transcript" in str(error_of(data))


def test_mostly_control_characters_mean_binary():
    problem = error_of(b"abc\n" + bytes(range(1, 9)) * 20).problems[0]
    assert "binary file, not a transcript" in problem.message
    assert (problem.line, problem.column) == (2, 1)


@pytest.mark.parametrize("data", [b"", codecs.BOM_UTF8, b" \r\n\t\n", "\u3000\n".encode()],
                         ids=["empty", "bom-only", "white-space", "ideographic-space"])
def test_empty_files(data):
    problem = error_of(data).problems[0]
    assert problem.message.startswith("empty file")
    assert (problem.path, problem.line) == ("t.txt", 1)


def test_short_undecodable_text_is_refused_rather_than_guessed():
    data = "受訪者說".encode("big5") + b"\x80"  # too short for the detector, not UTF-8 or GB18030
    message = str(error_of(data))
    assert "cannot tell the encoding" in message and "--encoding" in message


def test_damaged_utf8_is_reported_even_when_gb18030_would_accept_it():
    text = "面对政务公开这个事情非常重视"  # its UTF-8 bytes happen to be valid GB18030 as well
    data = text.encode() + b"\x81\x40"
    assert data.decode("gb18030") != text  # strict GB18030 would silently give mojibake
    problem = error_of(data).problems[0]
    assert (problem.line, problem.column) == (1, 15)
    assert "not valid UTF-8" in problem.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
def test_nul_characters_are_binary_even_under_an_explicit_encoding(encoding):
    data = "访谈者：你好\n受访者：好\x00的".encode(encoding)
    problem = error_of(data, encoding=encoding).problems[0]
    assert "binary file, not a transcript" in problem.message
    assert (problem.line, problem.column) == (2, 6)
