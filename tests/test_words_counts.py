"""`qcode words`: frequencies by corpus, transcript, speaker and code, stop words, TF-IDF, formats, bad input.

Every expected count is read off the token lists in `tests/words_support.py` (SENTENCE_TOKENS).
With the defaults (shipped stop words, at least 2 characters, no numbers) the counted words are:

    访谈01 (27 tokens): 压力 2; 觉得 很大 留言回复 及时 还有 权威性 重要 辟谣 公众号 技术人员 不够 问题 很多 1 each
    访谈02 (15 tokens): 公众号 2; 觉得 互动 认为 问题 技术 1 each
    E01    (17 tokens): official 3, account 3; follow slow replies late 1 each
"""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from qcode.analysis.selection import Selection
from qcode.errors import InputError
from qcode.project.wordtools import (
    WordSelection,
    count_words,
    distinctive,
    frequencies,
    word_filter,
    write_suggestions,
)
from qcode.text.wordstats import WordFilter, chinese_stop_words, distinctive_words, shipped_stop_words
from tests.words_support import CODEBOOK, apply_fixture_codings, build_word_project, dump

T1 = Counter({"压力": 2, "觉得": 1, "很大": 1, "留言回复": 1, "及时": 1, "还有": 1, "权威性": 1, "重要": 1, "辟谣": 1,
              "公众号": 1, "技术人员": 1, "不够": 1, "问题": 1, "很多": 1})
T2 = Counter({"公众号": 2, "觉得": 1, "互动": 1, "认为": 1, "问题": 1, "技术": 1})
E1 = Counter({"official": 3, "account": 3, "follow": 1, "slow": 1, "replies": 1, "late": 1})
TOKENS = {"访谈01": 27, "访谈02": 15, "E01": 17}


@pytest.fixture
def proj(tmp_path):
    project = build_word_project(tmp_path / "p")
    yield project
    project.close()


def counted(counts, group, store) -> Counter:
    keep = word_filter(store)
    return Counter({w: n for w, n in counts.groups[group].items() if keep.accepts(w)})


def test_counts_per_transcript_match_the_hand_count(proj):
    counts = count_words(proj.store, WordSelection(by="transcript"))
    assert list(counts.groups) == ["E01", "访谈01", "访谈02"]
    assert counted(counts, "访谈01", proj.store) == T1
    assert counted(counts, "访谈02", proj.store) == T2
    assert counted(counts, "E01", proj.store) == E1
    assert {name: sum(c.values()) for name, c in counts.groups.items()} == TOKENS


def test_corpus_frequencies_rank_by_count_then_word(proj):
    counts = count_words(proj.store, WordSelection())
    rows = frequencies(counts, word_filter(proj.store), top=6)
    assert [(r.rank, r.word, r.count, r.documents) for r in rows] == [
        (1, "account", 3, 1), (2, "official", 3, 1), (3, "公众号", 3, 2),
        (4, "压力", 2, 1), (5, "觉得", 2, 2), (6, "问题", 2, 2),
    ]
    assert rows[2].per_1000 == pytest.approx(1000 * 3 / 59)
    everything = frequencies(counts, word_filter(proj.store), top=None)
    assert Counter({r.word: r.count for r in everything}) == T1 + T2 + E1


def test_speaker_labels_punctuation_and_fillers_are_never_counted(proj):
    counts = count_words(proj.store, WordSelection(by="speaker"))
    assert {k: sum(v.values()) for k, v in counts.groups.items()} == {"I": 6, "R": 11, "受访者A": 20, "受访者B": 13,
                                                                     "访谈者": 9}
    everything = Counter()
    for counter in counts.groups.values():
        everything.update(counter)
    for never in ("访谈者", "受访者", "受访者A", "I", "i", "r", "：", "，", "。", " ", "\n"):
        assert never not in everything
    assert counted(counts, "访谈者", proj.store) == Counter({"觉得": 1, "压力": 1, "还有": 1, "公众号": 1})
    assert counted(counts, "R", proj.store) == Counter({"official": 2, "account": 2, "slow": 1, "replies": 1,
                                                        "late": 1})


