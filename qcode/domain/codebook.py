"""The codebook: a tree of codes and what a coder needs to apply them.

A codebook holds codes in document (depth-first) order. Each code has a stable `id` that codings store,
a possibly bilingual name and MacQueen-style guidance (definition, include, exclude, examples), keyword
hints, a colour and a hotkey. Codes with `codable=False` are groups: they organise other codes and are
never applied to text.

Pure data: no YAML and no I/O here. `qcode.codebook` reads and writes the YAML format, whose shape is
what `Codebook.as_data()` returns.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from qcode.i18n import current_language

_COLOR_PATTERN = re.compile(r"#[0-9a-f]{6}")

#: Colours for codes that do not set one. Each has a contrast ratio of at least 3.2 against both white and
#: a dark terminal background (#1e1e1e), so it is readable on either; consecutive entries are far apart in
#: hue and alternate between two lightness tiers, so neighbouring codes in a codebook look different.
DEFAULT_PALETTE: tuple[str, ...] = (
    "#c1444c", "#73970b", "#0a789f", "#cc68b8", "#91680a", "#009c90",
    "#755ec9", "#e16748", "#2c7f12", "#0092e4", "#b74583", "#a48904",
    "#027c81", "#a874de", "#b45405", "#0fa05c", "#336ccc", "#df6185",
    "#737409", "#0699b2", "#9d50af", "#c97801", "#147e63", "#7382ee",
)  # fmt: skip

#: How keyword hints are matched against a passage: whole jieba tokens, or raw substrings.
KEYWORD_MATCH_MODES: tuple[str, ...] = ("token", "substring")


@dataclass(frozen=True, slots=True, eq=False)
class Text:
    """A human-readable string: either language-neutral (`plain`) or one string per language.

    `translations` keeps the author's order of `(language, text)` pairs; equality and hashing ignore that
    order. Surrounding whitespace is stripped and empty translations are dropped, so a Text read from a
    file and one built in code compare equal when they say the same thing.
    """

    plain: str = ""
    translations: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        cleaned = tuple((lang, value.strip()) for lang, value in self.translations if value.strip())
        languages = [lang for lang, _ in cleaned]
        if len(set(languages)) != len(languages):
            raise ValueError(f"a language appears twice in {languages}")
        if self.plain.strip() and cleaned:
            raise ValueError("a Text is either plain or translated, not both")
        object.__setattr__(self, "plain", self.plain.strip())
        object.__setattr__(self, "translations", cleaned)

    @classmethod
    def of(cls, value: str | Mapping[str, str] | Text | None) -> Text:
        """Make a Text from a plain string, a `{language: text}` mapping, another Text, or None (empty)."""
        if value is None:
            return EMPTY_TEXT
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            return cls(plain=value)
        return cls(translations=tuple(value.items()))

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this text is given in (empty for a plain text)."""
        return tuple(lang for lang, _ in self.translations)

    def get(self, lang: str | None = None) -> str:
        """The text in `lang`, else in a variant of it (`zh` for `zh-Hant`), else in the first language.

        A plain text is returned whatever `lang` is; an empty Text gives "".
        """
        if self.plain or not self.translations:
            return self.plain
        if lang is not None:
            by_language = dict(self.translations)
            if lang in by_language:
                return by_language[lang]
            primary = _primary_subtag(lang)
            for candidate, value in self.translations:
                if _primary_subtag(candidate) == primary:
                    return value
        return self.translations[0][1]

    def as_data(self) -> str | dict[str, str]:
        """The YAML-shaped value: a string, or a mapping of language to string in the author's order."""
        return dict(self.translations) if self.translations else self.plain

    def __bool__(self) -> bool:
        return bool(self.plain or self.translations)

    def __str__(self) -> str:
        return self.get()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return self.plain == other.plain and dict(self.translations) == dict(other.translations)

    def __hash__(self) -> int:
        return hash((self.plain, frozenset(self.translations)))


