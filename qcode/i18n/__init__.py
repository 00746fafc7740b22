"""Message catalogues (简体中文, English) and the one function that translates, `_`.

The catalogues are gettext `.po` files under `locale/<zh_CN|en>/LC_MESSAGES/qcode.po`, shipped with
their compiled `.mo` (a test checks that every `.mo` matches its `.po`, so an editable install on a
fresh machine needs no build step). `scripts/i18n.py` extracts the messages from the source and
compiles the catalogues (it uses Babel, a test-only dependency).

Which strings are messages: the argument of every `_()` and `N_()` call (`N_` only marks a constant
that is translated where it is shown), both forms given to `ngettext()` and `counted()`, the `help=` text
of every click option and command, and the docstring of every click command (the CLI translates both when a command is loaded, see
`qcode.cli.common.translate_command`).

The language is chosen once per process: `--lang zh|en`, else the user config, else the environment
(LC_ALL, LC_MESSAGES, LANG: zh_* gives Chinese), else English (`resolve_language`).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

LANGUAGES = ("zh", "en")
DEFAULT = "en"
DOMAIN = "qcode"
LOCALE_DIR = Path(__file__).parent / "locale"
CATALOGUE_FOLDERS = {"zh": "zh_CN", "en": "en"}  # language -> locale folder name

_translations: dict[str, gettext.NullTranslations] = {}
_current = DEFAULT


def _translation(lang: str) -> gettext.NullTranslations:
    if lang not in _translations:
        path = LOCALE_DIR / CATALOGUE_FOLDERS[lang] / "LC_MESSAGES" / f"{DOMAIN}.mo"
        with path.open("rb") as file:
            _translations[lang] = gettext.GNUTranslations(file)
    return _translations[lang]


def _(message: str) -> str:
    """`message` in the current language (itself when the catalogue has no translation)."""
    if not message:
        return message
    return _translation(_current).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or the plural form for `count`, translated.

    The catalogues hold both forms as two plain messages (see `extract`), so each is looked up on its
    own; gettext's plural entries are not used (Chinese has one form: both translate alike).
    """
    return _(singular if count == 1 else plural)


def counted(n: int, one: str, many: str, **values: object) -> str:
    """The singular or plural message for `n`, translated, with {count} (and `values`) filled in:
    `counted(2, "{count} coding", "{count} codings")` is "2 codings". Several counts in one sentence are
    each `counted` and put into a translatable template, so that every noun agrees with its own number."""
    return ngettext(one, many, n).format(count=n, **values)


def N_(message: str) -> str:  # noqa: N802 - the conventional name of gettext's no-op marker
    """Mark a constant as a message without translating it now; `_()` translates it where it is shown."""
    return message


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current = lang


def current_language() -> str:
    return _current


@contextmanager
def using_language(lang: str) -> Iterator[None]:
    """Translate into `lang` inside the block (e.g. a Word caption in the report's language)."""
    before = _current
    set_language(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        set_language(before)


def language_from_environment(environ: Mapping[str, str]) -> str | None:
    """zh for a Chinese locale in LC_ALL, LC_MESSAGES or LANG (the first one set, as POSIX reads them),
    en for any other locale, None when none is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return None


def resolve_language(flag: str | None, configured: str | None, environ: Mapping[str, str]) -> str:
    """--lang, else the user config, else the environment, else English."""
    for choice in (flag, configured):
        if choice in LANGUAGES:
            return choice
    return language_from_environment(environ) or DEFAULT
