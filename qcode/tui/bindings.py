"""Every key binding of the app, in one registry: screens take their BINDINGS from here, the help screen
lists them, and users remap any of them by id in their config file (`[keys]`, applied with
`App.set_keymap`).

Plain letters and digits are never bound on the coding screen: there they type code hotkeys.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

from qcode.i18n import N_

APP: list[BindingType] = [
    Binding("question_mark,f1", "help", N_("Help"), id="app.help"),
    Binding("f2", "codebook", N_("Codebook"), id="app.codebook"),
    Binding("f3", "agreement", N_("Agreement"), id="app.agreement"),
    Binding("f4", "statistics", N_("Statistics"), id="app.statistics"),
    Binding("f5", "search", N_("Search"), id="app.search"),
    Binding("f6", "memos", N_("Memos"), id="app.memos"),
    Binding("f7", "saturation", N_("Saturation"), show=False, id="app.saturation"),
    Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True),
    # Replaces Textual's own (untranslated) palette key; the footer shows it when there is room.
    Binding("ctrl+p", "command_palette", N_("Commands"), id="app.palette", priority=True,
            tooltip=N_("Open the command palette")),
]

TRANSCRIPTS: list[BindingType] = [
    Binding("enter", "open", N_("Code"), id="transcripts.open"),
    Binding("ctrl+d", "complete", N_("Mark complete"), id="transcripts.complete"),
    Binding("ctrl+r", "reload", N_("Refresh"), show=False, id="transcripts.reload"),
    Binding("slash", "filter", N_("Filter by attributes"), show=False, id="transcripts.filter"),
    Binding("ctrl+e", "edit_attributes", N_("Edit attributes"), show=False, id="transcripts.attributes"),
    Binding("p", "persons", N_("Persons"), show=False, id="transcripts.persons"),
]

PERSONS: list[BindingType] = [
    Binding("enter,ctrl+e", "edit", N_("Edit attributes"), id="persons.edit"),
    Binding("a", "toggle_all", N_("All persons / this transcript"), id="persons.all"),
    Binding("escape", "back", N_("Back"), id="persons.back"),
]

CODING: list[BindingType] = [
    Binding("enter", "pick", N_("Apply code…"), id="coding.pick"),
    Binding("delete,backspace", "remove", N_("Remove coding"), id="coding.remove"),
    Binding("ctrl+z", "undo", N_("Undo"), id="coding.undo"),
    Binding("ctrl+y,ctrl+shift+z", "redo", N_("Redo"), id="coding.redo"),
    Binding("ctrl+e", "memo", N_("Memo"), id="coding.memo"),
    Binding("ctrl+l", "in_vivo", N_("In-vivo code"), id="coding.in_vivo"),
    Binding("ctrl+t", "transcript_memo", N_("Transcript memo"), show=False, id="coding.transcript_memo"),
    Binding("ctrl+d", "complete", N_("Complete"), id="coding.complete"),
    Binding("ctrl+o", "toggle_others", N_("Others"), id="coding.others"),
    Binding("slash", "search", N_("Search"), show=False, id="coding.search"),
    Binding("ctrl+g", "toggle_suggestions", N_("Suggestions"), id="coding.suggestions"),
    Binding("ctrl+n", "next_suggestion", N_("Next suggestion"), show=False, id="coding.next_suggestion"),
    Binding("ctrl+k", "accept_suggestion", N_("Accept suggestion"), show=False, id="coding.accept_suggestion"),
    Binding("ctrl+x", "reject_suggestion", N_("Reject suggestion"), show=False, id="coding.reject_suggestion"),
    Binding("tab", "focus_codebook", N_("Codebook pane"), show=False, id="coding.focus_codebook"),
    Binding("ctrl+b", "toggle_sidebar", N_("Sidebar"), show=False, id="coding.sidebar"),
    Binding("escape", "back", N_("Back"), id="coding.back"),
]

CODEBOOK_PANE: list[BindingType] = [
    Binding("enter", "apply_highlighted", N_("Apply"), id="codebook_pane.apply"),
    Binding("ctrl+e", "code_memo", N_("Code memo"), id="codebook_pane.memo"),
    Binding("tab,escape", "return_to_text", N_("Back to text"), id="codebook_pane.back"),
]

CODEBOOK_SCREEN: list[BindingType] = [
    Binding("escape", "dismiss", N_("Back"), id="codebook.back"),
    Binding("ctrl+e", "code_memo", N_("Code memo"), id="codebook.memo"),
    Binding("n", "new_code", N_("New"), id="codebook.new"),
    Binding("r", "rename", N_("Rename"), id="codebook.rename"),
    Binding("e", "edit", N_("Edit"), id="codebook.edit"),
    Binding("m", "move", N_("Move"), id="codebook.move"),
    Binding("g", "merge", N_("Merge into"), id="codebook.merge"),
    Binding("d,delete", "delete", N_("Delete"), id="codebook.delete"),
    Binding("left_square_bracket", "reorder(-1)", N_("Up"), show=False, id="codebook.up"),
    Binding("right_square_bracket", "reorder(1)", N_("Down"), show=False, id="codebook.down"),
    Binding("l", "link", N_("Link"), id="codebook.link"),
    Binding("ctrl+z", "undo", N_("Undo"), show=False, id="codebook.undo"),
    Binding("ctrl+y", "redo", N_("Redo"), show=False, id="codebook.redo"),
]

RETRIEVAL: list[BindingType] = [
    Binding("enter", "jump", N_("Go to passage"), id="retrieval.jump"),
    Binding("c", "toggle_children", N_("With children"), id="retrieval.children"),
    Binding("space", "mark", N_("Mark"), id="retrieval.mark"),
    Binding("a", "mark_mine", N_("Mark all mine"), id="retrieval.mark_mine"),
    Binding("r", "recode", N_("Recode"), id="retrieval.recode"),
    Binding("s", "split", N_("Split marked"), id="retrieval.split"),
    Binding("asterisk", "star", N_("Star example"), id="retrieval.star"),
    Binding("escape", "back", N_("Back"), id="retrieval.back"),
]

MEMOS: list[BindingType] = [
    Binding("t", "cycle_kind", N_("Type"), id="memos.kind"),
    Binding("c", "cycle_coder", N_("Coder"), id="memos.coder"),
    Binding("k", "choose_code", N_("Code"), id="memos.code"),
    Binding("escape", "back", N_("Back"), id="memos.back"),
]

SATURATION: list[BindingType] = [
    Binding("escape", "back", N_("Back"), id="saturation.back"),
]

AGREEMENT: list[BindingType] = [
    Binding("enter", "jump", N_("Go to passage"), id="agreement.jump"),
    Binding("c", "consensus", N_("Consensus…"), id="agreement.consensus"),
    Binding("ctrl+z", "undo_consensus", N_("Undo consensus"), id="agreement.undo"),
    Binding("ctrl+y", "redo_consensus", N_("Redo consensus"), show=False, id="agreement.redo"),
    Binding("u", "cycle_unit", N_("Unit"), id="agreement.unit"),
    Binding("r", "refresh", N_("Recompute"), id="agreement.refresh"),
    Binding("escape", "back", N_("Back"), id="agreement.back"),
]

STATISTICS: list[BindingType] = [
    Binding("u", "cycle_unit", N_("Unit"), id="statistics.unit"),
    Binding("m", "cycle_measure", N_("Measure"), id="statistics.measure"),
    Binding("g", "cycle_grouping", N_("Group by"), id="statistics.group"),
    Binding("x", "export", N_("Export xlsx"), id="statistics.export"),
    Binding("escape", "back", N_("Back"), id="statistics.back"),
]

SEARCH: list[BindingType] = [
    Binding("ctrl+k", "code_hit", N_("Code the sentence…"), id="search.code"),
    Binding("escape", "back", N_("Back"), id="search.back"),
]

CONSENSUS_DIALOG: list[BindingType] = [
    Binding("ctrl+s", "save", N_("Record"), id="consensus.save"),
    Binding("delete", "clear", N_("Clear"), id="consensus.clear"),
    Binding("escape", "cancel", N_("Cancel"), id="consensus.cancel"),
]

DIALOG: list[BindingType] = [
    Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"),
]

FORM_DIALOG: list[BindingType] = [
    Binding("ctrl+s", "save", N_("Save"), id="form.save"),
    Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
]

MEMO_DIALOG: list[BindingType] = [
    Binding("ctrl+s", "save", N_("Save"), id="memo.save"),
    Binding("escape", "cancel", N_("Cancel"), id="memo.cancel"),
]


# The transcript view's own keys (reading and selecting), taken by TranscriptView.
TRANSCRIPT_VIEW: list[BindingType] = [
    Binding("down", "next_sentence", N_("Next sentence"), show=False, id="view.next_sentence"),
    Binding("up", "previous_sentence", N_("Previous sentence"), show=False, id="view.previous_sentence"),
    Binding("ctrl+down,right_square_bracket", "next_turn", N_("Next turn"), show=False, id="view.next_turn"),
    Binding("ctrl+up,left_square_bracket", "previous_turn", N_("Previous turn"), show=False, id="view.previous_turn"),
    Binding(
        "shift+down",
        "extend_sentence_forward",
        N_("Extend by sentence"),
        show=False,
        id="view.extend_sentence_forward",
    ),
    Binding(
        "shift+up",
        "extend_sentence_backward",
        N_("Extend back by sentence"),
        show=False,
        id="view.extend_sentence_backward",
    ),
    Binding(
        "ctrl+shift+down,right_curly_bracket",
        "extend_turn_forward",
        N_("Extend by turn"),
        show=False,
        id="view.extend_turn_forward",
    ),
    Binding(
        "ctrl+shift+up,left_curly_bracket",
        "extend_turn_backward",
        N_("Extend back by turn"),
        show=False,
        id="view.extend_turn_backward",
    ),
    Binding(
        "shift+right",
        "extend_char_forward",
        N_("Extend by character"),
        show=False,
        id="view.extend_char_forward",
    ),
    Binding(
        "shift+left",
        "extend_char_backward",
        N_("Extend back by character"),
        show=False,
        id="view.extend_char_backward",
    ),
    Binding("right", "cursor_right", N_("Caret right"), show=False, id="view.cursor_right"),
    Binding("left", "cursor_left", N_("Caret left"), show=False, id="view.cursor_left"),
    Binding("ctrl+a", "select_turn", N_("Select turn"), show=False, id="view.select_turn"),
    Binding("full_stop", "next_highlight", N_("Next coding"), id="view.next_highlight"),
    Binding("comma", "previous_highlight", N_("Previous coding"), show=False, id="view.previous_highlight"),
    Binding("semicolon", "next_uncoded_turn", N_("Next uncoded turn"), id="view.next_uncoded_turn"),
    Binding("pagedown", "caret_page_down", N_("Page down"), show=False, id="view.page_down"),
    Binding("pageup", "caret_page_up", N_("Page up"), show=False, id="view.page_up"),
    Binding("home,ctrl+home", "caret_top", N_("Top"), show=False, id="view.top"),
    Binding("end,ctrl+end", "caret_bottom", N_("Bottom"), show=False, id="view.bottom"),
]


@dataclass(frozen=True)
class Section:
    title: str
    bindings: list[BindingType]  # the type screens' BINDINGS have; every one here is a Binding

    @property
    def entries(self) -> list[Binding]:
        return [b for b in self.bindings if isinstance(b, Binding)]


def registry() -> list[Section]:
    """Every binding by where it applies, in the order the help screen shows them."""
    return [
        Section(N_("Everywhere"), APP),
        Section(N_("Transcripts"), TRANSCRIPTS),
        Section(N_("Persons (p on the transcripts screen)"), PERSONS),
        Section(N_("Coding screen"), CODING),
        Section(N_("Reading and selecting (transcript view)"), TRANSCRIPT_VIEW),
        Section(N_("Codebook pane"), CODEBOOK_PANE),
        Section(N_("Codebook browser"), CODEBOOK_SCREEN),
        Section(N_("Passages of a code (Enter in the codebook)"), RETRIEVAL),
        Section(N_("Memos (F6)"), MEMOS),
        Section(N_("Saturation (F7)"), SATURATION),
        Section(N_("Agreement"), AGREEMENT),
        Section(N_("Consensus"), CONSENSUS_DIALOG),
        Section(N_("Statistics"), STATISTICS),
        Section(N_("Search"), SEARCH),
        Section(N_("Memo editor"), MEMO_DIALOG),
        Section(N_("Code form"), FORM_DIALOG),
        Section(N_("Dialogs"), DIALOG),
    ]


def binding_ids() -> set[str]:
    return {b.id for section in registry() for b in section.entries if b.id}
