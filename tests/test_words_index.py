"""The stored segmentation and full-text index: lazy, per transcript, invalidated by text, dictionary and codebook.

`build_word_project` (tests/words_support.py) makes the small bilingual project the word-tool tests share;
its segmentation is asserted token by token in `test_the_fixture_is_segmented_as_the_tests_assume`, and
every hand count in the other test files is read off those token lists.
"""

from __future__ import annotations

import sqlite3

import pytest

from qcode.codebook import parse_codebook_text
from qcode.project.codebook_loading import install_codebook
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.project.wordtools import ensure_index, prepare_segmenter, search
from qcode.storage.text_index import TextIndexRepository, pack_offsets, unpack_offsets
from tests.words_support import CODEBOOK, SENTENCE_TOKENS, TRANSCRIPTS, build_word_project

@pytest.fixture
def words_project(tmp_path):
    project = build_word_project(tmp_path / "words")
    yield project
    project.close()


def _state(project: Project) -> dict[int, tuple[str, str, int]]:
    return TextIndexRepository.of(project.store).indexed()


def test_the_fixture_is_segmented_as_the_tests_assume(words_project):
    store = words_project.store
    ensure_index(store)
    found: dict[str, list[list[str]]] = {}
    for sentence in TextIndexRepository.of(store).sentences():
        text = store.transcripts.text(sentence.transcript_id)
        found.setdefault(sentence.transcript, []).append(sentence.words)
        for start, end, word in zip(sentence.starts, sentence.ends, sentence.words):
            assert sentence.start <= start < end <= sentence.end
            assert text[start:end].lower() == word  # offsets index the stored text
    assert found == SENTENCE_TOKENS


def test_import_does_not_segment_and_the_first_use_indexes_every_transcript(words_project):
    store = words_project.store
    assert _state(words_project) == {}  # `qcode import` stays fast: nothing was segmented
    report = ensure_index(store)
    assert report.segmented == 3 and report.tokens == sum(len(s) for t in SENTENCE_TOKENS.values() for s in t)
    state = _state(words_project)
    assert {store.transcripts.by_id(tid).name: tokens for tid, (_, _, tokens) in state.items()} == {
        "访谈01": 27, "访谈02": 15, "E01": 17}
    assert {sha for sha, _, _ in state.values()} == {t.sha256 for t in store.transcripts.all()}
    assert ensure_index(store).segmented == 0  # fresh: nothing to do


def test_two_character_words_are_found_inside_running_text(words_project):
    hits = search(words_project.store, "压力")
    assert [(h.transcript, h.match, h.sentence_index) for h in hits] == [("访谈01", "压力", 0), ("访谈01", "压力", 1)]


def test_fts5_on_raw_chinese_cannot_find_a_two_character_word_which_is_why_the_index_is_segmented():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE raw USING fts5(text)")
    conn.execute("CREATE VIRTUAL TABLE cut USING fts5(words)")
    conn.execute("INSERT INTO raw VALUES ('嗯，压力很大。')")
    conn.execute("INSERT INTO cut VALUES ('嗯 压力 很大')")
    assert conn.execute("SELECT count(*) FROM raw WHERE raw MATCH '压力'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM cut WHERE cut MATCH '压力'").fetchone()[0] == 1


def test_a_changed_text_invalidates_only_that_transcript(words_project, tmp_path):
    store = words_project.store
    ensure_index(store)
    before = _state(words_project)
    changed = tmp_path / "new" / "访谈02.txt"
    changed.parent.mkdir()
    changed.write_text(TRANSCRIPTS["访谈02"].replace("技术", "经费"), encoding="utf-8")
    [outcome] = import_transcripts(words_project, [changed])
    assert outcome.status == "replaced"
    assert [t.name for t in TextIndexRepository.of(store).stale(prepare_segmenter(store).fingerprint)] == ["访谈02"]
    assert ensure_index(store).segmented == 1
    after = _state(words_project)
    tid = store.transcripts.by_name("访谈02").id
    assert after[tid][0] != before[tid][0]
    assert [h.transcript for h in search(store, "技术")] == []  # 访谈01 has 技术人员 only
    assert [h.transcript for h in search(store, "经费")] == ["访谈02"]


def test_editing_the_dictionary_reindexes_and_changes_the_tokens(words_project):
    store = words_project.store
    ensure_index(store)
    assert [h.match for h in search(store, "压力很大")] == ["压力很大"]
    with (words_project.root / "dictionary.txt").open("a", encoding="utf-8") as handle:
        handle.write("压力很大 nz\n")
    report = ensure_index(store)
    assert report.segmented == 3  # the lexicon changed, so every transcript is cut again
    [sentence] = [s for s in TextIndexRepository.of(store).sentences()
                  if s.sentence_idx == 1 and s.transcript == "访谈01"]
    assert sentence.words == ["嗯", "压力很大"]
    assert [h.sentence_index for h in search(store, "压力")] == [0]  # 压力 inside 压力很大 is no token now


