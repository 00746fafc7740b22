"""Units as columns (issue 11 point 7): what the coding screen reads instead of one object per unit."""

from __future__ import annotations

import uuid

import pytest

from qcode.domain.models import Coding, Span, Unit, UnitKind
from qcode.domain.unit_columns import UnitColumns
from qcode.project.codebook_loading import load_codebook_into
from qcode.resources import bundled_codebook
from qcode.tui.transcript_model import TranscriptStructure, Turn, TurnTable

TEXT = "问：好。\n没有标签的一段。\n答：是的。对。"
TURNS = [
    Unit(UnitKind.TURN, 0, 2, 4, "问", None, 0, 2, 61.5),
    Unit(UnitKind.TURN, 1, 5, 13),  # no label, no speaker, no time
    Unit(UnitKind.TURN, 2, 16, 21, "答", None, 14, 16, None),
]
SENTENCES = [
    Unit(UnitKind.SENTENCE, 0, 2, 4, "问", 0),
    Unit(UnitKind.SENTENCE, 1, 5, 13, None, 1),
    Unit(UnitKind.SENTENCE, 2, 16, 19, "答", 2),
    Unit(UnitKind.SENTENCE, 3, 19, 21, "答", 2),
]


def stored(project) -> int:
    store = project.store
    with store.transaction(source="test"):
        info = store.transcripts.insert(guid=str(uuid.uuid4()), name="t", sha256="x", text=TEXT, source_path=None,
                                        encoding="utf-8")
        store.transcripts.replace_units(info.id, TURNS + SENTENCES)
    return info.id


def fields(unit: Unit) -> tuple[object, ...]:
    """What the columns keep of a unit (a sentence's turn index is not kept)."""
    return unit.kind, unit.index, unit.start, unit.end, unit.speaker, unit.label_start, unit.label_end, unit.time


def test_columns_read_back_what_the_units_hold(project) -> None:
    transcript = stored(project)
    repository = project.store.transcripts
    for kind in UnitKind:
        columns = repository.unit_columns(transcript, kind)
        assert [fields(unit) for unit in columns] == [fields(unit) for unit in repository.units(transcript, kind)]
    turns = repository.unit_columns(transcript, UnitKind.TURN)
    assert len(turns) == 3 and fields(turns[-1]) == fields(TURNS[2]) and turns[1:] == [turns[1], turns[2]]
    bounds = repository.unit_columns(transcript, UnitKind.SENTENCE, bounds_only=True)
    assert (list(bounds.starts), list(bounds.ends)) == ([2, 5, 16, 19], [4, 13, 19, 21])
    assert bounds[3] == Unit(UnitKind.SENTENCE, 3, 19, 21) and bounds.span(1).start == 5
    assert not bounds.speakers and not bounds.times  # nothing but the bounds is kept


def test_a_speaker_name_is_kept_once() -> None:
    columns = UnitColumns(UnitKind.TURN)
    for start in range(0, 30, 10):
        columns.append(start, start + 5, start, start, "".join(["受访", "者A"]))  # a new str object each time
    assert len({id(speaker) for speaker in columns.speakers}) == 1


def test_turn_table_reads_stored_turns_as_the_view_needs_them(project) -> None:
    table = TurnTable.of_units(project.store.transcripts.unit_columns(stored(project), UnitKind.TURN))
    # A turn without a label gets an empty one where its speech starts; no speaker is "".
    assert list(table) == [Turn(0, 2, 2, 4, "问", 61.5), Turn(5, 5, 5, 13, ""), Turn(14, 16, 16, 21, "答")]
    assert table.label(2) == (14, 16) and table.time(1) is None
    assert table.times_by_label_start() == {0: 61.5}
    structure = TranscriptStructure(len(TEXT), table, SENTENCES)
    assert structure.turns is table
    assert structure.turn_index_at(6) == 1 and structure.turn_index_at(4) == 0


def test_turn_table_refuses_a_label_after_the_speech() -> None:
    columns = UnitColumns(UnitKind.TURN)
    columns.append(2, 4, 3, 3)
    with pytest.raises(ValueError, match="invalid turn"):
        TurnTable.of_units(columns)


def test_structure_from_columns_answers_like_structure_from_objects(project) -> None:
    repository = project.store.transcripts
    transcript = stored(project)
    turns = [Turn(0, 2, 2, 4, "问"), Turn(5, 5, 5, 13), Turn(14, 16, 16, 21, "答")]
    spans = [unit.start for unit in SENTENCES], [unit.end for unit in SENTENCES]
    from_objects = TranscriptStructure(len(TEXT), turns, [Span(s, e) for s, e in zip(*spans)])
    from_columns = TranscriptStructure(len(TEXT), TurnTable.of_units(repository.unit_columns(transcript, UnitKind.TURN)),
                                       repository.unit_columns(transcript, UnitKind.SENTENCE, bounds_only=True))
    for offset in range(len(TEXT) + 1):
        for question in ("sentence_at", "sentence_starting_at_or_after", "sentence_ending_at_or_before",
                         "sentence_end_after", "sentence_start_before", "turn_index_at", "turn_body_starting_at_or_after",
                         "turn_body_ending_at_or_before", "turn_end_after", "turn_start_before", "turn_index_after"):
            assert getattr(from_columns, question)(offset) == getattr(from_objects, question)(offset), (question, offset)


def test_a_transcripts_codings_share_their_coder_transcript_and_code_strings(project) -> None:
    store = project.store
    transcript = stored(project)
    load_codebook_into(project, bundled_codebook())
    code = next(c.id for c in store.codes.rows() if c.codable)
    with store.transaction(source="test") as tx:
        for start, end in [(2, 4), (5, 13), (16, 19)]:
            store.codings.insert(tx, Coding(str(uuid.uuid4()), "ann", "t", code, start, end), transcript)
    first, *others = store.codings.for_transcript(transcript)
    assert [(c.coder, c.code, c.start) for c in [first, *others]] == [("ann", code, 2), ("ann", code, 5), ("ann", code, 16)]
    assert all(c.coder is first.coder and c.code is first.code and c.transcript is first.transcript for c in others)