def test_words_inside_codes_use_the_union_of_codings_and_whole_tokens_only(proj):
    apply_fixture_codings(proj)
    store = proj.store
    alice = count_words(store, WordSelection(by="code", selection=Selection(coders=("alice",))))
    assert list(alice.groups) == ["S.INTERACTION", "S.CREDIBILITY", "T.SKILL", "E.POLICY"]  # codebook order
    assert counted(alice, "S.INTERACTION", store) == Counter({"留言回复": 1, "及时": 1, "公众号": 1})
    assert counted(alice, "S.CREDIBILITY", store) == Counter({"权威性": 1, "重要": 1, "辟谣": 1})
    # 技术人员 lies inside the union of 公众号的技术 and 技术人员不够 only.
    assert counted(alice, "T.SKILL", store) == Counter({"公众号": 1, "技术人员": 1, "不够": 1, "认为": 1, "问题": 1,
                                                        "技术": 1})
    assert counted(alice, "E.POLICY", store) == Counter({"很大": 1})  # the coding starts inside 压力
    everyone = count_words(store, WordSelection(by="code"))
    assert counted(everyone, "S.INTERACTION", store) == Counter({"留言回复": 1, "及时": 1, "公众号": 1, "问题": 1,
                                                                 "很多": 1})
    write_suggestions(store)  # a machine coder joins only when named
    assert count_words(store, WordSelection(by="code")).groups == everyone.groups


def test_the_shipped_chinese_stop_words_drop_fillers_and_keep_stance_words():
    stop = chinese_stop_words()
    for filler in ("嗯", "啊", "呃", "那个", "这个", "就是", "然后", "对对对", "的", "了", "我们"):
        assert filler in stop
    for meaningful in ("问题", "觉得", "认为", "需要", "重要", "加强", "政府", "群众", "服务", "公众号", "没有", "不"):
        assert meaningful not in stop


def test_codebook_keywords_are_never_stop_words(proj):
    keep = WordFilter(frozenset({"那个", "我们"}), keep=frozenset({"我们"}))
    assert keep.accepts("我们") and not keep.accepts("那个")
    from qcode.codebook import parse_codebook_text
    from qcode.project.codebook_loading import install_codebook

    install_codebook(proj, parse_codebook_text(CODEBOOK.replace("[政策文件]", "[政策文件, 我们]")), source="v2")
    rows = frequencies(count_words(proj.store, WordSelection()), word_filter(proj.store), top=None)
    assert {r.word: r.count for r in rows}["我们"] == 1


def test_min_length_and_numbers(proj, tmp_path):
    counts = count_words(proj.store, WordSelection(by="transcript"))
    one = word_filter(proj.store, min_length=1)
    assert {w for w in counts.groups["访谈01"] if one.accepts(w)} - set(T1) == {"大", "要"}
    assert word_filter(proj.store, numbers=True).accepts("2024") and not word_filter(proj.store).accepts("2024")
    with pytest.raises(InputError, match="at least 1"):
        WordFilter(min_length=0)


# -- TF-IDF ------------------------------------------------------------------------------------------------


def test_distinctive_words_match_a_hand_computation(proj):
    counts = count_words(proj.store, WordSelection(by="transcript"))
    rows = distinctive(counts, word_filter(proj.store), top=None)
    top = {r.group: (r.word, r.count, r.documents) for r in rows if r.rank == 1}
    assert top == {"访谈01": ("压力", 2, 1), "访谈02": ("互动", 1, 1), "E01": ("account", 3, 1)}
    by_key = {(r.group, r.word): r for r in rows}
    assert by_key[("访谈01", "压力")].tfidf == pytest.approx(2 / 27 * math.log(3))
    assert by_key[("访谈02", "公众号")].tfidf == pytest.approx(2 / 15 * math.log(3 / 2))
    assert by_key[("E01", "official")].tfidf == pytest.approx(3 / 17 * math.log(3))
    # 互动, 技术, 认为 tie in 访谈02; equal scores list the more frequent, then the word in code-point order.
    assert [r.word for r in rows if r.group == "访谈02"][:4] == ["互动", "技术", "认为", "公众号"]
    assert ("访谈01", "问题") in by_key and by_key[("访谈01", "问题")].idf == pytest.approx(math.log(3 / 2))


