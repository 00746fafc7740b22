"""Word segmentation: jieba for Chinese, the simple English tokenizer for Latin script, one project lexicon.

Setting up
    jieba is imported and its dictionary loaded at most once per process, by `setup_jieba()` (which
    `segmenter_for()` calls); later calls return at once. Call it from a worker thread: loading takes about
    a second. Importing this module does not import jieba. jieba's own stderr handler is replaced by a
    `NullHandler` before jieba can log anything (stderr output would corrupt a full-screen UI; an
    application that configures logging still receives jieba's warnings), and its dictionary cache is kept
    in qcode's user cache folder instead of the shared temporary folder.

The lexicon
    A project's own words (the codebook's names and keywords, and the terms in `dictionary.txt`) are
    added to a private copy of jieba's dictionary, one copy per distinct lexicon. Each copy is complete
    before anyone segments with it, because jieba's `add_word` is not thread-safe: a dictionary in use is
    never changed. Every word gets a part-of-speech tag (`nz` unless the dictionary gives one), so that
    jieba's tagger and keyword extraction keep it instead of dropping it as `x`. The lexicon's fingerprint
    changes whenever its words or these rules change, and that is what invalidates stored segmentations.

Segmenting
    jieba cuts a width-folded copy of the text (full-width letters and digits break jieba's blocks; the
    folding is 1:1, so offsets stay valid) in precise mode with its HMM for unknown words; the segmenter
    runs that algorithm through `qcode.text.precise_cut` (the same tokens in about half of jieba's time,
    for the jieba version it follows) and the tagger and keyword extraction through jieba. Tokens that
    contain a Han character come from jieba; words and numbers in Latin script come from
    `qcode.text.tokenize_en`, because jieba cuts `don't` into three pieces. White space and punctuation are
    never tokens. A token's word is its normalised form: width-folded and lower-cased. The sentences of
    a text are cut in as few jieba calls as give the same tokens as one call per sentence (`_pieces`),
    and a search query can be cut without loading jieba's dictionary (`qcode.text.query_cut`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
import threading
import warnings
from collections import OrderedDict
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from bisect import bisect_left
from itertools import accumulate, compress
from importlib.util import find_spec
from os import PathLike
from pathlib import Path
from typing import Any

from qcode.errors import InputError, Problem
from qcode.i18n import N_, _
from qcode.text.input_files import MAX_WORD_LIST_BYTES, check_input_file
from qcode.text.decode import fold_width
from qcode.text.precise_cut import HanTokens, precise_cut_for
from qcode.text.tokenize_en import LATIN_OR_DIGIT, english_spans, normalize_english

#: The array type of 32-bit unsigned offsets (as the word index stores them).
OFFSET_TYPE = next(code for code in ("I", "L") if array(code).itemsize == 4)

#: Bump when the segmentation rules change, so that every stored segmentation is made again.
SEGMENTATION_VERSION = "1"
#: The part-of-speech tag of project words that do not name one ("other proper noun" in jieba's tag set).
DEFAULT_TAG = "nz"

# jieba keeps only runs of these characters together (`re_han_default` in jieba/__init__.py); a word
# holding any other character can never come out of jieba whole.
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
_JIEBA_BLOCK_CHARACTER = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")
# Han characters, including those jieba emits one by one: 〇, Extension A, the end of the URO block,
# compatibility ideographs and the supplementary planes (𠮷).
_HAN = re.compile("[\u3007\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0003134F]")
_TAG = re.compile("[a-z]+")
_FREQUENCY = re.compile("[0-9]+")
_FIELD = re.compile(r"\S+")

# How many lexicons keep a dictionary in memory (each copy of jieba's dictionary costs about 15 MB).
_SEGMENTERS_KEPT = 2


class _HanTokens(dict[str, bool]):
    """Whether a token holds a Han character, remembered per distinct token (a dict lookup is about a
    sixth of a regular-expression search, and texts repeat their words)."""

    def __missing__(self, token: str) -> bool:
        if len(self) > 1_000_000:
            self.clear()  # a bound on memory: distinct tokens of ordinary text are far fewer
        found = self[token] = _HAN.search(token) is not None
        return found


_HAN_TOKENS = _HanTokens()


def has_han(text: str) -> bool:
    """Whether `text` contains a Han (Chinese) character."""
    return _HAN.search(text) is not None


# -- the project dictionary ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserWord:
    """A word added to jieba's dictionary: as jieba sees it (width-folded), with its frequency and tag.

    `frequency` None lets jieba choose one just high enough for the word to come out whole; `origin`
    says where the word came from (`dictionary.txt:12`, `codebook S.INTERACTION`).
    """

    word: str
    frequency: int | None
    tag: str
    origin: str


def parse_dictionary(text: str, path: str | PathLike[str] | None = None) -> list[UserWord]:
    """The words of a project dictionary: one `term [frequency] [tag]` per line; `#` lines are comments.

    Every malformed line is reported at once, as an `InputError` naming the file, line and column.
    """
    where = str(path) if path is not None else None
    problems: list[Problem] = []
    words: list[UserWord] = []
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        found = [(m.start() + 1, m.group()) for m in _FIELD.finditer(line)]  # (column, field)
        if not found or found[0][1].startswith("#"):
            continue
        fields = [value for _, value in found]
        word = fold_width(fields[0])
        frequency: int | None = None
        tag = DEFAULT_TAG
        column, message = 0, ""  # where and what is wrong with this line, if anything
        if len(fields) > 3:
            column = found[0][0]
            message = _("too many fields: write `term [frequency] [tag]`, e.g. `旺苍发布 nz`; a term cannot "
                        "contain spaces (jieba splits text at spaces before it looks words up)")
        elif len(fields) == 3:
            if not _FREQUENCY.fullmatch(fields[1]):
                column = found[1][0]
                message = _("'{field}' is not a frequency (a whole number); write `term [frequency] [tag]`").format(
                    field=fields[1])
            elif not _TAG.fullmatch(fields[2]):
                column = found[2][0]
                message = _("'{field}' is not a part-of-speech tag (lower-case letters, such as nz or ns)").format(
                    field=fields[2])
            else:
                frequency, tag = int(fields[1]), fields[2]
        elif len(fields) == 2:
            if _FREQUENCY.fullmatch(fields[1]):
                frequency = int(fields[1])
            elif _TAG.fullmatch(fields[1]):
                tag = fields[1]
            else:
                column = found[1][0]
                message = _("'{field}' is neither a frequency (a whole number) nor a part-of-speech tag "
                            "(lower-case letters, such as nz)").format(field=fields[1])
        if not message and frequency == 0:
            column = found[1][0]
            message = _("a frequency of 0 would remove the word; give a positive number, or leave it out")
        bad = None if message else _first_non_block_character(word)
        if bad is not None:
            column = found[0][0] + bad
            message = _("'{character}' can never be inside a jieba word (only Chinese characters, Latin "
                        "letters, digits and + # & . _ % - can); leave it out or split the term").format(
                character=fields[0][bad])
        if message:
            problems.append(Problem(message, where, number, column))
            continue
        words.append(UserWord(word, frequency, tag, f"{where or 'dictionary'}:{number}"))
    if problems:
        raise InputError(problems=problems)
    return words


def read_dictionary(path: Path) -> list[UserWord]:
    """The words of the dictionary file at `path`; a missing file is an empty dictionary."""
    check_input_file(path, MAX_WORD_LIST_BYTES, N_("dictionary"))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise InputError(_("cannot read the project dictionary: {reason}").format(reason=exc.strerror),
                         path=path) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(_("the project dictionary must be UTF-8 (byte 0x{byte} is not); save it as UTF-8").format(
            byte=f"{data[exc.start]:02X}"), path=path, line=line) from None
    return parse_dictionary(text.replace("\r\n", "\n").replace("\r", "\n"), path)


def codebook_words(terms: Iterable[tuple[str, str]]) -> list[UserWord]:
    """Dictionary words for `(code id, term)` pairs: the codebook's names and keywords.

    Only terms jieba can keep whole and that contain a Han character are added; the others (English
    names, terms with spaces or punctuation) are still matched, as phrases of the tokens they cut into.
    """
    words = []
    for code_id, term in terms:
        folded = fold_width(term.strip())
        if folded and has_han(folded) and _JIEBA_BLOCK.fullmatch(folded):
            words.append(UserWord(folded, None, DEFAULT_TAG, f"codebook {code_id}"))
    return words


def _first_non_block_character(word: str) -> int | None:
    for index, character in enumerate(word):
        if not _JIEBA_BLOCK_CHARACTER.match(character):
            return index
    return None


@cache
def _jieba_version() -> str:
    """jieba's version, read off its dist-info folder (importlib.metadata costs 20 ms a search), else
    from its metadata."""
    spec = find_spec("jieba")
    if spec is not None and spec.origin:
        found = [p.name for p in Path(spec.origin).parent.parent.glob("jieba-*.dist-info")]
        if len(found) == 1:
            return found[0].removeprefix("jieba-").removesuffix(".dist-info")
    from importlib import metadata  # lazy: only when jieba's dist-info folder is not beside it

    try:
        return metadata.version("jieba")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Lexicon:
    """The words a project adds to jieba, in the order they are added (which matters to jieba)."""

    words: tuple[UserWord, ...] = ()

    @classmethod
    def combine(cls, dictionary: Iterable[UserWord], codebook: Iterable[UserWord]) -> Lexicon:
        """The dictionary's words, then codebook terms the dictionary does not already give."""
        chosen: dict[str, UserWord] = {}
        for word in dictionary:
            chosen[word.word] = word  # a later line for the same term wins
        for word in codebook:
            chosen.setdefault(word.word, word)
        return cls(tuple(chosen.values()))

    @cached_property
    def fingerprint(self) -> str:
        """A hash of everything segmentation depends on: these rules, jieba's version and the words."""
        lines = [f"qcode segmentation {SEGMENTATION_VERSION}", f"jieba {_jieba_version()}"]
        lines += [f"{w.word}\t{'' if w.frequency is None else w.frequency}\t{w.tag}" for w in self.words]
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# -- jieba, once per process ---------------------------------------------------------------------------

