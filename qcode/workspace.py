"""The project as one coder's screens see it: transcripts, the codebook, coding actions and report reads.

The TUI's one door to the core: its screens call this (and `CodingSession`, `CodebookEditor` and
`RelationEditor` through it), never a use case, report or repository themselves; no SQL and no statistics
in the UI (tests/test_tui_through_workspace.py checks). It sits in a layer of its own above the reports
(pyproject [tool.importlinter]), so it can offer their reads too.
Everything here runs on the caller's thread with the caller's connection; a background worker or the
TUI's write queue works on `on_this_thread()`, the same coder's workspace on a connection of its own.
Reading methods may run anywhere; changes run as jobs of the TUI's write queue (never on the screen's
connection directly), so a change that meets another process's write lock waits instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from qcode.analysis.cases import resolve_cases
from qcode.analysis.selection import ALL_SPEAKERS, Selection
from qcode.domain.codebook import Codebook
from qcode.domain.models import CONSENSUS_CODER, Coding, TranscriptInfo, UnitKind
from qcode.domain.unit_columns import UnitColumns
from qcode.errors import InputError
from qcode.i18n import _
from qcode.project.code_relations import RelationEditor
from qcode.project.codebook_loading import require_codebook
from qcode.project.coding import Change, CodingSession
from qcode.project.project import Project
from qcode.storage.cases import CaseRepository
from qcode.storage.relations import Relation

if TYPE_CHECKING:
    from qcode.project.attributes import AttributeReport, CaseValue
    from qcode.project.codebook_editing import CodebookEditor
    from qcode.project.consensus import ConsensusChange
    from qcode.project.listing import TranscriptSummary
    from qcode.project.persons_view import PersonRow
    from qcode.reports.memo_list import MemoEntry
    from qcode.reports.retrieval import Passage
    from qcode.reports.saturation import Saturation
    from qcode.reports.statistics import CodeCoderCounts, CodeGroupCounts, CodeTranscriptMatrix
    from qcode.agreement.figures import SpanAgreement, UnitAgreement
    from qcode.domain.agreement_settings import BootstrapSettings
    from qcode.analysis.units import ReportData
    from qcode.project.reliability import Disagreement
    from qcode.project.wordtools.index import IndexReport
    from qcode.text.kwic import Hit
    from qcode.text.suggest import Suggestion

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class TranscriptDocument:
    """Everything the coding screen shows of one transcript."""

    info: TranscriptInfo
    text: str
    turns: UnitColumns  # columns, not objects: a long transcript has tens of thousands
    sentences: UnitColumns  # only their bounds
    codings: list[Coding]  # every coder's; the screen decides what to show


class Workspace:
    """One coder working on one project."""

    def __init__(self, project: Project, coder: str, *, source: str = "tui") -> None:
        self.project = project
        self.store = project.store
        self.source = source
        self.session = CodingSession(project.store, coder, source=source)
        self.coder = self.session.coder
        self.codebook: Codebook = require_codebook(project.store)
        self.relations = RelationEditor(project.store, self.coder, source, project.config.relation_types)

    @property
    def exports_dir(self) -> Path:
        """Where the TUI writes what it exports (the project's exports/ folder)."""
        return self.project.exports_dir

    def reload_codebook(self) -> Codebook:
        """Read the codebook again after a change (by this coder, an undo, or another process)."""
        self.codebook = require_codebook(self.store)
        return self.codebook

    def transcripts(self) -> list[TranscriptSummary]:
        from qcode.project.listing import transcript_summaries  # lazy: not needed to open the coding screen (cold start)

        return transcript_summaries(self.store)

    def transcript(self, name: str) -> TranscriptInfo:
        found = self.store.transcripts.by_name(name)
        if found is None:
            raise InputError(_("no transcript named '{name}'; see `qcode transcripts`").format(name=name))
        return found

    def open(self, name: str) -> TranscriptDocument:
        info = self.transcript(name)
        return TranscriptDocument(
            info,
            self.store.transcripts.text(info.id),
            self.store.transcripts.unit_columns(info.id, UnitKind.TURN),
            self.store.transcripts.unit_columns(info.id, UnitKind.SENTENCE, bounds_only=True),
            self.store.codings.for_transcript(info.id),
        )

    def codings(self, info: TranscriptInfo) -> list[Coding]:
        return self.store.codings.for_transcript(info.id)

    def coders(self) -> list[str]:
        return self.store.coders.names()

    @contextmanager
    def on_this_thread(self) -> Iterator[Workspace]:
        """The same coder's workspace on a connection of the calling thread (a connection stays on the
        thread that opened it): for background workers and the write queue's worker."""
        with Project.open(self.project.root) as project:
            yield Workspace(project, self.coder, source=self.source)

    # -- reading -----------------------------------------------------------------------------------

    def transcripts_where(self, where: Sequence[str]) -> set[str]:
        """The names of the transcripts that meet every condition (the `--where` syntax); a condition on a
        person attribute keeps the transcripts where such a person speaks (`persons_view.transcripts_where`)."""
        from qcode.project.persons_view import transcripts_where  # lazy: not needed to open the coding screen (cold start)

        return transcripts_where(self.store, where)

    def persons(self, transcript: str | None = None) -> list[PersonRow]:
        """The persons speaking in `transcript` (every person without it), with their attribute values."""
        from qcode.project.persons_view import persons_of  # lazy: not needed to open the coding screen (cold start)

        return persons_of(self.store, transcript)

    def assignments(self, kind: str, case: str, text: str) -> list[CaseValue]:
        """`NAME=VALUE; NAME=VALUE` as attribute values of one case (their types are checked when stored)."""
        from qcode.project.persons_view import assignments  # lazy: not needed to open the coding screen (cold start)

        return assignments(kind, case, text)

    def left_out_speakers(self, info: TranscriptInfo) -> frozenset[str]:
        """The speakers of `info` left out of coding and counts (interviewers), by the project's rules."""
        left_out = resolve_cases(self.store, Selection()).left_out_speakers(info.id)
        return frozenset(s for s in left_out if s)

    def attribute_names(self, kind: str | None = None) -> list[str]:
        return [d.name for d in CaseRepository.of(self.store).definitions(kind)]

    def transcript_attributes(self) -> dict[str, dict[str, str]]:
        """Transcript name -> {attribute: value}."""
        values = CaseRepository.of(self.store).values("transcript")
        return {t.name: values.get(t.id, {}) for t in self.store.transcripts.all()}

    def coding_counts(self) -> dict[str, int]:
        """Code id -> number of codings (every coder's)."""
        return self.store.codings.count_by_code()

    def relations_touching(self, code_id: str) -> list[Relation]:
        return self.store.relations.touching(code_id)

    # -- report reads (the numbers of the CLI's report commands) -----------------------------------

    def code_counts(self, grouping: str, *, unit: str) -> CodeCoderCounts | CodeGroupCounts:
        """Units and codings per code and coder (`grouping` "coder") or per group of `grouping` (person,
        attr:NAME), as `qcode freq --by` counts them."""
        from qcode.reports.statistics import code_coder_counts, code_group_counts  # lazy: numpy loads when the statistics are first shown, not when the TUI starts

        if grouping == "coder":
            return code_coder_counts(self.store, unit=unit)
        return code_group_counts(self.store, grouping, unit=unit)

    def code_transcript_matrix(self, *, unit: str, measure: str) -> CodeTranscriptMatrix:
        from qcode.reports.statistics import code_transcript_matrix  # lazy: numpy loads when the statistics are first shown, not when the TUI starts

        return code_transcript_matrix(self.store, unit=unit, measure=measure)

    def export_workbook(self, path: Path, *, unit: str) -> int:
        """Write the project workbook (all transcripts, every coder) as `qcode export` does; returns how
        many cells were changed to fit Excel."""
        from qcode.reports.workbook import export_workbook  # lazy: the workbook writer loads when the statistics are first exported

        return len(export_workbook(self.report_data(), path, unit=unit))

    def report_data(self) -> ReportData:
        """Everything the reports read (all transcripts, every coder), as `qcode export` reads it."""
        from qcode.analysis.units import load_report_data  # lazy: numpy loads when the statistics are first exported, not when the TUI starts

        return load_report_data(self.store, None)

    def saturation(self) -> tuple[Saturation, str]:
        """The first-appearance curve and its verdict, as `qcode saturation` reports them."""
        from qcode.reports.saturation import saturation, saturation_verdict  # lazy: importing qcode.reports loads numpy; the TUI starts without it

        result = saturation(self.store, self.codebook)
        return result, saturation_verdict(result)

    def memos(self) -> list[MemoEntry]:
        """Every memo of the project (codings, transcripts, codes, relations, the project)."""
        from qcode.reports.memo_list import all_memos  # lazy: importing qcode.reports loads numpy; the TUI starts without it

        return all_memos(self.store, self.codebook)

    @staticmethod
    def filter_memos(memos: list[MemoEntry], *, kind: str | None, coder: str | None,
                     codes: set[str] | None) -> list[MemoEntry]:
        from qcode.reports.memo_list import filter_memos  # lazy: importing qcode.reports loads numpy; the TUI starts without it

        return filter_memos(memos, kind=kind, coder=coder, codes=codes)

    def passages(self, code_id: str, *, children: bool) -> list[Passage]:
        """The codings of `code_id` (with `children`, of its subtree) in context, as `qcode retrieve` lists them."""
        from qcode.reports.retrieval import passages  # lazy: importing qcode.reports loads numpy; the TUI starts without it

        return passages(self.store, self.codebook, code_id, children=children)

    def agreement(self, unit: str, bootstrap: BootstrapSettings) -> tuple[UnitAgreement | SpanAgreement, list[Disagreement]]:
        """The agreement report on `unit` (turn, sentence, transcript or span) and every disagreement, as
        `qcode agree` computes them (all speakers)."""
        from qcode.project.reliability import AgreementOptions, find_disagreements, run_agreement  # lazy: the agreement statistics load when agreement is first computed, not at TUI start-up
        from qcode.project.spans import run_span_agreement  # lazy: the agreement statistics load when agreement is first computed, not at TUI start-up

        options = AgreementOptions(unit=unit, selection=Selection(speakers=(ALL_SPEAKERS,)))
        resamples, seed = bootstrap.resamples, bootstrap.seed
        if unit == "span":  # coder-chosen passages: unitizing alpha; differences by character run
            return (run_span_agreement(self.store, options, bootstrap=resamples, seed=seed),
                    find_disagreements(self.store, replace(options, unit="char")))
        return (run_agreement(self.store, options, bootstrap=resamples, seed=seed),
                find_disagreements(self.store, options))

    def consensus_of(self, passages: Sequence[tuple[str, int, int]]) -> list[set[str]]:
        """The recorded consensus codes of each (transcript, start, end)."""
        from qcode.project.consensus import consensus_for_passages  # lazy: not needed to open the coding screen (cold start)

        return consensus_for_passages(self.store, passages)

    def consensus_at(self, transcript: str, start: int, end: int) -> set[str]:
        from qcode.project.consensus import consensus_codes  # lazy: not needed to open the coding screen (cold start)

        return consensus_codes(self.store, self.transcript(transcript), start, end)

    def warm_word_index(self, progress: Progress | None = None) -> IndexReport:
        """Set jieba up and bring the word index up to date (slow: for a worker thread)."""
        from qcode.project.word_index_process import warm_up_in_child  # lazy: the TUI's worker, after the first screen is drawn; jieba loads in a child process

        return warm_up_in_child(self.project.root, progress)

    def search(self, query: str, *, context: int) -> list[Hit]:
        from qcode.project.wordtools import search  # lazy: numpy and jieba load when the first search runs

        return search(self.store, query, context=context)

    def suggestions(self, info: TranscriptInfo) -> list[Suggestion]:
        """Keyword suggestions by sentence for this coder (nothing is applied)."""
        from qcode.project.wordtools import suggestions_for  # lazy: numpy and jieba load when suggestions are first asked for

        return suggestions_for(self.store, info.id, unit="sentence", coder=self.coder)

    # -- changes (run them through the TUI's write queue) ------------------------------------------

    @staticmethod
    def in_vivo_name(selected: str) -> str:
        """The name an in-vivo code gets from the selected words."""
        from qcode.project.codebook_editing import in_vivo_name  # lazy: not needed to open the coding screen (cold start)

        return in_vivo_name(selected)

    def waiting_at_most(self, seconds: float) -> AbstractContextManager[None]:
        """Within this block, a write that meets another process's lock gives up after `seconds`."""
        return self.store.waiting_at_most(seconds)

    def set_busy_timeout(self, seconds: float) -> None:
        """How long every write of this connection waits for another process's lock."""
        self.store.set_busy_timeout(seconds)

    def codebook_editor(self) -> CodebookEditor:
        from qcode.project.codebook_editing import CodebookEditor  # lazy: not needed to open the coding screen (cold start)

        return CodebookEditor(self.store, self.coder, self.source)

    def set_consensus(self, transcript: str, start: int, end: int, codes: Sequence[str]) -> ConsensusChange:
        """Record exactly `codes` as the team's consensus on the passage ([] clears it); journalled."""
        from qcode.project.consensus import set_consensus  # lazy: not needed to open the coding screen (cold start)

        return set_consensus(self.store, self.transcript(transcript), start, end, codes, source=self.source)

    def replay_consensus(self, *, undo: bool) -> Change | None:
        """Undo (or redo) the most recent consensus change; None when there is none."""
        session = CodingSession(self.store, CONSENSUS_CODER, source=self.source)
        return session.undo() if undo else session.redo()

    def store_attributes(self, values: Iterable[CaseValue]) -> AttributeReport:
        """Check and store attribute values (all problems at once), as `qcode attributes set` does."""
        from qcode.project.attributes import store_values  # lazy: not needed to open the coding screen (cold start)

        return store_values(self.store, values, actor=self.coder, source=self.source)
