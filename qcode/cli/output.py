"""Writing results as a terminal table, JSON, CSV or Markdown, to stdout or a file; report tables also as
Word (three-line tables) or Excel files.

Terminal tables measure text in cells, not characters, so Chinese columns line up. CSV files written
with -o start with a UTF-8 BOM so that Excel on Chinese Windows opens them correctly.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from qcode.cli.common import print_problems
from qcode.errors import InputError
from qcode.text.safe_text import spreadsheet_safe, visible_controls
from qcode.cli.common import PROJECT_ROOT_KEY
from qcode.i18n import N_, _, current_language

TEXT_FORMATS = ("table", "json", "csv", "md")
FILE_FORMATS = ("xlsx", "docx")  # formats that can only be written to a file given with -o


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_safe(h) for h in headers])
    writer.writerows(["" if v is None else spreadsheet_safe(v) for v in row] for row in rows)
    return buffer.getvalue()


def _md_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", "<br>")


def to_markdown(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None,
             right: Sequence[int] = ()) -> str:
    """A plain-text table aligned by terminal cells (CJK characters are two cells wide)."""
    from rich.cells import cell_len  # lazy: --help speed

    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [cell_len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], max((cell_len(part) for part in value.split("\n")), default=0))

    def fmt(row: Sequence[str]) -> str:
        out = []
        for i, value in enumerate(row):
            pad = " " * (widths[i] - cell_len(value))
            out.append(pad + value if i in right else value + pad)
        return "  ".join(out).rstrip()

    lines = [title, ""] if title else []
    lines.append(fmt(list(headers)))
    lines.append("  ".join("-" * w for w in widths))
    lines += [fmt(row) for row in cells]
    return "\n".join(lines) + "\n"


FORCE_KEY = "qcode.force"


def say(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """click.echo for text that may quote other people's files: control characters shown, never obeyed."""
    click.echo(visible_controls(str(message)), err=err, nl=nl)


def force_option(func):
    """--force: replace an existing output file that is not a previous export of the same kind."""
    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        ctx.meta[FORCE_KEY] = value

    return click.option("--force", is_flag=True, expose_value=False, callback=remember,
                        help="Replace an existing output file even if it is not a previous export of the same kind.")(func)


def output_option(help: str = N_("Write to FILE instead of the terminal."), *, force: bool = True):
    """-o/--output FILE (and --force): a project's own file is refused before any work is done."""
    def refuse_early(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value not in (None, "-"):
            from qcode.project.outputs import refuse_project_file  # lazy: --help speed

            refuse_project_file(value)
        return value

    def decorate(func):
        func = force_option(func) if force else func
        return click.option("-o", "--output", default=None, metavar="FILE", callback=refuse_early, help=help)(func)

    return decorate


def checked_output_path(output: str | Path, kind: str = "text", *, first_line: str | None = None) -> Path:
    """`output` once `check_output_path` allows it, with the command's --force and project."""
    from qcode.project.outputs import check_output_path  # lazy: --help speed

    ctx = click.get_current_context(silent=True)
    force = bool(ctx.params.get("force") or ctx.meta.get(FORCE_KEY)) if ctx is not None else False
    root = ctx.meta.get(PROJECT_ROOT_KEY) if ctx is not None else None
    return check_output_path(output, kind, force=force, first_line=first_line, project_root=root)


def write_output(text: str, output: str | None, *, bom: bool = False, kind: str = "text") -> None:
    """Print to stdout, or write to `output` (creating folders) and say where."""
    if output is None or output == "-":
        # Printed text may reach a terminal (click strips only colour codes, and only from pipes): every
        # control character is shown, never obeyed. Files written with -o keep the data as it is.
        click.echo(visible_controls(text), nl=False)
        return
    path = checked_output_path(output, kind, first_line=text.split("\n", 1)[0])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")
    except OSError as exc:
        raise InputError(_("cannot write: {reason}").format(reason=exc.strerror), path=path) from exc
    click.echo(_("wrote {path}").format(path=path), err=True)


def emit(fmt: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, json_data: Any = None,
         output: str | None = None, title: str | None = None, right: Sequence[int] = ()) -> None:
    """Render rows in the chosen format; `json_data` overrides the default list-of-objects JSON.

    Tables for reading (table, md) get their headers in the interface language; csv and json keep the keys.
    """
    if fmt in ("table", "md"):
        from qcode.reports.headers import header_text  # lazy: --help speed

        headers = [header_text(str(h)) for h in headers]
    if fmt == "json":
        data = json_data if json_data is not None else [dict(zip(headers, row)) for row in rows]
        write_output(to_json(data), output)
    elif fmt == "csv":
        write_output(to_csv(headers, rows), output, bom=output not in (None, "-"))
    elif fmt == "md":
        heading = f"## {title}\n\n" if title else ""
        write_output(heading + to_markdown(headers, rows), output)
    else:
        write_output(to_table(headers, rows, title=title, right=right), output)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def file_output(fmt: str, output: str | None) -> Path:
    """The -o path of a file-only format (xlsx, docx); checked before any work is done."""
    if output in (None, "-"):
        raise InputError(_("--format {format} writes a file: give it with -o FILE.{format}").format(format=fmt))
    return checked_output_path(output, fmt if fmt in ("xlsx", "docx") else "text")


def emit_tables(fmt: str, tables: Sequence[Any], output: str | None, *, lang: str | None = None) -> None:
    """Report tables (`qcode.reports.tables.Table`) in any format, one after another.

    docx gives one Word document of captioned three-line tables, xlsx one workbook with a sheet per
    table; the text formats show values formatted for reading in table and md, raw in csv and json.
    Every report that builds Tables gets all formats from this one function.
    """
    from qcode.reports.headers import localized  # lazy: --help speed

    if fmt in ("docx", "xlsx", "table", "md"):
        tables = [localized(table) for table in tables]  # headers for readers; csv and json keep the keys
    if fmt == "docx":
        from qcode.reports.docx_tables import write_docx_tables  # lazy: --help speed

        path = file_output(fmt, output)
        write_docx_tables(path, tables, lang=lang or current_language())
        click.echo(_("wrote {path}").format(path=path), err=True)
    elif fmt == "xlsx":
        from qcode.reports.xlsx import write_workbook  # lazy: --help speed

        path = file_output(fmt, output)
        print_problems(write_workbook(path, tables))
        click.echo(_("wrote {path}").format(path=path), err=True)
    elif fmt == "json":
        data = [dict(zip(t.headers, row, strict=True)) for t in tables for row in t.rows]
        write_output(to_json(data), output)
    else:
        from qcode.reports.tables import readable  # lazy: --help speed

        parts = []
        for table in tables:
            shown = readable(table) if fmt in ("table", "md") else table
            if fmt == "csv":
                parts.append(to_csv(shown.headers, shown.rows))
            elif fmt == "md":
                parts.append(f"## {shown.title}\n\n" + to_markdown(shown.headers, shown.rows))
            else:
                parts.append(to_table(shown.headers, shown.rows, title=shown.title, right=shown.numeric))
        write_output("\n".join(parts), output, bom=fmt == "csv" and output not in (None, "-"))