_lock = threading.RLock()
_base: Any = None  # the jieba.Tokenizer with jieba's own dictionary, loaded once
_segmenters: OrderedDict[str, Segmenter] = OrderedDict()


def default_cache_dir() -> Path:
    """qcode's user cache folder (e.g. ~/.cache/qcode), where jieba's dictionary cache is kept."""
    from platformdirs import user_cache_dir  # lazy: no cost reason left; move to the top after the text/ rewrite (issue 13)

    return Path(user_cache_dir("qcode", appauthor=False))


def jieba_is_ready() -> bool:
    """Whether jieba has been set up in this process (so segmenting will not pause to load it)."""
    return _base is not None


def setup_jieba(cache_dir: Path | None = None) -> None:
    """Import jieba, silence its logger and load its dictionary; a cheap no-op after the first call.

    Thread-safe. Takes about a second the first time, so call it from a worker thread, before segmenting.
    """
    _base_tokenizer(cache_dir)


def _base_tokenizer(cache_dir: Path | None = None) -> Any:
    global _base
    with _lock:
        if _base is None:
            jieba = _import_jieba()
            tokenizer = jieba.Tokenizer()
            folder = cache_dir or default_cache_dir()
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                pass  # jieba then fails to write its cache there, silently, and still works
            tokenizer.tmp_dir = str(folder)
            # A versioned name: jieba reuses a cache of its default dictionary without checking it.
            tokenizer.cache_file = f"jieba-{_jieba_version()}.cache"
            tokenizer.initialize()
            _base = tokenizer
        return _base


