"""SQLite persistence: the only package that imports sqlite_utils.

`open_store()` gives a `Store`, which owns one connection (connections are per thread) and exposes one
repository per aggregate (transcripts, codes, codings, ...). Every write goes through
`Store.transaction()`, so a command is one transaction and a failure leaves the project unchanged.
"""

import sys

# sqlite-utils imports pandas and numpy whenever they are installed, only to map their value types to
# column types when it creates a table from values; qcode creates every table by SQL in its migrations
# and never hands it pandas or numpy values. pandas costs 0.3 s and 35 MiB, numpy about 0.1 s: a third of
# a warm `qcode search`. Import sqlite-utils with those not yet loaded hidden (None in sys.modules makes
# `import numpy` fail fast); whoever needs numpy later (the TUI's layout, the statistics) imports it as usual.
_HIDDEN = [name for name in ("pandas", "numpy") if name not in sys.modules]
if "sqlite_utils.db" not in sys.modules:
    for _name in _HIDDEN:
        sys.modules[_name] = None  # type: ignore[assignment]  # None here makes the import fail
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for _name in _HIDDEN:
            del sys.modules[_name]

from qcode.storage.database import SCHEMA_VERSION, Store, create_store, open_store  # noqa: E402

__all__ = ["SCHEMA_VERSION", "Store", "create_store", "open_store"]
