"""The agreement screen: the per-code table with the overall figures, and the list of disagreements.

Enter on a disagreement opens the passage in the coding screen with every coder's codings shown (after
the blind-coding confirmation where the coder has not completed it); `c` opens the consensus dialog,
which records, changes or clears the team's agreed coding of that unit (the coder "consensus"); Ctrl+Z
and Ctrl+Y undo and redo consensus changes. Figures are computed in a
thread worker on its own database connection (`run_job`), so the screen stays responsive on large
projects; consensus changes go through the app's write queue, so they wait while another process writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from qcode.agreement.figures import Agreement, SpanAgreement, UnitAgreement
from qcode.agreement.labels import SPAN_OVERALL, SPAN_PER_CODE, figure, short_label
from qcode.agreement.messages import translated
from qcode.agreement.scope import Compared
from qcode.domain.agreement_settings import DEFAULT_BOOTSTRAP, BootstrapSettings
from qcode.domain.models import Span
from qcode.errors import QcodeError
from qcode.i18n import N_, _, counted
from qcode.project.coding import Change
from qcode.project.consensus import ConsensusChange
from qcode.project.reliability import Disagreement
from qcode.workspace import Workspace
from qcode.tui import bindings
from qcode.tui.dialogs.consensus import ConsensusDialog
from qcode.tui.messages import OpenTranscript, WorkDone, WorkFailed
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.shown import name_markup, visible_text
from qcode.tui.widgets.footer import Footer
from qcode.tui.workers import Progress, run_job

UNITS = ("turn", "sentence", "transcript", "span")
STATS = ("percent_agreement", "cohen_kappa", "krippendorff_alpha_nominal", "gwet_ac1")
UNIT_PLURALS = {"turn": N_("turns"), "sentence": N_("sentences"), "transcript": N_("transcripts"), "span": N_("spans")}


@dataclass(frozen=True)
class AgreementResults:
    report: Agreement | None
    disagreements: list[Disagreement]
    error: str | None = None


def _compared_text(report: UnitAgreement) -> list[tuple[str, str] | str]:
    """Which transcripts entered the figures, and which codings were not blind."""
    scope = report.scope
    compared = scope.compared if scope is not None and scope.compared is not None else Compared((), ())
    names = compared.transcripts
    shown = ", ".join(names[:4]) + (f", … ({len(names)})" if len(names) > 4 else "")
    parts: list[tuple[str, str] | str] = [
        counted(len(names), "Compared: {count} transcript completed by 2+ coders ({names}; {characters:,} characters)",
                "Compared: {count} transcripts completed by 2+ coders ({names}; {characters:,} characters)",
                names=shown or _("none"), characters=compared.characters)]
    seen = scope.not_independent if scope is not None else ()
    if seen:
        parts.append((" · " + _("not coded independently: {who}").format(who=", ".join(
            _("{coder} on {transcript}").format(coder=s.coder, transcript=s.transcript) for s in seen)),
                      "yellow"))
    return parts


class AgreementScreen(QcodeScreen[None]):
    BINDINGS = bindings.AGREEMENT

    class Computed(WorkDone[AgreementResults]):
        """The figures and disagreements for the current unit are computed."""

    def __init__(self, workspace: Workspace, bootstrap: BootstrapSettings = DEFAULT_BOOTSTRAP) -> None:
        super().__init__()
        self.workspace = workspace
        self.unit = "turn"
        self.bootstrap = bootstrap  # the CLI's default too, so `qcode agree` shows the same intervals
        self.results: AgreementResults | None = None
        self.consensus: list[set[str]] = []  # recorded consensus codes of each shown disagreement
        self.code_filter: str | None = None  # show only disagreements involving this code
        self.shown: list[Disagreement] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Computing agreement…"), id="agreement-summary")
        yield DataTable(id="per-code", cursor_type="row", zebra_stripes=True)
        yield Static(_("Disagreements"), classes="pane-title", id="disagreements-title")
        yield DataTable(id="disagreements", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.compute()

    def compute(self) -> None:
        """Agreement and disagreements for the current unit, in a worker on its own connection."""
        unit, bootstrap = self.unit, self.bootstrap

        def agreement(workspace: Workspace, _progress: Progress) -> AgreementResults:
            return AgreementResults(*workspace.agreement(unit, bootstrap))

        run_job(self, self.workspace, agreement, self.Computed, name="agreement")

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        self.show(message.result)

    @on(WorkFailed)
    def _not_computed(self, message: WorkFailed) -> None:
        if message.job == "agreement":
            message.stop()  # shown here, in place of the figures
            self.show(AgreementResults(None, [], message.text))

    def show(self, results: AgreementResults) -> None:
        self.results = results
        summary = self.query_one("#agreement-summary", Static)
        per_code = self.query_one("#per-code", DataTable)
        table = self.query_one("#disagreements", DataTable)
        per_code.clear(columns=True)
        table.clear(columns=True)
        if results.report is None:
            summary.update(Text(_("No agreement yet: {error}").format(error=results.error), style="yellow"))
            return
        report = results.report
        if isinstance(report, SpanAgreement):
            self._show_span_figures(report, summary, per_code)
        else:
            self._show_unit_figures(report, summary, per_code)
        coders = report.coders
        table.add_columns(_("transcript"), _("unit"), _("speaker"), _("text"), *coders, _("consensus"))
        self.shown = [d for d in results.disagreements if self.code_filter is None
                      or any(codes and self.code_filter in codes for codes in d.codes.values())]
        title = self.query_one("#disagreements-title", Static)
        title.update(_("Disagreements: {count}").format(count=len(self.shown))
                     + (_(" involving {code}").format(code=self.code_filter) if self.code_filter else "")
                     + "  [dim]" + _("Enter: go to the passage · c: record, change or clear the consensus · "
                                     "Ctrl+Z: undo it · Enter on a code above: only its disagreements") + "[/dim]")
        self.consensus = self.workspace.consensus_of([(d.transcript, d.start, d.end) for d in self.shown])
        book = self.workspace.codebook

        def named(codes) -> str:  # codes by their name, as a reader sees them
            return ", ".join(name_markup(book.display_name(k) if k in book else k) for k in codes)

        for d, agreed in zip(self.shown, self.consensus):
            flat = " ".join(d.text.split())
            table.add_row(name_markup(d.transcript), f"{_(d.unit)} {d.index + 1}", name_markup(d.speaker or ""),
                          name_markup(flat[:28]) + ("…" if len(flat) > 28 else ""),
                          *((_("not rated") if d.codes[c] is None else named(d.codes[c]) or "—") for c in coders),
                          named(sorted(agreed, key=self._position)))

    def _show_unit_figures(self, report: UnitAgreement, summary: Static, per_code: DataTable) -> None:
        kappa = report.overall["cohen_kappa"]
        summary.update(visible_text(Text.assemble(
            (_("Unit: {unit} (u to change) · ").format(unit=_(self.unit)), "dim"), f"{', '.join(report.coders)} · ",
            counted(report.n_units_pairable, "{count:,} unit rated by 2+ coders · ",
                    "{count:,} units rated by 2+ coders · "),
            (_("label-set alpha (MASI) "), "bold"), figure(report.masi), " · ",
            (_("kappa (one code per unit) "), "bold"),
            figure(kappa, with_ci=False) if kappa.value is not None else _("— (several codes per unit)"),
            "\n", *_compared_text(report), self._bootstrap_text(),
        )))
        self._fill_per_code(report, per_code, STATS)

    def _bootstrap_text(self) -> tuple[str, str]:
        """The resamples and seed used, as the same `qcode agree` options would give."""
        return ("\n" + _("{bootstrap} (as `qcode agree --bootstrap {resamples} --seed {seed}`)").format(
            bootstrap=self.bootstrap.describe(), resamples=self.bootstrap.resamples, seed=self.bootstrap.seed), "dim")

    def _fill_per_code(self, report: Agreement, per_code: DataTable, stats: tuple[str, ...]) -> None:
        coders = report.coders
        span = isinstance(report, SpanAgreement)
        per_code.add_columns(_("code"), _("name"), *map(name_markup, coders), *(short_label(key, span_code=span) for key in stats))
        book = self.workspace.codebook
        all_counts = report.per_code_counts or {}
        for code, figures in report.per_code.items():
            counts = all_counts.get(code, {})
            name = book.display_name(code) if code in book else code
            per_code.add_row(name_markup(code), name_markup(name), *(str(counts.get(c, 0)) for c in coders),
                             *(figure(figures[key], with_ci=False) for key in stats))

    def _show_span_figures(self, report: SpanAgreement, summary: Static, per_code: DataTable) -> None:
        """Coder-chosen passages: Krippendorff's uα, |uα and cuα, and (k)uα and binary uα per code."""
        overall = report.overall.figures
        coverage = report.overall.coverage
        parts: list = [(_("Unit: spans, the passages coders chose (u to change) · "), "dim"),
                       f"{', '.join(report.coders)} · "
                       + counted(report.n_transcripts, "{count} transcript completed by all · ",
                                 "{count} transcripts completed by all · ")]
        u_alpha = overall["u_alpha"]
        if u_alpha.undefined_reason is not None:
            parts.append(Text(f"uα: {translated(u_alpha.undefined_reason)}", style="yellow"))
        else:
            for key in SPAN_OVERALL:
                parts += [(short_label(key) + " ", "bold"), figure(overall[key]), " · "]
            parts[-1] = _(" on {share:.0%} of coded text").format(share=coverage) if coverage is not None else ""
        parts.append(self._bootstrap_text())
        summary.update(visible_text(Text.assemble(*parts)))
        self._fill_per_code(report, per_code, SPAN_PER_CODE)

    def _current(self) -> Disagreement | None:
        table = self.query_one("#disagreements", DataTable)
        if not self.shown or table.cursor_row < 0:
            return None
        return self.shown[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "disagreements":
            self.action_jump()
        elif self.results is not None and self.results.report is not None:
            code = list(self.results.report.per_code)[event.cursor_row]
            self.code_filter = None if self.code_filter == code else code
            self.show(self.results)
            self.query_one("#disagreements", DataTable).focus()

    def action_jump(self) -> None:
        current = self._current()
        if current is None:
            return
        try:
            document = self.workspace.open(current.transcript)
        except QcodeError as exc:
            self.qapp.report(exc)
            return
        self.post_message(OpenTranscript(document, focus=Span(current.start, current.end), show_others=True))

    def action_consensus(self) -> None:
        current = self._current()
        if current is None:
            return
        proposed = [set(codes) for codes in current.codes.values() if codes is not None]
        union = sorted(set().union(*proposed), key=self._position) if proposed else []
        shared = set.intersection(*proposed) if proposed else set()

        def recorded_now(change: ConsensusChange) -> None:
            self.notify(change.describe(), timeout=4, severity="warning" if change.beyond else "information")
            self._redraw()

        def record(codes: list[str] | None) -> None:
            if codes is not None:  # stored through the write queue: waits while another process writes
                self.qapp.write(lambda workspace: workspace.set_consensus(current.transcript, current.start,
                                                                          current.end, codes), recorded_now)

        try:
            recorded = self.workspace.consensus_at(current.transcript, current.start, current.end)
        except QcodeError as exc:
            self.qapp.report(exc)
            return
        self.app.push_screen(ConsensusDialog(self.workspace.codebook, current, union, shared, recorded), record)

    def _redraw(self) -> None:
        """Show the table again, keeping the cursor where it was."""
        if self.results is None:
            return
        table = self.query_one("#disagreements", DataTable)
        row = table.cursor_row
        self.show(self.results)
        if self.shown:
            table.move_cursor(row=min(row, len(self.shown) - 1))

    def action_undo_consensus(self) -> None:
        self._replay(undo=True)

    def action_redo_consensus(self) -> None:
        self._replay(undo=False)

    def _replay(self, *, undo: bool) -> None:
        nothing = _("No consensus change to undo") if undo else _("No consensus change to redo")

        def replayed(change: Change | None) -> None:
            self.notify(change.description if change else nothing, timeout=3)
            self._redraw()

        self.qapp.write(lambda workspace: workspace.replay_consensus(undo=undo), replayed)

    def _position(self, code: str) -> int:
        ids = [c.id for c in self.workspace.codebook]
        return ids.index(code) if code in ids else len(ids)

    def action_cycle_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.query_one("#agreement-summary", Static).update(
            _("Computing agreement on {units}…").format(units=_(UNIT_PLURALS[self.unit])))
        self.compute()

    def action_refresh(self) -> None:
        self.compute()

    def action_back(self) -> None:
        self.app.pop_screen()
