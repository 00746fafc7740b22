"""Every schema migration, once, in the order they apply (the schema version is their count).

Migrations live beside the features that need them (`schema_<topic>.py`, each function marked with
`@migration("name")`). This list of modules is the one place that orders them: append a new module at
the end, and never reorder or remove one, because existing projects record the names they have applied.
"""

from __future__ import annotations

from types import ModuleType

from sqlite_utils.migrations import Migrations

from qcode.storage import (
    schema,
    schema_attributes,
    schema_blind,
    schema_codebook_evolution,
    schema_codings,
    schema_positions,
    schema_reports,
    schema_text,
    schema_turn_times,
)
from qcode.storage.schema import MigrationFunction

# In order of application; within a module, in the order its functions are defined.
MIGRATION_MODULES: tuple[ModuleType, ...] = (
    schema,
    schema_reports,
    schema_text,
    schema_blind,
    schema_codings,
    schema_codebook_evolution,
    schema_attributes,
    schema_turn_times,
    schema_positions,
)


def _marked(module: ModuleType) -> list[tuple[str, MigrationFunction]]:
    """The module's `@migration` functions, in the order they are defined."""
    found = []
    for value in vars(module).values():
        name = getattr(value, "migration_name", None)
        if isinstance(name, str) and callable(value) and value.__module__ == module.__name__:
            found.append((name, value))
    return found


MIGRATION_NAMES: list[str] = []
migrations = Migrations("qcode")
for _module in MIGRATION_MODULES:
    for _name, _function in _marked(_module):
        migrations(name=_name)(_function)  # raises on a name used twice
        MIGRATION_NAMES.append(_name)
