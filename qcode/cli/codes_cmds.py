"""`qcode codes ...`: grow and reorganise the codebook while coding (grounded theory), and relate codes.

Every change is saved as a new codebook version, written back into the project's YAML codebook, and
journalled under --coder, so `qcode codes undo` (or Ctrl+Z in the coding screen) reverts it.
"""

from __future__ import annotations

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.output import emit, output_option, say, write_output
from qcode.i18n import N_, _, counted

_CODER_HELP = N_("Who makes the change (journal and undo); default: your coder name from the settings, else 'qcode'.")


def coder_option(func):
    return click.option("--coder", default=None, help=_CODER_HELP)(func)


def _actor(coder: str | None) -> str:
    if coder:
        return coder
    from qcode.userconfig import load_user_config  # lazy: --help speed

    return load_user_config().coder or "qcode"


def _editor(ctx: click.Context, project: str | None, coder: str | None):
    from qcode.project.codebook_editing import CodebookEditor  # lazy: --help speed

    proj = open_project(ctx, project)
    return proj, CodebookEditor(proj.store, _actor(coder), source="cli")


def _done(proj, message: str) -> None:
    from qcode.project.codebook_file import codebook_file  # lazy: --help speed

    say(_("{change}. Saved to {file}.").format(change=message[0].upper() + message[1:], file=codebook_file(proj.store)))


@click.group()
def codes() -> None:
    """Create, rename, move, merge, delete and relate codes (each change undoable with `codes undo`)."""


@codes.command()
@click.argument("code_id")
@click.option("--name", required=True, help="The code's (Chinese) name.")
@click.option("--name-en", default="", help="English name.")
@click.option("--parent", default=None, metavar="ID", help="Put it under this code (default: top level).")
@click.option("--group", is_flag=True, help="A group (category) that organises codes and is never applied.")
@coder_option
@project_option
@click.pass_context
def add(ctx, code_id: str, name: str, name_en: str, parent: str | None, group: bool, coder, project) -> None:
    """Create code CODE_ID (a stable id: codings store it, names can change)."""
    proj, editor = _editor(ctx, project, coder)
    _done(proj, editor.add(code_id, name, parent=parent, name_en=name_en, group=group).message)


@codes.command()
@click.argument("code_id")
@click.option("--name", default=None, help="New (Chinese) name.")
@click.option("--name-en", default=None, help="New English name ('' removes it).")
@coder_option
@project_option
@click.pass_context
def rename(ctx, code_id: str, name: str | None, name_en: str | None, coder, project) -> None:
    """Rename a code (its id and codings stay)."""
    proj, editor = _editor(ctx, project, coder)
    _done(proj, editor.rename(code_id, name, name_en).message)


@codes.command()
@click.argument("code_id")
@click.option("--definition", default=None)
@click.option("--include", default=None)
@click.option("--exclude", default=None)
@click.option("--example", "examples", multiple=True, help="An example (repeatable; replaces the examples).")
@click.option("--keywords", default=None, metavar="W1,W2", help="Keyword hints, comma-separated.")
@click.option("--key", default=None, help="Hotkey in the coding screen ('' removes it).")
@click.option("--color", default=None, metavar="#RRGGBB", help="Colour ('' for the palette's).")
@coder_option
@project_option
@click.pass_context
def edit(ctx, code_id, definition, include, exclude, examples, keywords, key, color, coder, project) -> None:
    """Change a code's definition, include/exclude rules, examples, keywords, hotkey or colour."""
    fields = {k: v for k, v in (("definition", definition), ("include", include), ("exclude", exclude),
                                ("key", key), ("color", color)) if v is not None}
    if examples:
        fields["examples"] = list(examples)
    if keywords is not None:
        fields["keywords"] = [w for w in keywords.replace("，", ",").split(",")]
    if not fields:
        raise click.UsageError(_("give at least one field to change (see --help)"))
    proj, editor = _editor(ctx, project, coder)
    _done(proj, editor.edit(code_id, **fields).message)


@codes.command()
@click.argument("code_id")
@click.option("--parent", required=True, metavar="ID", help="The new parent ('' or - for the top level).")
@coder_option
@project_option
@click.pass_context
def move(ctx, code_id: str, parent: str, coder, project) -> None:
    """Move a code (with its children) under another code."""
    proj, editor = _editor(ctx, project, coder)
    _done(proj, editor.move(code_id, None if parent in ("", "-") else parent).message)


@codes.command()
@click.argument("source")
@click.argument("into")
@coder_option
@project_option
@click.pass_context
def merge(ctx, source: str, into: str, coder, project) -> None:
    """Merge code SOURCE into INTO: codings, children, memos and relations move; SOURCE goes.

    A coder's coding of SOURCE on exactly the span of their coding of INTO collapses into it (memos joined).
    """
    proj, editor = _editor(ctx, project, coder)
    _done(proj, editor.merge(source, into).message)


