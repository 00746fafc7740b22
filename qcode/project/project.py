"""A project folder: `qcode.db`, `qcode.toml`, `dictionary.txt`, and `codebooks/`, `transcripts/`, `exports/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qcode.errors import ProjectError
from qcode.i18n import N_, _
from qcode.project.config import CONFIG_FILENAME, CONFIG_TEMPLATE, ProjectConfig, load_config
from qcode.storage import Store, create_store, open_store
from qcode.storage.database import DB_FILENAME

PROJECT_FOLDERS = ("codebooks", "transcripts", "exports")
DICTIONARY_FILENAME = "dictionary.txt"
DICTIONARY_TEMPLATE = N_("""\
# Project dictionary for Chinese word segmentation (jieba): one term per line, optionally followed by a
# frequency and a part-of-speech tag, e.g. "旺苍发布 nz" (without a tag, nz is used, so the term also
# survives keyword extraction). A term cannot contain spaces or punctuation. Codebook names and keywords
# are added automatically. Add the terms of your study that jieba would split: account names, slogans.
公众号 nz
一网通办 nz
政务微信 nz
融媒体中心 nz
""")  # written in the interface language: only the comment lines differ


@dataclass
class Project:
    """An open project: its folder, settings and database (one `Store` per thread)."""

    root: Path
    config: ProjectConfig
    store: Store

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILENAME

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def open(cls, root: Path) -> Project:
        config = load_config(root)
        return cls(root, config, open_store(root / DB_FILENAME))

    @classmethod
    def init(cls, root: Path) -> Project:
        """Create a project in `root` (created if missing; an existing project is refused)."""
        root = root.expanduser()
        if (root / DB_FILENAME).exists():
            raise ProjectError(_("a qcode project already exists here"), path=root)
        if root.exists() and not root.is_dir():
            raise ProjectError(_("not a folder"), path=root)
        try:
            root.mkdir(parents=True, exist_ok=True)
            for folder in PROJECT_FOLDERS:
                (root / folder).mkdir(exist_ok=True)
            for name, template in ((CONFIG_FILENAME, CONFIG_TEMPLATE), (DICTIONARY_FILENAME, DICTIONARY_TEMPLATE)):
                if not (root / name).exists():
                    (root / name).write_text(_(template), encoding="utf-8")
        except OSError as exc:
            raise ProjectError(_("cannot create the project: {reason}").format(reason=exc.strerror), path=root) from exc
        return cls(root.resolve(), load_config(root), create_store(root / DB_FILENAME))
