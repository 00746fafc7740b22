"""Theoretical saturation: how many new codes each transcript added, and what a held-back test set adds.

Transcripts are taken in coding order (the order of each transcript's first coding) unless an order is
given. A code is *new* in the first transcript, in that order, that has a coding of it; its category (its
parent; a top-level code is its own category) is new when no earlier transcript had a code of it. The
transcripts marked as the saturation test set are left out of the curve and compared with all the
others: every code and category only they have is listed, and so is every relation with an end that
only they ground. "No new category" is said only when that list of categories is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.domain.codebook import Codebook
from qcode.errors import InputError
from qcode.reports.tables import Table
from qcode.storage import Store
from qcode.storage.relations import Relation
from qcode.i18n import _, counted, using_language


@dataclass(frozen=True)
class SaturationStep:
    transcript: str
    codings: int
    codes: int  # distinct codes used
    new_codes: tuple[str, ...]
    new_categories: tuple[str, ...]
    cumulative: int  # distinct codes so far


@dataclass(frozen=True)
class Saturation:
    steps: tuple[SaturationStep, ...]
    test_set: tuple[str, ...]
    test_new_codes: tuple[str, ...]
    test_new_categories: tuple[str, ...]
    test_new_relations: tuple[Relation, ...]
    uncoded: tuple[str, ...]  # transcripts without codings (left out of the curve)

    @property
    def no_new_category(self) -> bool | None:
        """True when the test set adds no category; None when there is no coded test set."""
        if not self.test_set:
            return None
        return not self.test_new_categories


def category_of(book: Codebook, code_id: str) -> str:
    parent = book[code_id].parent if code_id in book else None
    return parent if parent is not None else code_id


def saturation(store: Store, book: Codebook, *, order: list[str] | None = None,
               coders: set[str] | None = None) -> Saturation:
    infos = {t.name: t for t in store.transcripts.all()}
    held_back_ids = store.relations.saturation_set()
    held_back = [name for name, info in infos.items() if info.id in held_back_ids]
    codings = [c for c in store.codings.all() if c.code in book and (
        c.coder in coders if coders is not None else not c.coder.startswith("auto:"))]
    by_transcript: dict[str, list] = {}
    for coding in codings:
        by_transcript.setdefault(coding.transcript, []).append(coding)
    if order:
        unknown = [name for name in order if name not in infos]
        if unknown:
            raise InputError(_("no transcript named {names}; see `qcode transcripts`").format(
                names=", ".join(repr(n) for n in unknown)))
        sequence = [name for name in order if name not in held_back]
    else:
        first = {name: min(c.created_at for c in items) for name, items in by_transcript.items()}
        sequence = sorted((n for n in first if n not in held_back), key=lambda n: (first[n], n))
    seen_codes: set[str] = set()
    seen_categories: set[str] = set()
    steps = []
    for name in sequence:
        items = by_transcript.get(name, [])
        used = sorted({c.code for c in items}, key=lambda c: book.codes.index(book[c]))
        new_codes = tuple(c for c in used if c not in seen_codes)
        categories = []
        for code in used:
            category = category_of(book, code)
            if category not in seen_categories and category not in categories:
                categories.append(category)
        seen_codes |= set(used)
        seen_categories |= set(categories)
        steps.append(SaturationStep(name, len(items), len(used), new_codes, tuple(categories), len(seen_codes)))
    test_codes = {c.code for name in held_back for c in by_transcript.get(name, [])}
    test_new = tuple(c.id for c in book if c.id in test_codes - seen_codes)
    test_categories = tuple(dict.fromkeys(category_of(book, c) for c in test_new
                                          if category_of(book, c) not in seen_categories))
    grounded_elsewhere = seen_codes | {category_of(book, c) for c in seen_codes}
    test_relations = tuple(r for r in store.relations.all()
                           if any(end not in grounded_elsewhere and (end in test_codes or end in test_categories)
                                  for end in (r.source, r.target)))
    uncoded = tuple(sorted(n for n in infos if n not in by_transcript and n not in held_back))
    return Saturation(tuple(steps), tuple(sorted(held_back)), test_new, test_categories, test_relations,
                      uncoded)


def saturation_tables(result: Saturation, book: Codebook, lang: str = "zh") -> list[Table]:
    def names(ids) -> str:
        return "、".join(book.display_name(c, lang) for c in ids)

    with using_language(lang):  # the tables' titles in the report's language
        curve_title = _("New codes per transcript")
        test_title = _("Saturation test: {transcripts}").format(transcripts=", ".join(result.test_set))
    curve = Table(
        curve_title,
        ("#", "transcript", "codings", "codes", "new codes", "cumulative", "new categories", "new codes (names)"),
        tuple((i, s.transcript, s.codings, s.codes, len(s.new_codes), s.cumulative, len(s.new_categories),
               names(s.new_codes)) for i, s in enumerate(result.steps, start=1)),
        numeric=(0, 2, 3, 4, 5, 6))
    tables = [curve]
    if result.test_set:
        rows = [("code", c, book.display_name(c, lang)) for c in result.test_new_codes]
        rows += [("category", c, book.display_name(c, lang)) for c in result.test_new_categories]
        rows += [("relation", f"{r.source} → {r.target}",
                  f"{book.display_name(r.source, lang)} —{r.type}→ {book.display_name(r.target, lang)}")
                 for r in result.test_new_relations]
        tables.append(Table(test_title,
                            ("adds", "id", "name"), tuple(rows)))
    return tables


def saturation_verdict(result: Saturation, lang: str = "zh") -> str:
    """The verdict, a sentence for the terminal in the interface language (`lang` is the tables')."""
    if result.no_new_category is None:
        return _("No transcripts are marked as the saturation test set; mark the held-back interviews with "
                 "`qcode saturation --hold-back NAME,...`.")
    held = ", ".join(result.test_set)
    if result.no_new_category:
        extra = (counted(len(result.test_new_codes), " They add {count} new code within existing categories.",
                         " They add {count} new codes within existing categories.")
                 if result.test_new_codes else _(" They add no new code either."))
        return _("The saturation test set ({transcripts}) adds no new category.").format(transcripts=held) + extra
    return _("The saturation test set ({transcripts}) adds {categories} and {codes}: the theory is not yet "
             "saturated.").format(
        transcripts=held,
        categories=counted(len(result.test_new_categories), "{count} new category", "{count} new categories"),
        codes=counted(len(result.test_new_codes), "{count} new code", "{count} new codes"))
