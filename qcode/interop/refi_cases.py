"""REFI-QDA variables and cases <-> qcode's attributes and persons.

Export: every attribute is a `<Variable>` (typeOfVariable: text and category Text, number Integer or Float,
date Date, boolean Boolean); a transcript's values are `<VariableValue>`s of its `<TextSource>`; every
stored person is a `<Case>` with its values and a `<SourceRef>` to each transcript where it speaks. qcode
keeps what REFI-QDA cannot say in processing instructions: `<?qcode-variable {kind, name, type,
levels}?>` in a Variable (believed only when the Variable's GUID is the one qcode derives from kind and
name) and `<?qcode-person {"labels": [[transcript GUID, label], ...]}?>` in a Case (the speaker labels
the person speaks under; believed for transcripts the Case refers to).

Import: variables used by text sources become transcript attributes, variables used by cases person
attributes; cases become persons. A value that does not fit its variable's type is skipped with a warning.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any
from dataclasses import dataclass, field

from lxml import etree

from qcode.domain.attributes import AttributeDefinition, parse_value
from qcode.domain.control_chars import visible_name, without_controls
from qcode.i18n import _
from qcode.interop.refi_common import PROJECT_NS, derived_guid, normalize_guid, pi_data, pi_text, xml_safe
from qcode.storage import Store
from qcode.storage.cases import CaseRepository
from qcode.i18n import N_

PI_VARIABLE = "qcode-variable"
PI_PERSON = "qcode-person"
CASE_KINDS = {"transcript": N_("transcript"), "person": N_("person")}  # attribute kinds, as messages
_VALUE_ELEMENT = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue", "Float": "FloatValue",
                  "Date": "DateValue", "DateTime": "DateTimeValue"}
_FROM_REFI = {"Text": "text", "Boolean": "boolean", "Integer": "number", "Float": "number", "Date": "date",
              "DateTime": "text"}


def _q(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


def variable_guid(kind: str, name: str) -> str:
    return derived_guid("variable", f"{kind}:{name}")


def _refi_type(definition: AttributeDefinition, values: list[str]) -> str:
    if definition.type == "number":
        return "Integer" if all(float(v).is_integer() for v in values) else "Float"
    return {"date": "Date", "boolean": "Boolean"}.get(definition.type, "Text")


def _decimal(value: str) -> str:
    """A canonical number as xsd:decimal (no exponent)."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return format(number, "f").rstrip("0").rstrip(".") if math.isfinite(number) else "0"


# -- export -----------------------------------------------------------------------------------------


