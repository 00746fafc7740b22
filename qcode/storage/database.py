"""Opening the project database: pragmas, migrations, version checks, transactions.

Every connection turns foreign keys on (SQLite leaves them off per connection), uses WAL so readers
never block the writer, and waits a little for a busy writer before reporting a lock. SQLite objects
must not cross threads: open one `Store` per thread.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from qcode import __version__
from qcode.errors import ProjectError
from qcode.i18n import _
from qcode.storage.clock import utc_now
from qcode.storage.codes import CodeRepository
from qcode.storage.coders import CoderRepository
from qcode.storage.codings import CodingRepository
from qcode.storage.journal import JournalRepository
from qcode.storage.memos import MemoRepository
from qcode.storage.migrations import MIGRATION_NAMES, migrations
from qcode.storage.positions import ReadingPositionRepository
from qcode.storage.relations import RelationRepository
from qcode.storage.reveals import RevealRepository
from qcode.storage.review import ReviewRepository
from qcode.storage.transaction import Transaction
from qcode.storage.transcripts import TranscriptRepository

SCHEMA_VERSION = len(MIGRATION_NAMES)
DB_FILENAME = "qcode.db"


def _busy_timeout_seconds() -> float:
    """How long to wait for another process's write lock before giving up (env override for tests)."""
    try:
        return float(os.environ.get("QCODE_BUSY_TIMEOUT", "5"))
    except ValueError:
        return 5.0


class DatabaseLocked(ProjectError):
    """Another connection holds the write lock longer than the busy timeout; nothing was written."""


class DuplicateCoding(ProjectError):
    """A write would store the same coding (coder, transcript, code, span) twice; nothing was written."""


def _locked_message() -> str:
    return _("the project database is locked by another process (another qcode command or the coding "
             "screen is writing); try again in a moment")


def _not_a_database(exc: BaseException) -> str:
    return _("not a qcode project database ({reason})").format(reason=exc)


def _locked_error(path: Path) -> ProjectError:
    return DatabaseLocked(
        _locked_message(),
        path=path,
    )


