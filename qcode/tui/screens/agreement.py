"""The agreement screen: the per-code table with the overall figures, and the list of disagreements.

Enter on a disagreement opens the passage in the coding screen with every coder's codings shown; `c`
records the team's agreed coding of that unit as the coder "consensus". Figures are computed in a
thread worker on its own database connection, so the screen stays responsive on large projects.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from qcode.domain.models import Span
from qcode.errors import QcodeError
from qcode.i18n import _
from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.project.reliability import Disagreement, Selection, find_disagreements, run_agreement
from qcode.project.workspace import Workspace
from qcode.tui import bindings
from qcode.tui.widgets.footer import Footer

CONSENSUS_CODER = "consensus"
UNITS = ("turn", "sentence", "transcript")
STATS = (("percent_agreement", "% agree"), ("cohen_kappa", "kappa"), ("krippendorff_alpha_nominal", "alpha"),
         ("gwet_ac1", "AC1"))


@dataclass(frozen=True)
class AgreementResults:
    report: dict | None
    disagreements: list[Disagreement]
    error: str | None = None


def _figure(result: dict) -> str:
    value = result.get("value")
    return "—" if value is None else f"{value:.3f}"


class AgreementScreen(Screen[None]):
    BINDINGS = bindings.AGREEMENT

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.unit = "turn"
        self.results: AgreementResults | None = None
        self.recorded: set[tuple[str, int, int]] = set()
        self.code_filter: str | None = None  # show only disagreements involving this code
        self.shown: list[Disagreement] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Computing agreement…", id="agreement-summary")
        yield DataTable(id="per-code", cursor_type="row", zebra_stripes=True)
        yield Static("Disagreements", classes="pane-title", id="disagreements-title")
        yield DataTable(id="disagreements", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        """Agreement and disagreements for the current unit, on this thread's own connection."""
        selection = Selection(unit=self.unit)
        try:
            with Project.open(self.workspace.project.root) as project:
                report = run_agreement(project.store, selection, bootstrap=200, seed=1)
                found = find_disagreements(project.store, selection)
            results = AgreementResults(report, found)
        except QcodeError as exc:
            results = AgreementResults(None, [], "\n".join(p.message for p in exc.problems))
        self.app.call_from_thread(self.show, results)

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
        masi = report["label_sets"]["krippendorff_alpha_masi"]
        kappa = report["overall"]["cohen_kappa"]
        ci = masi.get("ci95")
        summary.update(Text.assemble(
            (_("Unit: {unit} (u to change) · ").format(unit=_(self.unit)), "dim"), f"{', '.join(report['coders'])} · ",
            _("{count:,} units rated by 2+ coders · ").format(count=report.get("n_units_pairable", report["n_units"])),
            (_("label-set alpha (MASI) "), "bold"), _figure(masi),
            f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "", " · ",
            (_("kappa (one code per unit) "), "bold"),
            _figure(kappa) if kappa["value"] is not None else _("— (several codes per unit)"),
        ))
        coders = report["coders"]
        per_code.add_columns(_("code"), _("name"), *coders, *(label for _key, label in STATS))
        book = self.workspace.codebook
        for code, stats in report["per_code"].items():
            counts = report.get("per_code_counts", {}).get(code, {})
            name = book.display_name(code) if code in book else code
            per_code.add_row(code, name, *(str(counts.get(c, 0)) for c in coders),
                             *(_figure(stats[key]) for key, _label in STATS))
        table.add_columns(_("transcript"), _("unit"), _("speaker"), _("text"), *coders, _("consensus"))
        self.shown = [d for d in results.disagreements if self.code_filter is None
                      or any(codes and self.code_filter in codes for codes in d.codes.values())]
        title = self.query_one("#disagreements-title", Static)
        title.update(_("Disagreements: {count}").format(count=len(self.shown))
                     + (_(" involving {code}").format(code=self.code_filter) if self.code_filter else "")
                     + "  [dim]" + _("Enter: go to the passage · c: record the consensus coding · "
                                     "Enter on a code above: only its disagreements") + "[/dim]")
        for d in self.shown:
            flat = " ".join(d.text.split())
            table.add_row(d.transcript, f"{_(d.unit)} {d.index + 1}", d.speaker or "",
                          flat[:28] + ("…" if len(flat) > 28 else ""),
                          *((_("not rated") if d.codes[c] is None
                             else ", ".join(book.display_name(k) if k in book else k for k in d.codes[c]) or "—")
                            for c in coders),
                          "✓" if (d.transcript, d.start, d.end) in self.recorded else "")

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
            code = list(self.results.report["per_code"])[event.cursor_row]
            self.code_filter = None if self.code_filter == code else code
            self.show(self.results)
            self.query_one("#disagreements", DataTable).focus()

    def action_jump(self) -> None:
        from qcode.tui.screens.coding import CodingScreen

        current = self._current()
        if current is None:
            return
        document = self.workspace.open(current.transcript)
        self.app.push_screen(CodingScreen(self.workspace, document, focus=Span(current.start, current.end),
                                          show_others=True))

    def action_consensus(self) -> None:
        from qcode.tui.dialogs.consensus import ConsensusDialog

        current = self._current()
        if current is None:
            return
        proposed = [set(codes) for codes in current.codes.values() if codes is not None]
        union = sorted(set().union(*proposed), key=self._position) if proposed else []
        shared = set.intersection(*proposed) if proposed else set()

        def record(codes: list[str] | None) -> None:
            if codes is None:
                return
            session = CodingSession(self.workspace.store, CONSENSUS_CODER, source="tui")
            info = self.workspace.transcript(current.transcript)
            try:
                for code in codes:
                    session.apply(info, code, current.start, current.end)
            except QcodeError as exc:
                self.app.report(exc)  # type: ignore[attr-defined]
                return
            self.recorded.add((current.transcript, current.start, current.end))
            self.notify(_("Consensus for {transcript} {unit} {number}: {codes}").format(
                transcript=current.transcript, unit=_(current.unit), number=current.index + 1,
                codes=", ".join(self.workspace.codebook.display_name(c) if c in self.workspace.codebook else c
                                for c in codes) or _("no code")), timeout=3)
            if self.results is not None:
                self.show(self.results)

        self.app.push_screen(ConsensusDialog(self.workspace.codebook, current, union, shared), record)

    def _position(self, code: str) -> int:
        ids = [c.id for c in self.workspace.codebook]
        return ids.index(code) if code in ids else len(ids)

    def action_cycle_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.query_one("#agreement-summary", Static).update(f"Computing agreement on {self.unit}s…")
        self.compute()

    def action_refresh(self) -> None:
        self.compute()

    def action_back(self) -> None:
        self.app.pop_screen()
