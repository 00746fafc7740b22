"""Checking the names a command mentions (transcripts, coders, speakers) before any work is done."""

from __future__ import annotations

from collections.abc import Sequence

from qcode.domain.models import TranscriptInfo
from qcode.errors import InputError
from qcode.storage import Store


def unknown_names(kind: str, missing: Sequence[str], known: Sequence[str], hint: str) -> InputError:
    """The error for names that do not exist, listing (up to 20 of) those that do."""
    listed = ", ".join(known[:20]) + (" ..." if len(known) > 20 else "")
    return InputError(
        f"no {kind} named {', '.join(repr(m) for m in missing)}; "
        + (f"the project has: {listed}" if known else f"the project has none yet ({hint})")
    )


def choose_transcripts(store: Store, names: Sequence[str] | None) -> list[TranscriptInfo]:
    """The transcripts named (in the order given, each once), or all of them when `names` is None."""
    everything = store.transcripts.all()
    if names is None:
        return everything
    by_name = {t.name: t for t in everything}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise unknown_names("transcript", missing, list(by_name), "import some with `qcode import`")
    return [by_name[n] for n in dict.fromkeys(names)]
