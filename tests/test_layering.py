"""The core never imports textual; `qcode --help` answers fast without textual or jieba."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

CORE_MODULES = [
    "qcode.domain.models", "qcode.domain.codebook", "qcode.domain.unit_rule", "qcode.errors",
    "qcode.text.decode", "qcode.text.readers", "qcode.text.turns", "qcode.text.sentences",
    "qcode.codebook", "qcode.codebook.search", "qcode.storage", "qcode.project.project",
    "qcode.project.importing", "qcode.project.codebook_loading", "qcode.project.coding",
    "qcode.project.reliability", "qcode.project.workspace", "qcode.project.demo", "qcode.agreement",
    "qcode.agreement.methods", "qcode.interop.codings_csv", "qcode.cli.main",
]


def python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False)


def test_the_core_imports_without_textual():
    # Make textual unimportable, import everything outside tui/, and check nothing needed it.
    code = (
        "import sys; sys.modules['textual'] = None\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "import pkgutil, importlib, qcode\n"
        "for info in pkgutil.walk_packages(qcode.__path__, 'qcode.'):\n"
        "    if not info.name.startswith(('qcode.tui', 'qcode.cli', 'qcode.__main__')):\n"
        "        importlib.import_module(info.name)\n"
        "print('ok')\n"
    )
    result = python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_only_storage_imports_sqlite_utils():
    import ast

    offenders = []
    for path in (REPO_ROOT / "qcode").rglob("*.py"):
        if "storage" in path.relative_to(REPO_ROOT / "qcode").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] in ("sqlite_utils", "textual") and not ("tui" in path.parts and n.startswith("textual"))
                   for n in names):
                offenders.append(f"{path.relative_to(REPO_ROOT)}: {names}")
    assert offenders == []


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
