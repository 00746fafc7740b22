"""Frequencies and co-occurrence on random projects against a brute-force reference.

The reference works character by character with Python sets, straight from the definitions in
`qcode.reports.frequencies` and `qcode.reports.cooccurrence`: a coding marks a unit when one of the
characters they share is content (not white space, punctuation, or an invisible control or format
character); characters are sets of positions; subtrees are unions. It shares no code with the
vectorised implementation (no numpy, no unit_rule), so agreement on random data with overlapping
codings, codings across turns and speakers, and codings in labels and gaps is a real check.
"""

from __future__ import annotations

import random
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from qcode.codebook import parse_codebook_text
from qcode.project.codebook_loading import install_codebook
from qcode.project.coding import CodingSession
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.analysis.selection import Selection
from qcode.reports.frequencies import code_frequencies
from qcode.reports.cooccurrence import cooccurrence
from qcode.analysis.units import load_report_data
from tests.reports_support import CODEBOOK_YAML

CODABLE = ("Q", "Q.TIME", "Q.READ", "R", "L")
SUBTREES = {"G": {"Q", "Q.TIME", "Q.READ", "R"}, "Q": {"Q", "Q.TIME", "Q.READ"}}
CODERS = ("甲", "乙", "丙")
CLAUSES = ("公众号更新太慢", "留言没人回", "领导很重视", "  说实话 ", "（笑）", "嗯", "“一网通办”", "OK", "……")
SPEAKERS = ("访谈者：", "受访者A：", "受访者B：")
ANY = object()  # no speaker breakdown
NOT_IN_A_TURN = object()


def is_content(character: str) -> bool:
    category = unicodedata.category(character)
    return not (character.isspace() or category[0] in "PZ" or category in ("Cc", "Cf"))


def random_transcript(rng: random.Random) -> str:
    lines = ["访谈编号：X1"] if rng.random() < 0.5 else []
    for turn in range(rng.randint(3, 12)):
        sentences = "".join(
            "，".join(rng.choice(CLAUSES) for _ in range(rng.randint(1, 3))) + rng.choice("。！？…；")
            for _ in range(rng.randint(1, 4))
        )
        lines.append(SPEAKERS[0 if turn % 2 == 0 else rng.randint(1, 2)] + sentences)
    return "\n".join(lines) + "\n"


def build_random_project(root: Path, seed: int) -> Project:
    rng = random.Random(seed)
    project = Project.init(root)
    install_codebook(project, parse_codebook_text(CODEBOOK_YAML), source="test")
    folder = root / "incoming"
    folder.mkdir()
    for n in range(4):
        (folder / f"R{n}.txt").write_text(random_transcript(rng), encoding="utf-8")
    import_transcripts(project, [folder])
    transcripts = project.store.transcripts.all()
    for coder in CODERS:
        session = CodingSession(project.store, coder, source="test")
        for _ in range(25):
            info = rng.choice(transcripts)
            start = rng.randrange(0, info.characters - 1)
            end = min(info.characters, start + rng.randint(1, 60))
            session.apply(info, rng.choice(CODABLE), start, end)
    return project


