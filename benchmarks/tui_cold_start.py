"""Cold start of the coding screen: from process start (interpreter included) to the first drawn row of a
300k-character transcript (issue 11 point 11, target 0.6 s).

`qcode code long -p ROOT --coder ann` runs in a pseudo-terminal of 120x40, as a user starts it. A wrapper
(`--probe`, below) patches `TranscriptView.render_line` as soon as that module is imported, through an
import hook (so nothing is imported earlier than qcode imports it), and ends the process when the first
row of text is drawn; the wall time from spawning the process to its end is the figure. The reference,
in the same run and the same way: a bare Textual app with one ScrollView showing the same text
(benchmarks/tui_keys.py), ended at its first drawn row. Median of several runs each, alternating.

Run: python benchmarks/tui_cold_start.py [--runs 7] [--characters 300000] [--imports]
(`--imports` prints the slowest imports of the qcode start-up, from `python -X importtime`.)
"""

from __future__ import annotations

import argparse
import fcntl
import importlib.abc
import importlib.util
import os
import pty
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZE = (120, 40)
WIDGET_MODULE = "qcode.tui.widgets.transcript_view.widget"


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patches a module's class right after the module is executed, without importing it early."""

    def __init__(self, module: str, patch: Any) -> None:
        self.module, self.patch = module, patch

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != self.module:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None
        loader, patch = spec.loader, self.patch

        class Loader(importlib.abc.Loader):
            def create_module(self, spec: Any) -> Any:
                return loader.create_module(spec)

            def exec_module(self, module: Any) -> None:
                loader.exec_module(module)
                patch(module)

        spec.loader = Loader()
        return spec


def _exit_at_first_row(view_class: Any) -> None:
    draw = view_class.render_line

    def render_line(view: Any, y: int) -> Any:
        strip = draw(view, y)
        if strip.text.strip():
            os._exit(0)  # the first row of text is drawn
        return strip

    view_class.render_line = render_line


def probe(kind: str, root: str) -> None:
    """In the measured process: run qcode (or the bare view) and end at the first drawn row."""
    if kind == "qcode":
        sys.meta_path.insert(0, _PatchOnImport(WIDGET_MODULE, lambda module: _exit_at_first_row(module.TranscriptView)))
        sys.argv = ["qcode", "code", "long", "-p", root, "--coder", "ann"]
        from qcode.cli.main import main  # lazy: measured from here on

        main()
        return
    sys.path.insert(0, str(HERE))
    from tui_keys import _bare_app  # lazy: the bare view of benchmarks/tui_keys.py

    app = _bare_app((Path(root) / "long.txt").read_text(encoding="utf-8"))
    _exit_at_first_row(app.view_class)
    app.run()


BACKGROUND_QUERY = b"\x1b]11;?"  # qcode asks the terminal for its background colour (light or dark theme)


def _drain(master: int, output: bytearray | None = None) -> None:
    """Read the terminal until it closes (the app would block writing to a full one), and answer the
    background colour query as a terminal does (else qcode waits for its timeout)."""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other side is gone
            return
        if not chunk:
            return
        if BACKGROUND_QUERY in chunk:
            os.write(master, b"\x1b]11;rgb:1e1e/1e1e/1e1e\x07")
        if output is not None:
            output.extend(chunk)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def launch(kind: str, root: Path, environment: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds from spawning the process to its end at the first drawn row, in a 120x40
    pseudo-terminal; CPU (user + system) is less sensitive than wall time to other processes."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    command = [sys.executable, __file__, "--probe", kind, str(root)]
    cpu, started = _children_cpu(), time.perf_counter()
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=environment,
                               start_new_session=True)
    os.close(slave)
    output = bytearray()
    reader = threading.Thread(target=_drain, args=(master, output), daemon=True)
    reader.start()
    try:
        process.wait(timeout=60)
    finally:
        elapsed = time.perf_counter() - started
        if process.poll() is None:
            process.kill()
        os.close(master)
    if process.returncode != 0:
        raise RuntimeError(f"{kind} exited with {process.returncode}: {bytes(output[-2000:]).decode(errors='replace')}")
    return elapsed, _children_cpu() - cpu


