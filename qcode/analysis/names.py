"""Checking the names a command mentions (transcripts, coders, speakers) before any work is done."""

from __future__ import annotations

from collections.abc import Sequence

from qcode.domain.models import TranscriptInfo
from qcode.errors import InputError
from qcode.i18n import N_, _
from qcode.storage import Store

# What `unknown_names` calls each kind of name, in messages.
_KINDS = {"code": N_("code"), "coder": N_("coder"), "transcript": N_("transcript"), "speaker": N_("speaker"),
          "attribute": N_("attribute"), "person": N_("person")}


def unknown_names(kind: str, missing: Sequence[str], known: Sequence[str], hint: str) -> InputError:
    """The error for names that do not exist, listing (up to 20 of) those that do; `hint` is translated."""
    listed = ", ".join(known[:20]) + (" ..." if len(known) > 20 else "")
    names = ", ".join(repr(m) for m in missing)
    what = _(_KINDS[kind]) if kind in _KINDS else kind
    if known:
        return InputError(_("no {kind} named {names}; the project has: {known}").format(
            kind=what, names=names, known=listed))
    return InputError(_("no {kind} named {names}; the project has none yet ({hint})").format(
        kind=what, names=names, hint=_(hint)))


def choose_transcripts(store: Store, names: Sequence[str] | None) -> list[TranscriptInfo]:
    """The transcripts named (in the order given, each once), or all of them when `names` is None."""
    everything = store.transcripts.all()
    if names is None:
        return everything
    by_name = {t.name: t for t in everything}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise unknown_names("transcript", missing, list(by_name), N_("import some with `qcode import`"))
    return [by_name[n] for n in dict.fromkeys(names)]
