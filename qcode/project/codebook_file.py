"""The project's own codebook file, kept equal to the codebook in the database after every change.

When a codebook was loaded from a YAML file inside the project folder, that file is the project's
codebook file; otherwise it is `codebooks/<name>.yaml` in the project (the bundled codebook or a file
elsewhere is never written). Each change is written into the previous text with a round-trip YAML
writer, so comments and layout of untouched codes stay as the author wrote them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qcode.codebook import parse_codebook_text, read_codebook_text
from qcode.errors import ConflictError
from qcode.i18n import _
from qcode.storage import Store
from qcode.storage.codes import CodebookRecord


def project_root(store: Store) -> Path:
    return store.path.parent


def codebook_file(store: Store, record: CodebookRecord | None = None) -> Path:
    """Where the project's codebook is written (see the module's docstring).

    The newest version read from a file decides: a YAML file inside the project is the file itself;
    any other file (outside the project, or a .qdc) gives `codebooks/<its name>.yaml`. Versions made by
    a merge name no file and are passed over.
    """
    root = project_root(store).resolve()
    newest_first = list(reversed(store.codes.codebook_versions()))
    for version in ([record] if record is not None else []) + newest_first:
        if not version.source_path or version.source_path.startswith("merge of "):
            continue
        source = Path(version.source_path)
        if source.suffix.lower() in (".yaml", ".yml"):
            try:
                source.resolve().relative_to(root)
                return source.resolve()
            except ValueError:
                pass
        return root / "codebooks" / f"{source.stem or 'codebook'}.yaml"
    return root / "codebooks" / "codebook.yaml"


def base_text(store: Store, record: CodebookRecord | None) -> str | None:
    """The text a change is written into: the file when it still says the current codebook.

    A file edited since (other codes, not just comments) is refused, so a change never overwrites work
    that was not loaded; a missing file is written afresh from the stored version.
    """
    if record is None:
        return None
    path = codebook_file(store, record)
    if not path.is_file():
        return record.document
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    if text == record.document:
        return text
    reading = read_codebook_text(text, str(path))
    if reading.codebook is not None and reading.codebook.content_hash() == record.content_hash:
        return text  # only comments or layout differ: keep the author's
    raise ConflictError(
        _("{path} was edited outside qcode since the project's codebook was saved; load it first "
          "(`qcode codebook load {path}`) so the edits in it are not overwritten").format(path=path)
    )


def write_codebook_file(store: Store, *, checked: bool = False) -> Path | None:
    """Write the current codebook version to the project's codebook file (atomically); its path.

    `checked`: the caller has just read the text back as a codebook, so it is not parsed again.
    """
    record = store.codes.current_codebook()
    if record is None:
        return None
    path = codebook_file(store, record)
    if path.is_file() and path.read_text(encoding="utf-8-sig", errors="replace") == record.document:
        return path
    if not checked:
        parse_codebook_text(record.document, str(path), stored=True)  # never write a text that would not load
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".qcode-", suffix=".yaml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(record.document)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
