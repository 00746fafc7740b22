"""Imports only point down the layers (import-linter), lazy imports say why, and `qcode --help` loads no
heavy library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

LAZY_MARK = "# lazy:"


def python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False)


def test_import_contracts_hold():
    # The layers, the absence of cycles, textual only in tui/ and sqlite only in storage/ are declared
    # once, as import-linter contracts in pyproject.toml ([tool.importlinter]); this runs them.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def imports_inside_functions(source: str) -> list[tuple[int, str]]:
    """(line, text) of every import statement inside a function, by the line it starts on."""
    lines = source.splitlines()
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    found.add((inner.lineno, lines[inner.lineno - 1]))
    return sorted(found)


def test_the_only_imports_inside_functions_are_marked_lazy():
    # An import inside a function hides a dependency from a reader (and once hid cycles); the
    # deliberate ones (for `qcode --help` speed, or a slow library few paths need) say why.
    unmarked = [
        f"{path.relative_to(REPO_ROOT)}:{line}: {text.strip()}"
        for path in sorted((REPO_ROOT / "qcode").rglob("*.py"))
        for line, text in imports_inside_functions(path.read_text(encoding="utf-8"))
        if LAZY_MARK not in text
    ]
    assert unmarked == [], f"mark as '{LAZY_MARK} <why>' or move to the top of the module"


def test_the_lazy_import_check_sees_nested_and_unmarked_imports():
    source = (
        "import os\n"
        "def f():\n"
        "    import json  # lazy: example\n"
        "    def g():\n"
        "        from pathlib import (\n"
        "            Path,\n"
        "        )\n"
    )
    assert imports_inside_functions(source) == [(3, "    import json  # lazy: example"),
                                                (5, "        from pathlib import (")]


def test_help_does_not_import_textual_or_jieba():
    code = (
        "import sys\n"
        "from qcode.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in ('textual', 'jieba', 'sqlite_utils', 'numpy') if m in sys.modules]\n"
        "print('loaded', bad, file=sys.stderr)\n"
    )
    result = python(code)
    assert result.returncode == 0, result.stderr
    assert "loaded []" in result.stderr
    assert "qcode: qualitative coding" in result.stdout and "agree" in result.stdout


# How fast `--help` answers is measured by benchmarks/import_and_startup.py: timings are not tests.
