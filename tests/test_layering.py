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
# Imports only point down this list (a package may import itself and anything below it). The shared
# helpers at the bottom (errors, userconfig, resources, i18n) import nothing above them.
LAYERS = ("cli", "tui", "reports", "interop", "project", "analysis", "agreement", "codebook", "text", "storage",
          "domain", "userconfig", "i18n", "resources", "errors")


def _imports() -> dict[str, list[tuple[str, bool]]]:
    """Per qcode module: every qcode module it imports, and whether the import is at module level."""
    import ast

    found: dict[str, list[tuple[str, bool]]] = {}
    for path in (REPO_ROOT / "qcode").rglob("*.py"):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(map(id, tree.body))
        edges = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qcode."):
                # `from package import submodule` depends on the submodule, not on the package.
                edges += [(f"{node.module}.{a.name}", id(node) in top) for a in node.names]
            elif isinstance(node, ast.Import):
                edges += [(a.name, id(node) in top) for a in node.names if a.name.startswith("qcode.")]
        found[name] = edges
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_imports_only_point_down_the_layers():
    upward = []
    for module, edges in _imports().items():
        mine = _layer(module)
        for target, _ in edges:
            theirs = _layer(target)
            if mine is not None and theirs is not None and theirs < mine:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_module_level_imports_have_no_cycles():
    graph = {m: {t for t, top in edges if top} for m, edges in _imports().items()}

    def resolve(target: str) -> str | None:
        while target and target not in graph:  # `from module import name`: the module
            target = target.rpartition(".")[0]
        return target or None

    graph = {m: {r for t in targets if (r := resolve(t)) and r != m} for m, targets in graph.items()}
    # Tarjan's strongly connected components; a component of more than one module is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    # The migrations register themselves by schema.py importing them at its bottom (BRIEF: helpers add
    # their migration modules to that line); a migrations list would remove this last circle.
    known = [["qcode.storage.schema", "qcode.storage.schema_reports", "qcode.storage.schema_text"]]
    assert [c for c in cycles if not set(c) <= {m for k in known for m in k} | {
        m for m in c if m.startswith("qcode.storage.schema_")}] == []


def test_project_and_reports_do_not_import_each_other():
    edges = _imports()
    crossing = [f"{m} -> {t}" for m, targets in edges.items() for t, _ in targets
                if (m.startswith("qcode.project") and t.startswith("qcode.reports"))
                or (m.startswith("qcode.reports") and t.startswith("qcode.project"))]
    assert crossing == []
