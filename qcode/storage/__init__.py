"""SQLite persistence: the only package that imports sqlite_utils.

`open_store()` gives a `Store`, which owns one connection (connections are per thread) and exposes one
repository per aggregate (transcripts, codes, codings, ...). Every write goes through
`Store.transaction()`, so a command is one transaction and a failure leaves the project unchanged.
"""

from qcode.storage.database import SCHEMA_VERSION, Store, create_store, open_store

__all__ = ["SCHEMA_VERSION", "Store", "create_store", "open_store"]
