"""SQLite persistence: the only package that imports sqlite_utils.

`open_store()` gives a `Store`, which owns one connection (connections are per thread) and exposes one
repository per aggregate (transcripts, codes, codings, ...). Every write goes through
`Store.transaction()`, so a command is one transaction and a failure leaves the project unchanged.
"""

import sys

if "pandas" not in sys.modules:
    # sqlite-utils imports pandas whenever it is installed (0.3 s and 35 MiB: a third of the TUI's start-up
    # and memory), only to store pandas values, which qcode never gives it. Import it with pandas hidden.
    sys.modules["pandas"] = None  # type: ignore[assignment]  # None here makes `import pandas` fail
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        del sys.modules["pandas"]

from qcode.storage.database import SCHEMA_VERSION, Store, create_store, open_store  # noqa: E402

__all__ = ["SCHEMA_VERSION", "Store", "create_store", "open_store"]
