"""The main demo's codings: two coders' first round over the interviews and the questionnaire's answers.

The codings are quotations (`demo_codings.yaml`) found in the imported text, each exactly once, so they
stay right whatever the import does to line endings. Both coders mark every transcript complete, so
`qcode agree` compares them on the first run; where they differ (a missed passage, another code, a whole
sentence instead of a phrase) is written in the file, so agreement is good but not perfect.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from qcode.domain.models import TranscriptInfo
from qcode.errors import InputError
from qcode.project.coding import CodingSession
from qcode.project.project import Project

SPEC = Path(__file__).with_name("demo_codings.yaml")
SURVEY = "survey"  # the transcript column's word for "one of the questionnaire's respondents"
_SENTENCE_END = re.compile(r"[。！？!?\n]")


def add_demo_codings(project: Project, survey_documents: tuple[str, ...]) -> None:
    """Apply the codings of `demo_codings.yaml` and mark every coded transcript complete for both coders."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    store = project.store
    sessions = {coder: CodingSession(store, coder, source="demo") for coder in spec["coders"]}
    texts = {t.name: (t, store.transcripts.text(t.id)) for t in store.transcripts.all()}
    coded: dict[str, TranscriptInfo] = {}
    for transcript, code, quote, *notes in spec["codings"]:
        names = survey_documents if transcript == SURVEY else (transcript,)
        info, start = _find(quote, [(texts[n][0], texts[n][1]) for n in names if n in texts], transcript)
        if info is None:
            continue  # a transcript left out of this demo (only when the bundled folder was changed)
        text = texts[info.name][1]
        for coder, session in sessions.items():
            chosen, span = _variant(coder, code, (start, start + len(quote)), text, notes)
            if chosen is not None:
                session.apply(info, chosen, *span)
        coded[info.name] = info
    for session in sessions.values():
        for info in coded.values():
            session.set_complete(info)


def _find(quote: str, candidates: list[tuple[TranscriptInfo, str]], where: str) -> tuple[TranscriptInfo | None, int]:
    """The transcript and offset of the one place `quote` occurs (an error when it is not exactly one)."""
    if not candidates:
        return None, 0
    found = [(info, text.find(quote)) for info, text in candidates if quote in text]
    if len(found) != 1 or any(text.count(quote) != 1 for info, text in candidates if quote in text):
        raise InputError(f"demo coding: '{quote}' must occur exactly once in {where}", path=SPEC)
    return found[0]


def _variant(coder: str, code: str, span: tuple[int, int], text: str,
             notes: list[str]) -> tuple[str | None, tuple[int, int]]:
    """What `coder` applied: the code and span of the file, or the difference its note records."""
    for note in notes:
        word, who, *rest = note.split() if note.split()[0] in ("only", "wider") else ["as", *note.split()]
        if who != coder and word == "only":
            return None, span
        if who == coder and word == "wider":
            return code, _sentence_around(text, span)
        if who == coder and word == "as":
            return rest[0], span
    return code, span


def _sentence_around(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The whole sentence (or sentences) the span lies in, ending with its punctuation."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, span[0])), default=0)
    end_mark = _SENTENCE_END.search(text, span[1])
    end = len(text) if end_mark is None else end_mark.end() if end_mark.group() != "\n" else end_mark.start()
    return start, end
