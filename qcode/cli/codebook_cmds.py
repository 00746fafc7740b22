"""`qcode codebook ...`: check a codebook file, load it into the project, show the project's codebook."""

from __future__ import annotations

import click

from qcode.cli.common import open_project, print_problems, project_option
from qcode.cli.output import emit, output_option, say
import json
from qcode.i18n import _, counted


@click.group()
def codebook() -> None:
    """Check, load, show and export the codebook (YAML; see docs/codebook.md)."""


@codebook.command()
@click.argument("file", type=click.Path())
def check(file: str) -> None:
    """Report every problem in a codebook file, with line and column (exit status 1 on errors)."""
    from qcode.codebook import read_codebook  # lazy: --help speed

    reading = read_codebook(file)
    print_problems(list(reading.problems))
    if reading.errors:
        say(_("{file}: {errors}, {warnings}").format(
            file=file, errors=counted(len(reading.errors), "{count} error", "{count} errors"),
            warnings=counted(len(reading.warnings), "{count} warning", "{count} warnings")), err=True)
        raise click.exceptions.Exit(1)
    book = reading.codebook
    assert book is not None  # read without errors
    groups = sum(1 for c in book if not c.codable)
    warned = counted(len(reading.warnings), ", {count} warning", ", {count} warnings") if reading.warnings else ""
    say(_("{file}: OK — {codes}, {groups}").format(file=file, **codes_and_groups(len(book) - groups, groups)) + warned)


def codes_and_groups(codes: int, groups: int) -> dict[str, str]:
    """"12 codes", "1 group": the counted nouns of a codebook, by name."""
    return {"codes": counted(codes, "{count} code", "{count} codes"),
            "groups": counted(groups, "{count} group", "{count} groups")}


@codebook.command()
@click.argument("file", type=click.Path())
@click.option("--rename", "renames", multiple=True, metavar="OLD=NEW",
              help="Move the codings of code OLD to code NEW (repeatable). Needed when the new version drops or renames a coded code.")
@project_option
@click.pass_context
def load(ctx: click.Context, file: str, renames: tuple[str, ...], project: str | None) -> None:
    """Make FILE the project's codebook (refused if it would orphan codings).

    FILE is a qcode YAML codebook, or a REFI-QDA codebook exchange file (.qdc).
    """
    from pathlib import Path  # lazy: --help speed

    from qcode.project.codebook_loading import install_codebook, load_codebook_into, parse_renames  # lazy: --help speed

    proj = open_project(ctx, project)
    path = Path(file)
    if path.suffix.lower() == ".qdc":
        from qcode.interop.refi_codebook import read_qdc  # lazy: --help speed

        book, warnings = read_qdc(path)
        report = install_codebook(proj, book, source=str(path), renames=parse_renames(renames), warnings=warnings)
    else:
        report = load_codebook_into(proj, path, parse_renames(renames))
    print_problems(report.warnings)
    book = report.codebook
    if report.unchanged:
        say(counted(len(book), "The project already uses this codebook ({count} code); nothing changed.",
                    "The project already uses this codebook ({count} codes); nothing changed."))
        return
    say(_("Loaded {file}: {codes} in {groups} ({added} added, {changed} changed, {removed} removed).")
        .format(file=file, **codes_and_groups(sum(c.codable for c in book), sum(not c.codable for c in book)),
                added=len(report.added), changed=len(report.changed), removed=len(report.removed)))
    for old, n in report.recoded.items():
        say(counted(n, "Moved {count} coding from {old} to {new}.", "Moved {count} codings from {old} to {new}.",
                    old=old, new=dict(r.split("=", 1) for r in renames)[old]))


@codebook.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of names.")
@output_option()
@project_option
@click.pass_context
def show(ctx: click.Context, fmt: str, lang: str, output: str | None, project: str | None) -> None:
    """Print the project's codebook as a tree, with coding counts (a group's count is its subtree's)."""
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed

    store = open_project(ctx, project).store
    book = require_codebook(store)
    counts = store.codings.count_by_code()
    totals = {c.id: sum(counts.get(s, 0) for s in book.subtree(c.id)) for c in book}
    rows = []
    for code in book:
        indent = "  " * book.depth(code.id)
        label = code.id if fmt != "table" else indent + code.id
        rows.append((label, book.display_name(code.id, lang), code.key or "", counts.get(code.id, 0), totals[code.id],
                     "" if code.codable else "group"))
    headers = ["id", "name", "key", "codings", "with subtree", "kind"]
    json_data = [
        {"id": c.id, "parent": c.parent, "name": book.display_name(c.id, lang), "key": c.key, "codable": c.codable,
         "codings": counts.get(c.id, 0), "codings_with_subtree": totals[c.id]}
        for c in book
    ]
    emit(fmt, headers, rows, json_data=json_data, output=output, right=(3, 4))


