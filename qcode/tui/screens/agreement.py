"""The agreement screen: the per-code table with the overall figures, and the list of disagreements.

Enter on a disagreement opens the passage in the coding screen with every coder's codings shown (after
the blind-coding confirmation where the coder has not completed it); `c` opens the consensus dialog,
which records, changes or clears the team's agreed coding of that unit (the coder "consensus"); Ctrl+Z
and Ctrl+Y undo and redo consensus changes. Figures are computed in a
thread worker on its own database connection, so the screen stays responsive on large projects.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from qcode.domain.agreement_settings import DEFAULT_BOOTSTRAP, BootstrapSettings
from qcode.domain.models import CONSENSUS_CODER, Span
from qcode.errors import QcodeError
from qcode.i18n import _
from qcode.project.coding import CodingSession
from qcode.project.consensus import consensus_codes, consensus_for_passages, set_consensus
from qcode.project.project import Project
from qcode.analysis.selection import ALL_SPEAKERS, Selection
from qcode.project.reliability import AgreementOptions, Disagreement, find_disagreements, run_agreement
from qcode.project.spans import run_span_agreement
from qcode.project.workspace import Workspace
from qcode.tui import bindings
from qcode.tui.shown import name_markup, visible_text
from qcode.tui.widgets.footer import Footer

UNITS = ("turn", "sentence", "transcript", "span")
STATS = (("percent_agreement", "% agree"), ("cohen_kappa", "kappa"), ("krippendorff_alpha_nominal", "alpha"),
         ("gwet_ac1", "AC1"))
SPAN_STATS = (("k_u_alpha", "(k)uα"), ("binary_u_alpha", "binary uα"))


@dataclass(frozen=True)
class AgreementResults:
    report: dict | None
    disagreements: list[Disagreement]
    error: str | None = None


def _figure(result: dict) -> str:
    value = result.get("value")
    return "—" if value is None else f"{value:.3f}"


def _compared_text(report: dict) -> list[tuple[str, str] | str]:
    """Which transcripts entered the figures, and which codings were not blind."""
    compared = report.get("compared") or {}
    names = compared.get("transcripts", [])
    shown = ", ".join(names[:4]) + (f", … ({len(names)})" if len(names) > 4 else "")
    parts: list[tuple[str, str] | str] = [
        _("Compared: {count} transcript(s) completed by 2+ coders ({names}; {characters:,} characters)").format(
            count=len(names), names=shown or _("none"), characters=compared.get("characters", 0))]
    seen = report.get("not_independent") or []
    if seen:
        parts.append((" · " + _("not coded independently: {who}").format(who=", ".join(
            _("{coder} on {transcript}").format(coder=s["coder"], transcript=s["transcript"]) for s in seen)),
                      "yellow"))
    return parts


class AgreementScreen(Screen[None]):
    BINDINGS = bindings.AGREEMENT

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

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        """Agreement and disagreements for the current unit, on this thread's own connection."""
        selection = AgreementOptions(unit=self.unit, selection=Selection(speakers=(ALL_SPEAKERS,)))
        try:
            with Project.open(self.workspace.project.root) as project:
                settings = {"bootstrap": self.bootstrap.resamples, "seed": self.bootstrap.seed}
                if self.unit == "span":  # coder-chosen passages: unitizing alpha; differences by character run
                    report = run_span_agreement(project.store, selection, **settings)
                    found = find_disagreements(project.store, replace(selection, unit="char"))
                else:
                    report = run_agreement(project.store, selection, **settings)
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
        if report["unit"] == "span":
            self._show_span_figures(report, summary, per_code)
        else:
            self._show_unit_figures(report, summary, per_code)
        coders = report["coders"]
        table.add_columns(_("transcript"), _("unit"), _("speaker"), _("text"), *coders, _("consensus"))
        self.shown = [d for d in results.disagreements if self.code_filter is None
                      or any(codes and self.code_filter in codes for codes in d.codes.values())]
        title = self.query_one("#disagreements-title", Static)
        title.update(_("Disagreements: {count}").format(count=len(self.shown))
                     + (_(" involving {code}").format(code=self.code_filter) if self.code_filter else "")
                     + "  [dim]" + _("Enter: go to the passage · c: record, change or clear the consensus · "
                                     "Ctrl+Z: undo it · Enter on a code above: only its disagreements") + "[/dim]")
        self.consensus = consensus_for_passages(self.workspace.store, [(d.transcript, d.start, d.end) for d in self.shown])
        book = self.workspace.codebook

        def named(codes) -> str:  # codes by their name, as a reader sees them
            return ", ".join(name_markup(book.display_name(k) if k in book else k) for k in codes)

        for d, agreed in zip(self.shown, self.consensus):
            flat = " ".join(d.text.split())
            table.add_row(name_markup(d.transcript), f"{_(d.unit)} {d.index + 1}", name_markup(d.speaker or ""),
                          name_markup(flat[:28]) + ("…" if len(flat) > 28 else ""),
                          *((_("not rated") if d.codes[c] is None else named(d.codes[c]) or "—") for c in coders),
                          named(sorted(agreed, key=self._position)))

    def _show_unit_figures(self, report: dict, summary: Static, per_code: DataTable) -> None:
        masi = report["label_sets"]["krippendorff_alpha_masi"]
        kappa = report["overall"]["cohen_kappa"]
        ci = masi.get("ci95")
        summary.update(visible_text(Text.assemble(
            (_("Unit: {unit} (u to change) · ").format(unit=_(self.unit)), "dim"), f"{', '.join(report['coders'])} · ",
            _("{count:,} units rated by 2+ coders · ").format(count=report.get("n_units_pairable", report["n_units"])),
            (_("label-set alpha (MASI) "), "bold"), _figure(masi),
            f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "", " · ",
            (_("kappa (one code per unit) "), "bold"),
            _figure(kappa) if kappa["value"] is not None else _("— (several codes per unit)"),
            "\n", *_compared_text(report), self._bootstrap_text(),
        )))
        self._fill_per_code(report, per_code, STATS)

    def _bootstrap_text(self) -> tuple[str, str]:
        """The resamples and seed used, as the same `qcode agree` options would give."""
        return ("\n" + _("{bootstrap} (as `qcode agree --bootstrap {resamples} --seed {seed}`)").format(
            bootstrap=self.bootstrap.describe(), resamples=self.bootstrap.resamples, seed=self.bootstrap.seed), "dim")

    def _fill_per_code(self, report: dict, per_code: DataTable, stats: tuple) -> None:
        coders = report["coders"]
        per_code.add_columns(_("code"), _("name"), *map(name_markup, coders), *(label for _key, label in stats))
        book = self.workspace.codebook
        for code, figures in report["per_code"].items():
            counts = report.get("per_code_counts", {}).get(code, {})
            name = book.display_name(code) if code in book else code
            per_code.add_row(name_markup(code), name_markup(name), *(str(counts.get(c, 0)) for c in coders),
                             *(_figure(figures[key]) for key, _label in stats))

    def _show_span_figures(self, report: dict, summary: Static, per_code: DataTable) -> None:
        """Coder-chosen passages: Krippendorff's uα, |uα and cuα, and (k)uα and binary uα per code."""
        overall = report["overall"]

        def with_ci(result: dict) -> str:
            ci = result.get("ci95")
            return _figure(result) + (f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "")

        coverage = overall["cu_alpha"].get("coverage")
        parts: list = [(_("Unit: spans, the passages coders chose (u to change) · "), "dim"),
                       f"{', '.join(report['coders'])} · "
                       + _("{count} transcript(s) completed by all · ").format(count=report["n_transcripts"])]
        if overall["u_alpha"]["value"] is None:
            parts.append(Text(f"uα: {overall['u_alpha']['undefined_reason']}", style="yellow"))
        else:
            parts += [("uα ", "bold"), with_ci(overall["u_alpha"]), " · ", ("|uα ", "bold"),
                      with_ci(overall["binary_u_alpha"]), " · ", ("cuα ", "bold"), with_ci(overall["cu_alpha"]),
                      _(" on {share:.0%} of coded text").format(share=coverage) if coverage is not None else ""]
        parts.append(self._bootstrap_text())
        summary.update(visible_text(Text.assemble(*parts)))
        self._fill_per_code(report, per_code, SPAN_STATS)

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
        from qcode.tui.screens.coding import CodingScreen  # lazy: loaded when first opened; revisit with the screens' rework (issue 11 point 4)

        current = self._current()
        if current is None:
            return
        document = self.workspace.open(current.transcript)
        self.app.push_screen(CodingScreen(self.workspace, document, focus=Span(current.start, current.end),
                                          show_others=True))

    def action_consensus(self) -> None:
        from qcode.tui.dialogs.consensus import ConsensusDialog  # lazy: loaded when first opened; revisit with the screens' rework (issue 11 point 4)

        current = self._current()
        if current is None:
            return
        proposed = [set(codes) for codes in current.codes.values() if codes is not None]
        union = sorted(set().union(*proposed), key=self._position) if proposed else []
        shared = set.intersection(*proposed) if proposed else set()

        def record(codes: list[str] | None) -> None:
            if codes is None:
                return
            info = self.workspace.transcript(current.transcript)
            try:
                change = set_consensus(self.workspace.store, info, current.start, current.end, codes, source="tui")
            except QcodeError as exc:
                self.app.report(exc)  # type: ignore[attr-defined]  # self.app is typed App, not QcodeApp (issue 11 point 4)
                return
            self.notify(change.describe(), timeout=4, severity="warning" if change.beyond else "information")
            self._redraw()

        recorded = consensus_codes(self.workspace.store, self.workspace.transcript(current.transcript),
                                   current.start, current.end)
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
        session = CodingSession(self.workspace.store, CONSENSUS_CODER, source="tui")
        try:
            change = session.undo() if undo else session.redo()
        except QcodeError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]  # self.app is typed App, not QcodeApp (issue 11 point 4)
            return
        nothing = _("No consensus change to undo") if undo else _("No consensus change to redo")
        self.notify(change.description if change else nothing,
                    timeout=3)
        self._redraw()

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
