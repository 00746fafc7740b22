"""Loading a codebook into a project, and reading the project's current codebook back.

A new version of the codebook may add, change and reorder codes freely, but it may not drop a code that
has codings, or turn it into a group: qcode refuses and says which codes and how many codings, unless
the user maps them with `--rename OLD=NEW` (their codings then move to NEW, journalled one by one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qcode.codebook import dump_codebook_yaml, read_codebook
from qcode.domain.codebook import Codebook
from qcode.errors import ConflictError, InputError, Problem
from qcode.i18n import _, ngettext
from qcode.codebook.stored import current_codebook, remember_codebook, require_codebook  # noqa: F401  (re-exported: callers import them from here)
from qcode.project.project import Project
from qcode.storage.clock import utc_now
from qcode.storage.codes import CodeRow, keywords_json


@dataclass(frozen=True)
class CodebookLoadReport:
    codebook: Codebook
    unchanged: bool
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    recoded: dict[str, int] = field(default_factory=dict)  # old id -> codings moved
    warnings: list[Problem] = field(default_factory=list)


def code_rows(codebook: Codebook) -> list[CodeRow]:
    """The codes table's rows for a codebook, in document order."""
    rows = []
    for position, code in enumerate(codebook):
        english = code.name.get("en") if "en" in code.name.languages else None
        rows.append(CodeRow(
            id=code.id,
            parent_id=code.parent,
            position=position,
            depth=codebook.depth(code.id),
            name=codebook.display_name(code.id, "zh"),
            name_en=english,
            definition=code.definition.get("zh") or None,
            hotkey=code.key,
            color=codebook.color_of(code.id),
            codable=int(code.codable),
            keywords=keywords_json(code.keywords),
            spec=json.dumps(code.as_data(), ensure_ascii=False, sort_keys=True),
        ))
    return rows


def parse_renames(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`OLD=NEW` arguments as a mapping (ids may contain anything but the first `=`)."""
    renames: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old or not new:
            raise InputError(_("--rename needs OLD=NEW, got '{value}'").format(value=pair))
        if old in renames:
            raise InputError(_("--rename gives two targets for '{code}'").format(code=old))
        renames[old] = new
    return renames


def load_codebook_into(project: Project, path: Path, renames: dict[str, str] | None = None) -> CodebookLoadReport:
    """Check the YAML codebook at `path` and make it the project's codebook, or refuse with every reason."""
    reading = read_codebook(path)
    if reading.errors:
        raise InputError(problems=list(reading.errors))
    assert reading.codebook is not None  # read without errors
    # The file's own text is kept as the version's document, so the project's codebook file written
    # back after a change keeps the author's comments and layout.
    # An absolute path: the project's codebook file is found from it later, from any working folder.
    return install_codebook(project, reading.codebook, source=str(Path(path).resolve()), renames=renames,
                            warnings=list(reading.warnings), document=_file_text(path))


def _file_text(path: Path) -> str | None:
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def install_codebook(
    project: Project,
    new: Codebook,
    *,
    source: str | None,
    renames: dict[str, str] | None = None,
    warnings: list[Problem] | None = None,
    document: str | None = None,
) -> CodebookLoadReport:
    """Make `new` the project's codebook in one transaction (whatever format it was read from).

    Refused, with every reason, when it would drop a coded code or turn it into a group, unless
    `renames` maps that code's codings to an applicable code of `new`.
    """
    renames = renames or {}
    warnings = warnings or []
    store = project.store
    current = store.codes.current_codebook()
    if current is not None and current.content_hash == new.content_hash() and not renames:
        return CodebookLoadReport(new, True, warnings=warnings)

    counts = store.codings.count_by_code()
    machine = store.codings.count_by_code(coder_prefix="auto:")
    old_ids = store.codes.ids()
    where = source or _("the new codebook")
    problems: list[Problem] = []
    for old, target in renames.items():
        if old not in old_ids:
            problems.append(Problem(_("--rename {old}={new}: the project has no code '{old}'").format(
                old=old, new=target)))
        elif target not in new or not new[target].codable:
            problems.append(Problem(_("--rename {old}={new}: '{new}' is not an applicable code in {where}").format(
                old=old, new=target, where=where)))
    for code_id in sorted(old_ids, key=lambda c: -counts.get(c, 0)):
        n = counts.get(code_id, 0)
        if not n or code_id in renames:
            continue
        by_machine = machine.get(code_id, 0)
        note = _(" ({count} of them keyword suggestions by auto:keywords; `qcode suggest --clear` "
                 "removes those)").format(count=by_machine) if by_machine else ""
        if code_id not in new:
            problems.append(Problem(ngettext(
                "the new codebook drops code '{code}', which has {count} coding{note}; keep it, or map its "
                "codings with --rename {code}=NEW_ID",
                "the new codebook drops code '{code}', which has {count} codings{note}; keep it, or map its "
                "codings with --rename {code}=NEW_ID", n).format(code=code_id, count=n, note=note), source))
        elif not new[code_id].codable:
            problems.append(Problem(ngettext(
                "the new codebook makes '{code}' a group (codable: false), but it has {count} coding; "
                "move it with --rename {code}=NEW_ID",
                "the new codebook makes '{code}' a group (codable: false), but it has {count} codings; "
                "move them with --rename {code}=NEW_ID", n).format(code=code_id, count=n), source))
    if problems:
        raise ConflictError(problems=problems)

    now = utc_now()
    with store.transaction(source="codebook") as tx:
        changes = store.codes.replace_all(tx, code_rows(new))
        recoded = {old: store.codings.recode(tx, old, target, now) for old, target in renames.items()}
        store.codes.record_codebook(
            tx, codebook_id=new.id, version=new.version, title=new.title.get("zh") or None,
            content_hash=new.content_hash(), format_version=new.format_version, source_path=source,
            document=document or dump_codebook_yaml(new),
        )
    return CodebookLoadReport(new, False, changes["added"], changes["changed"], changes["removed"], recoded, warnings)