def base_dictionary(cache_dir: Path | None = None) -> tuple[dict[str, int], int, Path]:
    """jieba's own dictionary (word or prefix -> frequency), its total, and the folder of its cache.

    Sets jieba up if needed. The dictionary is jieba's: never change it.
    """
    base = _base_tokenizer(cache_dir)
    return base.FREQ, base.total, Path(base.tmp_dir)


def dictionary_folder(cache_dir: Path | None = None) -> Path:
    """`cache_dir`, else the folder of jieba's dictionary cache in this process (set at its first set-up)."""
    if cache_dir is not None:
        return cache_dir
    with _lock:
        if _base is not None:
            return Path(_base.tmp_dir)
    return default_cache_dir()


def import_jieba() -> Any:
    """The jieba module, imported without loading its dictionary (that is `setup_jieba`)."""
    return _import_jieba()


def _import_jieba() -> Any:
    with warnings.catch_warnings():
        # jieba 0.42.1 has invalid escape sequences in its source; their warnings would print on stderr.
        warnings.simplefilter("ignore")
        # jieba imports pkg_resources (0.1 s, deprecated) only to open its own data files, and opens them
        # with open() when that import fails; a None in sys.modules makes it fail at once.
        blocked = "pkg_resources" not in sys.modules
        if blocked:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # None makes the import fail fast
        try:
            import jieba  # lazy: jieba takes ~0.2 s to import; only segmenting needs it
        finally:
            if blocked and sys.modules.get("pkg_resources", 0) is None:
                del sys.modules["pkg_resources"]
    logger = logging.getLogger("jieba")
    logger.removeHandler(jieba.log_console)  # jieba's StreamHandler(sys.stderr), attached at import
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())  # no "last resort" printing to stderr either
    logger.setLevel(logging.WARNING)
    return jieba