def _is_lock_error(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@contextmanager
def immediate(db: Database, patience: float = 0.0, on_wait: Callable[[], None] | None = None) -> Iterator[Database]:
    """`BEGIN IMMEDIATE` … `COMMIT` (rolled back on any exception); a savepoint when already inside one.

    Taking the lock is retried for `patience` seconds beyond the busy timeout (nothing has been done
    yet, so a retry is safe); `on_wait` is called once when the first attempt meets a lock.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    began, told = time.monotonic(), False
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if not _is_lock_error(exc) or time.monotonic() - began >= patience:
                raise
            if on_wait is not None and not told:
                on_wait()
                told = True
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class Store:
    """The project database and its repositories, on one connection (use from one thread only)."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.transcripts = TranscriptRepository(db)
        self.codes = CodeRepository(db)
        self.coders = CoderRepository(db)
        self.codings = CodingRepository(db, self.coders)
        self.review = ReviewRepository(db, self.coders)
        self.memos = MemoRepository(db, self.coders)
        self.journal = JournalRepository(db)
        self.reveals = RevealRepository(db, self.coders)
        self.relations = RelationRepository(db, self.coders)
        self.positions = ReadingPositionRepository(db, self.coders)
        # A command that can wait sets these: keep trying for the write lock this long, saying so once.
        self.lock_patience = 0.0
        self.on_lock_wait: Callable[[], None] | None = None

    @contextmanager
    def transaction(self, actor: str = "qcode", source: str = "cli", **kwargs: Any) -> Iterator[Transaction]:
        """All writes of one command: committed together, or (on any exception) not at all.

        The transaction begins IMMEDIATE: it takes the write lock before its first read, so a busy
        writer elsewhere is waited for (busy timeout) and the reads inside (duplicate checks) see the
        state the writes apply to. A nested call becomes a savepoint of the outer transaction.
        """
        tx = Transaction(self.db, actor, source, **kwargs)
        try:
            with immediate(self.db, self.lock_patience, self.on_lock_wait):
                yield tx
        except sqlite3.OperationalError as exc:
            if _is_lock_error(exc):
                raise _locked_error(self.path) from exc
            raise
        except sqlite3.IntegrityError as exc:
            if "codings" in str(exc) and "UNIQUE" in str(exc):
                raise DuplicateCoding(_("the same coding (coder, transcript, code and span) is already stored; "
                                        "nothing was changed"), path=self.path) from exc
            raise

    def set_busy_timeout(self, seconds: float) -> None:
        """How long this connection waits for another writer's lock before giving up."""
        self.db.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    @contextmanager
    def waiting_at_most(self, seconds: float) -> Iterator[None]:
        """Within the block, give up on another writer's lock after `seconds` (then as before)."""
        previous = self.db.execute("PRAGMA busy_timeout").fetchone()[0]
        self.set_busy_timeout(seconds)
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(previous)}")

    def backup_to(self, target: Path) -> None:
        """Write a consistent copy of the database to `target` with SQLite's online backup.

        The copy is taken in one step from this connection's snapshot, so writers in other processes
        (WAL mode) and open readers neither block it nor make it inconsistent.
        """
        destination = sqlite3.connect(str(target))
        try:
            self.db.conn.backup(destination)
        finally:
            destination.close()

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path) -> Database:
    # A write that Python starts implicitly (outside `Store.transaction`) takes the lock at once too.
    conn = sqlite3.connect(str(path), timeout=_busy_timeout_seconds(), isolation_level="IMMEDIATE")
    db = Database(conn, execute_plugins=False)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")  # a commit survives power loss, not only a crash
        if db.journal_mode != "wal":
            db.enable_wal()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlite3.OperationalError) and _is_lock_error(exc):
            raise _locked_error(path) from exc
        raise database_error(exc, path) or ProjectError(_not_a_database(exc), path=path) from exc
    return db


def _check_version(db: Database, path: Path) -> None:
    """Refuse a database written by a newer qcode instead of misreading it."""
    user_version = db.execute("PRAGMA user_version").fetchone()[0]
    applied = {m.name for m in migrations.applied(db)}
    unknown = sorted(applied - set(MIGRATION_NAMES))
    if user_version > SCHEMA_VERSION or unknown:
        raise ProjectError(
            _("this project uses schema version {found}, but this qcode ({version}) knows only up to {known}; "
              "upgrade qcode to open it").format(found=user_version, version=__version__, known=SCHEMA_VERSION),
            path=path,
        )
    if not db["meta"].exists():
        raise ProjectError(_("not a qcode project database (no meta table)"), path=path)


