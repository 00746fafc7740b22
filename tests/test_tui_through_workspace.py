"""The TUI reaches the core only through `qcode.workspace.Workspace` (issue 11 point 4).

The layers contract (pyproject [tool.importlinter]) lets the TUI import every lower layer, so it cannot
tell a screen naming a result type from a screen running a use case itself. This test can: from the
layers that read or change a project (storage, analysis, project, interop, reports), a module of qcode.tui
may import at run time only data types (dataclasses, enums, named tuples, exceptions) and constants:
nothing it could call to do work on a store. Service classes may be named for annotations, under
`if TYPE_CHECKING:`. And no TUI module touches `.store` (the Workspace's connection) or the
Workspace's `.project`.
The pure layers below (codebook matching, text formatting, agreement labels, domain) stay open to it:
they compute on values the Workspace hands out and never see a project.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import importlib
import inspect
from pathlib import Path

from tests.conftest import REPO_ROOT

TUI = REPO_ROOT / "qcode" / "tui"
DATA_LAYERS = ("qcode.storage", "qcode.analysis", "qcode.project", "qcode.interop", "qcode.reports")
# The entry point opens the project it hands to the app's Workspace (qcode.tui.app.run_app).
ALLOWED = {("qcode.tui.app", "qcode.project.project", "Project")}


def is_data(value: object) -> bool:
    """A value type or a constant: something the TUI can hold or compare, not ask to do work."""
    if inspect.isclass(value):
        return (dataclasses.is_dataclass(value) or issubclass(value, (enum.Enum, BaseException))
                or (issubclass(value, tuple) and hasattr(value, "_fields")))
    return not callable(value) and not inspect.ismodule(value)


def type_checking_lines(tree: ast.Module) -> set[int]:
    """The lines of the imports under `if TYPE_CHECKING:` (seen by the type checker only)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            lines |= {inner.lineno for stmt in node.body for inner in ast.walk(stmt)}
    return lines


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)


def bypasses(path: Path, source: str) -> list[str]:
    """What `path` imports from the data layers at run time that is not data, and its `.store` uses."""
    tree = ast.parse(source)
    for_types = type_checking_lines(tree)
    importer, found = module_name(path), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and (node.attr == "store" or (
                node.attr == "project" and ast.unparse(node.value).endswith("workspace"))):
            found.append(f"{importer}:{node.lineno}: .{node.attr}")
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno in for_types:
            continue
        if isinstance(node, ast.Import):
            found += [f"{importer}:{node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith(DATA_LAYERS)]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(DATA_LAYERS):
            module = importlib.import_module(node.module or "")
            found += [f"{importer}:{node.lineno}: {node.module}.{a.name}" for a in node.names
                      if (importer, node.module, a.name) not in ALLOWED and not is_data(getattr(module, a.name))]
    return sorted(found, key=lambda problem: int(problem.split(":")[1]))


def test_tui_modules_reach_the_core_only_through_the_workspace():
    found = [problem for path in sorted(TUI.rglob("*.py"))
             for problem in bypasses(path, path.read_text(encoding="utf-8"))]
    assert found == [], "call the Workspace (qcode/workspace.py) for this; import only result types"


def test_the_check_sees_calls_stores_and_lets_types_through():
    source = (
        "from typing import TYPE_CHECKING\n"
        "from qcode.reports.saturation import Saturation, saturation\n"
        "from qcode.storage.database import DatabaseLocked\n"
        "from qcode.reports.memo_list import MEMO_KINDS\n"
        "import qcode.reports.retrieval\n"
        "if TYPE_CHECKING:\n"
        "    from qcode.project.coding import CodingSession\n"
        "def f(workspace):\n"
        "    from qcode.project.coding import CodingSession  # lazy: example\n"
        "    return workspace.store, self.workspace.project.root\n"
    )
    path = TUI / "screens" / "example.py"
    assert bypasses(path, source) == [
        "qcode.tui.screens.example:2: qcode.reports.saturation.saturation",
        "qcode.tui.screens.example:5: import qcode.reports.retrieval",
        "qcode.tui.screens.example:9: qcode.project.coding.CodingSession",
        "qcode.tui.screens.example:10: .store",
        "qcode.tui.screens.example:10: .project",
    ]
