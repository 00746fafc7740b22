"""The codebook in REFI-QDA: `<Code>` trees in a project (.qdpx) or a codebook exchange file (.qdc).

Writing: each code becomes a `<Code>` with a stable GUID derived from its id, its display name, its
colour (the palette colour when the codebook gives none, so other programs show what qcode shows),
`isCodable="false"` for groups, and a `<Description>` holding the definition (a group's description),
followed by the include and exclude rules and examples. The full code as qcode knows it travels in a
`<?qcode-code ...?>` processing instruction (see `refi_common`).

Reading: a code whose processing instruction is genuine (its id derives the element's GUID) and still
describes the element (same name) comes back exactly, id and all. Other codes get readable ids derived
from their names and their parents' ids (`Barriers.Cost`), made unique; their GUIDs are remembered so
that selections can find them. The result is checked by the same reader that checks YAML codebooks, so
an imported codebook obeys every rule a hand-written one does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from qcode.codebook import read_codebook_text
from qcode.codebook.colors import parse_color
from qcode.domain.codebook import Code, Codebook, Text
from qcode.domain.control_chars import visible_name, without_controls
from qcode.errors import InputError, Problem
from qcode.i18n import _, counted
from qcode.text.input_files import check_input_file
from qcode.interop.refi_common import (
    CODEBOOK_NS,
    CODEBOOK_SCHEMA_LOCATION,
    PI_CODE,
    PI_CODEBOOK,
    XSI_NS,
    code_guid,
    normalize_guid,
    pi_data,
    pi_text,
    xml_safe,
)
from qcode.interop.safe_xml import parse_xml

#: The largest .qdc file read (a codebook of thousands of codes is well under a megabyte).
MAX_QDC_BYTES = 64 * 1024 * 1024

_ID_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029.]+")
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAX_ID_SEGMENT = 40
#: Deepest code hierarchy read; deeper trees are refused (no real codebook nests this deep, and every
#: level costs two levels of the YAML the result is checked as, which allows 64).
MAX_CODE_DEPTH = 24


# -- writing --------------------------------------------------------------------------------------


def _text_lines(text: Text) -> list[str]:
    """Every language of a text, one paragraph each, in the author's order."""
    if text.plain:
        return [text.plain]
    return [value for _, value in text.translations]


def describe_code(code: Code) -> str:
    """What other programs show as the code's description: definition, then include, exclude, examples."""
    parts = _text_lines(code.definition if code.codable or code.definition else code.description)
    for label, text in (("Include", code.include), ("Exclude", code.exclude)):
        parts += [f"{label}: {line}" for line in _text_lines(text)]
    for example in code.examples:
        parts += [f"Example: {line}" for line in _text_lines(example)]
    return "\n\n".join(parts)


def add_code_elements(
    parent: etree._Element,
    codebook: Codebook,
    namespace: str,
    note_refs: dict[str, list[str]] | None = None,
) -> None:
    """Append `<Code>` elements for the whole codebook under `parent`, nested as the codebook is.

    `note_refs` maps a code id to the GUIDs of notes about it (project files only: a .qdc has none).
    """
    note_refs = note_refs or {}

    def tag(name: str) -> str:
        return f"{{{namespace}}}{name}"

    def add(container: etree._Element, code: Code) -> None:
        element = etree.SubElement(container, tag("Code"), {
            "guid": code_guid(code.id),
            "name": xml_safe(codebook.display_name(code.id, "zh")),
            "isCodable": "true" if code.codable else "false",
            "color": codebook.color_of(code.id).upper(),
        })
        element.append(etree.ProcessingInstruction(PI_CODE, pi_text(code.as_data())))
        description = describe_code(code)
        if description:
            etree.SubElement(element, tag("Description")).text = xml_safe(description)
        for note in note_refs.get(code.id, ()):
            etree.SubElement(element, tag("NoteRef"), targetGUID=note)
        for child in codebook.children_of(code.id):
            add(element, child)

    for root in codebook.roots():
        add(parent, root)


def codebook_metadata_pi(codebook: Codebook) -> etree._ProcessingInstruction:
    """The codebook's own fields (id, version, title, sources ...) as a processing instruction."""
    metadata = codebook.as_data()
    del metadata["codes"]
    return etree.ProcessingInstruction(PI_CODEBOOK, pi_text(metadata))


