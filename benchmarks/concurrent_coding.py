"""Coding in the TUI while two `qcode codings import` processes write to the same project.

Builds a project (20 transcripts of 100,000 characters, the bundled codebook), writes two codings CSVs
of --rows rows each (different coders), starts both imports as real processes, and meanwhile drives
the real app headless (Textual's Pilot): a code hotkey, then Down, --presses times, with 30-50 ms
between keys as a fast coder types. Then waits until both imports have finished and the app's write
queue is empty, and reports: hotkey codings stored (goal: every one), changes that had to wait for a
lock (the most waiting at once), error notifications shown (goal: none), and the imports' exit codes.

Run: .venv/bin/python benchmarks/concurrent_coding.py [--rows 300000] [--presses 150]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing
sys.path.insert(0, str(Path(__file__).resolve().parent))

from codings_csv import CODERS, build  # noqa: E402  (the same project and CSV as the import benchmark)

from qcode.project.project import Project  # noqa: E402
from qcode.tui.app import QcodeApp  # noqa: E402
from qcode.tui.screens.coding import CodingScreen  # noqa: E402
from qcode.userconfig import UserConfig  # noqa: E402


def rename_coders(source: Path, target: Path, suffix: str) -> None:
    with source.open(encoding="utf-8") as read, target.open("w", encoding="utf-8") as write:
        for i, line in enumerate(read):
            if i:
                for coder in CODERS:
                    if line.startswith(coder + ","):
                        line = coder + suffix + line[len(coder):]
                        break
            write.write(line)


async def type_codings(root: Path, presses: int, imports: list[subprocess.Popen]) -> dict:
    rng = random.Random(3)
    app = QcodeApp(Project.open(root), coder="typist", transcript="访谈00",
                   user_config=UserConfig(path=root / "user-config.toml"), remember_coder=False)
    most_waiting = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        key = next(c.key for c in app.workspace.codebook.codable() if c.key)
        began = time.perf_counter()
        for _ in range(presses):
            for k in (*key, "down"):
                await pilot.press(k, f"wait:{rng.randint(30, 50)}")
                most_waiting = max(most_waiting, app.pending_writes)
        typed = time.perf_counter() - began
        running_after_typing = sum(p.poll() is None for p in imports)
        while any(p.poll() is None for p in imports) or app.pending_writes:
            await pilot.pause(0.1)
            most_waiting = max(most_waiting, app.pending_writes)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        shown = sum(1 for c in screen.codings.values() if c.coder == "typist")
    return {"typed_s": typed, "most_waiting": most_waiting, "errors": errors, "shown": shown,
            "imports_running_when_typing_ended": running_after_typing}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--presses", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root, first = Path(tmp) / "p", Path(tmp) / "a.csv"
        build(root, args.rows, first)
        second = Path(tmp) / "b.csv"
        rename_coders(first, second, "-2")
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        imports = [subprocess.Popen([sys.executable, "-m", "qcode", "codings", "import", str(path), "-p", str(root)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                   for path in (first, second)]
        result = asyncio.run(type_codings(root, args.presses, imports))
        outcomes = [(p.wait(), p.stdout.read().strip(), p.stderr.read().strip()) for p in imports]
        with Project.open(root) as project:
            stored = project.store.db.execute(
                "SELECT count(*) FROM codings c JOIN coders k ON k.id = c.coder_id WHERE k.name = 'typist'").fetchone()[0]
            imported = project.store.codings.count() - stored
    print(f"hotkey codings typed: {args.presses}; stored: {stored}; shown on screen: {result['shown']}")
    print(f"typing took {result['typed_s']:.1f} s; imports still running when typing ended: "
          f"{result['imports_running_when_typing_ended']} of 2")
    print(f"most changes waiting for a lock at once: {result['most_waiting']}")
    print(f"error notifications: {len(result['errors'])} {result['errors'][:3]}")
    for exit_code, out, err in outcomes:
        print(f"import exit {exit_code}: {out.splitlines()[0] if out else err[:200]}")
    print(f"codings imported: {imported:,} of {2 * args.rows:,}")


if __name__ == "__main__":
    main()
