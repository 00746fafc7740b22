"""Helpers shared by the REFI-QDA tests: writing .qdpx archives by hand, running the reference validator,
and comparing whole projects."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from qcode.project.project import Project
from tests.conftest import REPO_ROOT, dump

NS = "urn:QDA-XML:project:1.0"
SHARED = REPO_ROOT.parent / "shared" / "refi-qda"
VALIDATOR = SHARED / "validate.py"
SAMPLES = SHARED / "samples"

__all__ = [  # `dump` comes from conftest; the rest is defined here
    "NS", "SAMPLES", "SHARED", "VALIDATOR", "codes_xml", "dump", "gid", "project_xml", "require_shared",
    "selection_xml", "snapshot", "text_source_xml", "users_xml", "validate", "write_qdpx",
]


def gid(key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"test:{key}"))


def write_qdpx(path: Path, project_xml: str, files: dict[str, bytes] | None = None) -> Path:
    """A .qdpx holding `project.qde` and `files` (entry name -> bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml.encode("utf-8"))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def project_xml(body: str, *, origin: str = "test writer 1.0", extra: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name="test" origin="{origin}" {extra}>'
            f"{body}</Project>")


def users_xml(*names: str) -> str:
    return "<Users>" + "".join(f'<User guid="{gid("user:" + n)}" name="{n}"/>' for n in names) + "</Users>"


def codes_xml(*names: str) -> str:
    return "<CodeBook><Codes>" + "".join(
        f'<Code guid="{gid("code:" + n)}" name="{n}" isCodable="true"/>' for n in names) + "</Codes></CodeBook>"


def selection_xml(key: str, start: int, end: int, code: str, user: str, name: str = "") -> str:
    return (f'<PlainTextSelection guid="{gid("sel:" + key)}" name="{name}" startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{gid("user:" + user)}">'
            f'<Coding guid="{gid("coding:" + key)}" creatingUser="{gid("user:" + user)}">'
            f'<CodeRef targetGUID="{gid("code:" + code)}"/></Coding></PlainTextSelection>')


def text_source_xml(key: str, name: str, selections: str = "", path: str | None = None) -> str:
    path = path or f"internal://{gid('src:' + key)}.txt"
    return f'<TextSource guid="{gid("src:" + key)}" name="{name}" plainTextPath="{path}">{selections}</TextSource>'


def require_shared(path: Path) -> None:
    """Skip when the shared REFI-QDA material is absent on a developer machine; fail in CI, which has it."""
    if not path.exists():
        message = f"shared REFI-QDA material not found at {path}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must provide ../shared beside the project)")
        pytest.skip(message)


def validate(path: Path) -> subprocess.CompletedProcess:
    """Run the reference validator (`../shared/refi-qda/validate.py`) on a file."""
    require_shared(VALIDATOR)
    return subprocess.run([sys.executable, str(VALIDATOR), "-v", str(path)], check=False, capture_output=True,
                          text=True, timeout=120)


def snapshot(project: Project) -> dict:
    """A project's content by identity, independent of storage keys and import times."""
    store = project.store
    from qcode.project.codebook_loading import current_codebook

    book = current_codebook(store)
    return {
        "transcripts": sorted((t.guid, t.name, t.sha256, store.transcripts.text(t.id)) for t in store.transcripts.all()),
        "codebook": book.as_data() if book else None,
        "coders": sorted(store.coders.names()),
        "codings": sorted(store.codings.all(), key=lambda c: c.guid),
        "memos": sorted(store.memos.all(), key=lambda m: m.guid),
        "review": sorted((r.coder, r.transcript, r.status) for r in store.review.all()),
    }
