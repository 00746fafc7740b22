"""`qcode init DIR --from FILE.qdpx`: a new project made from a REFI-QDA project.

The file is read and checked completely before anything is created. The project is then built in a
hidden folder beside DIR and renamed into place only when everything is stored, so a failure at any
point leaves no half-made project behind. Transcripts keep their GUIDs from the file and get speaker
turns and sentences cut with the new project's settings, exactly as `qcode import` cuts them.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from qcode.domain.models import Coding
from qcode.errors import Problem, ProjectError
from qcode.interop.qdpx_read import RefiProject, SkippedItem, read_qdpx
from qcode.project.codebook_loading import install_codebook
from qcode.interop.refi_cases import store_cases
from qcode.project.importing import cut_into_units, sha256_of, speaker_pattern
from qcode.project.project import Project
from qcode.storage.codings import fold_duplicates
from qcode.i18n import _


@dataclass(frozen=True)
class ImportReport:
    """What `init --from` made of a file, and what it could not import."""

    project_root: Path
    source: Path
    origin: str | None
    counting: str | None  # how the file counted positions, and why we think so
    transcripts: int
    codes: int
    coders: int
    codings: int
    memos: int
    review: int
    skipped: list[SkippedItem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _check_target(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise ProjectError(_("not a folder"), path=root)
    if root.is_dir() and any(root.iterdir()):
        raise ProjectError(_("the folder is not empty; `init --from` creates a new project in a new or empty folder"),
                           path=root)


def init_project_from_qdpx(root: Path, qdpx: Path) -> ImportReport:
    """Create a project at `root` (new or empty folder) holding everything `qdpx` has that qcode can use."""
    root = root.expanduser().absolute()
    _check_target(root)
    refi = read_qdpx(Path(qdpx))
    staging = root.parent / f".{root.name}.qcode-import-{uuid.uuid4().hex[:8]}"
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        with Project.init(staging) as project:
            store_refi_project(project, refi)
        _check_target(root)  # still free after the work?
        if root.exists():
            root.rmdir()
        staging.rename(root)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ProjectError(_("cannot create the project: {reason}").format(reason=exc.strerror or exc), path=root) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ImportReport(
        root, Path(qdpx), refi.origin,
        f"{refi.counting.counting.label()}: {refi.counting.reason}" if refi.counting else None,
        len(refi.transcripts), len(refi.codebook) if refi.codebook else 0, len(refi.coders), len(refi.codings),
        len(refi.memos), len(refi.review), refi.skipped, refi.warnings,
    )


def store_refi_project(project: Project, refi: RefiProject) -> None:
    """Write an imported project into an empty project: the codebook, then everything else in one transaction."""
    store = project.store
    if refi.codebook is not None:
        install_codebook(project, refi.codebook, source=str(refi.path))
    settings = project.config.imports
    pattern = speaker_pattern(settings)
    with store.transaction(actor="qcode", source="import") as tx:
        for coder in refi.coders:
            store.coders.ensure(coder)
        ids: dict[str, tuple[int, str]] = {}
        for transcript in refi.transcripts:
            digest = sha256_of(transcript.text)
            info = store.transcripts.insert(guid=transcript.guid, name=transcript.name, sha256=digest,
                                            text=transcript.text, source_path=transcript.location,
                                            encoding="utf-8")
            units = cut_into_units(transcript.text, pattern, split_on_semicolon=settings.split_sentences_on_semicolon)
            store.transcripts.replace_units(info.id, units)
            tx.record("transcript.import", "transcripts", info.guid, None,
                      {"name": info.name, "sha256": digest, "characters": info.characters,
                       "source_path": transcript.location, "encoding": "utf-8"})
            ids[transcript.guid] = (info.id, info.name)
        codings, _ = fold_duplicates(  # another tool may hold one coding twice; keep one, with both memos
            (Coding(c.guid, c.coder, ids[c.transcript_guid][1], c.code, c.start, c.end, c.memo, c.created_at,
                    c.updated_at), ids[c.transcript_guid][0])
            for c in refi.codings
        )
        store.codings.insert_many(tx, codings, action="coding.import")
        for relation in refi.relations:
            store.relations.restore(tx, relation.guid, None, {
                "guid": relation.guid, "source": relation.source, "target": relation.target, "type": relation.type,
                "memo": relation.memo, "coder": relation.coder, "created_at": relation.created_at,
                "updated_at": relation.created_at}, "relation.import")
        for memo in refi.memos:
            row = {"guid": memo.guid, "target_kind": memo.target_kind, "target": memo.target, "coder": memo.coder,
                   "text": memo.text, "created_at": memo.created_at, "updated_at": memo.updated_at}
            store.memos.restore(tx, row, memo.guid)
            tx.record("memo.import", "memos", memo.guid, None, row)
        for coder, transcript_guid, status in refi.review:
            transcript_id, name = ids[transcript_guid]
            store.review.set(tx, coder, transcript_id, name, status)
        if refi.cases is not None:
            for warning in store_cases(store, tx, refi.cases, ids):
                refi.warnings.append(Problem(warning, str(refi.path), severity="warning"))