@codes.command()
@click.argument("code_id")
@coder_option
@project_option
@click.pass_context
def delete(ctx, code_id: str, coder, project) -> None:
    """Delete a code that has no codings and no relations (refused, with the counts, otherwise)."""
    proj, editor = _editor(ctx, project, coder)
    _done(proj, editor.delete(code_id).message)


@codes.command()
@click.argument("code_id")
@click.option("--up", default=0, type=click.IntRange(min=0), help="Move it this many places up among its siblings.")
@click.option("--down", default=0, type=click.IntRange(min=0), help="Move it this many places down.")
@coder_option
@project_option
@click.pass_context
def reorder(ctx, code_id: str, up: int, down: int, coder, project) -> None:
    """Move a code up or down among its siblings (--up N or --down N)."""
    if bool(up) == bool(down):
        raise click.UsageError(_("give one of --up N or --down N"))
    proj, editor = _editor(ctx, project, coder)
    _done(proj, editor.reorder(code_id, down - up).message)


@codes.command()
@click.argument("source")
@click.argument("target")
@click.option("--type", "type_", required=True, help="Relation type, e.g. 因果 条件 策略 结果 属于 (or cause ...).")
@click.option("--memo", default="", help="Why the codes are related.")
@coder_option
@project_option
@click.pass_context
def link(ctx, source: str, target: str, type_: str, memo: str, coder, project) -> None:
    """Link SOURCE to TARGET with a typed, directed relation (axial coding)."""
    from qcode.project.code_relations import RelationEditor  # lazy: --help speed

    proj = open_project(ctx, project)
    editor = RelationEditor(proj.store, _actor(coder), "cli", proj.config.relation_types)
    relation, new_type = editor.link(source, target, type_, memo)
    say(f"{relation.source} -[{relation.type}]-> {relation.target}")
    if new_type:
        say(_("note: '{type}' is not among the project's relation types ({types}); list it under [relations] types "
              "in qcode.toml").format(type=relation.type, types=" / ".join(editor.types)), err=True)


@codes.command()
@click.argument("source")
@click.argument("target")
@click.option("--type", "type_", default=None, help="Only this type.")
@coder_option
@project_option
@click.pass_context
def unlink(ctx, source: str, target: str, type_: str | None, coder, project) -> None:
    """Remove the relations from SOURCE to TARGET."""
    from qcode.project.code_relations import RelationEditor  # lazy: --help speed

    proj = open_project(ctx, project)
    n = RelationEditor(proj.store, _actor(coder), "cli").unlink(source, target, type_)
    say(counted(n, "Removed {count} relation.", "Removed {count} relations."))


@codes.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md", "mermaid", "dot"]),
              default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@output_option()
@project_option
@click.pass_context
def relations(ctx, fmt: str, lang: str, output: str | None, project) -> None:
    """List the relations between codes, or draw them as Mermaid or Graphviz DOT text."""
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.reports.relation_graph import relations_dot, relations_mermaid, relations_rows  # lazy: --help speed

    store = open_project(ctx, project).store
    book = require_codebook(store)
    found = store.relations.all()
    if fmt == "mermaid":
        write_output(relations_mermaid(book, found, lang), output)
    elif fmt == "dot":
        write_output(relations_dot(book, found, lang), output)
    else:
        headers, rows, data = relations_rows(book, found, lang)
        emit(fmt, headers, rows, json_data=data, output=output)


@codes.command()
@click.argument("coding_guid")
@click.option("--off", is_flag=True, help="Unstar it.")
@coder_option
@project_option
@click.pass_context
def star(ctx, coding_guid: str, off: bool, coder, project) -> None:
    """Star a coding as an example statement of its code (open-coding table); see `qcode quotes`."""
    from qcode.project.code_relations import RelationEditor  # lazy: --help speed

    proj = open_project(ctx, project)
    changed = RelationEditor(proj.store, _actor(coder), "cli").star(coding_guid, not off)
    if off:
        message = _("Unstarred {guid}.") if changed else _("Unstarred {guid} (already).")
    else:
        message = _("Starred {guid}.") if changed else _("Starred {guid} (already).")
    say(message.format(guid=coding_guid))


def _replay(ctx, project, coder, undo: bool) -> None:
    from qcode.project.coding import CodingSession  # lazy: --help speed

    proj = open_project(ctx, project)
    session = CodingSession(proj.store, _actor(coder), source="cli")
    change = session.undo() if undo else session.redo()
    nothing = _("Nothing to undo for {coder}.") if undo else _("Nothing to redo for {coder}.")
    say(change.description if change else nothing.format(coder=session.coder))


@codes.command()
@coder_option
@project_option
@click.pass_context
def undo(ctx, coder, project) -> None:
    """Undo your latest change (codebook or coding), as Ctrl+Z does in the coding screen."""
    _replay(ctx, project, coder, True)


@codes.command()
@coder_option
@project_option
@click.pass_context
def redo(ctx, coder, project) -> None:
    """Redo the change undone last."""
    _replay(ctx, project, coder, False)
