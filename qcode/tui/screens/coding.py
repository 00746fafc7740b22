"""The coding screen: read a transcript, select passages, apply codes by hotkey or picker, memo, undo.

Keys: letters and digits type code hotkeys (`s1` applies the code whose key is s1) — nothing else is
bound to them here; everything else is in `qcode.tui.bindings.CODING` and the transcript view's own
bindings. Every change is committed to the database before the screen shows it.

Blind by default: the coder sees only their own codings. Ctrl+O shows the other coders' codings as
well, underlined and marked by coder in the gutter, read-only.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Static

from qcode.domain.models import Coding, Span
from qcode.errors import QcodeError
from qcode.i18n import N_, _
from qcode.project.project import Project
from qcode.project.workspace import TranscriptDocument, Workspace
from qcode.text.suggest import Suggestion
from qcode.tui import bindings
from qcode.tui.transcript_model import Highlight, Turn
from qcode.tui.widgets.codebook_tree import CodebookTree
from qcode.tui.widgets.footer import Footer
from qcode.tui.widgets.transcript_view import TranscriptView

HOTKEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class CodingScreen(Screen[None]):
    """One transcript, one coder."""

    BINDINGS = bindings.CODING

    def __init__(self, workspace: Workspace, document: TranscriptDocument, *, focus: Span | None = None,
                 show_others: bool = False) -> None:
        super().__init__()
        self.initial_span = focus
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
        self.suggestions: dict[str, Suggestion] | None = None  # None: not shown
        self.rejected: set[tuple[str, int, int]] = set()  # (code, start, end) the coder rejected

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        turns = [Turn(u.label_start if u.label_start is not None else u.start,
                      u.label_end if u.label_end is not None else u.start, u.start, u.end, u.speaker or "")
                 for u in self.document.turns]
        yield Static(id="coding-status")
        with Horizontal(id="coding-body"):
            yield TranscriptView(self.document.text, turns, self.document.sentences, self._highlights(),
                                 ambiguous_wide=self.app.user_config.ambiguous_wide,  # type: ignore[attr-defined]
                                 id="transcript")
            with Vertical(id="sidebar"):
                yield Static(_("Codebook [dim]· hotkey or Enter[/dim]"), classes="pane-title")
                yield CodebookTree(self.codebook, id="codebook-pane")
                yield Static(_("Here"), classes="pane-title")
                yield Static(id="coding-info")
        yield Footer()

    def on_mount(self) -> None:
        self.view.focus()
        if self.initial_span is not None:
            self.view.select(self.initial_span, scroll=False)
            self.view.scroll_to_offset(self.initial_span.start, center=True)
        self._refresh_counts()
        self._refresh_status()
        self._refresh_info()

    @property
    def view(self) -> TranscriptView:
        return self.query_one("#transcript", TranscriptView)

    @property
    def tree(self) -> CodebookTree:
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
        """A code as a reader sees it: its name, with the id in brackets."""
        return f"{self.codebook.display_name(code_id)} [{code_id}]" if code_id in self.codebook else code_id

    def _mine(self) -> list[Coding]:
        return [c for c in self.codings.values() if c.coder == self.workspace.coder]

    def _refresh_counts(self) -> None:
        counts: dict[str, int] = {}
        for coding in self._mine():
            counts[coding.code] = counts.get(coding.code, 0) + 1
        self.tree.set_counts(counts)

    def _refresh_status(self) -> None:
        mine = len(self._mine())
        others = _("all coders (others read-only)") if self.show_others else _("blind: your codings only")
        if self.suggestions is not None:
            others += _(" · {count} suggestions (^N next, ^K accept, ^X reject)").format(count=len(self.suggestions))
        state = "[green]" + _("✓ complete") + "[/green]" if self.complete else _("in progress")
        typed = _(" · [reverse] code: {typed}… [/reverse]").format(typed=self.typed) if self.typed else ""
        self.query_one("#coding-status", Static).update(
            f"[b]{self.info.name}[/b] · {self.workspace.coder} · " + _("✎ {count} codings").format(count=mine)
            + f" · {state} · {others}{typed}",
            layout=False,  # fixed-size panes: a repaint is enough, no screen layout per key press
        )

    def _refresh_info(self) -> None:
        span = self.view.selection
        where = span.start if span.end > span.start else self.view.head
        lines = []
        for highlight in self.view.highlights_at(where):
            suggestion = (self.suggestions or {}).get(highlight.key)
            if suggestion is not None:
                lines.append(f"[{self.codebook.color_of(suggestion.code)}]?[/] [i]{_('suggested')}[/i] "
                             f"{self.codebook.display_name(suggestion.code) if suggestion.code in self.codebook else suggestion.code}"
                             f" [dim]({suggestion.strength}: {suggestion.keyword})[/dim]")
                continue
            coding = self.codings.get(highlight.key)
            if coding is None:
                continue
            name = self.codebook.display_name(coding.code) if coding.code in self.codebook else coding.code
            who = "" if coding.coder == self.workspace.coder else f" [dim]({coding.coder})[/dim]"
            lines.append(f"[{self.codebook.color_of(coding.code)}]■[/] {name}{who} [dim]{coding.start}–{coding.end}[/dim]")
            if coding.memo:
                lines.append(f"  [i]{coding.memo.splitlines()[0][:80]}[/i]")
        selected = _("selection {start}–{end} ({count} characters)").format(
            start=span.start, end=span.end, count=span.end - span.start) if span.end > span.start \
            else _("caret at {position}").format(position=self.view.head)
        if self.transcript_memo:
            lines.append("[dim]" + _("Transcript memo:") + f"[/dim] {self.transcript_memo.splitlines()[0][:80]}")
        self.query_one("#coding-info", Static).update("\n".join([f"[dim]{selected}[/dim]", *lines]), layout=False)

    @on(TranscriptView.SelectionChanged)
    def _selection_changed(self, event: TranscriptView.SelectionChanged) -> None:
        self._refresh_info()

    # -- hotkeys -----------------------------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        character = (event.character or "").lower()
        if character not in HOTKEY_CHARACTERS or event.key.startswith(("ctrl+", "alt+")):
            return
        event.stop()
        event.prevent_default()
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

    # -- actions -----------------------------------------------------------------------------------

    def apply_code(self, code_id: str) -> None:
        """Apply a code to the selection (or the sentence at the caret); shown only once stored."""
        span = self.view.target_span()
        if span.end <= span.start:
            self.notify(_("Nothing selected: move to a sentence or select text first"), severity="warning")
            return
        try:
            coding = self.workspace.session.apply(self.info, code_id, span.start, span.end)
        except QcodeError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        if coding.guid in self.codings:
            self.notify(_("{code} is already applied here").format(code=self._named(code_id)), timeout=2)
            return
        self.codings[coding.guid] = coding
        self.view.add_highlight(self._highlight(coding))
        self.tree.set_counts({**self.tree.counts, code_id: self.tree.counts.get(code_id, 0) + 1})
        self._refresh_status()
        self._refresh_info()

    def action_pick(self) -> None:
        from qcode.tui.dialogs.picker import CodePicker

        self.typed = ""
        self.app.push_screen(CodePicker(self.app.code_matcher(), self.codebook),  # type: ignore[attr-defined]
                             lambda code: code and self.apply_code(code))

    def _own_codings_here(self) -> list[Coding]:
        """The coder's codings the next remove/memo refers to: those matching the selection exactly,
        else those under the caret (innermost first)."""
        span = self.view.selection
        mine = [self.codings[h.key] for h in self.view.highlights_at(span.start if span.end > span.start else self.view.head)
                if h.key in self.codings and self.codings[h.key].coder == self.workspace.coder]
        exact = [c for c in mine if c.start == span.start and c.end == span.end]
        return exact or sorted(mine, key=lambda c: c.end - c.start)

    def _choose_coding(self, purpose: str, then) -> None:
        candidates = self._own_codings_here()
        if not candidates:
            self.notify(_("None of your codings is at the caret to {purpose}").format(purpose=_(purpose)),
                        severity="warning")
            return
        if len(candidates) == 1:
            then(candidates[0])
            return
        from qcode.tui.dialogs.choice import ChoiceDialog

        options = [(c.guid, f"{self.codebook.display_name(c.code) if c.code in self.codebook else c.code}  "
                            f"[dim]{c.code} · {c.start}–{c.end}[/dim]") for c in candidates]
        self.app.push_screen(ChoiceDialog(_("Which coding to {purpose}?").format(purpose=_(purpose)), options),
                             lambda guid: guid and then(self.codings[guid]))

    def action_remove(self) -> None:
        self._choose_coding(N_("remove"), self._remove)

    def _remove(self, coding: Coding) -> None:
        try:
            self.workspace.session.remove(coding.guid)
        except QcodeError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        del self.codings[coding.guid]
        self.view.remove_highlight(coding.guid)
        self._refresh_counts()
        self._refresh_status()
        self._refresh_info()

    def action_memo(self) -> None:
        if not self._own_codings_here():
            self.action_transcript_memo()
            return
        self._choose_coding(N_("write a memo on"), self._edit_coding_memo)

    def _edit_coding_memo(self, coding: Coding) -> None:
        from qcode.tui.dialogs.memo import MemoDialog

        title = _("Memo on {code} at {start}–{end}").format(code=coding.code, start=coding.start, end=coding.end)
        excerpt = self.document.text[coding.start:coding.end]

        def save(text: str | None) -> None:
            if text is None:
                return
            updated = self.workspace.session.set_coding_memo(coding.guid, text)
            self.codings[coding.guid] = updated
            self._refresh_info()
            self.notify(_("Memo saved"), timeout=2)

        self.app.push_screen(MemoDialog(title, coding.memo, context=excerpt), save)

    def action_transcript_memo(self) -> None:
        from qcode.tui.dialogs.memo import MemoDialog

        current = self.transcript_memo

        def save(text: str | None) -> None:
            if text is None:
                return
            self.workspace.session.set_memo("transcript", self.info.guid, text)
            self.transcript_memo = text if text.strip() else ""
            self._refresh_info()
            self.notify(_("Transcript memo saved"), timeout=2)

        self.app.push_screen(MemoDialog(_("Memo on transcript {name}").format(name=self.info.name), current), save)

    def action_undo(self) -> None:
        self._replay(self.workspace.session.undo, _("Nothing to undo"))

    def action_redo(self) -> None:
        self._replay(self.workspace.session.redo, _("Nothing to redo"))

    def _replay(self, step, nothing: str) -> None:
        try:
            change = step()
        except QcodeError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        if change is None:
            self.notify(nothing, timeout=2)
            return
        self.reload_codings()
        self.complete = self.workspace.session.is_complete(self.info)
        self.transcript_memo = self.workspace.session.memo("transcript", self.info.guid)
        if change.focus is not None and change.focus.transcript == self.info.name:
            self.view.select(Span(change.focus.start, change.focus.end))
        self._refresh_status()
        self.notify(change.description, timeout=3)

    def reload_codings(self) -> None:
        self.codings = {c.guid: c for c in self.workspace.codings(self.info)}
        self.view.set_highlights(self._highlights())
        self._refresh_counts()
        self._refresh_info()

    def action_complete(self) -> None:
        self.complete = not self.complete
        self.workspace.session.set_complete(self.info, self.complete)
        self._refresh_status()
        message = (_("{transcript} marked complete for {coder}") if self.complete
                   else _("{transcript} marked in progress for {coder}"))
        self.notify(message.format(transcript=self.info.name, coder=self.workspace.coder), timeout=3)

    def action_toggle_others(self) -> None:
        self.show_others = not self.show_others
        self.codings = {c.guid: c for c in self.workspace.codings(self.info)}
        self.view.set_highlights(self._highlights())
        self._refresh_status()
        others = sorted({c.coder for c in self.codings.values()} - {self.workspace.coder})
        if self.show_others:
            self.notify(_("Showing codings of {coders} (read-only)").format(
                coders=", ".join(others) or _("no other coder")), timeout=3)

    def action_focus_codebook(self) -> None:
        self.tree.focus()

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display

    def action_search(self) -> None:
        self.app.action_search()  # type: ignore[attr-defined]

    def action_back(self) -> None:
        if self.typed:
            self.typed = ""
            self._refresh_status()
            return
        from qcode.tui.screens.transcripts import TranscriptsScreen

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
        app = self.app
        if getattr(app, "word_index_error", None):
            self.notify(_("No suggestions: {error}").format(error=app.word_index_error), severity="error")
            return
        if not getattr(app, "word_index_ready", False):
            done, total = getattr(app, "word_index", None) or (0, 0)
            self.notify(_("The word index is still being built ({done}/{total}); try again in a moment").format(
                done=done, total=total), severity="warning")
            return
        self.load_suggestions()

    @work(thread=True, exclusive=True, group="suggestions")
    def load_suggestions(self) -> None:
        from qcode.project.wordtools import suggestions_for

        try:
            with Project.open(self.workspace.project.root) as project:
                found = suggestions_for(project.store, self.info.id, unit="sentence", coder=self.workspace.coder)
        except QcodeError as exc:
            self.app.call_from_thread(self.app.report, exc)  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self._show_suggestions, found)

    def _show_suggestions(self, found: list[Suggestion]) -> None:
        self.suggestions = {
            f"suggestion:{s.code}:{s.start}:{s.end}": s for s in found if (s.code, s.start, s.end) not in self.rejected
        }
        self.view.set_highlights(self._highlights())
        self._refresh_status()
        self.notify(_("{count} keyword suggestion(s); nothing is applied until you accept it").format(
            count=len(self.suggestions)), timeout=4)

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
        here = self._suggestions_here()
        if not here:
            self.notify(_("No suggestion at the caret to {purpose} (Ctrl+N goes to the next one)").format(
                purpose=_(purpose)), timeout=3)
            return
        if len(here) == 1:
            then(*here[0])
            return
        from qcode.tui.dialogs.choice import ChoiceDialog

        options = [(key, f"{self.codebook.display_name(s.code)}  [dim]{s.code} · {s.strength} · {s.keyword}[/dim]")
                   for key, s in here]
        self.app.push_screen(ChoiceDialog(_("Which suggestion to {purpose}?").format(purpose=_(purpose)), options),
                             lambda key: key and then(key, self.suggestions[key]))

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
        edit_code_memo(self.app, self.workspace, event.code_id)


def edit_code_memo(app, workspace: Workspace, code_id: str) -> None:
    """Open the memo editor on this coder's memo about a code (used here and in the codebook browser)."""
    from qcode.tui.dialogs.memo import MemoDialog

    codebook = workspace.codebook
    current = workspace.session.memo("code", code_id)

    def save(text: str | None) -> None:
        if text is not None:
            workspace.session.set_memo("code", code_id, text)
            app.notify(_("Memo on {code} saved").format(code=code_id), timeout=2)

    definition = codebook[code_id].definition.get("zh") if code_id in codebook else ""
    app.push_screen(MemoDialog(_("Memo on code {code} · {name}").format(code=code_id, name=codebook.display_name(code_id)),
                               current,
                               context=definition), save)
