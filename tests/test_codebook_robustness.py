"""Whatever text it is given, the checker reports located problems and never fails with an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.codebook import dump_codebook_yaml, load_codebook, parse_codebook_text, read_codebook_text
from qcode.domain.codebook import Codebook


def _seed() -> str:
    """The bundled codebook cut down to its first group, so that each example stays quick to check."""
    bundled = load_codebook(Path(__file__).resolve().parent.parent / "codebooks" / "nps-toe.yaml")
    first_group = set(bundled.subtree(bundled.roots()[0].id))
    codes = tuple(code for code in bundled if code.id in first_group)
    return dump_codebook_yaml(Codebook(codes=codes, languages=bundled.languages, sources=bundled.sources))


SEED_LINES = _seed().splitlines(keepends=True)
# Characters that change YAML structure, plus the slips people make with a Chinese input method.
NOISE = st.sampled_from(list(" :-[]{},#&*!|>'\"\n\t：，甲aZ01.~?%@`"))


@st.composite
def mutated_codebooks(draw: st.DrawFn) -> str:
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "edit"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[draw(st.integers(0, len(lines) - 1))])
        else:
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(NOISE) + line[at + draw(st.integers(0, 2)) :]
    return "".join(lines)


def assert_located_and_round_trips(text: str) -> None:
    reading = read_codebook_text(text, "fuzz.yaml")
    assert all(problem.line is not None and problem.column is not None for problem in reading.problems)
    assert (reading.codebook is None) == bool(reading.errors)
    if reading.codebook is not None:
        again = parse_codebook_text(dump_codebook_yaml(reading.codebook))
        assert again == reading.codebook


def test_the_seed_is_clean():
    assert read_codebook_text("".join(SEED_LINES)).problems == ()


@settings(max_examples=300, deadline=None)
@given(mutated_codebooks())
def test_mutated_codebooks_give_located_problems_or_a_codebook_that_round_trips(text):
    assert_located_and_round_trips(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_located_problems(text):
    assert_located_and_round_trips(text)