def test_reindexing_transcripts_together_replaces_every_old_row_and_its_full_text_row(words_project):
    store = words_project.store
    ensure_index(store)
    index = TextIndexRepository.of(store)
    before = {(s.transcript, s.sentence_idx): s.words for s in index.sentences()}
    with (words_project.root / "dictionary.txt").open("a", encoding="utf-8") as handle:
        handle.write("压力很大 nz\n公众号很好 nz\n")
    assert ensure_index(store).segmented == 3  # one batch: the old rows of all three go before any new row
    after = {(s.transcript, s.sentence_idx): s.words for s in index.sentences()}
    assert after.keys() == before.keys()
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {("访谈01", 1), ("访谈02", 1)}
    counts = [store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("text_index_sentences", "text_index_fts")]
    assert counts == [len(after), len(after)]  # no full-text row outlives its sentence
    stale = store.db.execute("SELECT count(*) FROM text_index_fts WHERE text_index_fts MATCH '\"压力 很大\"'")
    assert stale.fetchone()[0] == 0


def test_a_new_codebook_keyword_reindexes(words_project):
    store = words_project.store
    ensure_index(store)
    install_codebook(words_project, parse_codebook_text(CODEBOOK.replace("[政策文件]", "[政策文件, 技术人员不够]")),
                     source="v2")
    assert ensure_index(store).segmented == 3
    assert [h.match for h in search(store, "技术人员不够")] == ["技术人员不够"]


def test_deleting_a_transcript_deletes_its_index_rows(words_project):
    store = words_project.store
    ensure_index(store)
    tid = store.transcripts.by_name("访谈02").id
    with store.transaction():
        store.db.execute("DELETE FROM units WHERE transcript_id = ?", [tid])
        store.db.execute("DELETE FROM transcripts WHERE id = ?", [tid])
    left = store.db.execute("SELECT count(*) FROM text_index_fts WHERE text_index_fts MATCH '认为'").fetchone()[0]
    assert left == 0
    assert tid not in _state(words_project)


def test_offsets_pack_as_little_endian_uint32():
    blob = pack_offsets([0, 3, 70000], [2, 5, 70002])
    assert blob[:4] == b"\x00\x00\x00\x00" and blob[8:12] == (70000).to_bytes(4, "little")
    starts, ends = unpack_offsets(blob)
    assert (list(starts), list(ends)) == ([0, 3, 70000], [2, 5, 70002])


def test_index_writes_are_not_journalled(words_project):
    store = words_project.store
    before = store.journal.count()
    ensure_index(store)
    assert store.journal.count() == before


def test_progress_reports_each_transcript_then_the_end(words_project):
    calls = []
    ensure_index(words_project.store, progress=lambda done, total, name: calls.append((done, total, name)))
    assert calls == [(0, 3, "E01"), (1, 3, "访谈01"), (2, 3, "访谈02"), (3, 3, "")]


def test_warm_up_indexes_in_a_worker_thread_with_its_own_store(words_project):
    from concurrent.futures import ThreadPoolExecutor

    from qcode.project.wordtools import warm_up

    calls = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(warm_up, words_project.root, lambda *args: calls.append(args)).result()
    assert report.segmented == 3 and calls[-1] == (3, 3, "")
    store = words_project.store  # the UI thread's store now finds everything fresh
    assert TextIndexRepository.of(store).stale(prepare_segmenter(store).fingerprint) == []
    assert len(search(store, "公众号")) == 3


def _rows(project: Project) -> list[tuple]:
    return project.store.db.execute(
        "SELECT s.transcript_id, s.sentence_idx, s.start, s.\"end\", s.offsets, f.words FROM text_index_sentences s "
        "JOIN text_index_fts f ON f.rowid = s.id ORDER BY s.transcript_id, s.sentence_idx").fetchall()


def test_a_transcript_stored_in_parts_gives_the_same_index_as_stored_whole(words_project, monkeypatch):
    from qcode.text import segment_parallel

    ensure_index(words_project.store)
    whole, state = _rows(words_project), _state(words_project)
    with words_project.store.transaction(source="test"):
        TextIndexRepository.of(words_project.store).clear()
    monkeypatch.setattr(segment_parallel, "_TASK_CHARACTERS", 10)  # every transcript in several parts
    report = ensure_index(words_project.store)
    assert _rows(words_project) == whole and _state(words_project) == state
    assert report.segmented == 3 and report.tokens == sum(tokens for _, _, tokens in state.values())


def test_a_transcript_claimed_by_another_indexer_is_left_to_it(words_project):
    store = words_project.store
    index = TextIndexRepository.of(store)
    tid = store.transcripts.all()[0].id
    row = (0, 0, 2, pack_offsets([0], [2]), "压力")
    with store.transaction(source="test"):
        index.claim(tid, "mine")
        assert index.append(tid, "mine", [row])
    with store.transaction(source="test"):
        index.claim(tid, "theirs")  # empties it again
    with store.transaction(source="test"):
        assert not index.append(tid, "mine", [row]) and not index.finish(tid, "mine", "sha", "lexicon", 1)
    assert _rows(words_project) == [] and tid in {item.id for item in index.stale("lexicon")}
    with store.transaction(source="test"):
        assert index.append(tid, "theirs", [row]) and index.finish(tid, "theirs", "sha", "lexicon", 1)
    assert len(_rows(words_project)) == 1