def add_variables_and_cases(root: etree._Element, store: Store, sources: dict[int, etree._Element]) -> None:
    """Add <Variables>, <Cases> and each text source's <VariableValue>s to a project element being exported.

    `sources` maps transcript ids to their <TextSource> elements (already complete).
    """
    repo = CaseRepository.of(store)
    definitions = repo.definitions()
    if not definitions:
        return
    values = {kind: repo.values(kind) for kind in ("transcript", "person")}
    names_in_both = {d.name for d in definitions if d.kind == "transcript"} & {
        d.name for d in definitions if d.kind == "person"}
    variables = etree.Element(_q("Variables"))
    refi_types: dict[tuple[str, str], str] = {}
    for d in definitions:
        stored = [v[d.name] for v in values[d.kind].values() if d.name in v]
        refi_types[(d.kind, d.name)] = _refi_type(d, stored)
        shown = f"{d.name} ({d.kind})" if d.name in names_in_both else d.name
        variable = etree.SubElement(variables, _q("Variable"), guid=variable_guid(d.kind, d.name),
                                    name=xml_safe(shown), typeOfVariable=refi_types[(d.kind, d.name)])
        levels = f" (levels in order: {', '.join(d.levels)})" if d.levels else ""
        etree.SubElement(variable, _q("Description")).text = xml_safe(f"qcode {d.kind} attribute, {d.type}{levels}")
        variable.append(etree.ProcessingInstruction(PI_VARIABLE, pi_text(
            {"kind": d.kind, "name": d.name, "type": d.type, "levels": list(d.levels)})))

    def add_values(parent: etree._Element, kind: str, found: dict[str, str]) -> None:
        for d in definitions:
            if d.kind != kind or d.name not in found:
                continue
            refi = refi_types[(kind, d.name)]
            value = etree.SubElement(parent, _q("VariableValue"))
            etree.SubElement(value, _q("VariableRef"), targetGUID=variable_guid(kind, d.name))
            raw = found[d.name]
            text = _decimal(raw) if d.type == "number" else raw
            etree.SubElement(value, _q(_VALUE_ELEMENT[refi])).text = xml_safe(text)

    for transcript_id, source in sources.items():
        add_values(source, "transcript", values["transcript"].get(transcript_id, {}))

    persons = repo.persons()
    guid_of_transcript = {t.id: t.guid for t in store.transcripts.all()}
    labels: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for (transcript_id, label), person_id in sorted(repo.speaker_map().items()):
        if transcript_id in guid_of_transcript:
            labels[person_id].append((guid_of_transcript[transcript_id], label))
    cases = etree.Element(_q("Cases"))
    for person in persons:
        case = etree.SubElement(cases, _q("Case"), guid=person.guid, name=xml_safe(person.name))
        case.append(etree.ProcessingInstruction(PI_PERSON, pi_text({"labels": labels.get(person.id, [])})))
        add_values(case, "person", values["person"].get(person.id, {}))
        for guid in dict.fromkeys(g for g, _label in labels.get(person.id, [])):
            etree.SubElement(case, _q("SourceRef"), targetGUID=guid)
    # Schema order: Users, CodeBook, Variables, Cases, Sources, ...
    anchor = next((root.index(e) for e in root if e.tag in (_q("Sources"), _q("Notes"), _q("Links"), _q("Sets"))),
                  len(root))
    root.insert(anchor, variables)
    if len(cases):
        root.insert(anchor + 1, cases)


# -- import -----------------------------------------------------------------------------------------