def test_tfidf_agrees_with_scikit_learn():
    sklearn = pytest.importorskip("sklearn.feature_extraction.text")
    documents = {"a": Counter({"压力": 3, "留言": 1, "我们": 2}), "b": Counter({"留言": 2, "回复": 2}),
                 "c": Counter({"压力": 1, "回复": 1, "技术": 4})}
    ours = {(r.group, r.word): r.tfidf for r in distinctive_words(documents, WordFilter(min_length=1), None)}
    # scikit-learn without smoothing or normalisation gives count * (ln(N/df) + 1).
    vectorizer = sklearn.TfidfVectorizer(analyzer=lambda words: words, smooth_idf=False, norm=None)
    matrix = vectorizer.fit_transform([list(c.elements()) for c in documents.values()]).toarray()
    vocabulary = vectorizer.vocabulary_
    for row, (name, counter) in enumerate(documents.items()):
        total = sum(counter.values())
        for word, n in counter.items():
            reference = (matrix[row, vocabulary[word]] - n) / total
            assert ours.get((name, word), 0.0) == pytest.approx(reference, abs=1e-12)


def test_distinctive_words_need_two_groups(proj, run):
    result = run("words", "--distinctive", "-p", proj.root)
    assert result.exit_code == 1 and "--by transcript" in result.stderr
    with pytest.raises(InputError, match="only 1"):
        distinctive_words({"a": Counter({"x": 1}), "b": Counter()}, WordFilter(), None)


# -- the command ---------------------------------------------------------------------------------------------


def test_json_gives_word_and_count_objects(proj, run):
    result = run("words", "--format", "json", "--top", "3", "-p", proj.root)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(d["word"], d["count"], d["transcripts"]) for d in data] == [("account", 3, 1), ("official", 3, 1),
                                                                         ("公众号", 3, 2)]
    grouped = json.loads(run("words", "--by", "speaker", "--format", "json", "-p", proj.root).stdout)
    assert {"speaker", "rank", "word", "count", "per_1000"} <= set(grouped[0])


def test_table_csv_md_and_xlsx(proj, run, tmp_path):
    table = run("words", "--by", "transcript", "--top", "1", "-p", proj.root)
    assert table.exit_code == 0 and "压力" in table.stdout and "transcript" in table.stdout
    csv_text = run("words", "--format", "csv", "--top", "2", "-p", proj.root).stdout
    assert csv_text.splitlines()[:3] == ["rank,word,count,per_1000,transcripts", "1,account,3,50.847457627118644,1",
                                         "2,official,3,50.847457627118644,1"]
    assert run("words", "--format", "md", "-p", proj.root).stdout.startswith("## Word frequencies")
    target = tmp_path / "out" / "words.xlsx"
    result = run("words", "--by", "code", "--distinctive", "--format", "xlsx", "-o", target, "-p", proj.root)
    assert result.exit_code == 1 and "only 0" in result.stderr  # nobody coded anything yet
    apply_fixture_codings(proj)
    result = run("words", "--by", "code", "--format", "xlsx", "-o", target, "-p", proj.root)
    assert result.exit_code == 0, result.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("code", "name", "rank", "word", "count", "per_1000")
    assert rows[-1][:5] == ("E.POLICY", "政策压力", 1, "很大", 1)


def test_xlsx_needs_an_output_file(proj, run):
    result = run("words", "--format", "xlsx", "-p", proj.root)
    assert result.exit_code == 1 and "-o FILE.xlsx" in result.stderr


def test_user_stop_words_are_added(proj, run, tmp_path):
    extra = tmp_path / "stop.txt"
    extra.write_text("\ufeff# ours\nOfficial\n公众号\n", encoding="utf-8")
    data = json.loads(run("words", "--stopwords", extra, "--format", "json", "--top", "2", "-p", proj.root).stdout)
    assert [d["word"] for d in data] == ["account", "压力"]
    only_file = json.loads(run("words", "--stopwords", extra, "--no-default-stopwords", "--min-len", "1",
                               "--format", "json", "--top", "0", "-p", proj.root).stdout)
    assert {"我们", "嗯", "the"} <= {d["word"] for d in only_file}
    assert shipped_stop_words() >= {"the", "嗯"}


