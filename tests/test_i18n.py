"""Message catalogues: complete, with nothing unused, placeholders intact, compiled files up to date;
and the interface language chosen as documented (--lang, user config, environment, English)."""

from __future__ import annotations

import gettext
import importlib
import inspect
import re
import string

import click
import pytest

from qcode.cli.main import COMMANDS
from qcode.i18n import CATALOGUE_FOLDERS, LANGUAGES, current_language, language_from_environment, resolve_language
from qcode.i18n.extract import extract
from qcode.userconfig import load_user_config, save_coder_name, save_language, user_config_path
from tests.i18n_catalogues import load, mo_path

FIX = "run `python -m tests.i18n_catalogues` and translate what it reports"


@pytest.fixture(scope="module")
def source_messages() -> dict:
    return extract()


@pytest.fixture(scope="module")
def catalogues() -> dict:
    return {lang: load(lang) for lang in LANGUAGES}


def entries(catalogue) -> dict[str, str]:
    return {m.id: m.string for m in catalogue if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_of_the_source_is_in_the_catalogue(source_messages, catalogues, lang):
    present = entries(catalogues[lang])
    missing = [f"{places[0].path}:{places[0].line}: {text[:60]!r}" for text, places in source_messages.items()
               if text not in present]
    assert missing == [], f"not in the {lang} catalogue ({FIX}):\n" + "\n".join(missing)
    untranslated = [text[:60] for text in source_messages if not present[text]]
    assert untranslated == [], f"untranslated in {lang}: {untranslated}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalogue_entry_is_unused(source_messages, catalogues, lang):
    unused = [text[:60] for text in entries(catalogues[lang]) if text not in source_messages]
    assert unused == [], f"entries of the {lang} catalogue that no code uses ({FIX}): {unused}"


def placeholders(text: str) -> list[str]:
    """str.format fields and %-style fields, and click's \\b no-rewrap markers, in order."""
    fields = sorted(f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
                    for _, name, spec, conv in string.Formatter().parse(text) if name is not None)
    percent = sorted(re.findall(r"%\([a-z_]+\)[sdr]", text))
    return fields + percent + ["\\b"] * text.count("\b")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_are_the_same_in_every_language(catalogues, lang):
    differing = [(msgid[:50], msgstr[:50]) for msgid, msgstr in entries(catalogues[lang]).items()
                 if placeholders(msgid) != placeholders(msgstr)]
    assert differing == []


def test_the_placeholder_check_notices_a_changed_field():
    assert placeholders("{name} {filename!r} does not exist.") != placeholders("{filename} 不存在。")
    assert placeholders("%(prog)s, version %(version)s") == placeholders("%(prog)s，版本 %(version)s")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_shipped_mo_files_are_compiled_from_the_po_files(catalogues, lang):
    with mo_path(lang).open("rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    expected = {msgid: msgstr for msgid, msgstr in entries(catalogues[lang]).items() if msgstr}
    shipped = {k: v for k, v in compiled.items() if k}
    assert shipped == expected, f"{mo_path(lang)} is stale: {FIX}"


def _commands(command: click.Command):
    yield command
    if isinstance(command, click.Group):
        for name in command.list_commands(click.Context(command)):
            yield from _commands(command.get_command(click.Context(command), name))


def test_every_help_text_click_shows_is_a_message(source_messages):
    """The extractor sees every help text the CLI really has (none built in a way it cannot read)."""
    missing = []
    for name, (module, attribute, helptext) in COMMANDS.items():
        assert helptext in source_messages, name
        for command in _commands(getattr(importlib.import_module(module), attribute)):
            english = getattr(command, "_qcode_english", None)
            texts = [english[0], *english[2]] if english else \
                [command.help, *(p.help for p in command.params if isinstance(p, click.Option))]
            for text in texts:
                if text and inspect.cleandoc(text).partition("\f")[0].strip() not in source_messages:
                    missing.append(f"{name}: {text[:60]!r}")
    assert missing == []


# -- choosing the language ------------------------------------------------------------------------


def test_flag_then_config_then_environment_then_english():
    zh_env = {"LANG": "zh_CN.UTF-8"}
    assert resolve_language("en", "zh", zh_env) == "en"
    assert resolve_language(None, "en", zh_env) == "en"
    assert resolve_language(None, None, zh_env) == "zh"
    assert resolve_language(None, None, {}) == "en"
    assert resolve_language(None, None, {"LANG": "de_DE.UTF-8"}) == "en"


def test_the_environment_is_read_as_posix_does():
    assert language_from_environment({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert language_from_environment({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_GB"}) == "zh"
    assert language_from_environment({"LC_ALL": "", "LANG": "zh_SG"}) == "zh"
    assert language_from_environment({"LANG": "C.UTF-8"}) == "en"
    assert language_from_environment({}) is None


def test_help_in_chinese_with_the_flag_and_back_in_english(run):
    chinese = run("--lang", "zh", "--help")
    assert chinese.exit_code == 0
    assert "命令" in chinese.stdout and "编码频次" in chinese.stdout and "用法" in chinese.stdout
    assert current_language() == "zh"
    english = run("--help")
    assert "Commands:" in english.stdout and "Code frequencies" in english.stdout
    freq = run("freq", "--help")  # a command translated once is put back into English
    assert "Code frequencies in codebook order" in freq.stdout and "按编码本顺序" not in freq.stdout


def test_chinese_from_the_locale_and_from_the_user_config(run, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "按编码本顺序" in run("freq", "--help").stdout
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "Code frequencies in codebook order" in run("freq", "--help").stdout
    save_language("zh")
    assert load_user_config().language == "zh"
    assert "按编码本顺序" in run("freq", "--help").stdout
    assert "Code frequencies in codebook order" in run("--lang", "en", "freq", "--help").stdout


def test_usage_errors_are_translated(run):
    result = run("--lang", "zh", "agree", "--no-such-option")
    assert result.exit_code == 2
    assert "错误：没有选项 '--no-such-option'。" in result.stderr


def test_the_language_setting_is_kept_next_to_the_coder_name():
    save_coder_name("王芳")
    save_language("zh")
    save_language("en")  # replaced, not added twice
    config = load_user_config()
    assert (config.coder, config.language) == ("王芳", "en")
    assert user_config_path().read_text(encoding="utf-8").count("language =") == 1


def test_a_bad_language_setting_is_an_error_naming_the_file():
    from qcode.errors import InputError

    path = user_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('language = "fr"\n', encoding="utf-8")
    with pytest.raises(InputError, match='language must be "zh" or "en"'):
        load_user_config()


def test_catalogue_folders_are_gettext_locales():
    assert set(CATALOGUE_FOLDERS) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert mo_path(lang).exists()
