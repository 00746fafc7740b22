"""Regenerate docs/screenshot-coding.svg: the coding screen on the demo project, exported by Textual.

Builds the demo in a temporary folder, has two coders code a few passages of the editor interview
(overlapping codes, a memo), opens the coding screen headless at 120x34 and saves the SVG.
Run from the repository root: python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qcode.domain.models import Span  # noqa: E402
from qcode.project.coding import CodingSession  # noqa: E402
from qcode.project.demo import build_demo  # noqa: E402
from qcode.project.project import Project  # noqa: E402
from qcode.tui.app import QcodeApp  # noqa: E402
from qcode.userconfig import UserConfig  # noqa: E402

OUTPUT = ROOT / "docs" / "screenshot-coding.svg"
PASSAGES = [  # (coder, code, passage of A01-editor)
    ("王芳", "S.ROLE", "头条……头条基本是定的，县里主要领导的活动，开会、调研、检查，这个是雷打不动的。"),
    ("王芳", "O.INCENTIVE", "领导活动的头条，阅读量一般就七八百、一千出头"),
    ("王芳", "NPS.PUBLIC_INTEREST", "群众要的是这些东西嘛。"),
    ("王芳", "S.INFO_QUALITY.RELEVANCE", "反倒是放在第三条、第四条的"),
    ("李明", "S.ROLE", "开会、调研、检查，这个是雷打不动的。"),
]


async def capture(root: Path) -> None:
    app = QcodeApp(Project.open(root), coder="王芳", transcript="A01-editor",
                   user_config=UserConfig(path=root / "settings.toml"), theme="textual-dark", remember_coder=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        view = app.screen.view
        text = view.text
        view.select(Span(text.index("我们是订阅号"), text.index("一次推四到六条。") + len("一次推四到六条。")), scroll=False)
        view.scroll_to_offset(text.index("这个也是我们最纠结的地方"), center=True)
        await pilot.pause()
        app.save_screenshot(filename=OUTPUT.name, path=str(OUTPUT.parent))
    app.project.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with build_demo(Path(tmp) / "demo") as project:
            info = project.store.transcripts.by_name("A01-editor")
            text = project.store.transcripts.text(info.id)
            for coder, code, passage in PASSAGES:
                start = text.index(passage)
                coding = CodingSession(project.store, coder).apply(info, code, start, start + len(passage))
                if code == "O.INCENTIVE":
                    CodingSession(project.store, coder).set_coding_memo(coding.guid, "阅读量被当作考核指标")
            root = project.root
        asyncio.run(capture(root))
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