def qdc_bytes(codebook: Codebook, origin: str) -> bytes:
    """A REFI-QDA codebook exchange file (.qdc) for `codebook`, valid against Codebook.xsd."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS, "xsi": XSI_NS})
    root.set("origin", origin)
    root.set(f"{{{XSI_NS}}}schemaLocation", CODEBOOK_SCHEMA_LOCATION)
    root.append(codebook_metadata_pi(codebook))
    add_code_elements(etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes"), codebook, CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# -- reading --------------------------------------------------------------------------------------


@dataclass
class CodebookImport:
    """A codebook read from REFI-QDA: the codebook (None when it has no codes), our id for each REFI GUID,
    and warnings."""

    codebook: Codebook | None
    ids_by_guid: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Element:
    """One `<Code>` as read, before ids are settled."""

    element: etree._Element
    guid: str
    name: str
    codable: bool
    color: str | None
    description: str
    spec: dict[str, Any] | None  # qcode's own data, when genuine
    parent: _Element | None
    children: list[_Element] = field(default_factory=list)
    id: str = ""


def _clean(text: str | None) -> str:
    return _NOT_YAML_PRINTABLE.sub(" ", text or "").strip()


def _slug(name: str) -> str:
    slug = "_".join(_ID_UNSAFE.sub(" ", name).split())[:_MAX_ID_SEGMENT].strip("_")
    return slug or "code"


def _own_spec(element: etree._Element, guid: str, name: str) -> dict[str, Any] | None:
    """The code as qcode wrote it, if the element carries a genuine, still matching instruction."""
    for child in element:
        if isinstance(child, etree._ProcessingInstruction) and child.target == PI_CODE:
            spec = pi_data(child.text)
            if not spec or not isinstance(spec.get("id"), str) or code_guid(spec["id"]) != guid:
                return None
            try:
                shown = Text.of(spec.get("name")).get("zh")
            except (TypeError, ValueError, AttributeError):
                return None
            return spec if xml_safe(shown) == name else None
    return None


def read_code_tree(
    codes: etree._Element | None,
    where: str,
    *,
    metadata: dict[str, Any] | None = None,
    coded_guids: frozenset[str] = frozenset(),
) -> CodebookImport:
    """The codebook under a `<Codes>` element (project or codebook namespace alike).

    `coded_guids` are codes that selections apply: such a code marked `isCodable="false"` is imported
    as codable, with a warning, rather than losing its codings.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    elements: list[_Element] = []
    seen: dict[str, int] = {}

    def walk(container: etree._Element, parent: _Element | None, depth: int) -> None:
        for element in container:
            if not isinstance(element.tag, str) or etree.QName(element).localname != "Code":
                continue
            line = element.sourceline
            if depth > MAX_CODE_DEPTH:
                problems.append(Problem(_("codes are nested more than {depth} levels deep; qcode reads code "
                                          "hierarchies up to that depth").format(depth=MAX_CODE_DEPTH), where, line))
                return
            guid = normalize_guid(element.get("guid"))
            if guid is None:
                problems.append(Problem(_("<Code> has no valid guid ({guid!r})").format(guid=element.get("guid")), where, line))
                continue
            if guid in seen:
                problems.append(Problem(_("code guid {guid} is used twice (first at line {line})").format(
                    guid=guid, line=seen[guid]), where, line))
                continue
            seen[guid] = line
            name = _clean(element.get("name")).replace("\n", " ")
            if without_controls(name) != name:
                warnings.append(Problem(_("the name '{name}' holds control characters; imported without them as "
                                          "'{cleaned}'").format(name=visible_name(name), cleaned=without_controls(name)),
                                        where, line, severity="warning"))
                name = without_controls(name)
            codable = (element.get("isCodable") or "true").strip().lower() in ("true", "1")
            if not codable and guid in coded_guids:
                warnings.append(Problem(_("code '{name}' is marked not codable, but selections apply it; imported as "
                                          "codable so that its codings are kept").format(name=name), where, line,
                                        severity="warning"))
                codable = True
            description = ""
            for child in element:
                if isinstance(child.tag, str) and etree.QName(child).localname == "Description":
                    description = _clean(child.text)
            item = _Element(element, guid, name, codable, parse_color(element.get("color") or ""), description,
                            _own_spec(element, guid, name), parent)
            elements.append(item)
            if parent is not None:
                parent.children.append(item)
            walk(element, item, depth + 1)

    if codes is not None:
        walk(codes, None, 1)
    if problems:
        raise InputError(problems=problems)
    if not elements:
        return CodebookImport(None, {}, warnings)
    _settle_ids(elements)
    data: dict[str, Any] = dict(metadata) if metadata else {"format": 1}
    if not metadata:
        for item in elements:
            if item.spec:
                item.spec.pop("sources", None)  # they cite the codebook's sources, which are not here
    data["codes"] = [_code_data(item) for item in elements if item.parent is None]
    codebook, reading_warnings = _checked_codebook(data, where)
    return CodebookImport(codebook, {item.guid: item.id for item in elements}, warnings + reading_warnings)


