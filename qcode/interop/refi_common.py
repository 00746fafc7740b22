"""What REFI-QDA reading and writing share: namespaces, stable GUIDs, timestamps, XML-safe text, and the
processing instructions through which qcode carries its own identities.

Stable GUIDs. Transcripts, codings and memos have GUIDs of their own. Codes, users, selections and
review sets get uuid5 GUIDs from one fixed namespace and their qcode identity (code id, coder name,
coding GUID), so exporting the same project twice gives the same GUIDs, and every export of a code
carries the same GUID wherever it is written.

qcode's own data. REFI-QDA has no place for a code's stable id, its bilingual name or its
include/exclude rules. qcode writes them as XML processing instructions (`<?qcode-code {...json}?>`
inside a `<Code>`): XML's sanctioned way to address one application, ignored by every other reader and
by schema validation. On import, a processing instruction is believed only when the GUID of the element
it sits in is the GUID qcode would derive from it, so a stale or copied instruction is ignored.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PROJECT_SCHEMA_LOCATION = f"{PROJECT_NS} http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
CODEBOOK_SCHEMA_LOCATION = f"{CODEBOOK_NS} http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"

#: Never change: every GUID qcode derives depends on it.
GUID_NAMESPACE = uuid.UUID("5b7c3f0e-2f5d-4c1e-9a43-7e0c2d9a6b11")

_NAMESPACE_BYTES = GUID_NAMESPACE.bytes

PI_CODE = "qcode-code"
PI_CODEBOOK = "qcode-codebook"
PI_REVIEW = "qcode-review"

_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")
# Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF).
_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def derived_guid(kind: str, key: str) -> str:
    """The stable GUID of a qcode thing that has no GUID of its own (`kind` is code, user, ...).

    This is `uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}")`, computed without building UUID objects
    (an export derives one per coding).
    """
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@lru_cache(maxsize=4096)  # asked once per coding on export: few codes, many codings
def code_guid(code_id: str) -> str:
    return derived_guid("code", code_id)


@lru_cache(maxsize=1024)
def user_guid(coder: str) -> str:
    return derived_guid("user", coder)


def selection_guid(coding_guid: str) -> str:
    return derived_guid("selection", coding_guid)


def review_set_guid(coder: str, status: str) -> str:
    return derived_guid("review", f"{status}:{coder}")


def normalize_guid(value: str | None) -> str | None:
    """A GUID in lower case without braces, or None when `value` is not a GUID."""
    if value is None:
        return None
    found = _GUID.fullmatch(value.strip())
    return found.group(1).lower() if found else None


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot represent (each becomes a space)."""
    return _NOT_XML.sub(" ", text)


def to_timestamp(value: str | None) -> str | None:
    """An xsd:dateTime as qcode stores time (UTC, milliseconds, `Z`); None if absent or unreadable."""
    if not value:
        return None
    if _STORED_TIME.fullmatch(value):
        return value
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:  # xsd:dateTime without a zone: take it as UTC rather than local time
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def pi_text(data: dict[str, Any]) -> str:
    """JSON for a processing instruction: `?>` cannot occur in one, so every `>` is escaped."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace(">", "\\u003e")


# qcode's instructions nest a few levels (a code's names, rules, keywords); deeper is not ours, and
# Python's JSON reader would run out of stack on a hostile thousand-fold nesting.
MAX_PI_NESTING = 16
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def pi_data(text: str | None) -> dict[str, Any] | None:
    """The JSON object of a processing instruction, or None if it is not one (or nests too deeply)."""
    if _nesting(text or "") > MAX_PI_NESTING:
        return None
    try:
        data = json.loads(text or "")
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _nesting(text: str) -> int:
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest
