"""The grounded-theory demo: the bundled interviews, a codebook built bottom-up from them, and the
codings, starred examples, relations, memos and saturation test set that make every GT report real.

The codings are written as quotations (`demo_grounded_theory.yaml`) and found in the imported text, so
they stay exact whatever the transcripts' encoding or line endings.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from qcode.errors import InputError
from qcode.project.code_relations import RelationEditor
from qcode.project.codebook_loading import load_codebook_into
from qcode.project.coding import CodingSession
from qcode.project.demo import default_demo_path
from qcode.project.demo_cases import add_demo_cases
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.resources import bundled_dir

SPEC = Path(__file__).with_name("demo_grounded_theory.yaml")


def gt_codebook() -> Path:
    return bundled_dir("codebooks") / "gt-linxi.yaml"


def build_gt_demo(path: Path | None = None) -> Project:
    """Create the grounded-theory demo project at `path` (default: a new folder); return it open."""
    path = path or default_demo_path()
    created_here = not path.exists()
    project = Project.init(path)
    try:
        load_codebook_into(project, gt_codebook())
        import_transcripts(project, [bundled_dir("transcripts")])
        _code(project, yaml.safe_load(SPEC.read_text(encoding="utf-8")))
        add_demo_cases(project)  # the same persons and attributes as the main demo, so groups compare
    except BaseException:
        project.close()
        if created_here:
            shutil.rmtree(path, ignore_errors=True)
        raise
    return project


def _code(project: Project, spec: dict) -> None:
    store = project.store
    coder = spec["coder"]
    session = CodingSession(store, coder, source="demo")
    relations = RelationEditor(store, coder, "demo")
    texts = {t.name: (t, store.transcripts.text(t.id)) for t in store.transcripts.all()}
    applied = {}
    for transcript, code, quote, *flags in spec["codings"]:
        info, text = texts[transcript]
        start = text.find(quote)
        if start < 0:
            raise InputError(f"demo coding: '{quote}' is not in {transcript}", path=SPEC)
        coding = session.apply(info, code, start, start + len(quote))
        applied[(transcript, code)] = coding
        if "star" in flags:
            relations.star(coding.guid)
    for transcript, code, memo in spec["memos"]:
        session.set_coding_memo(applied[(transcript, code)].guid, memo)
    for source, target, type_, memo in spec["relations"]:
        relations.link(source, target, type_, memo)
    session.set_memo("code", "M3", "".join(line.strip() for line in spec["storyline"].splitlines()))
    relations.hold_back(spec["saturation_test"])