def _settle_ids(elements: list[_Element]) -> None:
    """qcode's own ids first (they must come back exactly), then readable ids from names."""
    taken: set[str] = set()
    for item in elements:
        if item.spec is not None and item.spec["id"] not in taken:
            item.id = item.spec["id"]
            taken.add(item.id)
        else:
            item.spec = None
    for item in elements:  # document order: a parent's id is settled before its children's
        if item.id:
            continue
        base = _slug(item.name)
        if item.parent is not None:
            base = f"{item.parent.id}.{base}"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        item.id = candidate
        taken.add(candidate)


def _code_data(item: _Element) -> dict[str, Any]:
    """The code in the YAML codebook's shape, children nested."""
    if item.spec is not None:
        data = {k: v for k, v in item.spec.items() if k not in ("children", "codable")}
    else:
        data = {"id": item.id, "name": item.name or "unnamed code"}
        if item.color:
            data["color"] = item.color
        if item.description:
            data["definition" if item.codable else "description"] = item.description
    if not item.codable:
        data["codable"] = False
        data.pop("key", None)  # a group cannot have a hotkey
    if item.children:
        data["children"] = [_code_data(child) for child in item.children]
    return data


def _checked_codebook(data: dict[str, Any], where: str) -> tuple[Codebook, list[Problem]]:
    """Build the codebook through the YAML reader, so that every codebook rule is checked."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    reading = read_codebook_text(text, path=where)
    # The YAML is ours, not the user's: its line numbers would point nowhere they can look.
    def relabel(problem: Problem) -> Problem:
        return Problem(_("codebook: {problem}").format(problem=problem.message), where, severity=problem.severity)

    if reading.codebook is None:
        raise InputError(problems=[relabel(p) for p in reading.errors])
    return reading.codebook, [relabel(p) for p in reading.warnings]


def codebook_metadata(container: etree._Element) -> dict[str, Any] | None:
    """The codebook fields qcode wrote into `container` (a `<CodeBook>`), if any."""
    for child in container:
        if isinstance(child, etree._ProcessingInstruction) and child.target == PI_CODEBOOK:
            data = pi_data(child.text)
            if data and data.get("format") == 1 and "codes" not in data:
                return data
    return None


def read_qdc(path: str | Path) -> tuple[Codebook, list[Problem]]:
    """A REFI-QDA codebook exchange file as a codebook, with warnings (errors raise `InputError`)."""
    path = Path(path)
    check_input_file(path, MAX_QDC_BYTES, "codebook")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_QDC_BYTES + 1)
    except FileNotFoundError:
        raise InputError(_("no such file"), path=path) from None
    except OSError as exc:
        raise InputError(_("cannot read: {reason}").format(reason=exc.strerror or exc), path=path) from None
    if len(data) > MAX_QDC_BYTES:
        raise InputError(_("larger than {size} MiB; not a codebook file").format(size=MAX_QDC_BYTES // (1024 * 1024)), path=path)
    where = str(path)
    root = parse_xml(data, where, CODEBOOK_NS, "CodeBook")
    codes = root.find(f"{{{CODEBOOK_NS}}}Codes")
    if codes is None or codes.find(f"{{{CODEBOOK_NS}}}Code") is None:
        raise InputError(problems=[Problem(_("the codebook has no <Codes>/<Code>"), where, root.sourceline)])
    imported = read_code_tree(codes, where, metadata=codebook_metadata(root))
    assert imported.codebook is not None  # checked above: there is a <Code>
    warnings = list(imported.warnings)
    sets = root.findall(f"{{{CODEBOOK_NS}}}Sets/{{{CODEBOOK_NS}}}Set")
    if sets:
        names = ", ".join(repr(s.get("name") or "") for s in sets)
        warnings.append(Problem(counted(len(sets), "{count} code set not kept, qcode codebooks have no sets: {names}",
                                        "{count} code sets not kept, qcode codebooks have no sets: {names}",
                                        names=names), where, severity="warning"))
    return imported.codebook, warnings