EMPTY_TEXT = Text()


def _primary_subtag(lang: str) -> str:
    return re.split(r"[-_]", lang, maxsplit=1)[0].lower()


@dataclass(frozen=True, slots=True)
class Source:
    """A reference a code is grounded in, declared once and cited from codes by `key`."""

    key: str
    cite: str


@dataclass(frozen=True, slots=True)
class Code:
    """One code (or, with `codable=False`, a group) of a codebook.

    `parent` and `children` are ids; `color` is `#rrggbb` in lower case or None (then the codebook picks
    one from `DEFAULT_PALETTE`); `key` is the hotkey typed in the coding screen to apply the code.
    """

    id: str
    name: Text
    definition: Text = EMPTY_TEXT
    include: Text = EMPTY_TEXT
    exclude: Text = EMPTY_TEXT
    examples: tuple[Text, ...] = ()
    keywords: tuple[str, ...] = ()
    color: str | None = None
    key: str | None = None
    codable: bool = True
    parent: str | None = None
    children: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    description: Text = EMPTY_TEXT

    def __post_init__(self) -> None:
        if not self.id or self.id != self.id.strip():
            raise ValueError(f"code id {self.id!r} is empty or has surrounding whitespace")
        if self.color is not None and not _COLOR_PATTERN.fullmatch(self.color):
            raise ValueError(f"code {self.id!r}: colour {self.color!r} is not normalised #rrggbb")

    @property
    def is_group(self) -> bool:
        """True for a group: a code that organises others and cannot be applied to text."""
        return not self.codable

    def as_data(self) -> dict[str, Any]:
        """This code and its fields in the YAML shape, without `children` (the codebook nests those)."""
        optional: dict[str, Any] = {
            "codable": None if self.codable else False,
            "key": self.key,
            "color": self.color,
            "description": self.description.as_data() or None,
            "definition": self.definition.as_data() or None,
            "include": self.include.as_data() or None,
            "exclude": self.exclude.as_data() or None,
            "examples": [example.as_data() for example in self.examples] or None,
            "keywords": list(self.keywords) or None,
            "sources": list(self.sources) or None,
        }
        data: dict[str, Any] = {"id": self.id, "name": self.name.as_data()}
        data.update((name, value) for name, value in optional.items() if value is not None)
        return data