def segmenter_for(lexicon: Lexicon, cache_dir: Path | None = None) -> Segmenter:
    """The segmenter for `lexicon`: built on first use (sets up jieba if needed), then reused."""
    key = lexicon.fingerprint
    with _lock:
        found = _segmenters.get(key)
        if found is not None:
            _segmenters.move_to_end(key)
            return found
        base = _base_tokenizer(cache_dir)
        segmenter = Segmenter(_tokenizer_with(base, lexicon), lexicon)
        _segmenters[key] = segmenter
        while len(_segmenters) > _SEGMENTERS_KEPT:
            _segmenters.popitem(last=False)
        return segmenter


def _tokenizer_with(base: Any, lexicon: Lexicon) -> Any:
    """A new jieba tokenizer: a copy of the base dictionary plus the lexicon's words (about 15 ms)."""
    import jieba  # lazy: jieba takes ~0.7 s to load; only segmenting needs it

    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(base.FREQ)
    tokenizer.total = base.total
    tokenizer.tmp_dir = base.tmp_dir
    tokenizer.cache_file = base.cache_file
    tokenizer.initialized = True
    for word in lexicon.words:
        tokenizer.add_word(word.word, word.frequency, word.tag)
    return tokenizer


# -- segmenting ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Tokens:
    """Word tokens of a piece of text: `[starts[i], ends[i])` in the text, normalised as `words[i]`."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.words)


class Segmenter:
    """Cuts text into word tokens with offsets, with jieba plus one lexicon (never changed once built)."""

    def __init__(self, tokenizer: Any, lexicon: Lexicon) -> None:
        self.tokenizer = tokenizer  # a jieba.Tokenizer; e.g. jieba.posseg.POSTokenizer(tokenizer) tags with it
        self.lexicon = lexicon
        self.fingerprint = lexicon.fingerprint
        self._cut = tokenizer.lcut
        # jieba's algorithm in fewer steps where jieba is the version it follows, else jieba's own cut
        self.precise = precise_cut_for(tokenizer, _HAN_TOKENS.__getitem__, _jieba_version())
        self._han_tokens: Callable[[str, int, int], HanTokens] = (
            self.precise.han_tokens if self.precise is not None else partial(han_tokens_by_cut, self._cut))

    def segment(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Tokens]:
        """The tokens of each `[start, end)` span of `text` (e.g. its sentences), as if segmented separately.

        jieba cuts every block of its characters (Han, Latin letters, digits, `+#&._%-`) on its own, so
        consecutive spans whose edges fall between blocks are cut in one call (`_pieces`: one call per
        sentence costs about 10% more) and the tokens dealt out by offset, which gives exactly the tokens
        of cutting each span alone; a span edge inside a block starts a new call.
        """
        return self.segment_folded(fold_width(text), spans)

    def segment_folded(self, folded: str, spans: Sequence[tuple[int, int]]) -> list[Tokens]:
        """`segment` of a text already passed through `fold_width`."""
        result: list[Tokens] = []
        for start, end, starts, ends, words, low, high in self._dealt(folded, spans):
            if LATIN_OR_DIGIT.search(folded, start, end) is None:
                result.append(Tokens(starts[low:high], ends[low:high], words[low:high]))
            else:
                result.append(_with_latin(folded, start, end, starts[low:high], ends[low:high], words[low:high]))
        return result

    def segment_packed(self, folded: str, spans: Sequence[tuple[int, int]]) -> list[tuple[array[int], array[int], str]]:
        """`segment_folded`, each span's tokens given as (starts, ends, words joined by single spaces).

        The form the word index stores; made from each jieba call's token arrays by slicing, without a
        Python step per token.
        """
        result: list[tuple[array[int], array[int], str]] = []
        arrays: tuple[list[int], array[int], array[int]] | None = None
        for start, end, starts, ends, words, low, high in self._dealt(folded, spans):
            if LATIN_OR_DIGIT.search(folded, start, end) is None:
                if arrays is None or arrays[0] is not starts:
                    arrays = (starts, array(OFFSET_TYPE, starts), array(OFFSET_TYPE, ends))
                result.append((arrays[1][low:high], arrays[2][low:high], " ".join(words[low:high])))
            else:
                tokens = _with_latin(folded, start, end, starts[low:high], ends[low:high], words[low:high])
                result.append((array(OFFSET_TYPE, tokens.starts), array(OFFSET_TYPE, tokens.ends), " ".join(tokens.words)))
        return result

    def _dealt(self, folded: str, spans: Sequence[tuple[int, int]]
               ) -> Iterator[tuple[int, int, list[int], list[int], list[str], int, int]]:
        """Per span: (start, end, a jieba call's Han token starts, ends and words, and the span's share of
        them, `[low:high]`), one call per `_pieces` range."""
        for first, stop in _pieces(folded, spans):
            begin, end = spans[first][0], spans[stop - 1][1]
            starts, ends, words = self._han_tokens(folded, begin, end)
            low = 0
            for span_start, span_end in spans[first:stop]:
                low = bisect_left(starts, span_start, low)
                high = bisect_left(starts, span_end, low)
                yield span_start, span_end, starts, ends, words, low, high
                low = high

    def tokens(self, text: str, start: int = 0, end: int | None = None) -> Tokens:
        """The tokens of `text[start:end]`, with offsets into `text`."""
        return self._tokens(fold_width(text), start, len(text) if end is None else end)

    def words(self, text: str) -> list[str]:
        """The normalised words of a query or keyword, cut exactly as stored text is."""
        return self._tokens(fold_width(text), 0, len(text)).words

    def _tokens(self, folded: str, start: int, end: int) -> Tokens:
        return _tokens_of(self._han_tokens(folded, start, end), folded, start, end)


def tokens_from_cut(cut: Callable[[str], list[str]], folded: str, start: int, end: int) -> Tokens:
    """The tokens of `folded[start:end]` given `cut`, a jieba tokenizer's `lcut`, with offsets into `folded`."""
    return _tokens_of(han_tokens_by_cut(cut, folded, start, end), folded, start, end)


