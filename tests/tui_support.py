"""Helpers for TUI tests: a small bilingual project and an app on it, run headless through Pilot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from qcode.project.codebook_loading import load_codebook_into
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.tui.app import QcodeApp
from qcode.userconfig import UserConfig

T = TypeVar("T")

CODEBOOK = """\
codes:
  - id: SVC
    name: {zh: 问题, en: Problems}
    codable: false
    children:
      - {id: S.INTERACTION, name: {zh: 互动与用户参与, en: Interaction}, key: s4, color: "#d81b60"}
      - {id: S.INFO, name: {zh: 信息质量, en: Information quality}, key: s2, color: "#1e88e5"}
  - {id: O.STAFF, name: {zh: 人员配置, en: Staffing}, key: o3, color: "#43a047"}
"""

# Turn 0: 访谈者; turn 1: 受访者A (3 sentences: emoji, 𠮷, a tab); turn 2: 访谈者.
TEXT = (
    "访谈者：公众号平时谁在管？\n"
    "受访者A：就我一个人👍管。𠮷野家的留言\t也是我回。“回复不及时”是老问题！\n"
    "访谈者：明白了。\n"
)


def make_project(root: Path, text: str = TEXT) -> Path:
    project = Project.init(root)
    (root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    load_codebook_into(project, root / "codebooks" / "cb.yaml")
    (root / "transcripts" / "t1.txt").write_text(text, encoding="utf-8")
    import_transcripts(project, [root / "transcripts" / "t1.txt"])
    project.close()
    return root


def make_app(root: Path, coder: str | None = "ann", *, transcript: str | None = "t1",
             user_config: UserConfig | None = None) -> QcodeApp:
    return QcodeApp(Project.open(root), coder=coder, transcript=transcript,
                    user_config=user_config or UserConfig(path=root / "user-config.toml"),
                    theme="textual-dark", remember_coder=user_config is not None)


def codings(root: Path) -> list[tuple[str, str, int, int, str]]:
    with Project.open(root) as project:
        return sorted((c.coder, c.code, c.start, c.end, c.memo) for c in project.store.codings.all())


def run_scenario(scenario: Coroutine[Any, Any, T]) -> T:
    """Pilot tests are coroutines; run each in a fresh event loop (no pytest-asyncio needed)."""
    return asyncio.run(scenario)


async def until(pilot, condition: Callable[[], object], timeout: float = 60.0) -> None:
    """Let the app run (workers included) until `condition()` holds; fail after `timeout` seconds of it."""
    waited = 0.0
    while not condition():
        await pilot.pause(0.05)
        waited += 0.05
        if waited > timeout:
            raise AssertionError("timed out waiting for the app")
