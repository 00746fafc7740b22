"""pyproject.toml says the truth: what qcode imports at run time is declared, and nothing else is.

Test-only libraries (reference implementations, openpyxl for reading workbooks back) belong in the
`test` extra; a library qcode imports must be a runtime dependency, or `pip install qcode` breaks.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "qcode"


def imported_top_level_names() -> set[str]:
    """Top-level names of every absolute import in qcode/, at module level or inside functions."""
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def normalise(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def declared(section: list[str]) -> set[str]:
    return {normalise(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]) for requirement in section}


def project_table() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def imported_distributions() -> set[str]:
    third_party = {n for n in imported_top_level_names() if n not in sys.stdlib_module_names and n != "qcode"}
    owners = packages_distributions()
    unknown = sorted(n for n in third_party if n not in owners)
    assert unknown == [], f"imported but not installed by any distribution: {unknown}"
    return {normalise(owners[name][0]) for name in third_party}


def optional_runtime() -> set[str]:
    """Libraries of the optional features (extras other than `test`, e.g. `charts`: matplotlib)."""
    extras = project_table().get("optional-dependencies", {})
    return {name for extra, section in extras.items() if extra != "test" for name in declared(section)}


def test_every_library_qcode_imports_is_a_runtime_dependency():
    # A dependency or the extra of the optional feature that imports it (`pip install qcode[charts]`).
    missing = imported_distributions() - declared(project_table()["dependencies"]) - optional_runtime()
    assert missing == set(), f"add to [project] dependencies in pyproject.toml: {sorted(missing)}"


def test_every_runtime_dependency_is_imported_by_qcode():
    # A dependency nothing imports (e.g. one only the tests use) belongs in the test extra, or nowhere.
    unused = declared(project_table()["dependencies"]) - imported_distributions()
    assert unused == set(), f"declared but never imported by qcode/: {sorted(unused)}"


def test_the_import_scan_sees_function_level_imports_and_maps_names_to_distributions():
    names = imported_top_level_names()
    assert {"jieba", "docx", "yaml", "sqlite_utils"} <= names  # jieba and docx are imported lazily
    owners = packages_distributions()
    assert normalise(owners["yaml"][0]) == "pyyaml" and normalise(owners["docx"][0]) == "python-docx"


def test_every_type_ignore_names_its_error_code_and_a_reason():
    bare = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "type: ignore" in line and not re.search(r"# type: ignore\[[a-z-]+(, [a-z-]+)*\]  # \S", line)
    ]
    assert bare == [], "write `# type: ignore[code]  # why`"
