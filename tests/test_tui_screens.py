"""Agreement, statistics and search screens, and keyword suggestions, driven through Pilot."""

from __future__ import annotations

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.analysis.selection import ALL_SPEAKERS, Selection
from qcode.project.reliability import AgreementOptions, find_disagreements
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.search import SearchScreen
from qcode.tui.screens.statistics import StatisticsScreen
from tests.tui_support import TEXT, codings, make_app, make_project, until

KEYWORD_CODEBOOK = """\
codes:
  - {id: S.INTERACTION, name: {zh: 互动与用户参与, en: Interaction}, key: s4, keywords: [留言, 回复]}
  - {id: S.INFO, name: {zh: 信息质量, en: Information quality}, key: s2, keywords: [老问题]}
  - {id: O.STAFF, name: {zh: 人员配置, en: Staffing}, key: o3, keywords: [一个人]}
"""


def span(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


@pytest.fixture
def root(tmp_path):
    root = make_project(tmp_path / "proj")
    (root / "codebooks" / "kw.yaml").write_text(KEYWORD_CODEBOOK, encoding="utf-8")
    from qcode.project.codebook_loading import load_codebook_into

    with Project.open(root) as project:
        load_codebook_into(project, root / "codebooks" / "kw.yaml")
        info = project.store.transcripts.by_name("t1")
        ann, bob = CodingSession(project.store, "ann"), CodingSession(project.store, "bob")
        ann.apply(info, "S.INTERACTION", *span("就我一个人👍管。"))
        bob.apply(info, "O.STAFF", *span("就我一个人👍管。"))
        ann.apply(info, "S.INFO", *span("“回复不及时”是老问题！"))
        bob.apply(info, "S.INFO", *span("“回复不及时”是老问题！"))
        ann.set_complete(info)
        bob.set_complete(info)
    return root


def test_agreement_screen_lists_figures_jumps_and_records_consensus(root, run_pilot):
    expected = find_disagreements(Project.open(root).store, AgreementOptions(unit="turn", selection=Selection(speakers=(ALL_SPEAKERS,))))

    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f3")
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await until(pilot, lambda: screen.results is not None)
        assert screen.results.report.coders == ("ann", "bob")  # the typed report (issue 11 point 3)
        assert screen.query_one("#per-code").row_count == 3
        assert len(screen.shown) == len(expected) == 1
        screen.query_one("#disagreements").focus()
        await pilot.press("enter")
        await pilot.pause()
        coding = app.screen
        assert isinstance(coding, CodingScreen) and coding.show_others
        assert (coding.view.selection.start, coding.view.selection.end) == (expected[0].start, expected[0].end)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        # Offered: S.INTERACTION (ann), S.INFO (both: pre-selected), O.STAFF (bob); add the first.
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
    run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    consensus = [c for c in codings(root) if c[0] == "consensus"]
    assert consensus == sorted(("consensus", code, expected[0].start, expected[0].end, "")
                               for code in ("S.INFO", "S.INTERACTION"))


def test_agreement_screen_offers_the_span_unit(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f3")
        screen = app.screen
        await until(pilot, lambda: screen.results is not None)
        for _ in range(3):  # turn -> sentence -> transcript -> span
            await pilot.press("u")
        await until(pilot, lambda: screen.results is not None and screen.results.report is not None
                    and screen.results.report.unit == "span")
        summary = str(screen.query_one("#agreement-summary").render())
        assert "uα" in summary and "cuα" in summary
        per_code = screen.query_one("#per-code")
        assert per_code.row_count == 3
        assert [str(c.label) for c in per_code.columns.values()][-2:] == ["(k)uα", "binary uα"]
        # ann's S.INTERACTION and bob's O.STAFF on one passage: where they differ is one character run.
        assert len(screen.shown) == 1 and screen.shown[0].unit == "char"
    run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))


def test_statistics_screen_draws_bars_and_heat_table_and_exports(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f4")
        screen = app.screen
        assert isinstance(screen, StatisticsScreen)
        await until(pilot, lambda: screen.stats is not None)
        bars = str(screen.query_one("#bars").render())
        assert "Interaction" in bars  # names in the interface language (English here)
        assert "ann" in bars and "bob" in bars
        assert screen.query_one("#heat").row_count == 3
        await pilot.press("x")
        await until(pilot, lambda: any((root / "exports").glob("qcode-report-*.xlsx")))
    run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    import openpyxl

    [path] = (root / "exports").glob("qcode-report-*.xlsx")
    assert "Quotes" in openpyxl.load_workbook(path, read_only=True).sheetnames


def test_search_screen_finds_two_character_words_and_codes_the_hit_sentence(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await until(pilot, lambda: app.word_index_ready or app.word_index_error)
        assert app.word_index_error is None
        await pilot.press("f5")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"留言", "enter")
        await until(pilot, lambda: screen.hits)
        [hit] = screen.hits
        assert TEXT[hit.start:hit.end] == "留言" and hit.speaker == "受访者A"
        await pilot.press("ctrl+k")
        await pilot.pause()
        await pilot.press(*"o3", "enter")
        await pilot.pause()
        await pilot.press("enter")  # open the hit in the coding screen
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        selection = app.screen.view.selection
        assert (selection.start, selection.end) == (hit.sentence_start, hit.sentence_end)
        return hit
    hit = run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    assert ("ann", "O.STAFF", hit.sentence_start, hit.sentence_end, "") in codings(root)


def test_suggestions_are_shown_apart_and_applied_only_when_accepted(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await until(pilot, lambda: app.word_index_ready)
        screen = app.screen
        before = codings(root)
        await pilot.press("ctrl+g")
        await until(pilot, lambda: screen.suggestions is not None)
        assert codings(root) == before  # nothing applied by showing suggestions
        # 留言 (strong) suggests S.INTERACTION for the 𠮷野家 sentence; ann already has it on the first.
        keys = {(s.code, TEXT[s.start:s.end]) for s in screen.suggestions.values()}
        assert ("S.INTERACTION", "𠮷野家的留言\t也是我回。") in keys
        assert all(h.suggestion for h in screen.view.highlights if h.key in screen.suggestions)
        await pilot.press("ctrl+n")
        while screen.view.selection != type(screen.view.selection)(*span("𠮷野家的留言\t也是我回。")):
            await pilot.press("ctrl+n")
        await pilot.press("ctrl+k")
        await pilot.pause()
        before_reject = dict(screen.suggestions)
        await pilot.press("ctrl+n", "ctrl+x")
        await pilot.pause()
        [rejected] = set(before_reject) - set(screen.suggestions)
        assert rejected not in {h.key for h in screen.view.highlights}
        return before_reject[rejected]
    rejected = run_pilot(make_app(root), scenario, size=(130, 40))
    stored = codings(root)
    assert ("ann", "S.INTERACTION", *span("𠮷野家的留言\t也是我回。"), "") in stored
    assert len([c for c in stored if c[0] == "ann"]) == 3  # the two from the fixture and the accepted one
    assert ("ann", rejected.code, rejected.start, rejected.end, "") not in stored
