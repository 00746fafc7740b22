"""The TUI's start-up: the garbage collector paused by `qcode code` is back on once the first screen is drawn,
and an app started with it on leaves it on. (How long the start takes is measured by
benchmarks/tui_cold_start.py: timings are not tests.)"""

from __future__ import annotations

import gc

import pytest

from qcode.tui.screens.coding import CodingScreen
from tests.tui_support import make_app, make_project, until


@pytest.mark.parametrize("paused", [True, False])
def test_the_collector_runs_again_once_the_coding_screen_is_drawn(tmp_path, run_pilot, paused):
    root = make_project(tmp_path / "p")

    async def scenario(pilot):
        await until(pilot, lambda: isinstance(pilot.app.screen, CodingScreen) and gc.isenabled())
        return gc.isenabled()

    if paused:
        gc.disable()  # as qcode/cli/tui_cmds.py does before it imports the TUI
    try:
        assert run_pilot(make_app(root), scenario) is True
    finally:
        gc.enable()
