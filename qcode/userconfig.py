"""The user's own settings (not the project's): coder name, key remapping, display options.

Stored as TOML in the platform's user config folder (e.g. ~/.config/qcode/config.toml), so a coder is
asked for their name once, and a keymap follows them from project to project.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir

from qcode.errors import InputError
from qcode.i18n import _

CONFIG_NAME = "config.toml"

TEMPLATE = """\
# qcode user settings.
# coder = "your name"          # the name your codings are stored under
# language = "zh"              # zh (简体中文) or en; else --lang, else your locale (LANG)

[keys]
# Remap any binding by its id (see the help screen, `?`), e.g.:
# "view.next_sentence" = "down,j"

[display]
# Set to true if your terminal draws “ ” … — as two cells (an option in many CJK setups).
# ambiguous_wide = false
# theme = "auto"                # auto follows the terminal; or any Textual theme, e.g. "nord", "ansi-dark"
"""


def user_config_path() -> Path:
    return Path(user_config_dir("qcode", appauthor=False)) / CONFIG_NAME


@dataclass(frozen=True)
class UserConfig:
    coder: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    ambiguous_wide: bool = False
    theme: str = "auto"
    path: Path | None = None
    language: str | None = None  # "zh" or "en"; None: from the environment


def load_user_config(path: Path | None = None) -> UserConfig:
    """Read the user config; a missing file gives defaults, a broken one an error naming the line."""
    path = path or user_config_path()
    if not path.exists():
        return UserConfig(path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        raise InputError(_("cannot read your qcode settings: {reason}").format(reason=exc), path=path,
                         line=int(found[1]) if found else None) from exc
    coder = data.get("coder")
    keys = data.get("keys", {})
    display = data.get("display", {})
    if coder is not None and (not isinstance(coder, str) or not coder.strip()):
        raise InputError(_("coder must be a non-empty string"), path=path)
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
        raise InputError(_('[keys] must map binding ids to key names, e.g. "view.next_sentence" = "down,j"'), path=path)
    display = display if isinstance(display, dict) else {}
    wide = display.get("ambiguous_wide", False)
    if not isinstance(wide, bool):
        raise InputError(_("[display] ambiguous_wide must be true or false"), path=path)
    theme = display.get("theme", "auto")
    if not isinstance(theme, str) or not theme.strip():
        raise InputError(_('[display] theme must be a theme name or "auto"'), path=path)
    language = data.get("language")
    if language is not None and language not in ("zh", "en"):
        raise InputError(_('language must be "zh" or "en"'), path=path)
    return UserConfig(coder.strip() if coder else None, dict(keys), wide, theme.strip(), path, language)


def save_coder_name(name: str, path: Path | None = None) -> Path:
    """Remember the coder's name, keeping the rest of the file as the user wrote it."""
    return _save_setting("coder", name.strip(), path)


def save_language(language: str, path: Path | None = None) -> Path:
    """Remember the interface language (zh or en), keeping the rest of the file as the user wrote it."""
    return _save_setting("language", language, path)


def _save_setting(key: str, value: str, path: Path | None) -> Path:
    """Set a top-level `key = "value"` (replacing the line or its commented-out template line)."""
    path = path or user_config_path()
    line = f"{key} = {_toml_string(value)}\n"
    text = path.read_text(encoding="utf-8-sig") if path.exists() else TEMPLATE
    pattern = re.compile(rf"^\s*#?\s*{key}\s*=.*\n?", re.MULTILINE)
    text = pattern.sub(line, text, count=1) if pattern.search(text) else line + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
