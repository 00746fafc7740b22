"""Word tools on a project: its segmenter, a fresh text index, search, word counts and keyword suggestions.

- `index`: the project lexicon (dictionary.txt plus the codebook's names and keywords), the segmenter,
  and the text index, brought up to date lazily: on the first `words`, `search` or `suggest`, or by the
  TUI's worker through `warm_up()`, never during import.
- `search`: keyword in context. `counts`: word frequencies and distinctive words.
- `suggestions`: keyword suggestions, stored as codings of `auto:keywords` and scored against a coder.

Threads: a `Store` belongs to one thread. The TUI calls `warm_up(root)` in a worker (it opens its own
store and sets jieba up) before the search screen or suggestions are used; after that, `search()` and
`suggestions_for()` on the UI's store only read the index and segment the query.

The names below are loaded from their module on first use (PEP 562), so that `qcode search` does not
import numpy and the analysis statistics that only `counts` and `suggestions` need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qcode.project.wordtools.counts import (
        GROUPINGS,
        NO_SPEAKER,
        WordCounts,
        WordSelection,
        count_words,
        distinctive,
        frequencies,
        word_filter,
    )
    from qcode.project.wordtools.index import (
        IndexReport,
        Progress,
        dictionary_path,
        ensure_index,
        prepare_segmenter,
        project_lexicon,
        warm_up,
    )
    from qcode.project.wordtools.search import search
    from qcode.project.wordtools.suggestions import (
        AUTO_CODER,
        SUGGEST_SOURCE,
        SUGGESTION_UNITS,
        KeywordEvaluation,
        SuggestReport,
        clear_suggestions,
        evaluate_suggestions,
        keyword_rules,
        suggestions_for,
        write_suggestions,
    )

_MODULES = {
    "counts": ("GROUPINGS", "NO_SPEAKER", "WordCounts", "WordSelection", "count_words", "distinctive",
               "frequencies", "word_filter"),
    "index": ("IndexReport", "Progress", "dictionary_path", "ensure_index", "prepare_segmenter",
              "project_lexicon", "warm_up"),
    "search": ("search",),
    "suggestions": ("AUTO_CODER", "SUGGEST_SOURCE", "SUGGESTION_UNITS", "KeywordEvaluation", "SuggestReport",
                    "clear_suggestions", "evaluate_suggestions", "keyword_rules", "suggestions_for",
                    "write_suggestions"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = ["AUTO_CODER", "GROUPINGS", "IndexReport", "KeywordEvaluation", "NO_SPEAKER", "Progress",
    "SUGGESTION_UNITS", "SUGGEST_SOURCE", "SuggestReport", "WordCounts", "WordSelection", "clear_suggestions",
    "count_words", "dictionary_path", "distinctive", "ensure_index", "evaluate_suggestions", "frequencies",
    "keyword_rules", "prepare_segmenter", "project_lexicon", "search", "suggestions_for", "warm_up",
    "word_filter", "write_suggestions"]  # the keys of _HOME, spelled out for linters


def __getattr__(name: str) -> Any:
    """A name of `__all__`, imported from its module the first time it is asked for."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
