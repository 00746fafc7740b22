"""The coding screen: read a transcript, select passages, apply codes by hotkey or picker, memo, undo.

Keys: letters and digits type code hotkeys (`s1` applies the code whose key is s1) — nothing else is
bound to them here; everything else is in `qcode.tui.bindings.CODING` and the transcript view's own
bindings. The app hands hotkeys to `type_hotkey` where it runs key bindings, so hotkeys and movement
keep the order they were typed in. Every change goes through the app's write queue (in order, retried
while another process holds the database) and is shown once it is committed.

Blind by default: the coder sees only their own codings. Ctrl+O shows the other coders' codings as
well, underlined and marked by coder in the gutter, read-only. Before the coder has completed the
transcript that asks for confirmation, since the coding is then no longer independent; every reveal
is recorded (`reveals`, journalled) so that `qcode agree` can name the transcripts concerned.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.events import Key
from textual.widgets import Static

from qcode.domain.models import Coding, Span
from qcode.i18n import N_, _, counted, current_language
from qcode.workspace import TranscriptDocument, Workspace
from qcode.tui import bindings
from qcode.tui.codebook_changes import submit_change
from qcode.tui.messages import WordIndexChanged, WordIndexState, WorkDone
from qcode.tui.screen_base import QcodeAppAPI, QcodeScreen
from qcode.tui.shown import name_markup, visible_name
from qcode.tui.transcript_model import Highlight, TurnTable
from qcode.tui.widgets.codebook_tree import CodebookTree
from qcode.tui.widgets.footer import Footer
from qcode.tui.widgets.pane_text import PaneText
from qcode.tui.widgets.transcript_view import TranscriptView
from qcode.tui.workers import Progress, run_job
from qcode.tui.write_queue import Job

if TYPE_CHECKING:
    from qcode.text.suggest import Suggestion

HOTKEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class CodingScreen(QcodeScreen[None]):
    """One transcript, one coder."""

    BINDINGS = bindings.CODING

    class SuggestionsFound(WorkDone["list[Suggestion]"]):
        """The keyword suggestions for this transcript are ready."""

    def __init__(self, workspace: Workspace, document: TranscriptDocument, *, focus: Span | None = None,
                 show_others: bool = False) -> None:
        super().__init__()
        self.initial_span = focus
        self.wants_others = show_others  # granted on mount, through the same confirmation as Ctrl+O
        show_others = False
        self.workspace = workspace
        self.codebook = workspace.codebook
        self.document = document
        self.info = document.info
        self.show_others = show_others
        self.hotkeys = self.codebook.by_key()
        self.hotkey_prefixes = {key[:i] for key in self.hotkeys for i in range(1, len(key))}
        self.typed = ""
        self.codings: dict[str, Coding] = {c.guid: c for c in document.codings}
        self.complete = workspace.session.is_complete(self.info)
        self.transcript_memo = workspace.session.memo("transcript", self.info.guid)
        self.pending = 0  # changes waiting for the database (another process is writing)
        self._saved_position: Span | None = None
        self.suggestions: dict[str, Suggestion] | None = None  # None: not shown
        self.rejected: set[tuple[str, int, int]] = set()  # (code, start, end) the coder rejected
        self.word_index = WordIndexState()  # as the app reports it
        self._shown_markup: dict[str, str] = {}  # what the status line was last given
        self._shown_content: dict[str, tuple[str, tuple[object, ...]]] = {}  # the "Here" panes: (text, spans)

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        turns = TurnTable.of_units(self.document.turns)  # columns, as stored: no object per turn
        yield Static(id="coding-status")
        with Horizontal(id="coding-body"):
            yield TranscriptView(self.document.text, turns, self.document.sentences, self._highlights(),
                                 ambiguous_wide=self.qapp.user_config.ambiguous_wide,
                                 id="transcript")
            with Vertical(id="sidebar"):
                yield Static(_("Codebook [dim]· hotkey or Enter[/dim]"), classes="pane-title")
                yield CodebookTree(self.codebook, id="codebook-pane")
                yield Static(_("Here"), classes="pane-title")
                # Where the caret is changes on every key; the codings there seldom do. Two widgets, so a
                # movement repaints one short line, not the whole list (issue 11 point 6).
                yield PaneText(id="coding-where")
                yield PaneText(id="coding-info")
        yield Footer()

    def on_mount(self) -> None:
        self.view.skipped_speakers = self.workspace.left_out_speakers(self.info)  # interviewers' turns
        self.word_index = self.qapp.word_index
        self.view.focus()
        # A passage asked for (a search hit), else where this coder stopped last time.
        where = self.initial_span or self.workspace.session.position(self.info)
        if where is not None:
            self.view.select(where, scroll=False)
            self.view.scroll_to_offset(where.start, center=True)
        self._saved_position = where
        self._refresh_counts()
        self._refresh_status()
        self._refresh_info()
        if self.wants_others:
            self.action_toggle_others()

    def on_screen_resume(self) -> None:
        """Back on top (after search, statistics, another view of this transcript): show what is stored now."""
        first, self._shown_before = not getattr(self, "_shown_before", False), True
        if first:  # just opened: the document was read a moment ago, reading it again only delays the first frame
            return
        if self.is_mounted and self.qapp.pending_writes == 0:
            self.reload_codings()
            self.complete = self.workspace.session.is_complete(self.info)
            self._refresh_status()

    def on_screen_suspend(self) -> None:
        self.remember_position()

    def on_unmount(self) -> None:
        self.remember_position()

    def remember_position(self) -> None:
        """Keep where the coder is, so the transcript reopens there (quietly: it is only a view position)."""
        try:
            span = self.view.selection
        except NoMatches:  # the view is already gone while the app shuts down
            return
        if span == self._saved_position:
            return
        self._saved_position = span
        info = self.info
        self.qapp.write(lambda workspace: workspace.session.remember_position(info, span), lambda _: None, lambda _: None)

    @property
    def view(self) -> TranscriptView:
        return self.query_one("#transcript", TranscriptView)

    @property
    def tree(self) -> CodebookTree:  # type: ignore[override]  # DOMNode.tree is a debugging view nothing here uses; tests use this name
        return self.query_one("#codebook-pane", CodebookTree)

    # -- what is shown -----------------------------------------------------------------------------

    def _highlight(self, coding: Coding) -> Highlight:
        code = self.codebook.get(coding.code)
        marker = (code.key if code and code.key else coding.code)[:2]
        color = self.codebook.color_of(coding.code) if code else "#888888"
        return Highlight(coding.guid, coding.start, coding.end, color, marker,
                         muted=coding.coder != self.workspace.coder, owner=coding.coder)

    def _highlights(self) -> list[Highlight]:
        shown = [self._highlight(c) for c in self.codings.values()
                 if self.show_others or c.coder == self.workspace.coder]
        return shown + [self._suggestion_highlight(k, s) for k, s in (self.suggestions or {}).items()]

    def _suggestion_highlight(self, key: str, suggestion: Suggestion) -> Highlight:
        code = self.codebook.get(suggestion.code)
        color = self.codebook.color_of(suggestion.code) if code else "#888888"
        return Highlight(key, suggestion.start, suggestion.end, color, (code.key if code and code.key else "?"),
                         muted=True, owner="suggestion", suggestion=suggestion.strength)

    def _named(self, code_id: str) -> str:
        """A code as a reader sees it, for markup: its name, with the id in brackets."""
        return f"{self._shown_code(code_id)} {escape(f'[{code_id}]')}" if code_id in self.codebook else name_markup(code_id)

    def _shown_code(self, code_id: str) -> str:
        """A code's name for markup (control characters shown); its id when it is not in the codebook."""
        return name_markup(self.codebook.display_name(code_id) if code_id in self.codebook else code_id)

    def _mine(self) -> list[Coding]:
        return [c for c in self.codings.values() if c.coder == self.workspace.coder]

    def _mine_count(self) -> int:
        """len(_mine()), counted again only when the codings change (not on every status line)."""
        counted = getattr(self, "_mine_counted", None)
        if counted is None or counted[0] is not self.codings or counted[1] != len(self.codings):
            counted = self._mine_counted = (self.codings, len(self.codings), len(self._mine()))
        return counted[2]

    def _refresh_counts(self) -> None:
        counts: dict[str, int] = {}
        for coding in self._mine():
            counts[coding.code] = counts.get(coding.code, 0) + 1
        self.tree.set_counts(counts)

    def _refresh_status(self) -> None:
        mine = self._mine_count()
        others = _("all coders (others read-only)") if self.show_others else _("blind: your codings only")
        if self.suggestions is not None:
            others += _(" · {count} suggestions (^N next, ^K accept, ^X reject)").format(count=len(self.suggestions))
        state = "[green]" + _("✓ complete") + "[/green]" if self.complete else _("in progress")
        typed = _(" · [reverse] code: {typed}… [/reverse]").format(typed=self.typed) if self.typed else ""
        waiting = ""
        if self.pending:
            waiting = (_("⏳ {count} change waiting for the database") if self.pending == 1
                       else _("⏳ {count} changes waiting for the database")).format(count=self.pending)
            waiting = f" · [yellow]{waiting}[/yellow]"
        count = (_("✎ {count} coding") if mine == 1 else _("✎ {count} codings")).format(count=mine)
        self._show("#coding-status",
                   f"[b]{name_markup(self.info.name)}[/b] · {name_markup(self.workspace.coder)} · {count} · {state} · {others}{typed}{waiting}")

    def _refresh_info(self) -> None:
        # Built as Content, not markup: parsing markup was most of the cost of a key that moves the caret
        # among codings, and names and keywords need no escaping this way (issue 11 point 6).
        span = self.view.selection
        where = span.start if span.end > span.start else self.view.head
        lines: list[Content] = []
        for highlight in self.view.highlights_at(where):
            suggestion = (self.suggestions or {}).get(highlight.key)
            if suggestion is not None:
                lines.append(Content.assemble(
                    ("?", self.codebook.color_of(suggestion.code)), " ", (_("suggested"), "italic"), " ",
                    self._code_text(suggestion.code), " ",
                    (visible_name(f"({suggestion.strength}: {suggestion.keyword})"), "dim")))
                continue
            coding = self.codings.get(highlight.key)
            if coding is None:
                continue
            parts: list[str | tuple[str, str]] = [("■", self.codebook.color_of(coding.code)), " ",
                                                  self._code_text(coding.code)]
            if coding.coder != self.workspace.coder:
                parts += [" ", (f"({visible_name(coding.coder)})", "dim")]
            parts += [" ", (f"{coding.start}–{coding.end}", "dim")]
            lines.append(Content.assemble(*parts))
            if coding.memo:
                lines.append(Content.assemble("  ", (visible_name(coding.memo.splitlines()[0][:80]), "italic")))
        selected = _("selection {start}–{end} ({count} characters)").format(
            start=span.start, end=span.end, count=span.end - span.start) if span.end > span.start \
            else _("caret at {position}").format(position=self.view.head)
        speaking = self._turn_note(where)
        if self.transcript_memo:
            lines.append(Content.assemble((_("Transcript memo:"), "dim"), " ",
                                          visible_name(self.transcript_memo.splitlines()[0][:80])))
        position = Content.styled(selected, "dim")
        if speaking:
            position = Content.assemble(position, "\n", (speaking, "dim"))
        self._show_in_pane("#coding-where", position)
        self._show_in_pane("#coding-info", Content("\n").join(lines))

    def _code_text(self, code_id: str) -> str:
        """A code's name as plain text (control characters shown); its id when it is not in the codebook."""
        return visible_name(self.codebook.display_name(code_id) if code_id in self.codebook else code_id)

    def _show_in_pane(self, selector: str, content: Content) -> None:
        """Show `content` in the "Here" pane `selector`, unless it already shows exactly that (no repaint).
        Only a change in the number of lines of the position pane needs a layout (the codings list has a
        fixed height; the position pane's lines never wrap)."""
        shown = (content.plain, tuple(content.spans))  # Content's own == compares the text only
        before = self._shown_content.get(selector)
        if before == shown:
            return
        self._shown_content[selector] = shown
        grows = selector == "#coding-where" and (before is None or before[0].count("\n") != content.plain.count("\n"))
        self.query_one(selector, PaneText).update(content, layout=grows)

    def _show(self, selector: str, markup: str) -> None:
        """Show `markup` in the Static `selector`, unless it already shows exactly that (no repaint then)."""
        shown = self._shown_markup
        if shown.get(selector) == markup:
            return
        shown[selector] = markup
        # A repaint is enough (no screen layout per key press): the status line has a fixed height.
        self.query_one(selector, Static).update(markup, layout=False)

    def _turn_note(self, offset: int) -> str:
        """`潘倩祺 [01:19]`: who speaks at `offset` and when in the recording, for transcripts with turn
        times (issue 13), so a passage can be found in the recording."""
        turns = self.document.turns
        if getattr(self, "_turn_starts", None) is None:  # computed once, not per keystroke
            self._turn_starts = TurnTable.of_units(turns).label_starts  # a column of C ints, not a list
        index = bisect.bisect_right(self._turn_starts, offset) - 1
        if index < 0:
            return ""
        turn = turns[index]
        if turn.time is None:  # the margin already shows who speaks; only a time is news here
            return ""
        from qcode.text.asr import format_time  # lazy: only timed transcripts need it (cold start)

        return f"{turn.speaker or '-'} [{format_time(turn.time)}]"

    @on(TranscriptView.SelectionChanged)
    def _selection_changed(self, event: TranscriptView.SelectionChanged) -> None:
        self._refresh_info()

    # -- hotkeys -----------------------------------------------------------------------------------

    def type_hotkey(self, event: Key) -> bool:
        """Take one typed key of a code hotkey (called by the app); False if it is not one."""
        character = (event.character or "").lower()
        if character not in HOTKEY_CHARACTERS or event.key.startswith(("ctrl+", "alt+")):
            return False
        typed = self.typed + character
        if typed in self.hotkeys:
            self.typed = ""
            self.apply_code(self.hotkeys[typed])
        elif typed in self.hotkey_prefixes:
            self.typed = typed
            self._refresh_status()
        else:
            self.typed = ""
            self._refresh_status()
            self.app.bell()
            self.notify(_("No code has the hotkey '{typed}' (Enter opens the picker)").format(typed=typed),
                        severity="warning", timeout=3)
        return True

    def show_pending(self, count: int) -> None:
        """The app's write queue changed length."""
        self.pending = count
        self._refresh_status()

    def _write(self, job: Job, done: Callable[[Any], None]) -> None:
        """Store a change through the app's write queue; `done(result)` runs once it is committed."""
        self.qapp.write(job, done)

    # -- actions -----------------------------------------------------------------------------------

    def apply_code(self, code_id: str) -> None:
        """Apply a code to the selection (or the sentence at the caret) as it is now; shown once stored."""
        span = self.view.target_span()
        if span.end <= span.start:
            self.notify(_("Nothing selected: move to a sentence or select text first"), severity="warning")
            self._refresh_status()
            return
        info = self.info
        self._write(lambda workspace: workspace.session.apply(info, code_id, span.start, span.end), self._applied)

    def _applied(self, coding: Coding) -> None:
        if coding.guid in self.codings:
            self._refresh_status()  # the hotkey typed is done with: clear its indicator
            self.notify(_("{code} is already applied here").format(code=self._named(coding.code)), timeout=2)
            return
        code_id = coding.code
        self.codings[coding.guid] = coding
        self.view.add_highlight(self._highlight(coding))
        self.tree.set_counts({**self.tree.counts, code_id: self.tree.counts.get(code_id, 0) + 1})
        self._refresh_status()
        self._refresh_info()

    def action_pick(self) -> None:
        from qcode.tui.dialogs.picker import CodePicker, NewCode  # lazy: loaded when first opened (cold start)

        self.typed = ""

        def chosen(code) -> None:
            if isinstance(code, NewCode):
                self.create_and_apply(code.name, code.parent)
            elif code:
                self.apply_code(code)

        self.app.push_screen(CodePicker(self.qapp.code_matcher(), self.codebook, allow_create=True), chosen)

    def action_in_vivo(self) -> None:
        """Create a code named by the selected words (editable first) and apply it (grounded theory)."""
        from qcode.tui.dialogs.choice import ChoiceDialog, when_chosen  # lazy: loaded when first opened (cold start)
        from qcode.tui.dialogs.form import FormDialog  # lazy: loaded when first opened (cold start)
        from qcode.tui.dialogs.picker import parent_from_option, parent_options  # lazy: loaded when first opened (cold start)


        span = self.view.target_span()
        if span.end <= span.start:
            self.notify(_("Select the words that name the code first"), severity="warning")
            return

        def named(values: dict[str, str] | None) -> None:
            name = self.workspace.in_vivo_name((values or {}).get("name", ""))
            if not name:
                return
            self.app.push_screen(ChoiceDialog(_("Where does «{name}» go? (its category)").format(name=name),
                                              parent_options(self.codebook)),
                                 when_chosen(lambda choice: self.create_and_apply(name, parent_from_option(choice), span)))

        self.app.push_screen(FormDialog(_("In-vivo code"), [("name", _("Name (the participant's words, ≤ 20 characters)"),
                                                            self.workspace.in_vivo_name(self.document.text[span.start:span.end]))]),
                             named)

    def create_and_apply(self, name: str, parent: str | None, span: Span | None = None) -> None:
        """Create a code and apply it to the selection in one step (one undo)."""
        span = span or self.view.target_span()
        if span.end <= span.start:
            self.notify(_("Nothing selected: move to a sentence or select text first"), severity="warning")
            return
        info, coder = self.info, self.workspace.coder

        def created(outcome) -> None:
            result, coding = outcome
            self._applied(coding)
            self.notify(result.message.capitalize(), timeout=3)

        submit_change(self.qapp, lambda edit: edit.codebook.add_and_apply(coder, info, span.start, span.end, name,
                                                                         parent=parent), created)

    def reload_codebook(self) -> None:
        """Show the workspace's codebook after a change (new code, rename, merge, undo ...)."""
        self.codebook = self.workspace.codebook
        self.hotkeys = self.codebook.by_key()
        self.hotkey_prefixes = {key[:i] for key in self.hotkeys for i in range(1, len(key))}
        self.tree.rebuild(self.codebook)
        self.reload_codings()

    def _own_codings_here(self) -> list[Coding]:
        """The coder's codings the next remove/memo refers to: those matching the selection exactly,
        else those under the caret (innermost first)."""
        span = self.view.selection
        mine = [self.codings[h.key] for h in self.view.highlights_at(span.start if span.end > span.start else self.view.head)
                if h.key in self.codings and self.codings[h.key].coder == self.workspace.coder]
        exact = [c for c in mine if c.start == span.start and c.end == span.end]
        return exact or sorted(mine, key=lambda c: c.end - c.start)

    def _choose_coding(self, purpose: str, then) -> None:
        from qcode.tui.dialogs.choice import ChoiceDialog  # lazy: loaded when first opened (cold start)

        candidates = self._own_codings_here()
        if not candidates:
            self.notify(_("None of your codings is at the caret to {purpose}").format(purpose=_(purpose)),
                        severity="warning")
            return
        if len(candidates) == 1:
            then(candidates[0])
            return
        options = [(c.guid, f"{self._shown_code(c.code)}  "
                            f"[dim]{c.code} · {c.start}–{c.end}[/dim]") for c in candidates]
        self.app.push_screen(ChoiceDialog(_("Which coding to {purpose}?").format(purpose=_(purpose)), options),
                             lambda guid: guid and then(self.codings[guid]))

    def action_remove(self) -> None:
        self._choose_coding(N_("remove"), self._remove)

    def _remove(self, coding: Coding) -> None:
        self._write(lambda workspace: workspace.session.remove(coding.guid), self._removed)

    def _removed(self, coding: Coding) -> None:
        self.codings.pop(coding.guid, None)
        self.view.remove_highlight(coding.guid)
        self._refresh_counts()
        self._refresh_status()
        self._refresh_info()
        name = self._shown_code(coding.code)
        self.notify(_("Removed {name} ({code}) at {start}–{end}; Ctrl+Z brings it back").format(
            name=name, code=coding.code, start=coding.start, end=coding.end), timeout=3)

    def action_memo(self) -> None:
        if not self._own_codings_here():
            self.action_transcript_memo()
            return
        self._choose_coding(N_("write a memo on"), self._edit_coding_memo)

    def _edit_coding_memo(self, coding: Coding) -> None:
        from qcode.tui.dialogs.memo import MemoDialog  # lazy: TextArea (and tree-sitter) load when a memo is first edited, not at TUI start-up

        title = _("Memo on {code} at {start}–{end}").format(code=coding.code, start=coding.start, end=coding.end)
        excerpt = self.document.text[coding.start:coding.end]

        def saved(updated: Coding) -> None:
            self.codings[updated.guid] = updated
            self._refresh_info()
            self.notify(_("Memo saved"), timeout=2)

        def save(text: str | None) -> None:
            if text is not None:
                self._write(lambda workspace: workspace.session.set_coding_memo(coding.guid, text), saved)

        self.app.push_screen(MemoDialog(title, coding.memo, context=excerpt), save)

    def action_transcript_memo(self) -> None:
        from qcode.tui.dialogs.memo import MemoDialog  # lazy: TextArea (and tree-sitter) load when a memo is first edited, not at TUI start-up

        current = self.transcript_memo

        def saved(text: str) -> None:
            self.transcript_memo = text if text.strip() else ""
            self._refresh_info()
            self.notify(_("Transcript memo saved"), timeout=2)

        def save(text: str | None) -> None:
            if text is not None:
                guid = self.info.guid
                def store(workspace: Workspace) -> str:
                    workspace.session.set_memo("transcript", guid, text)
                    return text

                self._write(store, saved)

        self.app.push_screen(MemoDialog(_("Memo on transcript {name}").format(name=name_markup(self.info.name)), current), save)

    def action_undo(self) -> None:
        self._write(lambda workspace: workspace.session.undo(), lambda change: self._replayed(change, _("Nothing to undo")))

    def action_redo(self) -> None:
        self._write(lambda workspace: workspace.session.redo(), lambda change: self._replayed(change, _("Nothing to redo")))

    def _replayed(self, change, nothing: str) -> None:
        if change is None:
            self.notify(nothing, timeout=2)
            return
        if change.codebook_changed:
            self.qapp.codebook_changed()
        self.reload_codings()
        self.complete = self.workspace.session.is_complete(self.info)
        self.transcript_memo = self.workspace.session.memo("transcript", self.info.guid)
        if change.focus is not None and change.focus.transcript == self.info.name:
            self.view.select(Span(change.focus.start, change.focus.end))  # and scroll to what changed
        self._refresh_status()
        self.notify(change.description, timeout=3)

    def reload_codings(self) -> None:
        self.codings = {c.guid: c for c in self.workspace.codings(self.info)}
        self.view.set_highlights(self._highlights())
        self._refresh_counts()
        self._refresh_info()

    def action_complete(self) -> None:
        info, complete = self.info, not self.complete

        def stored(_changed: bool) -> None:
            self.complete = complete
            if not complete and self.show_others:
                self._record_reveal()  # reopened while seeing the others: no longer independent from here
            self._refresh_status()
            message = (_("{transcript} marked complete for {coder}") if complete
                       else _("{transcript} marked in progress for {coder}"))
            self.notify(message.format(transcript=name_markup(info.name), coder=name_markup(self.workspace.coder)),
                        timeout=3)

        self._write(lambda workspace: workspace.session.set_complete(info, complete), stored)

    def action_toggle_others(self) -> None:
        """Show or hide the other coders' codings; showing them before completing needs a confirmation."""
        from qcode.tui.dialogs.choice import ChoiceDialog  # lazy: loaded when first opened (cold start)

        if self.show_others:
            self._set_show_others(False)
            return
        self.codings = {c.guid: c for c in self.workspace.codings(self.info)}
        others = sorted({c.coder for c in self.codings.values()} - {self.workspace.coder})
        if not others:
            self.notify(_("No other coder has coded this transcript"), timeout=3)
            return
        if self.complete:
            self._reveal(others)
            return
        question = _("You have not completed {transcript}. Seeing the codings of {coders} now means your coding of "
                     "it is no longer independent; this is recorded and agreement reports say so.").format(
            transcript=name_markup(self.info.name), coders=", ".join(map(name_markup, others)))
        self.app.push_screen(
            ChoiceDialog(question, [("blind", _("Keep coding blind")),  # first: Enter alone changes nothing
                                    ("reveal", _("Show the other coders' codings (recorded)"))]),
            lambda choice: self._reveal(others) if choice == "reveal" else None)

    def _reveal(self, others: list[str]) -> None:
        def recorded() -> None:
            self._set_show_others(True)
            self.notify(_("Showing codings of {coders} (read-only); recorded").format(coders=", ".join(map(name_markup, others))),
                        timeout=3)

        self._record_reveal(recorded)

    def _record_reveal(self, then: Callable[[], None] = lambda: None) -> None:
        """Record (journalled, through the write queue) that this coder sees the others' codings; then `then()`."""
        info = self.info
        self._write(lambda workspace: workspace.session.record_reveal(info), lambda _recorded: then())

    def _set_show_others(self, show: bool) -> None:
        self.show_others = show
        self.codings = {c.guid: c for c in self.workspace.codings(self.info)}
        self.view.set_highlights(self._highlights())
        self._refresh_status()

    def action_focus_codebook(self) -> None:
        self.tree.focus()

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display

    def action_search(self) -> None:
        self.qapp.action_search()

    def action_back(self) -> None:
        from qcode.tui.screens.transcripts import TranscriptsScreen  # lazy: loaded when first shown (cold start)

        if self.typed:
            self.typed = ""
            self._refresh_status()
            return
        self.remember_position()
        if any(isinstance(screen, TranscriptsScreen) for screen in self.app.screen_stack):
            self.app.pop_screen()
        else:  # opened straight on a transcript: the list replaces this screen
            self.app.switch_screen(TranscriptsScreen(self.workspace))

    # -- keyword suggestions -----------------------------------------------------------------------

    def action_toggle_suggestions(self) -> None:
        if self.suggestions is not None:
            self.suggestions = None
            self.view.set_highlights(self._highlights())
            self._refresh_status()
            return
        index = self.word_index
        if index.error:
            self.notify(_("No suggestions: {error}").format(error=index.error), severity="error")
            return
        if not index.ready:
            self.notify(_("The word index is still being built ({done}/{total}); try again in a moment").format(
                done=index.done, total=index.total), severity="warning")
            return
        self.load_suggestions()

    @on(WordIndexChanged)
    def _word_index_changed(self, message: WordIndexChanged) -> None:
        self.word_index = message.state

    def load_suggestions(self) -> None:
        info = self.info

        def suggest(workspace: Workspace, _progress: Progress) -> list[Suggestion]:
            return workspace.suggestions(info)

        run_job(self, self.workspace, suggest, self.SuggestionsFound, name="suggestions")

    @on(SuggestionsFound)
    def _show_suggestions(self, message: SuggestionsFound) -> None:
        found = message.result
        self.suggestions = {
            f"suggestion:{s.code}:{s.start}:{s.end}": s for s in found if (s.code, s.start, s.end) not in self.rejected
        }
        self.view.set_highlights(self._highlights())
        self._refresh_status()
        self.notify(counted(len(self.suggestions), "{count} keyword suggestion; nothing is applied until you accept it",
                            "{count} keyword suggestions; nothing is applied until you accept them"), timeout=4)

    def _suggestions_here(self) -> list[tuple[str, Suggestion]]:
        span = self.view.selection
        where = span.start if span.end > span.start else self.view.head
        return [(h.key, self.suggestions[h.key]) for h in self.view.highlights_at(where)
                if self.suggestions and h.key in self.suggestions]

    def action_next_suggestion(self) -> None:
        if not self.suggestions:
            self.notify(_("No suggestions shown (Ctrl+G shows them)"), timeout=3)
            return
        after = self.view.selection.end if self.view.selection.end > self.view.selection.start else self.view.head
        ordered = sorted(self.suggestions.values(), key=lambda s: (s.start, s.end))
        target = next((s for s in ordered if s.start >= after), ordered[0])
        self.view.select(Span(target.start, target.end))

    def _choose_suggestion(self, purpose: str, then) -> None:
        from qcode.tui.dialogs.choice import ChoiceDialog, when_chosen  # lazy: loaded when first opened (cold start)

        here = self._suggestions_here()
        if not here:
            self.notify(_("No suggestion at the caret to {purpose} (Ctrl+N goes to the next one)").format(
                purpose=_(purpose)), timeout=3)
            return
        if len(here) == 1:
            then(*here[0])
            return
        options = [(key, f"{self._shown_code(s.code)}  [dim]{s.code} · {s.strength} · {name_markup(s.keyword)}[/dim]")
                   for key, s in here]
        self.app.push_screen(ChoiceDialog(_("Which suggestion to {purpose}?").format(purpose=_(purpose)), options),
                             when_chosen(lambda key: then(key, self.suggestions[key]) if self.suggestions else None))

    def action_accept_suggestion(self) -> None:
        def accept(key: str, suggestion: Suggestion) -> None:
            self._drop_suggestion(key)
            self.view.select(Span(suggestion.start, suggestion.end), scroll=False)
            self.apply_code(suggestion.code)

        self._choose_suggestion(N_("accept"), accept)

    def action_reject_suggestion(self) -> None:
        def reject(key: str, suggestion: Suggestion) -> None:
            self.rejected.add((suggestion.code, suggestion.start, suggestion.end))
            self._drop_suggestion(key)
            self.notify(_("Rejected {code} here").format(code=self._named(suggestion.code)), timeout=2)

        self._choose_suggestion(N_("reject"), reject)

    def _drop_suggestion(self, key: str) -> None:
        if self.suggestions is not None:
            self.suggestions.pop(key, None)
        self.view.remove_highlight(key)
        self._refresh_status()
        self._refresh_info()

    # -- the codebook pane -------------------------------------------------------------------------

    @on(CodebookTree.NodeSelected)
    def _code_chosen(self, event: CodebookTree.NodeSelected) -> None:
        event.stop()
        code_id = event.node.data
        if code_id and self.codebook[code_id].codable:
            self.apply_code(code_id)
            self.view.focus()

    @on(CodebookTree.Leave)
    def _leave_codebook(self) -> None:
        self.view.focus()

    @on(CodebookTree.MemoRequested)
    def _code_memo(self, event: CodebookTree.MemoRequested) -> None:
        edit_code_memo(self, self.workspace, event.code_id)


def edit_code_memo(screen: QcodeScreen[None], workspace: Workspace, code_id: str) -> None:
    """Open the memo editor on this coder's memo about a code (used here and in the codebook browser)."""
    from qcode.tui.dialogs.memo import MemoDialog  # lazy: TextArea (and tree-sitter) load when a memo is first edited, not at TUI start-up

    codebook = workspace.codebook
    current = workspace.session.memo("code", code_id)
    app: QcodeAppAPI = screen.qapp

    def save(text: str | None) -> None:
        if text is not None:
            app.write(lambda workspace: workspace.session.set_memo("code", code_id, text),
                      lambda _stored: screen.notify(_("Memo on {code} saved").format(code=code_id), timeout=2))

    # The definition in the interface language, else in the language the codebook has.
    definition = codebook[code_id].definition.get(current_language()) if code_id in codebook else ""
    screen.app.push_screen(MemoDialog(_("Memo on code {code} · {name}").format(code=code_id, name=name_markup(codebook.display_name(code_id))),
                               current,
                               context=definition), save)
