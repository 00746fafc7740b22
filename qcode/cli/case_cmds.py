"""`qcode attributes ...` and `qcode persons ...`: typed attributes of transcripts and persons, speakers to persons."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.output import emit, output_option, say
from qcode.errors import InputError
from qcode.i18n import N_, _, counted

KINDS = click.Choice(["transcript", "person"])
KIND_NAMES = {"transcript": N_("transcript"), "person": N_("person")}
TYPES = click.Choice(["text", "number", "date", "boolean", "category"])


def _levels(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").replace("，", ",").split(",") if v.strip())


@click.group()
def attributes() -> None:
    """Attributes of transcripts and persons (REFI-QDA variables): set, define, import, export, list.

    \b
    Types: text, number, date (YYYY-MM-DD), boolean (true/false, 是/否), category (ordered levels).
    A person is named as stored, or TRANSCRIPT:LABEL for a speaker label not mapped to a person.
    A person whose `role` is `interviewer` is left out of frequencies, word counts and suggestions
    unless a command is given --speakers all.
    """


@attributes.command("set")
@click.argument("case")
@click.argument("assignments", nargs=-1, required=True, metavar="NAME=VALUE...")
@click.option("--kind", type=KINDS, default="transcript", show_default=True, help="What CASE is.")
@click.option("--type", "type_", type=TYPES, default=None,
              help="Type of attributes created by this command (default: guessed from the value).")
@click.option("--levels", default=None, metavar="A,B,C", help="Ordered levels of a category attribute.")
@project_option
@click.pass_context
def set_(ctx, case: str, assignments: tuple[str, ...], kind: str, type_: str | None, levels: str | None,
         project: str | None) -> None:
    """Give CASE (a transcript, or with --kind person a person) attribute values: NAME=VALUE ..."""
    from qcode.project.attributes import CaseValue, store_values  # lazy: --help speed

    values = []
    for text in assignments:
        name, sep, raw = text.partition("=")
        if not sep or not name.strip():
            raise InputError(_("'{text}': write NAME=VALUE").format(text=text))
        values.append(CaseValue(kind, case, name.strip(), raw.strip()))
    store = open_project(ctx, project).store
    keys = {(kind, v.attribute) for v in values}
    report = store_values(store, values, types={k: type_ for k in keys} if type_ else None,
                          levels={k: _levels(levels) for k in keys} if levels else None)
    say(counted(report.values, "Stored {count} value for {kind} {case}{new}.", "Stored {count} values for {kind} {case}{new}.",
                kind=_(KIND_NAMES[kind]), case=case, new=_new_attributes(report.new_attributes)))


def _new_attributes(names: Sequence[str]) -> str:
    return counted(len(names), "; new attribute: {names}", "; new attributes: {names}",
                   names=", ".join(names)) if names else ""


@attributes.command()
@click.argument("name")
@click.option("--kind", type=KINDS, default="transcript", show_default=True)
@click.option("--type", "type_", type=TYPES, required=True)
@click.option("--levels", default=None, metavar="A,B,C", help="Ordered levels (for a category).")
@project_option
@click.pass_context
def define(ctx, name: str, kind: str, type_: str, levels: str | None, project: str | None) -> None:
    """Create an attribute or change its type (stored values must fit the new type)."""
    from qcode.project.attributes import define_attribute  # lazy: --help speed

    store = open_project(ctx, project).store
    definition = define_attribute(store, kind, name, type_, _levels(levels))
    shown = f" ({' < '.join(definition.levels)})" if definition.levels else ""
    say(_("{kind} attribute {name}: {type}{levels}").format(kind=_(KIND_NAMES[kind]), name=name, type=type_,
                                                            levels=shown))


@attributes.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", type=KINDS, default="transcript", show_default=True,
              help="What the first column names: transcripts or persons.")
@project_option
@click.pass_context
def import_(ctx, file: str, kind: str, project: str | None) -> None:
    """Import FILE.csv or FILE.xlsx: the case in the first column, one attribute per other column.

    Empty cells are skipped. Every bad value is reported with its row and column, and then nothing
    is stored.
    """
    from qcode.project.attributes import import_attributes  # lazy: --help speed

    store = open_project(ctx, project).store
    report = import_attributes(store, Path(file), kind)
    skipped = counted(report.skipped_empty, "; {count} empty cell skipped", "; {count} empty cells skipped") \
        if report.skipped_empty else ""
    cases = (counted(report.cases, "{count} transcript", "{count} transcripts") if kind == "transcript" else
             counted(report.cases, "{count} person", "{count} people"))
    say(_("Stored {values} for {cases}{new}{skipped}.").format(
        values=counted(report.values, "{count} value", "{count} values"), cases=cases,
        new=_new_attributes(report.new_attributes), skipped=skipped))


@attributes.command()
@click.option("--kind", type=KINDS, default=None, help="Only transcripts or only persons.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "xlsx", "table"]), default="table",
              show_default=True)
@output_option(N_("Write to FILE (needed for xlsx)."))
@project_option
@click.pass_context
def export(ctx, kind: str | None, fmt: str, output: str | None, project: str | None) -> None:
    """Every case's attributes; JSON is a list of {"case", "kind", "attributes": {name: value}}."""
    from qcode.project.attributes import export_attributes  # lazy: --help speed

    store = open_project(ctx, project).store
    records = export_attributes(store, kind)
    if fmt == "json":
        emit("json", [], [], json_data=records, output=output)
        return
    names = list(dict.fromkeys(n for r in records for n in r["attributes"]))
    headers = ["case", "kind", *names]
    rows = [[r["case"], r["kind"], *(r["attributes"].get(n, "") for n in names)] for r in records]
    if fmt == "xlsx":
        from qcode.cli.common import print_problems  # lazy: --help speed
        from qcode.reports.table import Table  # lazy: --help speed
        from qcode.reports.xlsx import write_workbook  # lazy: --help speed

        if output in (None, "-"):
            raise InputError(_("--format {format} writes a file: give it with -o FILE.{format}").format(format="xlsx"))
        print_problems(write_workbook(Path(output), [Table("attributes", tuple(headers), tuple(map(tuple, rows)), ())]))
        say(_("wrote {path}").format(path=output), err=True)
        return
    emit(fmt, headers, rows, output=output)


