"""The codebook a project holds: the document last loaded into its database, parsed once per version.

Every analysis needs it, so it lives below them (`qcode.analysis`, `qcode.project` and the reports use it).
"""

from __future__ import annotations

from qcode.codebook.loading import parse_codebook_text
from qcode.domain.codebook import Codebook
from qcode.errors import InputError
from qcode.i18n import _
from qcode.storage import Store

_cache: dict[str, Codebook] = {}


def current_codebook(store: Store) -> Codebook | None:
    """The codebook last loaded into the project (None before any load)."""
    record = store.codes.current_codebook()
    if record is None:
        return None
    cached = _cache.get(record.content_hash)
    if cached is None:
        cached = parse_codebook_text(record.document, path=f"{store.path}:codebook", stored=True)
        _cache[record.content_hash] = cached
    return cached


def remember_codebook(book: Codebook) -> None:
    """Keep a codebook just checked and saved, so reading it back does not parse its text again."""
    _cache[book.content_hash()] = book


def require_codebook(store: Store) -> Codebook:
    found = current_codebook(store)
    if found is None:
        raise InputError(_("this project has no codebook yet; load one with `qcode codebook load FILE.yaml`, "
                           "or start one code by code with `qcode codes add ID --name NAME` (grounded theory)"))
    return found
