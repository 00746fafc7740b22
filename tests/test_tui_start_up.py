"""The TUI's start-up: the garbage collector paused by `qcode code` is back on once the first screen is drawn,
with the start-up's objects frozen (full collections skip them) and the youngest generation collected less
often; an app started with it on leaves it on and
freezes nothing. (How long the start takes is measured by
benchmarks/tui_cold_start.py: timings are not tests.)"""

from __future__ import annotations

import gc

import pytest

from qcode.tui.app import YOUNG_COLLECTION_THRESHOLD
from qcode.tui.screens.coding import CodingScreen
from tests.tui_support import make_app, make_project, until


@pytest.mark.parametrize("paused", [True, False])
def test_the_collector_runs_again_once_the_coding_screen_is_drawn(tmp_path, run_pilot, paused):
    root = make_project(tmp_path / "p")

    async def scenario(pilot):
        await until(pilot, lambda: isinstance(pilot.app.screen, CodingScreen) and gc.isenabled())
        return gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()

    gc.unfreeze()
    thresholds = gc.get_threshold()
    if paused:
        gc.disable()  # as qcode/cli/tui_cmds.py does before it imports the TUI
    try:
        enabled, frozen, running = run_pilot(make_app(root), scenario)
    finally:
        gc.enable()
        gc.unfreeze()  # this test process runs other apps after this one
        gc.set_threshold(*thresholds)
    assert enabled is True
    assert (frozen > 10_000) if paused else (frozen == 0)
    # The youngest generation is collected less often only where qcode itself turned the collector back on.
    assert running == ((YOUNG_COLLECTION_THRESHOLD, *thresholds[1:]) if paused else thresholds)
