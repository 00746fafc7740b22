"""The agreement screen (F3) and `qcode agree` give identical figures for identical settings."""

from __future__ import annotations

import json
import random

from qcode.domain.agreement_settings import DEFAULT_BOOTSTRAP
from qcode.domain.models import UnitKind
from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.tui.screens.agreement import AgreementScreen
from tests.tui_support import make_app, make_project, until

# Twenty-four turns of a made-up interview about a township's WeChat account, two sentences each.
TEXT = "".join(
    f"{'访谈者' if i % 2 == 0 else '受访者A'}：第{i}个问题我们先说留言。回复要及时，第{i}次也一样！\n" for i in range(24)
)
CODES = ("S.INTERACTION", "S.INFO", "O.STAFF")


def build(tmp_path):
    root = make_project(tmp_path / "proj", TEXT)
    rng = random.Random(11)
    with Project.open(root) as project:
        store = project.store
        info = store.transcripts.by_name("t1")
        units = [(r[2], r[3]) for r in store.transcripts.unit_table(UnitKind.SENTENCE, [info.id])]
        ann, bob = CodingSession(store, "ann"), CodingSession(store, "bob")
        for start, end in units:
            if rng.random() < 0.6:
                code = rng.choice(CODES)
                ann.apply(info, code, start, end)
                bob.apply(info, code if rng.random() < 0.75 else rng.choice(CODES), start, end)
        ann.set_complete(info)
        bob.set_complete(info)
    return root


def test_screen_and_cli_give_identical_figures_and_the_screen_names_its_settings(tmp_path, run, run_pilot):
    root = build(tmp_path)
    shown: dict[str, dict] = {}
    summaries: dict[str, str] = {}

    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f3")
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        for unit in ("turn", "sentence", "transcript"):
            await until(pilot, lambda unit=unit: screen.results is not None and screen.results.report is not None
                        and screen.results.report.unit == unit)
            shown[unit] = screen.results.report.to_json()  # the typed report, as the CLI writes it
            summaries[unit] = str(screen.query_one("#agreement-summary").render())
            await pilot.press("u")

    run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    for unit, report in shown.items():
        result = run("agree", "-p", root, "--unit", unit, "--format", "json")
        assert result.exit_code == 0, result.stderr
        cli = json.loads(result.stdout)
        # Every figure, interval, count and note: the screen's report is the CLI's report.
        assert json.loads(json.dumps(report)) == cli
        assert cli["bootstrap"] == {"resamples": DEFAULT_BOOTSTRAP.resamples, "seed": DEFAULT_BOOTSTRAP.seed,
                                    "method": "percentile"}
        assert f"{DEFAULT_BOOTSTRAP.resamples:,} resamples, seed {DEFAULT_BOOTSTRAP.seed}" in summaries[unit]
    # The data are rich enough that intervals exist, so the comparison covers them.
    assert shown["sentence"]["per_code"]["S.INFO"]["cohen_kappa"]["ci95"] is not None


def test_the_cli_defaults_are_the_shared_defaults():
    from qcode.cli.agree_cmds import agree

    defaults = {p.name: p.default for p in agree.params}
    assert (defaults["bootstrap"], defaults["seed"]) == (DEFAULT_BOOTSTRAP.resamples, DEFAULT_BOOTSTRAP.seed)
