"""How long one codebook change takes while coding (rename, create-and-apply), on the bundled NPS x TOE
codebook (41 codes, about 700 commented lines), against references measured in the same run:

- the same codebook dumped by PyYAML (what a write-back without comments would cost), and
- one coding applied (what every other key press in the coding screen costs).

Prints medians over repeated runs. Run: python benchmarks/codebook_edit.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qcode.codebook import dump_codebook_yaml  # noqa: E402
from qcode.project.codebook_editing import CodebookEditor  # noqa: E402
from qcode.project.coding import CodingSession  # noqa: E402
from qcode.project.demo import build_demo  # noqa: E402

REPEATS = 15


def median_ms(step) -> float:
    times = []
    for i in range(REPEATS):
        started = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = build_demo(Path(folder) / "demo")
        store = project.store
        editor = CodebookEditor(store, "ann", source="bench")
        session = CodingSession(store, "ann", source="bench")
        info = store.transcripts.by_name("A01-editor")
        book = editor.codebook
        rename = median_ms(lambda i: editor.rename("NPS.CITIZEN", f"公民{i}"))
        create = median_ms(lambda i: editor.add_and_apply("ann", info, 10 * i, 10 * i + 5, f"新概念{i}",
                                                          parent="SVC"))
        dump = median_ms(lambda i: dump_codebook_yaml(book))
        apply = median_ms(lambda i: session.apply(info, "T.ADVANTAGE", 300 + 10 * i, 305 + 10 * i))
        project.close()
    print(f"rename a code (round-trip write-back):     {rename:7.1f} ms")
    print(f"create a code and apply it:                {create:7.1f} ms")
    print(f"reference: PyYAML dump of the codebook:    {dump:7.1f} ms  (rename / dump = {rename / dump:.1f}x)")
    print(f"reference: apply one coding:               {apply:7.1f} ms  (rename / apply = {rename / apply:.1f}x)")


if __name__ == "__main__":
    main()
