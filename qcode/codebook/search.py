"""Finding a code by what a coder types: hotkey, id, Chinese name, English name or pinyin initials.

Used by the fuzzy picker of the coding screen. Typing `hd` finds 互动与用户参与 (hu dong), `s.int` finds
S.INTERACTION, `inter` finds its English name. pypinyin costs about 0.2 s of CPU and 40 MB to load, so the
romanised names are cached per codebook (by content hash) in a folder the caller chooses, and pypinyin is
only loaded when a codebook is seen for the first time.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from qcode.domain.codebook import Codebook

EXACT_KEY, EXACT_ID, PREFIX, SUBSTRING, SUBSEQUENCE = 1000, 900, 700, 500, 300


@dataclass(frozen=True)
class CodeMatch:
    code: str
    score: int
    field: str  # which field matched: key, id, name, name_en, initials, pinyin


def _pinyin(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of the Chinese characters in `name`, lower case, other characters dropped."""
    from pypinyin import Style, lazy_pinyin  # lazy: pypinyin takes ~0.5 s to load; only the code matcher's worker needs it

    hanzi = "".join(ch for ch in name if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0002ffff")
    if not hanzi:
        return "", ""
    syllables = lazy_pinyin(hanzi, style=Style.NORMAL, errors="ignore")
    return "".join(s[0] for s in syllables if s), "".join(syllables)


def _subsequence_score(query: str, field: str) -> int | None:
    """A score for `query` appearing in order in `field` (denser matches score higher), else None."""
    position = -1
    first = None
    for ch in query:
        position = field.find(ch, position + 1)
        if position < 0:
            return None
        if first is None:
            first = position
    spread = position - (first or 0) + 1 - len(query)
    return max(SUBSEQUENCE - 10 * spread - (first or 0), 1)


def pinyin_of_names(codebook: Codebook, cache_dir: Path | None = None) -> dict[str, tuple[str, str]]:
    """(initials, full pinyin) of every applicable code's Chinese name, from the cache when possible."""
    cache = cache_dir / f"pinyin-{codebook.content_hash()}.json" if cache_dir else None
    if cache is not None and cache.is_file():
        try:
            return {code: (pair[0], pair[1]) for code, pair in json.loads(cache.read_text(encoding="utf-8")).items()}
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            pass  # a damaged cache file is rebuilt below
    table = {code.id: _pinyin(code.name.get("zh")) for code in codebook.codable()}
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache.parent, delete=False) as handle:
                json.dump(table, handle, ensure_ascii=False)
            os.replace(handle.name, cache)
        except OSError:
            pass  # a read-only cache folder only costs the pinyin load next time
    return table


class CodeMatcher:
    """Ranks the applicable codes of a codebook against a query."""

    def __init__(self, codebook: Codebook, lang: str = "zh", *, cache_dir: Path | None = None) -> None:
        self.codebook = codebook
        self.fields: list[tuple[str, dict[str, str]]] = []
        romanised = pinyin_of_names(codebook, cache_dir)
        for code in codebook.codable():
            zh = code.name.get("zh")
            initials, full = romanised.get(code.id) or _pinyin(zh)
            self.fields.append((code.id, {
                "key": (code.key or "").lower(),
                "id": code.id.lower(),
                "name": zh.lower(),
                "name_en": code.name.get("en").lower() if "en" in code.name.languages else "",
                "initials": initials,
                "pinyin": full,
            }))

    def match(self, query: str, limit: int | None = None) -> list[CodeMatch]:
        """Codes matching `query`, best first (codebook order breaks ties); all codes for an empty query."""
        q = "".join(query.lower().split())
        if not q:
            found = [CodeMatch(code, 0, "") for code, _ in self.fields]
            return found[:limit] if limit else found
        results = []
        for position, (code, fields) in enumerate(self.fields):
            best: tuple[int, str] | None = None
            for name, value in fields.items():
                if not value:
                    continue
                if name == "key" and value == q:
                    score = EXACT_KEY
                elif name == "id" and value == q:
                    score = EXACT_ID
                elif value.startswith(q):
                    score = PREFIX + (50 if name in ("initials", "id") else 0)
                elif q in value:
                    score = SUBSTRING
                else:
                    score = _subsequence_score(q, value) or 0
                if score and (best is None or score > best[0]):
                    best = (score, name)
            if best is not None:
                results.append((-best[0], position, CodeMatch(code, best[0], best[1])))
        results.sort()
        matches = [m for _, _, m in results]
        return matches[:limit] if limit else matches
