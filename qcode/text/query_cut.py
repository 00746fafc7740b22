"""Cutting a search query exactly as the index was cut, without loading jieba's dictionary.

A query is a few words, but jieba loads its whole dictionary (half a million entries, most of a second)
before it cuts anything. jieba only ever looks up the query's own substrings, though (to build the
DAG of possible words, choose the likeliest route and decide which runs of single characters its HMM
sees), so this module gives a fresh jieba tokenizer a dictionary holding just those entries, read from
two files in qcode's cache folder, and lets jieba's own code cut the query:

- `jieba-<version>-words.sqlite`: jieba's dictionary (`qcode.storage.word_frequencies`), written once
  per jieba version, the first time a segmenter is prepared for a project;
- `lexicon-<fingerprint>.json`: what the project's words changed in it (each word and its prefixes, as
  `add_word` left them) and the new total, written once per lexicon.

The result is the same as the full segmenter's by construction: every entry jieba consults has the value
it has in the full dictionary. When either file is missing (the first search on a machine or after a
dictionary change), `query_words` returns None and the caller uses the full segmenter, which writes
the files for next time. Queries without Han characters need no jieba at all.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from qcode.storage.word_frequencies import FrequencyFile, write_frequencies
from qcode.text.decode import fold_width
from qcode.text.segment import (
    _JIEBA_BLOCK,
    Lexicon,
    Segmenter,
    _jieba_version,
    base_dictionary,
    dictionary_folder,
    has_han,
    import_jieba,
    tokens_from_cut,
)


def base_file(folder: Path) -> Path:
    return folder / f"jieba-{_jieba_version()}-words.sqlite"


def lexicon_file(folder: Path, fingerprint: str) -> Path:
    return folder / f"lexicon-{fingerprint}.json"


def save_query_dictionary(segmenter: Segmenter, cache_dir: Path | None = None) -> None:
    """Write the files `query_words` needs for this segmenter's lexicon, if they are not there yet.

    The first call on a machine writes jieba's dictionary (about a second, once per jieba version);
    a folder that cannot be written is ignored (queries then use the full segmenter).
    """
    folder = dictionary_folder(cache_dir)
    try:
        base = base_file(folder)
        if not base.exists():
            frequencies, total, _ = base_dictionary(cache_dir)
            write_frequencies(base, frequencies, total)
        changes = lexicon_file(folder, segmenter.fingerprint)
        if not changes.exists():
            _write_json(changes, _lexicon_changes(segmenter))
    except OSError:
        pass  # a read-only or full cache folder: searches still work, each one loading jieba


def _lexicon_changes(segmenter: Segmenter) -> dict[str, object]:
    """Every entry the lexicon's words set (each word and its prefixes), and the dictionary's new total."""
    frequencies = segmenter.tokenizer.FREQ
    prefixes = {w.word[:i] for w in segmenter.lexicon.words for i in range(1, len(w.word) + 1)}
    return {"total": segmenter.tokenizer.total,
            "freq": {p: frequencies[p] for p in sorted(prefixes) if p in frequencies}}


def _write_json(path: Path, data: object) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)


def query_words(lexicon: Lexicon, query: str, cache_dir: Path | None = None) -> list[str] | None:
    """The normalised words of `query`, as `segmenter_for(lexicon).words(query)` gives them; None when
    the dictionary files are not there yet (then use the full segmenter)."""
    folded = fold_width(query)
    if not has_han(folded):
        return tokens_from_cut(_whole, folded, 0, len(folded)).words  # the English tokenizer alone
    folder = dictionary_folder(cache_dir)
    changes = _read_changes(lexicon_file(folder, lexicon.fingerprint))
    base = FrequencyFile.open(base_file(folder))
    if changes is None or base is None:
        return None
    try:
        added, total = changes
        longest = max(base.longest, max(map(len, added), default=0))
        wanted = set(_substrings(folded, longest))
        frequencies = base.lookup(wanted)
        frequencies.update((word, added[word]) for word in wanted & added.keys())
    except OSError:
        return None  # a damaged cache: the full segmenter answers (and the file is rewritten on a new jieba)
    finally:
        base.close()
    tokenizer = import_jieba().Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = frequencies, total, True
    return tokens_from_cut(tokenizer.lcut, folded, 0, len(folded)).words


def _whole(piece: str) -> list[str]:
    return [piece]  # no Han character: nothing of it is kept from jieba's cut


def _read_changes(path: Path) -> tuple[dict[str, int], int] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return dict(data["freq"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _substrings(folded: str, longest: int) -> Iterable[str]:
    """Every substring of at most `longest` characters inside one of jieba's blocks (all it looks up)."""
    for block in _JIEBA_BLOCK.finditer(folded):
        text = block.group()
        for start in range(len(text)):
            for stop in range(start + 1, min(len(text), start + longest) + 1):
                yield text[start:stop]


# Han ideographs (CJK Unified, and Extension A): letters to FTS5's unicode61 tokenizer, never folded by it.
_IDEOGRAPHS = re.compile("[\u3400-\u4DBF\u4E00-\u9FFF]+")


def counted_by_index_terms(word: str, lexicon: Lexicon) -> bool:
    """Whether the full-text index's own terms count the stored tokens equal to `word` exactly.

    FTS5 (unicode61) splits a stored token at any character that is not a letter or digit, and folds
    case and accents. A word of Han ideographs alone is one term, kept as it is; another token becomes
    that term only if it holds the word next to such a character (`新冠-19` holds 新冠). jieba's own
    dictionary has no word mixing Han with other characters (tests check it) and its cut keeps them
    apart, so only the project's words can: a word inside one of those is counted the slow, exact way.
    """
    if _IDEOGRAPHS.fullmatch(word) is None:
        return False
    return not any(word in added.word and not added.word.isalnum() for added in lexicon.words)
