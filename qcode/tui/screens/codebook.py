"""The codebook screen (F2): the tree, the highlighted code's definition, rules, examples, keywords,
relations and your memo, and every change to the codebook by keyboard.

n new code · r rename · e edit fields · m move · g merge into · d delete · [ / ] reorder ·
l link (relation) · Enter the code's passages (retrieval, recode, split) · Ctrl+Z / Ctrl+Y undo / redo.
Each change is one journalled, undoable step, written back into the project's YAML codebook.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Static, Tree

from qcode.domain.relations import relation_type_label
from qcode.i18n import _, counted, current_language
from qcode.workspace import Workspace
from qcode.tui import bindings
from qcode.tui.codebook_changes import Editors, submit_change
from qcode.tui.dialogs.choice import ChoiceDialog, when_chosen
from qcode.tui.dialogs.form import FormDialog
from qcode.tui.dialogs.memo import MemoDialog
from qcode.tui.dialogs.picker import parent_from_option, parent_options
from qcode.tui.screen_base import QcodeScreen
from qcode.tui.screens.coding import edit_code_memo
from qcode.tui.screens.retrieval import RetrievalScreen
from qcode.tui.widgets.codebook_tree import BrowserCodebookTree, CodebookTree
from qcode.tui.widgets.footer import Footer
from qcode.tui.shown import visible_text


class CodebookScreen(QcodeScreen[None]):
    BINDINGS = bindings.CODEBOOK_SCREEN

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.codebook = workspace.codebook

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield BrowserCodebookTree(self.codebook, id="codebook-tree")
            with VerticalScroll(id="code-details"):
                yield Static(id="code-text")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(CodebookTree)
        tree.focus()
        tree.cursor_line = 0
        first = next(iter(self.codebook), None)
        if first is not None:
            self.show(first.id)

    @property
    def tree(self) -> CodebookTree:  # type: ignore[override]  # DOMNode.tree is a debugging view nothing here uses; tests use this name
        return self.query_one(CodebookTree)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data:
            self.show(event.node.data)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected) -> None:
        event.stop()  # Enter opens the code's passages; codes are applied on the coding screen
        if event.node.data:
            self.open_passages(event.node.data)

    def show(self, code_id: str) -> None:
        book = self.codebook
        if code_id not in book:
            return
        code = book[code_id]
        text = Text()
        text.append("■ ", style=book.color_of(code_id))
        text.append(book.display_name(code_id, "zh") + "\n", style="bold")
        if "en" in code.name.languages:
            text.append(code.name.get("en") + "\n")
        details = code_id + (_("  · hotkey {key}").format(key=code.key) if code.key else "")
        details += "" if code.codable else _("  · group (organises codes, cannot be applied)")
        count = self.workspace.coding_counts().get(code_id, 0)
        text.append(details + counted(count, "  · {count} coding", "  · {count} codings") + "\n\n", style="dim")
        for label, value in ((_("Definition"), code.definition), (_("Use when"), code.include),
                             (_("Do not use when"), code.exclude), (_("About"), code.description)):
            if value:
                text.append(label + "\n", style="bold")
                for lang in value.languages or ("",):
                    text.append((value.get(lang) if lang else str(value)) + "\n")
                text.append("\n")
        if code.examples:
            text.append(_("Examples") + "\n", style="bold")
            for example in code.examples:
                for lang in example.languages or ("",):
                    text.append(f"  “{example.get(lang) if lang else str(example)}”\n")
            text.append("\n")
        if code.keywords:
            text.append(_("Keywords") + "  ", style="bold")
            text.append("、".join(code.keywords) + "\n\n")
        relations = self.workspace.relations_touching(code_id)
        if relations:
            text.append(_("Relations") + "\n", style="bold")
            for relation in relations:
                ends = [book.display_name(c) if c in book else c for c in (relation.source, relation.target)]
                text.append(f"  {ends[0]} —{relation_type_label(relation.type, current_language())}→ {ends[1]}")
                text.append(f"  {relation.memo.splitlines()[0][:60]}\n" if relation.memo else "\n", style="dim")
            text.append("\n")
        text.append(_("Your memo"), style="bold")
        text.append("  (Ctrl+E)\n", style="dim")
        text.append(self.workspace.session.memo("code", code_id) or "—")
        text.append("\n\n" + _("n new · r rename · e edit · m move · g merge · d delete · [ ] order · l link · "
                               "Enter passages"), style="dim")
        self.query_one("#code-text", Static).update(visible_text(text))

    def reload_codebook(self) -> None:
        """Show the workspace's codebook after a change."""
        self.codebook = self.workspace.codebook
        self.tree.rebuild(self.codebook)
        code_id = self.tree.highlighted_code()
        if code_id:
            self.show(code_id)

    # -- changes -----------------------------------------------------------------------------------

    def _current(self) -> str | None:
        code_id = self.tree.highlighted_code()
        if code_id is None:
            self.notify(_("Highlight a code first"), severity="warning")
        return code_id

    def _change(self, step: Callable[[Editors], object], focus: str | None = None) -> None:
        """Store one codebook change through the write queue; a refusal is reported, a success shown."""

        def changed(result: object) -> None:
            code_id = focus or getattr(result, "code_id", None)
            if code_id and code_id in self.tree.nodes:
                self.call_after_refresh(self.tree.move_to, code_id)
            message = getattr(result, "message", None) or getattr(result, "description", "")
            if message:
                self.notify(message[0].upper() + message[1:], timeout=3)

        submit_change(self.qapp, step, changed)

    def action_new_code(self) -> None:
        here = self.tree.highlighted_code()

        def named(values: dict[str, str] | None) -> None:
            if not values or not values["name"].strip():
                return
            self.app.push_screen(ChoiceDialog(_("Put it under"), parent_options(self.codebook, first=here)),
                                 when_chosen(lambda choice: self._change(
                                     lambda edit: edit.codebook.add(values["id"] or None, values["name"],
                                                                       parent=parent_from_option(choice),
                                                                       name_en=values["name_en"]))))

        self.app.push_screen(FormDialog(_("New code"), [("name", _("Name (中文)"), ""), ("name_en", _("English name"), ""),
                                                        ("id", _("Id (empty: a new C-xxxxxx)"), "")]), named)

    def action_rename(self) -> None:
        self._edit_fields(["name", "name_en"], _("Rename {code}"))

    def action_edit(self) -> None:
        self._edit_fields(["name", "name_en", "definition", "include", "exclude", "examples", "keywords", "key",
                           "color"], _("Edit {code}"))

    def _edit_fields(self, names: list[str], title: str) -> None:
        code_id = self._current()
        if code_id is None:
            return
        code = self.codebook[code_id]
        current = {
            "name": code.name.get("zh"), "name_en": code.name.get("en") if "en" in code.name.languages else "",
            "definition": code.definition.get("zh"), "include": code.include.get("zh"),
            "exclude": code.exclude.get("zh"), "examples": " | ".join(e.get("zh") for e in code.examples),
            "keywords": "、".join(code.keywords), "key": code.key or "", "color": code.color or "",
        }
        labels = {"name": _("Name (中文)"), "name_en": _("English name"), "definition": _("Definition"),
                  "include": _("Use when"), "exclude": _("Do not use when"), "examples": _("Examples (separated by |)"),
                  "keywords": _("Keywords (separated by 、 or ,)"), "key": _("Hotkey"), "color": _("Colour #rrggbb")}

        def save(values: dict[str, str] | None) -> None:
            if values is None:
                return
            typed = {k: v for k, v in values.items() if v != current[k]}
            if not typed:
                return
            changed: dict[str, str | list[str]] = dict(typed)
            if "examples" in typed:
                changed["examples"] = typed["examples"].split("|")
            if "keywords" in typed:
                changed["keywords"] = typed["keywords"].replace("，", ",").replace("、", ",").split(",")
            self._change(lambda edit: edit.codebook.edit(code_id, **changed), code_id)

        self.app.push_screen(FormDialog(title.format(code=code_id), [(n, labels[n], current[n]) for n in names]), save)

    def action_move(self) -> None:
        code_id = self._current()
        if code_id is None:
            return
        options = [o for o in parent_options(self.codebook) if o[0] not in self.codebook.subtree(code_id)]
        self.app.push_screen(ChoiceDialog(_("Move {name} under").format(name=self.codebook.display_name(code_id)), options),
                             when_chosen(lambda choice: self._change(
                                 lambda edit: edit.codebook.move(code_id, parent_from_option(choice)), code_id)))

    def action_merge(self) -> None:
        code_id = self._current()
        if code_id is None:
            return
        options = [(c.id, f"{'  ' * self.codebook.depth(c.id)}{self.codebook.display_name(c.id)} [dim]{c.id}[/dim]")
                   for c in self.codebook if c.id not in self.codebook.subtree(code_id)]
        self.app.push_screen(ChoiceDialog(_("Merge {name} into").format(name=self.codebook.display_name(code_id)), options),
                             when_chosen(lambda into: self._change(lambda edit: edit.codebook.merge(code_id, into))))

    def action_delete(self) -> None:
        code_id = self._current()
        if code_id is None:
            return
        self.app.push_screen(ChoiceDialog(_("Delete {code} {name}?").format(code=code_id,
                                                                            name=self.codebook.display_name(code_id)),
                                          [("yes", _("Delete it (refused if it has codings or relations)")),
                                           ("no", _("Keep it"))]),
                             when_chosen(lambda answer: self._change(lambda edit: edit.codebook.delete(code_id))
                                         if answer == "yes" else None))

    def action_reorder(self, offset: int) -> None:
        code_id = self._current()
        if code_id is not None:
            self._change(lambda edit: edit.codebook.reorder(code_id, offset), code_id)

    def action_link(self) -> None:
        source = self._current()
        if source is None:
            return
        targets = [(c.id, f"{'  ' * self.codebook.depth(c.id)}{self.codebook.display_name(c.id)} [dim]{c.id}[/dim]")
                   for c in self.codebook if c.id != source]
        types = [(t, f"{t}  [dim]{relation_type_label(t, 'en')}[/dim]") for t in self.workspace.relations.types]

        def with_target(target: str | None) -> None:
            if target is None:
                return

            def with_type(type_: str | None) -> None:
                if type_ is None:
                    return
                self.app.push_screen(MemoDialog(_("Memo on {source} —{type}→ {target}").format(source=source, type=type_, target=target)),
                                     when_chosen(lambda memo: self._change(
                                         lambda edit: _Done(_("linked {source} —{type}→ {target}").format(source=source, type=type_, target=target),
                                                            edit.relations.link(source, target, type_, memo)),
                                         source)))

            self.app.push_screen(ChoiceDialog(_("Relation type"), types), with_type)

        self.app.push_screen(ChoiceDialog(_("Link {name} to").format(name=self.codebook.display_name(source)), targets), with_target)

    def action_undo(self) -> None:
        self._change(lambda edit: edit.session.undo() or _Done(_("nothing to undo")))

    def action_redo(self) -> None:
        self._change(lambda edit: edit.session.redo() or _Done(_("nothing to redo")))

    def open_passages(self, code_id: str) -> None:
        self.app.push_screen(RetrievalScreen(self.workspace, code_id))

    # -- memo and leaving --------------------------------------------------------------------------

    @on(CodebookTree.MemoRequested)
    def _memo_from_tree(self, event: CodebookTree.MemoRequested) -> None:
        self._edit(event.code_id)

    def action_code_memo(self) -> None:
        code_id = self.query_one(CodebookTree).highlighted_code()
        if code_id:
            self._edit(code_id)

    def _edit(self, code_id: str) -> None:
        edit_code_memo(self, self.workspace, code_id)
        self.call_after_refresh(self.show, code_id)

    @on(CodebookTree.Leave)
    def _leave(self) -> None:
        self.app.pop_screen()

    async def action_dismiss(self, result: None = None) -> None:
        self.app.pop_screen()


class _Done:
    """A change's message when the step itself returns none (links, nothing to undo)."""

    def __init__(self, message: str, _result: object = None) -> None:
        self.message = message
        self.code_id = None