def han_tokens_by_cut(cut: Callable[[str], list[str]], folded: str, start: int, end: int) -> HanTokens:
    """The tokens holding a Han character that `cut` (a jieba tokenizer's `lcut`) makes of `folded[start:end]`."""
    pieces = cut(folded[start:end])
    # Offsets from the token lengths, and which tokens hold a Han character, with C-level iterators:
    # a Python loop over the tokens would cost a fifth of jieba's own time.
    bounds = list(accumulate(map(len, pieces), initial=start))
    keep = list(map(_HAN_TOKENS.__getitem__, pieces))
    return list(compress(bounds, keep)), list(compress(bounds[1:], keep)), list(compress(pieces, keep))


def _tokens_of(han: HanTokens, folded: str, start: int, end: int) -> Tokens:
    """All tokens of `folded[start:end]`: jieba's Han tokens `han`, with the English tokenizer's if needed."""
    if LATIN_OR_DIGIT.search(folded, start, end) is None:
        return Tokens(*han)  # Chinese only: every word is jieba's
    return _with_latin(folded, start, end, *han)


def _with_latin(folded: str, start: int, end: int, starts: Iterable[int], ends: Iterable[int],
                words: Iterable[str]) -> Tokens:
    """jieba's Han tokens of `folded[start:end]` (lower-cased) and the English tokenizer's words around them."""
    chinese = [(s, e, w.lower()) for s, e, w in zip(starts, ends, words)]
    normal = normalize_english(folded[start:end])  # the whole span at once, where that keeps its length
    if len(normal) == end - start:
        latin = [(s, e, normal[s - start:e - start]) for s, e in english_spans(folded, start, end)]
    else:  # a character whose lower case is longer (İ)
        latin = [(s, e, normalize_english(folded[s:e])) for s, e in english_spans(folded, start, end)]
    if not chinese or not latin:  # English only (or Chinese with Latin letters only inside its words)
        only = chinese or latin
        return Tokens([s for s, _, _ in only], [e for _, e, _ in only], [w for _, _, w in only])
    tokens = Tokens()
    for token_start, token_end, word in sorted(chinese + _outside(latin, chinese)):
        tokens.starts.append(token_start)
        tokens.ends.append(token_end)
        tokens.words.append(word)
    return tokens


