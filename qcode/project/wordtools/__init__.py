"""Word tools on a project: its segmenter, a fresh text index, search, word counts and keyword suggestions.

- `index`: the project lexicon (dictionary.txt plus the codebook's names and keywords), the segmenter,
  and the text index, brought up to date lazily: on the first `words`, `search` or `suggest`, or by the
  TUI's worker through `warm_up()`, never during import.
- `search`: keyword in context. `counts`: word frequencies and distinctive words.
- `suggestions`: keyword suggestions, stored as codings of `auto:keywords` and scored against a coder.

Threads: a `Store` belongs to one thread. The TUI calls `warm_up(root)` in a worker (it opens its own
store and sets jieba up) before the search screen or suggestions are used; after that, `search()` and
`suggestions_for()` on the UI's store only read the index and segment the query.
"""

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

__all__ = [
    "AUTO_CODER", "GROUPINGS", "clear_suggestions", "NO_SPEAKER", "SUGGESTION_UNITS", "SUGGEST_SOURCE", "IndexReport",
    "KeywordEvaluation", "Progress", "SuggestReport", "WordCounts", "WordSelection", "count_words",
    "dictionary_path", "distinctive", "ensure_index", "evaluate_suggestions", "frequencies", "keyword_rules",
    "prepare_segmenter", "project_lexicon", "search", "suggestions_for", "warm_up", "word_filter",
    "write_suggestions",
]