@dataclass(frozen=True, kw_only=True)
class Codebook:
    """A hierarchy of codes with its metadata.

    `codes` is every code and group in document order, which is depth-first: each parent comes before its
    children and its children come in their listed order. The constructor checks that the ids are unique
    and that parents and children agree, so a Codebook is always a consistent tree.
    """

    codes: tuple[Code, ...]
    format_version: int = 1
    id: str | None = None
    version: str | None = None
    title: Text = EMPTY_TEXT
    description: Text = EMPTY_TEXT
    languages: tuple[str, ...] = ()
    keyword_match: str = "token"
    sources: tuple[Source, ...] = ()
    _by_id: dict[str, Code] = field(init=False, repr=False, compare=False)
    _position: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Code] = {}
        for code in self.codes:
            if code.id in by_id:
                raise ValueError(f"duplicate code id {code.id!r}")
            by_id[code.id] = code
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_position", {code.id: i for i, code in enumerate(self.codes)})
        if self.keyword_match not in KEYWORD_MATCH_MODES:
            raise ValueError(f"keyword_match must be one of {KEYWORD_MATCH_MODES}")
        self._check_tree(by_id)

    def _check_tree(self, by_id: dict[str, Code]) -> None:
        for code in self.codes:
            if code.parent is not None:
                parent = by_id.get(code.parent)
                if parent is None or code.id not in parent.children:
                    raise ValueError(f"code {code.id!r}: parent {code.parent!r} does not list it")
            for child_id in code.children:
                child = by_id.get(child_id)
                if child is None or child.parent != code.id:
                    raise ValueError(f"code {code.id!r}: child {child_id!r} missing or has another parent")
        preorder = [code_id for root in self.roots() for code_id in self.subtree(root.id)]
        if preorder != [code.id for code in self.codes]:
            raise ValueError("codes are not in depth-first document order")

    # -- lookup -----------------------------------------------------------------------------------

    def get(self, code_id: str, default: Code | None = None) -> Code | None:
        """The code with this id, or `default`."""
        return self._by_id.get(code_id, default)

    def __getitem__(self, code_id: str) -> Code:
        try:
            return self._by_id[code_id]
        except KeyError:
            raise KeyError(f"no code {code_id!r} in the codebook") from None

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    # -- hierarchy --------------------------------------------------------------------------------

    def roots(self) -> tuple[Code, ...]:
        """The top-level codes and groups, in document order."""
        return tuple(code for code in self.codes if code.parent is None)

    def children_of(self, code_id: str) -> tuple[Code, ...]:
        """The direct children of a code, in document order."""
        return tuple(self._by_id[child] for child in self[code_id].children)

    def parent_of(self, code_id: str) -> Code | None:
        """The parent of a code, or None for a top-level code."""
        parent = self[code_id].parent
        return None if parent is None else self._by_id[parent]

    def subtree(self, code_id: str) -> tuple[str, ...]:
        """The id and the ids of all its descendants in document order (what a "rollup" counts)."""
        found: list[str] = []
        pending = [code_id]
        while pending:
            current = pending.pop()
            found.append(current)
            pending.extend(reversed(self[current].children))
        return tuple(found)

    def depth(self, code_id: str) -> int:
        """0 for a top-level code, 1 for its children, and so on."""
        depth = 0
        parent = self[code_id].parent
        while parent is not None:
            depth += 1
            parent = self._by_id[parent].parent
        return depth

    # -- what a coder uses ------------------------------------------------------------------------

    def codable(self) -> tuple[Code, ...]:
        """The codes that can be applied to text (groups left out), in document order."""
        return tuple(code for code in self.codes if code.codable)

    def by_key(self) -> dict[str, str]:
        """Hotkey -> code id, for the codes that have a hotkey."""
        return {code.key: code.id for code in self.codes if code.key is not None}

    def color_of(self, code_id: str) -> str:
        """The code's colour, or a stable palette colour chosen by its position in the codebook."""
        code = self[code_id]
        if code.color is not None:
            return code.color
        return DEFAULT_PALETTE[self._position[code_id] % len(DEFAULT_PALETTE)]

    def display_name(self, code_id: str, lang: str | None = None) -> str:
        """The code's name in `lang`, by default the interface language (falling back to another
        language), as shown to coders and readers."""
        return self[code_id].name.get(lang or current_language())

    # -- identity ---------------------------------------------------------------------------------

    def as_data(self) -> dict[str, Any]:
        """The whole codebook as plain data in the shape of the YAML format (defaults left out)."""
        optional: dict[str, Any] = {
            "id": self.id,
            "version": self.version,
            "title": self.title.as_data() or None,
            "description": self.description.as_data() or None,
            "languages": list(self.languages) or None,
            "keyword_match": None if self.keyword_match == "token" else self.keyword_match,
            "sources": [{"key": s.key, "cite": s.cite} for s in self.sources] or None,
        }
        data: dict[str, Any] = {"format": self.format_version}
        data.update((name, value) for name, value in optional.items() if value is not None)
        data["codes"] = [self._code_tree(root) for root in self.roots()]
        return data

    def _code_tree(self, code: Code) -> dict[str, Any]:
        data = code.as_data()
        if code.children:
            data["children"] = [self._code_tree(self._by_id[child]) for child in code.children]
        return data

    def content_hash(self) -> str:
        """sha256 (hex) of the codebook's content; comments, layout and key order do not change it.

        The format version is left out: it says how the content is written, not what it is.
        """
        data = self.as_data()
        del data["format"]
        canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
