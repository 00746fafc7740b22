"""Keeping the message catalogues in step with the source (a developer tool; uses Babel, a test extra).

    python -m tests.i18n_catalogues                 # add new messages, drop unused ones, compile .mo
    python -m tests.i18n_catalogues --fill zh F.json  # set zh translations from {msgid: msgstr}

The English catalogue translates every message to itself, so English text can be reworded in the
catalogue without touching the code; the Chinese one must translate every message (the tests check).
Line numbers are left out of the .po files so that moving code does not change them.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime, UTC
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from qcode import __version__
from qcode.i18n import CATALOGUE_FOLDERS, DOMAIN, LOCALE_DIR
from qcode.i18n.extract import extract

FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)  # dates in the header would change every run


def po_path(lang: str) -> Path:
    return LOCALE_DIR / CATALOGUE_FOLDERS[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=CATALOGUE_FOLDERS[lang], domain=DOMAIN, project="qcode", version=__version__,
                       creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
    with path.open("rb") as file:
        return read_po(file, locale=CATALOGUE_FOLDERS[lang], domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_lineno=False, ignore_obsolete=True, sort_output=False)
    return buffer.getvalue()


def save(lang: str, catalog: Catalog) -> None:
    catalog.revision_date = FIXED_DATE
    catalog.creation_date = FIXED_DATE
    po_path(lang).parent.mkdir(parents=True, exist_ok=True)
    po_path(lang).write_bytes(po_text(catalog))
    mo_path(lang).write_bytes(compiled(load(lang)))


def update() -> None:
    """Make each catalogue hold exactly the messages of the source, in source order."""
    found = extract()
    for lang in CATALOGUE_FOLDERS:
        old = load(lang)
        new = Catalog(locale=CATALOGUE_FOLDERS[lang], domain=DOMAIN, project="qcode", version=__version__,
                      creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
        for text, places in found.items():
            before = old.get(text)
            string = before.string if before is not None and before.string else ""
            if lang == "en" and not string:
                string = text
            new.add(text, string, locations=sorted({(m.path, None) for m in places}))
        save(lang, new)
        untranslated = sum(1 for m in new if m.id and not m.string)
        print(f"{lang}: {len(found)} messages, {untranslated} untranslated", file=sys.stderr)


def fill(lang: str, translations: dict[str, str]) -> None:
    catalog = load(lang)
    unknown = [k for k in translations if catalog.get(k) is None]
    for text, string in translations.items():
        if catalog.get(text) is not None:
            catalog[text].string = string
    save(lang, catalog)
    for text in unknown:
        print(f"not a message: {text[:70]!r}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fill"]:
        fill(sys.argv[2], json.loads(Path(sys.argv[3]).read_text(encoding="utf-8")))
    else:
        update()
