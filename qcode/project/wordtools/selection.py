"""Checking the transcripts, speakers and coders a word command names, before any work is done."""

from __future__ import annotations

from collections.abc import Sequence

from qcode.errors import InputError
from qcode.storage import Store


def check_speakers(store: Store, speakers: Sequence[str] | None) -> set[str] | None:
    if speakers is None:
        return None
    known = {s for found in store.transcripts.speakers().values() for s in found}
    unknown = [s for s in speakers if s not in known]
    if unknown:
        raise InputError(f"no speaker named {', '.join(repr(s) for s in unknown)}; speakers: "
                         f"{', '.join(sorted(known)) or 'none'}")
    return set(speakers)