@attributes.command("list")
@project_option
@click.pass_context
def list_(ctx, project: str | None) -> None:
    """The attributes defined, with their type and levels."""
    from qcode.storage.cases import CaseRepository  # lazy: --help speed

    store = open_project(ctx, project).store
    rows = [(d.kind, d.name, d.type, " < ".join(d.levels)) for d in CaseRepository.of(store).definitions()]
    emit("table", ["kind", "attribute", "type", "levels"], rows)


@click.group(invoke_without_command=True)
@project_option
@click.pass_context
def persons(ctx, project: str | None) -> None:
    """Persons behind the speaker labels: list them, or map labels to one person.

    Each speaker label of each transcript is its own person (TRANSCRIPT:LABEL) until it is mapped:
    `qcode persons map 王科长 --speaker 受访者C --transcripts T2` makes 受访者C of T2 the person 王科长.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_persons_cmd, project=project)


@persons.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@project_option
@click.pass_context
def list_persons_cmd(ctx, fmt: str = "table", project: str | None = None) -> None:
    """Every person, the labels they speak under, and their attributes."""
    from qcode.project.attributes import list_persons  # lazy: --help speed

    store = open_project(ctx, project).store
    found = list_persons(store)
    if fmt == "json":
        emit("json", [], [], json_data=found)
        return
    names = list(dict.fromkeys(n for p in found for n in p["attributes"]))
    rows = [[p["person"], ", ".join(p["speaks_as"]), *(p["attributes"].get(n, "") for n in names)] for p in found]
    emit(fmt, ["person", "speaks as", *names], rows)


@persons.command("map")
@click.argument("person")
@click.option("--speaker", required=True, metavar="LABEL", help="The speaker label, e.g. 受访者C.")
@click.option("--transcripts", default=None, metavar="NAMES",
              help="Only in these transcripts (comma-separated); default: every transcript with that label.")
@project_option
@click.pass_context
def map_(ctx, person: str, speaker: str, transcripts: str | None, project: str | None) -> None:
    """Make the label --speaker (in --transcripts, else everywhere) the person PERSON."""
    from qcode.analysis.selection import split_names  # lazy: --help speed
    from qcode.project.attributes import map_speakers  # lazy: --help speed

    store = open_project(ctx, project).store
    mapped = map_speakers(store, person, speaker, split_names(transcripts))
    say(counted(len(mapped), "{speaker} is {person} in {count} transcript: {names}",
                "{speaker} is {person} in {count} transcripts: {names}",
                speaker=speaker, person=person, names=", ".join(mapped)))
