"""Speaker labels across a project: list them, rename or merge them without re-importing, undo that.

A rename changes the `speaker` of the turns (and their sentences) that carry the old label, in one
transcript or in all; renaming onto a label that already exists merges the two (`受访者C` -> `受访者`).
The stored text is not touched: the label as written stays in the text, outside every unit.

Each rename is one journalled batch (`speaker.rename`, one entry per transcript, listing the turns it
changed), so it shows in `qcode log` and `undo` puts exactly those turns back, even after a merge has
mixed them with turns that had the new label all along. Renames are made under the actor `qcode`, so
the general undo of that actor (`qcode codes undo` without --coder) reverts them too, in order with its
other changes; `qcode speakers undo` reverts the latest rename only.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.domain.control_chars import check_name
from qcode.domain.models import TranscriptInfo
from qcode.errors import ConflictError, InputError
from qcode.i18n import _, ngettext
from qcode.storage import Store
from qcode.storage.cases import CaseRepository
from qcode.storage.transaction import Transaction

ACTION = "speaker.rename"
ACTOR = "qcode"  # renames are the project's, not one coder's: they have their own undo stack


@dataclass(frozen=True)
class SpeakerCount:
    transcript: str
    speaker: str | None
    turns: int


def speaker_counts(store: Store) -> list[SpeakerCount]:
    """Every speaker label of every transcript with its number of turns (unlabelled turns as None)."""
    names = {info.id: info.name for info in store.transcripts.all()}
    rows = [SpeakerCount(names[tid], speaker, n) for tid, speaker, n in store.transcripts.speaker_counts()]
    return sorted(rows, key=lambda r: r.transcript)


def rename_speaker(store: Store, old: str, new: str, transcript: str | None = None) -> dict[str, int]:
    """Rename (or merge) `old` into `new`; returns the number of turns changed per transcript."""
    old, new = old.strip(), new.strip()
    if not old or not new:
        raise InputError(_("a speaker label cannot be empty"))
    if old == new:
        raise InputError(_("'{speaker}' is already called that").format(speaker=old))
    check_name(_("the speaker label"), new)
    targets = _transcripts(store, transcript)
    changed: dict[str, int] = {}
    cases = CaseRepository.of(store)
    with store.transaction(ACTOR, "cli") as tx:
        for info in targets:
            persons_before = cases.speaker_persons(info.id, [old, new])
            turns = store.transcripts.set_speaker(info.id, old, new)
            if turns:
                changed[info.name] = len(turns)
                # The label's person goes with it, unless the new label already speaks for someone (a merge).
                persons_after = {old: None, new: persons_before[new] or persons_before[old]}
                cases.restore_speaker_persons(tx, info.id, persons_after)
                tx.record(ACTION, "units", info.guid,
                          {"transcript": info.name, "speaker": old, "turns": turns, "persons": persons_before},
                          {"transcript": info.name, "speaker": new, "turns": turns, "persons": persons_after})
        if not changed:
            message = (_("no turn of transcript '{transcript}' has the speaker '{speaker}'; see `qcode speakers`")
                       if transcript else _("no turn of any transcript has the speaker '{speaker}'; see `qcode speakers`"))
            raise InputError(message.format(transcript=transcript, speaker=old))
    return changed


def undo_rename(store: Store) -> str | None:
    """Undo the latest speaker rename still in effect; a description, or None when there is none."""
    done: list[str] = []
    for batch, kind, target in store.journal.batch_sequence(ACTOR):
        entries = store.journal.batch(batch if kind == "do" else target or batch)
        if not entries or entries[0].action != ACTION:
            continue
        if kind == "do":
            done.append(batch)
        elif kind == "undo" and target in done:
            done.remove(target)
        elif kind == "redo" and target not in done:  # re-applied by the general redo (`qcode codes redo`)
            done.append(target)  # type: ignore[arg-type]  # an undo or redo entry always names its target batch
    if not done:
        return None
    batch = done[-1]
    entries = store.journal.batch(batch)
    with store.transaction(ACTOR, "cli", kind="undo", target_batch=batch) as tx:
        for entry in reversed(entries):
            assert entry.before is not None and entry.after is not None  # a rename journals both images
            info = store.transcripts.by_guid(entry.entity_key)
            if info is None:
                raise ConflictError(_("cannot undo: transcript '{transcript}' no longer exists").format(
                    transcript=entry.before["transcript"]))
            restore_rename(store, tx, info.id, entry.before)
            tx.record(ACTION, "units", entry.entity_key, entry.after, entry.before)
    first = entries[0]
    assert first.before is not None and first.after is not None  # a rename journals both images
    return ngettext("undo: {old} -> {new} in {count} transcript reverted",
                    "undo: {old} -> {new} in {count} transcripts reverted", len(entries)).format(
        old=first.before["speaker"], new=first.after["speaker"], count=len(entries))


def restore_rename(store: Store, tx: Transaction, transcript_id: int, image: dict) -> None:
    """Give the turns of a rename's journal image their speaker, and the labels their persons."""
    store.transcripts.set_turn_speakers(transcript_id, image["speaker"], image["turns"])
    if "persons" in image:  # renames journalled before persons existed carry no mapping
        CaseRepository.of(store).restore_speaker_persons(tx, transcript_id, image["persons"])


def _transcripts(store: Store, name: str | None) -> list[TranscriptInfo]:
    if name is None:
        return store.transcripts.all()
    info = store.transcripts.by_name(name)
    if info is None:
        raise InputError(_("no transcript named '{name}'; see `qcode transcripts`").format(name=name))
    return [info]