@dataclass
class ImportedCases:
    """Variables, values and cases of a .qdpx in qcode's terms (not yet checked against their types)."""

    definitions: dict[tuple[str, str], AttributeDefinition] = field(default_factory=dict)
    transcript_values: dict[str, dict[str, str]] = field(default_factory=dict)  # source GUID -> {name: raw}
    persons: list[tuple[str, str, dict[str, str], list[tuple[str, str]]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _variable_info(variable: etree._Element) -> tuple[str | None, str, str, tuple[str, ...]]:
    """(kind or None, name, type, levels) of a <Variable>, from qcode's instruction when it is believable."""
    guid = normalize_guid(variable.get("guid"))
    for child in variable:
        if isinstance(child, etree._ProcessingInstruction) and child.target == PI_VARIABLE:
            data = pi_data(child.text) or {}
            kind, name = data.get("kind"), data.get("name")
            if isinstance(name, str) and kind in ("transcript", "person") and guid == variable_guid(kind, name):
                levels = tuple(str(v) for v in data.get("levels") or ())
                return kind, name, str(data.get("type", "text")), levels
    return None, variable.get("name") or "?", _FROM_REFI.get(variable.get("typeOfVariable", "Text"), "text"), ()


def _values(element: etree._Element, variables: Mapping[str | None, tuple[Any, ...]]) -> dict[str, tuple[str, str]]:
    """guid -> (name, raw value) of the <VariableValue>s directly under `element`."""
    found: dict[str, tuple[str, str]] = {}
    for value in element.iterfind(_q("VariableValue")):
        ref = value.find(_q("VariableRef"))
        guid = normalize_guid(ref.get("targetGUID")) if ref is not None else None
        if guid is None or guid not in variables:
            continue
        raw = next((child.text or "" for child in value if child.tag != _q("VariableRef")
                    and isinstance(child.tag, str)), "")
        if raw.strip():
            found[guid] = (variables[guid][1], raw.strip())
    return found


def _plain(name: str, warnings: list[str]) -> str:
    """`name` without control characters or bidi overrides (they could disturb a terminal), warned about."""
    cleaned = without_controls(name)
    if cleaned != name:
        warnings.append(_("the name '{name}' holds control characters; imported without them as '{cleaned}'").format(
            name=visible_name(name), cleaned=cleaned))
    return cleaned


def read_variables_and_cases(root: etree._Element, person_names: set[str]) -> ImportedCases:
    """The variables, values and cases of a project element (see the module docstring)."""
    found = ImportedCases()
    variables = {normalize_guid(v.get("guid")): _variable_info(v)
                 for v in root.iterfind(f"{_q('Variables')}/{_q('Variable')}") if normalize_guid(v.get("guid"))}
    for guid, (kind, name, type_, levels) in variables.items():
        variables[guid] = (kind, _plain(name, found.warnings), type_, tuple(_plain(v, found.warnings) for v in levels))
    sources = root.find(_q("Sources"))
    for source in (sources if sources is not None else ()):
        guid = normalize_guid(source.get("guid"))
        values = _values(source, variables)
        if guid and values:
            found.transcript_values[guid] = {}
            for variable, (name, raw) in values.items():
                kind, _name, type_, levels = variables[variable]
                if kind in (None, "transcript"):
                    found.definitions.setdefault(("transcript", name), AttributeDefinition("transcript", name,
                                                                                           type_, levels))
                    found.transcript_values[guid][name] = raw
    for case in root.iterfind(f"{_q('Cases')}/{_q('Case')}"):
        name = _plain(case.get("name") or "", found.warnings).strip() or f"case {len(found.persons) + 1}"
        base, n = name, 2
        while name in person_names:
            name, n = f"{base} ({n})", n + 1
        person_names.add(name)
        refs = {normalize_guid(r.get("targetGUID")) for r in case.iterfind(_q("SourceRef"))}
        labels: list[tuple[str, str]] = []
        for child in case:
            if isinstance(child, etree._ProcessingInstruction) and child.target == PI_PERSON:
                data = pi_data(child.text) or {}
                labels = [(str(g), str(label)) for g, label in data.get("labels", [])
                          if normalize_guid(str(g)) in refs]
        case_values: dict[str, str] = {}
        for variable, (vname, raw) in _values(case, variables).items():
            kind, _name, type_, levels = variables[variable]
            found.definitions.setdefault(("person", vname), AttributeDefinition("person", vname, type_, levels))
            case_values[vname] = raw
        found.persons.append((name, normalize_guid(case.get("guid")) or "", case_values, labels))
    return found


def store_cases(store: Store, tx, imported: ImportedCases, transcripts: dict[str, tuple[int, str]]) -> list[str]:
    """Store imported variables, values and persons (inside the import's transaction); returns warnings.

    `transcripts` maps source GUIDs to (transcript id, name) of the transcripts just stored.
    """
    repo = CaseRepository.of(store)
    warnings = list(imported.warnings)
    for definition in imported.definitions.values():
        if definition.type == "category" and not definition.levels:
            definition = AttributeDefinition(definition.kind, definition.name, "text")
        repo.define(tx, definition)
    defined = {(d.kind, d.name): d for d in repo.definitions()}

    def checked(kind: str, case: str, name: str, raw: str) -> str | None:
        d = defined[(kind, name)]
        try:
            return parse_value(d.type, raw, d.levels)
        except ValueError as exc:
            warnings.append(_("{kind} {case}: {name} = {value!r} left out: {problem}").format(
                kind=_(CASE_KINDS[kind]), case=case, name=name, value=raw, problem=exc))
            return None

    rows = []
    for guid, values in imported.transcript_values.items():
        if guid not in transcripts:
            continue
        transcript_id, name = transcripts[guid]
        rows += [(n, transcript_id, name, v) for n, raw in values.items() if (v := checked("transcript", name, n, raw))]
    repo.add_values(tx, "transcript", rows)
    for name, guid, values, labels in imported.persons:
        person = repo.ensure_person(tx, name, guid or None)
        for n, raw in values.items():
            value = checked("person", name, n, raw)
            if value is not None:
                repo.set_value(tx, "person", n, person.id, name, value)
        for source_guid, label in labels:
            target = transcripts.get(normalize_guid(source_guid) or "")
            if target is not None:
                repo.map_speaker(tx, target[0], target[1], label, person)
    return warnings