class Reference:
    """The definitions, applied one character at a time."""

    def __init__(self, project: Project, kind: str) -> None:
        store = project.store
        self.texts = {}
        self.units = {}  # (transcript, index) -> (start, end, speaker)
        self.turns = {}
        for info in store.transcripts.all():
            self.texts[info.name] = store.transcripts.text(info.id)
            turns = store.transcripts.units(info.id, "turn")
            for unit in store.transcripts.units(info.id, kind):
                speaker = unit.speaker if kind == "turn" else turns[unit.turn_index].speaker
                self.units[(info.name, unit.index)] = (unit.start, unit.end, speaker)
            for turn in turns:
                self.turns[(info.name, turn.index)] = (turn.start, turn.end, turn.speaker)
        self.codings = [(c.guid, c.transcript, c.coder, c.code, c.start, c.end) for c in store.codings.all()]

    def content_units(self):
        return {key for key, (s, e, _) in self.units.items()
                if any(is_content(ch) for ch in self.texts[key[0]][s:e])}

    def marks(self, coding):
        _, transcript, _, _, start, end = coding
        text = self.texts[transcript]
        return {key for key, (s, e, _) in self.units.items()
                if key[0] == transcript and any(is_content(text[i]) for i in range(max(s, start), min(e, end)))}

    def turn_speaker(self, transcript: str, position: int):
        """The speaker of the turn containing `position`, or NOT_IN_A_TURN (labels, line breaks)."""
        for (name, _), (start, end, speaker) in self.turns.items():
            if name == transcript and start <= position < end:
                return speaker
        return NOT_IN_A_TURN

    def row(self, codes, keep=lambda coding: True, speaker=ANY):
        """(codings, units, transcripts, characters) of the codings of `codes` that `keep` accepts.

        With a `speaker`: only that speaker's units, the codings that mark one of them, the transcripts
        where one is marked, and the coded characters inside that speaker's turns.
        """
        units, chars, transcripts, codings = set(), set(), set(), 0
        for coding in self.codings:
            if coding[3] not in codes or not keep(coding):
                continue
            _, transcript, _, _, start, end = coding
            marked = self.marks(coding)
            covered = {(transcript, i) for i in range(start, end)}
            if speaker is not ANY:
                marked = {u for u in marked if self.units[u][2] == speaker}
                covered = {(t, i) for t, i in covered if self.turn_speaker(t, i) == speaker}
            chars |= covered
            units |= marked
            if speaker is ANY or marked:
                codings += 1
                transcripts.add(transcript)
        return codings, len(units), len(transcripts), len(chars)


def members(code: str, scope: str) -> set[str]:
    return SUBTREES[code] if scope == "subtree" else {code}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kind", ["turn", "sentence"])
def test_frequencies_equal_the_reference(tmp_path, seed, kind):
    with build_random_project(tmp_path / "p", seed) as project:
        reference = Reference(project, kind)
        data = load_report_data(project.store, Selection())
        pooled = code_frequencies(data, kind)
        assert pooled.units_total == len(reference.content_units())
        for row in pooled.rows:
            got = (row.total.codings, row.total.units, row.total.transcripts, row.total.characters)
            assert got == reference.row(members(row.code, row.scope)), (row.code, row.scope)

        for by, keep in (("coder", lambda g: lambda c: c[2] == g), ("transcript", lambda g: lambda c: c[1] == g)):
            table = code_frequencies(data, kind, by=by)
            for row in table.rows:
                for group, counts in zip(table.groups, row.by, strict=True):
                    got = (counts.codings, counts.units, counts.transcripts, counts.characters)
                    assert got == reference.row(members(row.code, row.scope), keep(group)), (by, group, row.code)

        table = code_frequencies(data, kind, by="speaker")
        content = reference.content_units()
        for row in table.rows:
            for group, counts in zip(table.groups, row.by, strict=True):
                got = (counts.codings, counts.units, counts.transcripts, counts.characters)
                assert got == reference.row(members(row.code, row.scope), speaker=group), (group, row.code)
                assert counts.units_total == sum(1 for u in content if reference.units[u][2] == group)


@pytest.mark.parametrize("seed", [4, 5])
@pytest.mark.parametrize("kind", ["turn", "sentence", "transcript"])
def test_cooccurrence_equals_the_reference(tmp_path, seed, kind):
    with build_random_project(tmp_path / "p", seed) as project:
        reference = Reference(project, "turn" if kind == "transcript" else kind)
        has = defaultdict(set)  # unit -> codes
        for coding in reference.codings:
            if kind == "transcript":
                has[coding[1]].add(coding[3])
            else:
                for unit in reference.marks(coding):
                    has[unit].add(coding[3])
        data = load_report_data(project.store, Selection())
        matrix = cooccurrence(data, kind)
        assert matrix.codes == CODABLE
        for a, code_a in enumerate(CODABLE):
            for b, code_b in enumerate(CODABLE):
                both = sum(1 for codes in has.values() if code_a in codes and code_b in codes)
                assert matrix.counts[a][b] == both, (code_a, code_b)
                either = sum(1 for codes in has.values() if code_a in codes or code_b in codes)
                assert matrix.jaccard(a, b) == (both / either if either else None)
        rolled = cooccurrence(data, kind, rollup=True)
        groups = {"G": SUBTREES["G"], "L": {"L"}}
        assert rolled.codes == ("G", "L")
        for a, code_a in enumerate(rolled.codes):
            for b, code_b in enumerate(rolled.codes):
                both = sum(1 for codes in has.values() if codes & groups[code_a] and codes & groups[code_b])
                assert rolled.counts[a][b] == both