def _migrate(db: Database, path: Path) -> None:
    if not migrations.pending(db):
        return
    try:
        # One write transaction for all pending migrations: two processes opening an old project at
        # once wait for each other, and the second finds nothing left to do.
        with immediate(db):
            if not migrations.pending(db):
                return
            migrations.apply(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
    except sqlite3.OperationalError as exc:
        if _is_lock_error(exc):
            raise _locked_error(path) from exc
        raise


def create_store(path: Path) -> Store:
    """Create a new project database at `path` (which must not exist) with the current schema."""
    if path.exists():
        raise ProjectError(_("a project database already exists here"), path=path)
    db = _connect(path)
    _migrate(db, path)
    with immediate(db):
        for key, value in (
            ("project_guid", str(uuid.uuid4())),
            ("created_at", utc_now()),
            ("created_by", f"qcode {__version__}"),
        ):
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
    return Store(db, path)


def open_store(path: Path) -> Store:
    """Open an existing project database, upgrading an older schema in place.

    A database this user cannot write (read-only file, folder or mount) is opened read-only: commands
    that only read work, and a command that writes is told the project is read-only (`database_error`).
    """
    if not path.is_file():
        raise ProjectError(_("no project database here"), path=path)
    if not _writable(path):
        return _open_readonly_project(path)
    db = _connect(path)
    try:
        if db["_sqlite_migrations"].exists():
            _check_version(db, path)
        else:
            raise ProjectError(_("not a qcode project database (no schema record)"), path=path)
        _migrate(db, path)
    except BaseException:
        db.close()
        raise
    return Store(db, path)


def open_store_readonly(path: Path) -> Store:
    """Open another project database for reading only (never migrated, never written).

    Refuses a database written by a newer qcode; an older schema is read as it is.
    """
    if not path.is_file():
        raise ProjectError(_("no project database here"), path=path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=_busy_timeout_seconds())
    except sqlite3.DatabaseError as exc:
        raise ProjectError(_("cannot open the database read-only ({reason})").format(reason=exc), path=path) from exc
    db = Database(conn, execute_plugins=False)
    try:
        if not db["_sqlite_migrations"].exists():
            raise ProjectError(_("not a qcode project database (no schema record)"), path=path)
        _check_version(db, path)
        # Another coder's file may have been damaged on its way here: say so before reading it.
        damage = [row[0] for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
        if damage != ["ok"]:
            raise ProjectError(_("the database is damaged ({reason})").format(reason="; ".join(damage)), path=path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise database_error(exc, path) or ProjectError(_not_a_database(exc), path=path) from exc
    except BaseException:
        conn.close()
        raise
    return Store(db, path)


def _writable(path: Path) -> bool:
    """Whether SQLite can write the database: the file, and the folder for its -wal and -shm files."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _open_readonly_project(path: Path) -> Store:
    uri = path.resolve().as_uri()
    conn = None
    # mode=ro still needs the -shm file of a WAL database; on a read-only folder or mount without one,
    # only `immutable` opens it (nobody can be writing there: nobody can write there).
    for query in ("mode=ro", "mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(f"{uri}?{query}", uri=True, timeout=_busy_timeout_seconds())
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            break
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
                conn = None
            failure = exc
    if conn is None:
        raise ProjectError(_("cannot open the read-only project database ({reason})").format(reason=failure),
                           path=path)
    db = Database(conn, execute_plugins=False)
    try:
        if not db["_sqlite_migrations"].exists():
            raise ProjectError(_("not a qcode project database (no schema record)"), path=path)
        _check_version(db, path)
        if migrations.pending(db):
            raise ProjectError(_("this project was written by an older qcode and needs upgrading, but it is "
                                 "read-only here; open it once where it can be written"), path=path)
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise database_error(exc, path) or ProjectError(_not_a_database(exc), path=path) from exc
    except BaseException:
        conn.close()
        raise
    return Store(db, path)


def database_error(exc: BaseException, path: Path | None = None) -> ProjectError | None:
    """The message for an SQLite error that reached the user (disk full, read-only, locked, damaged),
    or None when `exc` is not one of these."""
    if not isinstance(exc, sqlite3.Error):
        return None
    text = str(exc).lower()
    where = path if path is not None else None
    if "full" in text:
        return ProjectError(_("the disk is full ({reason}); nothing was changed: free some space and run the "
                              "command again").format(reason=exc), path=where)
    if "readonly" in text or "read-only" in text or "query_only" in text or "query only" in text:
        return ProjectError(_("the project is read-only here (its file, folder or disk cannot be written): "
                              "commands that only read it work, this one would change it"), path=where)
    if isinstance(exc, sqlite3.OperationalError) and _is_lock_error(exc):
        return _locked_error(where) if where is not None else ProjectError(_locked_message())
    if "not a database" in text and path is not None and not _has_sqlite_header(path):
        return None  # some other file: the caller says it is not a qcode project database
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return ProjectError(_("the database is damaged ({reason}); `qcode check` says what is wrong, `qcode "
                              "backup` copies made earlier can replace it").format(reason=exc), path=where)
    if "disk i/o" in text or "unable to open" in text:
        return ProjectError(_("the database cannot be read or written ({reason})").format(reason=exc), path=where)
    return None


def _has_sqlite_header(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False
