"""Reports keep to their layer: no textual or jieba, no SQL outside storage, and lazy CLI imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

REPORTS = REPO_ROOT / "qcode" / "reports"


def loaded_after(statement: str) -> set[str]:
    """Top-level modules loaded by running `statement` in a fresh interpreter."""
    code = f"import sys\n{statement}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_reports_never_load_textual_or_jieba():
    loaded = loaded_after("import qcode.reports, qcode.reports.workbook, qcode.reports.markdown")
    assert not {"textual", "jieba"} & loaded


def test_the_report_commands_module_loads_no_heavy_dependencies():
    loaded = loaded_after("import qcode.cli.report_cmds")
    assert not {"numpy", "sqlite_utils", "openpyxl", "textual", "jieba"} & loaded


def test_only_storage_talks_sql():
    for path in sorted(REPORTS.glob("*.py")) + [REPO_ROOT / "qcode" / "cli" / "report_cmds.py"]:
        source = path.read_text(encoding="utf-8")
        assert "sqlite_utils" not in source and "sqlite3" not in source, path.name
        assert ".execute(" not in source and "SELECT " not in source, path.name


def test_every_report_module_says_what_it_is_for():
    for path in sorted(REPORTS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert source.startswith('"""') and len(source.split('"""')[1].strip()) > 40, Path(path).name
