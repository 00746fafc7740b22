"""Counting a one-word query from the full-text index's own terms (`qcode.storage.word_occurrences`):
the counts equal the stored tokens counted one by one, and the words the terms would miscount are
counted the slow way."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jieba
import pytest

from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.project.wordtools import project_lexicon, search
from qcode.project.wordtools.search import search_counted
from qcode.storage.text_index import TextIndexRepository
from qcode.storage.word_occurrences import occurrences_by_transcript
from qcode.text.query_cut import counted_by_index_terms
from qcode.text.segment import Lexicon, UserWord, has_han
from tests.words_support import build_word_project


def _stored_counts(project: Project, word: str) -> tuple[int, int]:
    """(tokens equal to `word`, transcripts holding one), counted over the stored tokens in Python."""
    per_transcript: Counter[int] = Counter()
    for sentence in TextIndexRepository.of(project.store).sentences():
        per_transcript[sentence.transcript_id] += sentence.words.count(word)
    return sum(per_transcript.values()), sum(1 for n in per_transcript.values() if n)


def test_only_han_words_that_no_project_word_splits_into_are_counted_by_index_terms():
    plain = Lexicon((UserWord("公众号", None, "nz", "test"),))
    assert counted_by_index_terms("的", plain) and counted_by_index_terms("公众号", plain)
    for word in ("account", "3.5", "a股", "𠮷"):  # Latin (split at ' and -, accents folded), digits, rare Han
        assert not counted_by_index_terms(word, plain), word
    hyphenated = Lexicon((UserWord("新冠-19", None, "nz", "test"),))
    assert not counted_by_index_terms("新冠", hyphenated)  # FTS5 makes 新冠-19 into the terms 新冠 and 19
    assert counted_by_index_terms("疫苗", hyphenated)


def test_jiebas_own_dictionary_mixes_no_han_with_characters_fts5_splits_at():
    dictionary = Path(jieba.__file__).parent / "dict.txt"
    mixed = [line.split(" ")[0] for line in dictionary.read_text(encoding="utf-8").splitlines()
             if has_han(line.split(" ")[0]) and not line.split(" ")[0].isalnum()]
    assert mixed == []


def test_a_one_word_query_is_counted_from_the_index_terms_without_reading_its_sentences(tmp_path, monkeypatch):
    project = build_word_project(tmp_path / "p")
    try:
        search(project.store, "压力")  # indexes
        monkeypatch.setattr(TextIndexRepository, "word_count", pytest.fail)
        monkeypatch.setattr(TextIndexRepository, "phrase_candidates", pytest.fail)
        for word in ("公众号", "我", "问题", "压力"):
            counted = search_counted(project.store, word, limit=1)
            assert (counted.total, counted.transcripts) == _stored_counts(project, word), word
            monkeypatch.undo()
            assert counted.hits == search(project.store, word)[:1]
            monkeypatch.setattr(TextIndexRepository, "word_count", pytest.fail)
            monkeypatch.setattr(TextIndexRepository, "phrase_candidates", pytest.fail)
    finally:
        project.close()


def test_a_word_inside_a_project_word_fts5_splits_is_counted_exactly_the_slow_way(tmp_path):
    root = tmp_path / "p"
    project = Project.init(root)
    (root / "dictionary.txt").write_text("新冠-19 nz\n", encoding="utf-8")
    (root / "transcripts" / "t.txt").write_text(
        "访谈者：新冠怎么样？\n受访者：新冠-19以后，新冠的事情多了。新冠-19很难。\n", encoding="utf-8")
    import_transcripts(project, [root / "transcripts"])
    try:
        search(project.store, "新冠")  # indexes
        stored = _stored_counts(project, "新冠")
        assert stored == (2, 1) and _stored_counts(project, "新冠-19") == (2, 1)  # the cut this test is about
        terms = occurrences_by_transcript(project.store.db, "新冠")
        assert terms is not None and sum(terms.values()) == 4  # what the index's terms would say
        assert not counted_by_index_terms("新冠", project_lexicon(project.store))
        counted = search_counted(project.store, "新冠", limit=1)
        assert (counted.total, counted.transcripts) == stored
    finally:
        project.close()


def test_a_connection_that_may_not_write_counts_the_sentences(tmp_path):
    project = build_word_project(tmp_path / "p")
    search(project.store, "压力")  # indexes
    project.close()
    with Project.open(tmp_path / "p") as project:
        project.store.db.execute("PRAGMA query_only = ON")  # as a read-only project is opened
        assert occurrences_by_transcript(project.store.db, "我") is None
        counted = search_counted(project.store, "我", limit=1)
        assert (counted.total, counted.transcripts) == _stored_counts(project, "我")
