"""The messages of click itself that qcode's users see, so that `--help` and usage errors are translated.

click looks its texts up with the standard library's gettext through module-level `_`/`ngettext`
names; `install_click_translations` points those at qcode's catalogue. The list below marks the
texts for extraction (they must be spelled exactly as in click's source).
"""

from __future__ import annotations

from types import ModuleType

from qcode.i18n import N_, _, ngettext

CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing command."),
    N_("Missing parameter"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("(dynamic)"),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("Could not open file {filename!r}: {message}"),
    N_("file"),
    N_("directory"),
    N_("path"),
    # plural pairs (click calls ngettext; each form is its own message here)
    N_("{value!r} is not {choice}."),
    N_("{value!r} is not one of {choices}."),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} requires {nargs} arguments."),
)


def install_click_translations(*modules: ModuleType) -> None:
    """Make click's modules translate through qcode's catalogue (in the interface language)."""
    for module in modules:
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]  # replaces the gettext function click looks up at call time
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]  # the same, for plural messages