#: A span more than this many characters after the previous one is cut on its own (the text between
#: spans, such as speaker labels, is cut along with them and its tokens dropped).
_MAX_GAP = 64
#: At most this many characters per jieba call, so that one call's tokens never hold much memory.
_MAX_PIECE = 100_000


def _pieces(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans[first:stop]` ranges that one jieba call over their extent cuts exactly as one call per span.

    That holds when every edge between them lies between two of jieba's blocks (a block character on at
    most one side), as jieba cuts blocks independently; the spans must also be in order.
    """
    pieces: list[tuple[int, int]] = []
    first = 0
    for i in range(1, len(spans)):
        previous_end, start = spans[i - 1][1], spans[i][0]
        if (start < previous_end or start - previous_end > _MAX_GAP or spans[i][1] - spans[first][0] > _MAX_PIECE
                or _inside_block(text, previous_end) or (start != previous_end and _inside_block(text, start))):
            pieces.append((first, i))
            first = i
    if spans:
        pieces.append((first, len(spans)))
    return pieces


def _inside_block(text: str, position: int) -> bool:
    """Whether `position` falls between two characters of one jieba block."""
    return (0 < position < len(text) and _JIEBA_BLOCK_CHARACTER.match(text, position - 1) is not None
            and _JIEBA_BLOCK_CHARACTER.match(text, position) is not None)


def _outside(spans: list[tuple[int, int, str]], taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The spans that overlap none of `taken` (both sorted, each free of overlaps within itself).

    A Latin word inside a jieba word such as `12345热线` (a project term) stays part of that word.
    """
    kept = []
    i = 0
    for span in spans:
        while i < len(taken) and taken[i][1] <= span[0]:
            i += 1
        if i < len(taken) and taken[i][0] < span[1]:
            continue
        kept.append(span)
    return kept
