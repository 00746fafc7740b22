"""`qcode export xlsx` against XlsxWriter writing the same cells by itself (issue 11 point 10: at most 1.3x).

The project is the one of `benchmarks/reports.py`: 50 transcripts, 2 M characters, 60,000 codings by 3
coders (built through the storage API in a temporary folder unless --project names one; an existing
project there is reused).

qcode: `python -m qcode export xlsx FILE -p PROJECT` as a subprocess, end to end (interpreter start,
imports, reading the project, every computation, writing the file), with its modules' bytecode cached
as in any installation (in a temporary folder: see `compiled_bytecode_env`).

The floor: the workbook qcode wrote is read back with openpyxl once (not timed): every sheet's name,
cells (values and their Python types), per-cent columns and column widths. Then this process writes the
same sheets and cells with XlsxWriter alone: one `write_row` per row, the header row bold, the column
widths and per-cent formats by `set_column`, the header frozen, with the workbook options qcode uses
(strings stay strings). Only the writing is timed (from `Workbook()` to `close()`), so the floor has no
interpreter start and no imports: qcode pays those inside its figure.

The floor is also timed without Python's cyclic garbage collector, as qcode builds and writes its
workbook (qcode/reports/xlsx.py `cyclic_gc_paused`), and that ratio printed for comparison; the target
is judged against the plain floor.

Runs alternate (qcode, floor, floor without GC, ...) after one warm-up of each, so that load on the machine
falls on both alike. Printed: the median and best wall-clock seconds and the median CPU seconds of each,
and the ratios of the medians. The CPU ratio is the steadier figure on a loaded machine.

Run: `python benchmarks/export_xlsx.py [--runs N] [--project DIR]` (uses the qcode of this checkout).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RUNS = 5
TARGET = 1.3
REPO_ROOT = Path(__file__).resolve().parent.parent
# The options qcode's workbooks are written with (qcode/reports/xlsx.py), so that both files are alike.
WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
                    "nan_inf_to_errors": False}


@dataclass
class Sheet:
    title: str
    rows: list[tuple[Any, ...]]  # the header row first
    widths: dict[int, float]  # 0-based column -> width
    percent: set[int]  # 0-based columns formatted as per cent


def read_back(path: Path) -> list[Sheet]:
    """The sheets of a workbook: cells with openpyxl, column widths from the sheet XML."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    sheets = []
    with zipfile.ZipFile(path) as archive:
        for number, worksheet in enumerate(book.worksheets, start=1):
            rows: list[tuple[Any, ...]] = []
            percent: set[int] = set()
            width = worksheet.max_column
            for r, cells in enumerate(worksheet.iter_rows()):
                values = tuple(cell.value for cell in cells)
                rows.append(values + (None,) * (width - len(values)))
                if r == 1:
                    percent = {c for c, cell in enumerate(cells) if "%" in (cell.number_format or "")}
            xml = archive.read(f"xl/worksheets/sheet{number}.xml").decode()
            widths = {int(first) - 1: float(w) for first, w in
                      re.findall(r'<col min="(\d+)" max="\d+" width="([\d.]+)"', xml)}
            sheets.append(Sheet(worksheet.title, [_trimmed(row) for row in rows], widths, percent))
    return sheets


def _trimmed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row without its trailing empty cells (write_row would write nothing for them anyway)."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def write_floor(sheets: list[Sheet], path: Path) -> None:
    """The same sheets and cells, written by XlsxWriter alone."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    bold = book.add_format({"bold": True})
    percent = book.add_format({"num_format": "0.0%"})
    for sheet in sheets:
        worksheet = book.add_worksheet(sheet.title)
        for column, width in sheet.widths.items():
            worksheet.set_column(column, column, width, percent if column in sheet.percent else None)
        worksheet.freeze_panes(1, 0)
        worksheet.write_row(0, 0, sheet.rows[0], bold)
        for r, row in enumerate(sheet.rows[1:], start=1):
            worksheet.write_row(r, 0, row)
    book.close()


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compiled_bytecode_env(cache: Path) -> dict[str, str]:
    """The environment with Python's bytecode cache on (in `cache`), as in an installed qcode.

    pip compiles an installed package's modules, and XlsxWriter's are compiled; with
    PYTHONDONTWRITEBYTECODE set (as in some sandboxes) every run of this checkout would compile
    qcode's ~200 modules again, about 0.2 s that no installation pays.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def time_qcode(workbook: Path, project: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one `python -m qcode export xlsx` (a subprocess)."""
    command = [sys.executable, "-m", "qcode", "export", "xlsx", str(workbook), "-p", str(project)]
    cpu, wall = children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - wall, children_cpu() - cpu


def time_floor(sheets: list[Sheet], path: Path, *, gc_paused: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds of `write_floor`; with `gc_paused`, without cyclic garbage collection (as
    qcode writes its workbooks), for comparison."""
    if gc_paused:
        gc.disable()
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        write_floor(sheets, path)
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--project", type=Path, default=None, help="Build (or reuse) the project here.")
    options = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    from reports import build_project  # the project of benchmarks/reports.py

    with tempfile.TemporaryDirectory(prefix="qcode-bench-") as scratch:
        root = options.project or Path(scratch) / "project"
        if not (root / "qcode.db").exists():
            build_project(root)
        exported, floor_file = Path(scratch) / "qcode.xlsx", Path(scratch) / "floor.xlsx"
        env = compiled_bytecode_env(Path(scratch) / "pycache")
        time_qcode(exported, root, env)  # warm-up (compiles the bytecode); the workbook the floor copies
        sheets = read_back(exported)
        cells = sum(len(row) for sheet in sheets for row in sheet.rows)
        print(f"{len(sheets)} sheets, {cells:,} cells: "
              + ", ".join(f"{sheet.title} {len(sheet.rows) - 1:,} rows" for sheet in sheets))
        time_floor(sheets, floor_file)  # warm-up
        qcode, floor, floor_no_gc = [], [], []
        for _ in range(options.runs):
            qcode.append(time_qcode(exported, root, env))
            floor.append(time_floor(sheets, floor_file))
            floor_no_gc.append(time_floor(sheets, floor_file, gc_paused=True))
    load = os.getloadavg()[0]
    print(f"\n{options.runs} runs each, alternating; load average {load:.1f} on {os.cpu_count()} CPUs\n")
    print(f"{'':<44}{'wall median':>12}{'wall best':>11}{'CPU median':>12}")
    for label, figures in (("qcode export xlsx (subprocess, end to end)", qcode),
                           ("floor: XlsxWriter alone, same cells", floor),
                           ("  the same without cyclic GC (for comparison)", floor_no_gc)):
        walls, cpus = [w for w, _ in figures], [c for _, c in figures]
        print(f"{label:<44}{statistics.median(walls):>11.3f}s{min(walls):>10.3f}s{statistics.median(cpus):>11.3f}s")
    wall_ratio = statistics.median(w for w, _ in qcode) / statistics.median(w for w, _ in floor)
    cpu_ratio = statistics.median(c for _, c in qcode) / statistics.median(c for _, c in floor)
    verdict = "ok" if wall_ratio <= TARGET else "OVER"
    print(f"\nratio qcode / floor: wall {wall_ratio:.2f}x ({verdict}, target {TARGET}x), CPU {cpu_ratio:.2f}x")
    no_gc = statistics.median(c for _, c in qcode) / statistics.median(c for _, c in floor_no_gc)
    print(f"qcode pauses cyclic GC while it builds and writes the workbook; against a floor that does too: "
          f"CPU {no_gc:.2f}x")


if __name__ == "__main__":
    main()
