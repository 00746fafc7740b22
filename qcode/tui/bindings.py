"""Every key binding of the app, in one registry: screens take their BINDINGS from here, the help screen
lists them, and users remap any of them by id in their config file (`[keys]`, applied with
`App.set_keymap`).

Plain letters and digits are never bound on the coding screen: there they type code hotkeys.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from qcode.tui.widgets.transcript_view import TranscriptView

APP = [
    Binding("question_mark,f1", "help", "Help", id="app.help"),
    Binding("f2", "codebook", "Codebook", id="app.codebook"),
    Binding("f3", "agreement", "Agreement", id="app.agreement"),
    Binding("f4", "statistics", "Statistics", id="app.statistics"),
    Binding("f5", "search", "Search", id="app.search"),
    Binding("f6", "memos", "Memos", id="app.memos"),
    Binding("f7", "saturation", "Saturation", show=False, id="app.saturation"),
    Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
]

TRANSCRIPTS = [
    Binding("enter", "open", "Code", id="transcripts.open"),
    Binding("ctrl+d", "complete", "Mark complete", id="transcripts.complete"),
    Binding("ctrl+r", "reload", "Refresh", show=False, id="transcripts.reload"),
    Binding("slash", "filter", "Filter by attributes", show=False, id="transcripts.filter"),
    Binding("ctrl+e", "edit_attributes", "Edit attributes", show=False, id="transcripts.attributes"),
]

CODING = [
    Binding("enter", "pick", "Apply code…", id="coding.pick"),
    Binding("delete,backspace", "remove", "Remove coding", id="coding.remove"),
    Binding("ctrl+z", "undo", "Undo", id="coding.undo"),
    Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="coding.redo"),
    Binding("ctrl+e", "memo", "Memo", id="coding.memo"),
    Binding("ctrl+l", "in_vivo", "In-vivo code", id="coding.in_vivo"),
    Binding("ctrl+t", "transcript_memo", "Transcript memo", show=False, id="coding.transcript_memo"),
    Binding("ctrl+d", "complete", "Complete", id="coding.complete"),
    Binding("ctrl+o", "toggle_others", "Others", id="coding.others"),
    Binding("slash", "search", "Search", show=False, id="coding.search"),
    Binding("ctrl+g", "toggle_suggestions", "Suggestions", id="coding.suggestions"),
    Binding("ctrl+n", "next_suggestion", "Next suggestion", show=False, id="coding.next_suggestion"),
    Binding("ctrl+k", "accept_suggestion", "Accept suggestion", show=False, id="coding.accept_suggestion"),
    Binding("ctrl+x", "reject_suggestion", "Reject suggestion", show=False, id="coding.reject_suggestion"),
    Binding("tab", "focus_codebook", "Codebook pane", show=False, id="coding.focus_codebook"),
    Binding("ctrl+b", "toggle_sidebar", "Sidebar", show=False, id="coding.sidebar"),
    Binding("escape", "back", "Back", id="coding.back"),
]

CODEBOOK_PANE = [
    Binding("enter", "apply_highlighted", "Apply", id="codebook_pane.apply"),
    Binding("ctrl+e", "code_memo", "Code memo", id="codebook_pane.memo"),
    Binding("tab,escape", "return_to_text", "Back to text", id="codebook_pane.back"),
]

CODEBOOK_SCREEN = [
    Binding("escape", "dismiss", "Back", id="codebook.back"),
    Binding("ctrl+e", "code_memo", "Code memo", id="codebook.memo"),
    Binding("enter", "passages", "Passages", id="codebook.passages"),
    Binding("n", "new_code", "New", id="codebook.new"),
    Binding("r", "rename", "Rename", id="codebook.rename"),
    Binding("e", "edit", "Edit", id="codebook.edit"),
    Binding("m", "move", "Move", id="codebook.move"),
    Binding("g", "merge", "Merge into", id="codebook.merge"),
    Binding("d,delete", "delete", "Delete", id="codebook.delete"),
    Binding("left_square_bracket", "reorder(-1)", "Up", show=False, id="codebook.up"),
    Binding("right_square_bracket", "reorder(1)", "Down", show=False, id="codebook.down"),
    Binding("l", "link", "Link", id="codebook.link"),
    Binding("ctrl+z", "undo", "Undo", show=False, id="codebook.undo"),
    Binding("ctrl+y", "redo", "Redo", show=False, id="codebook.redo"),
]

RETRIEVAL = [
    Binding("enter", "jump", "Go to passage", id="retrieval.jump"),
    Binding("c", "toggle_children", "With children", id="retrieval.children"),
    Binding("space", "mark", "Mark", id="retrieval.mark"),
    Binding("a", "mark_mine", "Mark all mine", id="retrieval.mark_mine"),
    Binding("r", "recode", "Recode", id="retrieval.recode"),
    Binding("s", "split", "Split marked", id="retrieval.split"),
    Binding("asterisk", "star", "Star example", id="retrieval.star"),
    Binding("escape", "back", "Back", id="retrieval.back"),
]

MEMOS = [
    Binding("t", "cycle_kind", "Type", id="memos.kind"),
    Binding("c", "cycle_coder", "Coder", id="memos.coder"),
    Binding("k", "choose_code", "Code", id="memos.code"),
    Binding("escape", "back", "Back", id="memos.back"),
]

SATURATION = [
    Binding("escape", "back", "Back", id="saturation.back"),
]

AGREEMENT = [
    Binding("enter", "jump", "Go to passage", id="agreement.jump"),
    Binding("c", "consensus", "Consensus…", id="agreement.consensus"),
    Binding("ctrl+z", "undo_consensus", "Undo consensus", id="agreement.undo"),
    Binding("ctrl+y", "redo_consensus", "Redo consensus", show=False, id="agreement.redo"),
    Binding("u", "cycle_unit", "Unit", id="agreement.unit"),
    Binding("r", "refresh", "Recompute", id="agreement.refresh"),
    Binding("escape", "back", "Back", id="agreement.back"),
]

STATISTICS = [
    Binding("u", "cycle_unit", "Unit", id="statistics.unit"),
    Binding("m", "cycle_measure", "Measure", id="statistics.measure"),
    Binding("g", "cycle_grouping", "Group by", id="statistics.group"),
    Binding("x", "export", "Export xlsx", id="statistics.export"),
    Binding("escape", "back", "Back", id="statistics.back"),
]

SEARCH = [
    Binding("ctrl+k", "code_hit", "Code the sentence…", id="search.code"),
    Binding("escape", "back", "Back", id="search.back"),
]

CONSENSUS_DIALOG = [
    Binding("ctrl+s", "save", "Record", id="consensus.save"),
    Binding("delete", "clear", "Clear", id="consensus.clear"),
    Binding("escape", "cancel", "Cancel", id="consensus.cancel"),
]

DIALOG = [
    Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
]

FORM_DIALOG = [
    Binding("ctrl+s", "save", "Save", id="form.save"),
    Binding("escape", "cancel", "Cancel", id="form.cancel"),
]

MEMO_DIALOG = [
    Binding("ctrl+s", "save", "Save", id="memo.save"),
    Binding("escape", "cancel", "Cancel", id="memo.cancel"),
]


@dataclass(frozen=True)
class Section:
    title: str
    bindings: list[Binding]


def registry() -> list[Section]:
    """Every binding by where it applies, in the order the help screen shows them."""
    return [
        Section("Everywhere", APP),
        Section("Transcripts", TRANSCRIPTS),
        Section("Coding screen", CODING),
        Section("Reading and selecting (transcript view)", [b for b in TranscriptView.BINDINGS if isinstance(b, Binding)]),
        Section("Codebook pane", CODEBOOK_PANE),
        Section("Codebook browser", CODEBOOK_SCREEN),
        Section("Passages of a code (Enter in the codebook)", RETRIEVAL),
        Section("Memos (F6)", MEMOS),
        Section("Saturation (F7)", SATURATION),
        Section("Agreement", AGREEMENT),
        Section("Consensus", CONSENSUS_DIALOG),
        Section("Statistics", STATISTICS),
        Section("Search", SEARCH),
        Section("Memo editor", MEMO_DIALOG),
        Section("Code form", FORM_DIALOG),
        Section("Dialogs", DIALOG),
    ]


def binding_ids() -> set[str]:
    return {b.id for section in registry() for b in section.bindings if b.id}