@pytest.mark.parametrize("content,where,message", [
    (b"ok\ntwo words\n", ":2: ", "one word per line"),
    ("好\n".encode() + "坏".encode("gbk") + b"\n", ":2: ", "UTF-8"),
])
def test_a_bad_stop_word_file_is_refused_with_its_line_and_nothing_changes(proj, run, tmp_path, content, where,
                                                                          message):
    path = tmp_path / "stop.txt"
    path.write_bytes(content)
    before = dump(proj.db_path)
    result = run("words", "--stopwords", path, "-p", proj.root)
    assert result.exit_code == 1 and f"{path}{where}" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(proj.db_path) == before  # not even the index was built


def test_a_missing_stop_word_file(proj, run, tmp_path):
    result = run("words", "--stopwords", tmp_path / "nope.txt", "-p", proj.root)
    assert result.exit_code == 1 and "nope.txt: cannot read the stop-word list" in result.stderr


def test_a_malformed_dictionary_stops_every_word_command_with_file_line_column(proj, run):
    dictionary = proj.root / "dictionary.txt"
    dictionary.write_text(dictionary.read_text(encoding="utf-8") + "人民日报 nz 5\n", encoding="utf-8")
    line = len(dictionary.read_text(encoding="utf-8").splitlines())
    before = dump(proj.db_path)
    for args in (["words"], ["search", "压力"], ["suggest"]):
        result = run(*args, "-p", proj.root)
        assert result.exit_code == 1
        assert f"error: {dictionary}:{line}:6: 'nz' is not a frequency" in result.stderr
        assert "Traceback" not in result.stderr
    assert dump(proj.db_path) == before


@pytest.mark.parametrize("args,message", [
    (["--transcript", "nope"], "no transcript named 'nope'"),
    (["--speaker", "nobody"], "no speaker named 'nobody'"),
    (["--by", "code", "--coder", "carol"], "no coder named 'carol'"),
    (["--coder", "alice"], "--coders chooses whose codings count with --by code"),
])
def test_unknown_names_are_refused_before_anything_is_indexed(proj, run, args, message):
    before = dump(proj.db_path)
    result = run("words", *args, "-p", proj.root)
    assert result.exit_code == 1 and message in result.stderr
    assert dump(proj.db_path) == before


def test_filters_by_transcript_and_speaker(proj, run):
    data = json.loads(run("words", "--transcript", "访谈02", "--speaker", "受访者B", "--format", "json",
                          "-p", proj.root).stdout)
    assert Counter({d["word"]: d["count"] for d in data}) == T2 - Counter({"公众号": 1})


def test_interviewers_words_are_left_out_unless_all_speakers_are_asked_for(proj):
    from qcode.project.attributes import CaseValue, map_speakers, store_values

    map_speakers(proj.store, "访谈员", "访谈者")
    store_values(proj.store, [CaseValue("person", "访谈员", "role", "interviewer")])
    assert "访谈者" not in count_words(proj.store, WordSelection(by="speaker")).groups
    everyone = count_words(proj.store, WordSelection(by="speaker", selection=Selection(speakers=("all",))))
    assert counted(everyone, "访谈者", proj.store) == Counter({"觉得": 1, "压力": 1, "还有": 1, "公众号": 1})


def test_words_by_a_transcript_attribute_add_up_the_transcripts_of_each_value(proj, run):
    from qcode.project.attributes import CaseValue, store_values

    store_values(proj.store, [CaseValue("transcript", "访谈01", "lang", "中文"),
                              CaseValue("transcript", "访谈02", "lang", "中文")])
    counts = count_words(proj.store, WordSelection(by="attr:lang"))
    assert list(counts.groups) == ["中文", "(no value)"]
    assert counted(counts, "中文", proj.store) == T1 + T2
    assert counted(counts, "(no value)", proj.store) == E1
    result = run("words", "--by", "attr:lang", "--format", "json", "-p", proj.root)
    assert result.exit_code == 0, result.stderr
    assert {r["attr:lang"] for r in json.loads(result.stdout)} == {"中文", "(no value)"}