def build_project(root: Path, characters: int) -> None:
    sys.path.insert(0, str(HERE))
    from tui import build  # lazy: the project builder of benchmarks/tui.py

    from qcode.project.project import Project  # lazy: only the parent builds the project

    build(root, characters)
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("long")
        assert info is not None
        (root / "long.txt").write_text(project.store.transcripts.text(info.id), encoding="utf-8")


def slowest_imports(root: Path, environment: dict[str, str], count: int = 15) -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    log = root / "importtime.txt"
    with log.open("w") as errors:
        process = subprocess.Popen([sys.executable, "-X", "importtime", __file__, "--probe", "qcode", str(root)],
                                   stdin=slave, stdout=slave, stderr=errors, env=environment, start_new_session=True)
        os.close(slave)
        threading.Thread(target=_drain, args=(master,), daemon=True).start()
        process.wait(timeout=60)
        os.close(master)
    rows, total = [], 0
    for line in log.read_text().splitlines():
        if line.startswith("import time:") and "|" in line:
            own, cumulative, name = line.split("|")
            if cumulative.strip().isdigit():
                rows.append((int(cumulative), name.rstrip()))
                total += int(own.removeprefix("import time:").strip())
    print(f"  {total / 1000:7.1f} ms  all {len(rows)} imports (sum of their own times)")
    for cumulative, name in sorted(rows, reverse=True)[:count]:
        print(f"  {cumulative / 1000:7.1f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--characters", type=int, default=300_000)
    parser.add_argument("--imports", action="store_true")
    parser.add_argument("--probe", nargs=2, metavar=("KIND", "ROOT"))
    arguments = parser.parse_args()
    if arguments.probe:
        probe(*arguments.probe)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        build_project(root, arguments.characters)
        environment = {**os.environ, "XDG_CONFIG_HOME": f"{tmp}/config", "XDG_CACHE_HOME": f"{tmp}/cache",
                       "XDG_DATA_HOME": f"{tmp}/data", "TERM": "xterm-256color",
                       # Byte code as an installed qcode has it (pip compiles it), kept out of the checkout.
                       "PYTHONPYCACHEPREFIX": f"{tmp}/pycache"}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        for kind in ("qcode", "bare"):  # byte code, the word index and caches are made once, as for a user
            launch(kind, root, environment)
        times: dict[str, list[tuple[float, float]]] = {"qcode": [], "bare": []}
        for _ in range(arguments.runs):
            for kind in times:
                times[kind].append(launch(kind, root, environment))
        with open("/proc/loadavg") as loadavg:
            load = " ".join(loadavg.read().split()[:3])
        qcode, bare = (statistics.median(wall for wall, _ in times[kind]) for kind in ("qcode", "bare"))
        qcode_cpu, bare_cpu = (statistics.median(cpu for _, cpu in times[kind]) for kind in ("qcode", "bare"))
        print(f"{arguments.characters:,} characters, {SIZE[0]}x{SIZE[1]} pseudo-terminal, median of {arguments.runs} "
              f"runs; load average {load}")
        print(f"  process start -> first drawn row: qcode {qcode:.2f} s (target <= 0.6 s)  bare ScrollView "
              f"{bare:.2f} s  ratio {qcode / bare:.2f}x")
        print(f"  CPU (user + system): qcode {qcode_cpu:.2f} s  bare ScrollView {bare_cpu:.2f} s  "
              f"ratio {qcode_cpu / bare_cpu:.2f}x")
        if arguments.imports:
            print("slowest imports on the way (cumulative, from python -X importtime):")
            slowest_imports(root, environment)


if __name__ == "__main__":
    main()