@codebook.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@project_option
@click.pass_context
def history(ctx: click.Context, fmt: str, project: str | None) -> None:
    """Every saved version of the codebook: loads, and each change made while coding (oldest first)."""
    store = open_project(ctx, project).store
    rows, data = [], []
    for record in store.codes.codebook_versions():
        change = json.loads(record.change) if record.change else {"action": "load", "source": record.source_path}
        what = " ".join(str(change[k]) for k in ("action", "code") if change.get(k))
        detail = {"rename": lambda c: f"{c.get('from')} → {c.get('to')}",
                  "merge": lambda c: counted(c.get("codings") or 0, "into {code} ({count} coding)",
                                             "into {code} ({count} codings)", code=c.get("into")),
                  "split": lambda c: counted(c.get("codings") or 0, "{count} coding → {into}",
                                             "{count} codings → {into}", into=c.get("into")),
                  "move": lambda c: f"→ {c.get('to') or _('top level')}",
                  "add": lambda c: f"{c.get('name')}" + (_(" under {parent}").format(parent=c["parent"])
                                                         if c.get("parent") else ""),
                  "load": lambda c: c.get("source") or "",
                  }.get(str(change.get("action")),
                        lambda c: _("version {version}").format(version=c["version"]) if c.get("version") else "")(change)
        rows.append((record.id, record.loaded_at[:19].replace("T", " "), what, detail, record.version or ""))
        data.append({"version": record.id, "at": record.loaded_at, "change": change, "codebook_version": record.version})
    emit(fmt, ["version", "saved", "change", "detail", "codebook version"], rows, json_data=data, output=None)


@codebook.command()
@click.argument("v1", type=int)
@click.argument("v2", type=int, required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@project_option
@click.pass_context
def diff(ctx: click.Context, v1: int, v2: int | None, fmt: str, lang: str, project: str | None) -> None:
    """What changed from version V1 to V2 (default: the current one): codes added, renamed, moved, merged.

    Version numbers are those of `qcode codebook history`; coding counts are today's.
    """
    from qcode.codebook import parse_codebook_text  # lazy: --help speed
    from qcode.codebook.history import describe_changes  # lazy: --help speed
    from qcode.errors import InputError  # lazy: --help speed

    store = open_project(ctx, project).store
    versions = {r.id: r for r in store.codes.codebook_versions()}
    v2 = v2 if v2 is not None else max(versions, default=0)
    for v in (v1, v2):
        if v not in versions:
            raise InputError(_("no codebook version {version}; see `qcode codebook history`").format(version=v))
    lo, hi = sorted((v1, v2))
    merges = {}
    for record in versions.values():
        change = json.loads(record.change) if record.change else {}
        if lo < record.id <= hi and change.get("action") == "merge":
            merges[change["code"]] = change["into"]
    old = parse_codebook_text(versions[v1].document, f"version {v1}", stored=True)
    new = parse_codebook_text(versions[v2].document, f"version {v2}", stored=True)
    changes = describe_changes(old, new, merges if v1 < v2 else {}, store.codings.count_by_code(), lang)
    rows = [(c.kind, c.code, c.detail, c.codings) for c in changes]
    data = [{"kind": c.kind, "code": c.code, "detail": c.detail, "codings": c.codings} for c in changes]
    if not rows and fmt == "table":
        say(_("Versions {v1} and {v2} have the same codes.").format(v1=v1, v2=v2))
        return
    emit(fmt, ["change", "code", "detail", "codings now"], rows, json_data=data, output=None, right=(3,))


def _attach_commands_owned_elsewhere() -> None:
    """`codebook convert` lives with the REFI-QDA code and `codebook export` with the reports."""
    from qcode.cli.exchange_cmds import convert  # lazy: --help speed
    from qcode.cli.report_cmds import codebook_export  # lazy: --help speed

    codebook.add_command(convert, "convert")
    codebook.add_command(codebook_export, "export")


_attach_commands_owned_elsewhere()
