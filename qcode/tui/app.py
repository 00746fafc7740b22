"""The qcode Textual application: screens for transcripts, coding, the codebook and help.

The app receives an open project from the CLI; it asks for the coder's name once if nobody said it,
applies the user's keymap, and keeps database calls on the main thread's connection (each is a few
milliseconds), except changes that meet another process's write lock: those wait, in order, in the
write queue's worker (see `write_queue`). Slow work — loading pypinyin for the code picker, building
the word index — runs in thread workers (see `workers`) that report through messages, handled here;
the app tells each open screen how far the word index is.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from platformdirs import user_cache_dir
from textual import on
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.events import Key
from textual.screen import Screen
from textual.worker import get_current_worker
from textual.notifications import SeverityLevel

from qcode.codebook.search import CodeMatcher
from qcode.errors import QcodeError
from qcode.i18n import N_, _
from qcode.project.project import Project
from qcode.workspace import Workspace
from qcode.storage.database import DatabaseLocked
from qcode.tui import bindings
from qcode.tui.commands import QcodeCommands
from qcode.tui.messages import (
    Notice,
    OpenTranscript,
    WordIndexChanged,
    WordIndexState,
    WorkDone,
    WorkFailed,
    WorkProgress,
)
from qcode.tui.screen_base import QcodeAppAPI, QcodeScreen
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.workers import Progress, run_job
from qcode.tui.shown import visible_controls, visible_name
from qcode.tui.write_queue import Job, WriteQueue
from qcode.userconfig import UserConfig, save_coder_name

WORD_INDEX_JOB = "words"
MATCHER_JOB = "matcher"
_INDEX_RETRY_SECONDS = 0.5


class MatcherBuilt(WorkDone[CodeMatcher]):
    """The code picker's matcher (pypinyin loaded) is ready."""


class WordIndexBuilt(WorkDone[object]):
    """The word index is up to date (search and suggestions can run)."""


# The screen each app-wide key opens (by class name: the screens import lazily, for start-up speed).
_SCREEN_OF_ACTION = {"help": "HelpScreen", "codebook": "CodebookScreen", "agreement": "AgreementScreen",
                     "statistics": "StatisticsScreen", "search": "SearchScreen", "memos": "MemosScreen",
                     "saturation": "SaturationScreen"}

# Textual's own palette entries (titles and help), as messages; "Keys" is left out: the help screen (?)
# lists every key, translated and with the user's remapping.
TEXTUAL_MESSAGES = (
    N_("Theme"), N_("Change the current theme"),
    N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
)
UNTRANSLATED_SYSTEM_COMMANDS = {"Keys"}


class QcodeApp(App[None]):
    """Keyboard-first qualitative coding."""

    CSS_PATH = "app.tcss"
    TITLE = "qcode"
    BINDINGS = bindings.APP
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    COMMANDS = App.COMMANDS | {QcodeCommands}

    def __init__(
        self,
        project: Project,
        *,
        coder: str | None = None,
        transcript: str | None = None,
        user_config: UserConfig | None = None,
        theme: str = "textual-dark",
        remember_coder: bool = True,
    ) -> None:
        super().__init__()
        self.project = project
        self.refusal: QcodeError | None = None
        self.user_config = user_config or UserConfig()
        self.coder = coder or self.user_config.coder
        self.initial_transcript = transcript
        self.remember_coder = remember_coder
        self.workspace: Workspace | None = None
        self.writes: WriteQueue | None = None
        self.pending_writes = 0
        self._quit_when_stored = False
        self.matcher: CodeMatcher | None = None
        self.word_index = WordIndexState()
        self.theme = theme
        self.sub_title = visible_name(str(project.root))

    def on_mount(self) -> None:
        self._apply_keymap()
        if self.coder:
            self._start(self.coder)
        else:
            from qcode.tui.dialogs.coder_name import CoderNameDialog  # lazy: loaded when first needed, to keep the TUI's start-up short

            self.push_screen(CoderNameDialog(), self._coder_chosen)

    def _apply_keymap(self) -> None:
        keymap = self.user_config.keymap
        unknown = sorted(set(keymap) - bindings.binding_ids())
        if unknown:
            self.notify(_("Unknown binding id(s) in your settings: {ids} (see help, ?)").format(ids=", ".join(unknown)),
                        severity="warning", timeout=8)
        self.set_keymap({k: v for k, v in keymap.items() if k not in unknown})

    def _coder_chosen(self, name: str | None) -> None:
        if not name:
            self.exit()
            return
        if self.remember_coder:
            save_coder_name(name, self.user_config.path)
        self._start(name)

    def _start(self, coder: str) -> None:
        try:
            self.workspace = Workspace(self.project, coder)
        except QcodeError as exc:  # e.g. a coder name that is refused: run_app raises it once the screen is gone
            self.refusal = exc
            self.exit(return_code=1)
            return
        self.coder = self.workspace.coder
        self.writes = WriteQueue(self.workspace, self.call_from_thread, self._pending_changed)
        self.sub_title = visible_name(f"{self.project.root.name} · {self.coder}")
        self.call_after_refresh(_resume_collector)
        # pypinyin and jieba take CPU time: start them once the first screen is drawn, not while drawing it.
        self.call_after_refresh(self._build_matcher)
        self.call_after_refresh(self._warm_word_index)
        document = None
        if self.initial_transcript:
            try:
                document = self.workspace.open(self.initial_transcript)
            except QcodeError as exc:
                self.report(exc)
        if document is None:
            from qcode.tui.screens.transcripts import TranscriptsScreen  # lazy: the coding screen opens without it (cold start)

            self.push_screen(TranscriptsScreen(self.workspace))
        else:
            # The transcripts list is built when the coder first goes back to it (see CodingScreen.action_back).
            self.push_screen(CodingScreen(self.workspace, document))

    def on_open_transcript(self, message: OpenTranscript) -> None:
        if self.workspace is not None:
            self.push_screen(CodingScreen(self.workspace, message.document, focus=message.focus,
                                          show_others=message.show_others))

    def _build_matcher(self) -> None:
        if self.workspace is None:
            return
        codebook = self.workspace.codebook
        cache_dir = Path(user_cache_dir("qcode", appauthor=False))
        run_job(self, self.workspace, lambda _workspace, _progress: CodeMatcher(codebook, cache_dir=cache_dir),
                MatcherBuilt, name=MATCHER_JOB)

    @on(MatcherBuilt)
    def _matcher_built(self, message: MatcherBuilt) -> None:
        if self.workspace is not None and message.result.codebook is self.workspace.codebook:
            self.matcher = message.result  # else the codebook changed meanwhile: the newer matcher stays

    def _warm_word_index(self) -> None:
        """Set jieba up and bring the word index up to date in a worker (for search and suggestions)."""
        if self.workspace is None:
            return

        def warm(workspace: Workspace, progress: Progress) -> object:
            worker = get_current_worker()
            while True:
                try:
                    return workspace.warm_word_index(lambda done, total, _name: progress(done, total))
                except DatabaseLocked:  # another process is writing: build the index after it, never give up
                    if worker.is_cancelled:
                        raise
                    time.sleep(_INDEX_RETRY_SECONDS)

        run_job(self, self.workspace, warm, WordIndexBuilt, name=WORD_INDEX_JOB)

    @property
    def word_index_ready(self) -> bool:
        return self.word_index.ready

    @property
    def word_index_error(self) -> str | None:
        return self.word_index.error

    def _word_index_is(self, state: WordIndexState) -> None:
        """Keep how far the word index is, and tell every open screen."""
        self.word_index = state
        for screen in self.screen_stack:
            screen.post_message(WordIndexChanged(state))

    @on(WorkProgress)
    def _work_progress(self, message: WorkProgress) -> None:
        if message.job == WORD_INDEX_JOB:
            self._word_index_is(WordIndexState(message.done, message.total))

    @on(WordIndexBuilt)
    def _word_index_built(self, message: WordIndexBuilt) -> None:
        self._word_index_is(WordIndexState(self.word_index.done, self.word_index.total, ready=True))

    @on(Notice)
    def _notice(self, message: Notice) -> None:
        self.notify(message.text, timeout=message.timeout)

    @on(WorkFailed)
    def _work_failed(self, message: WorkFailed) -> None:
        """Background work met a user error that no screen showed itself: show it, once."""
        if message.job == WORD_INDEX_JOB:
            self._word_index_is(WordIndexState(self.word_index.done, self.word_index.total, error=message.text))
        self.report(message.error)

    def code_matcher(self) -> CodeMatcher:
        """The matcher, built now if the background worker has not finished yet."""
        if self.matcher is None and self.workspace is not None:
            self.matcher = CodeMatcher(self.workspace.codebook)
        assert self.matcher is not None
        return self.matcher

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The key of the screen shown does nothing there: keep it out of that screen's footer."""
        shown = type(self.screen).__name__ if self.is_running else ""
        if _SCREEN_OF_ACTION.get(action) == shown:
            return False
        return True

    def action_command_palette(self) -> None:
        """Textual's palette, with its prompt in the interface language."""
        # Textual annotates is_open with App[object]; App is invariant in its result type, so cast.
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's hint on how to quit, in the interface language."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(_("Press [b]{key}[/b] to quit the app").format(key=key), title=_("Do you want to quit?"))
                return

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title not in UNTRANSLATED_SYSTEM_COMMANDS:
                yield command._replace(title=_(command.title), help=_(command.help))

    def action_help(self) -> None:
        from qcode.tui.screens.help import HelpScreen  # lazy: loaded when first needed, to keep the TUI's start-up short

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.workspace.codebook if self.workspace else None))

    def action_codebook(self) -> None:
        from qcode.tui.screens.codebook import CodebookScreen  # lazy: loaded when first needed, to keep the TUI's start-up short

        if self.workspace and not isinstance(self.screen, CodebookScreen):
            self.push_screen(CodebookScreen(self.workspace))

    def action_agreement(self) -> None:
        from qcode.tui.screens.agreement import AgreementScreen  # lazy: loaded when first needed, to keep the TUI's start-up short

        if self.workspace and not isinstance(self.screen, AgreementScreen):
            self.push_screen(AgreementScreen(self.workspace))

    def action_statistics(self) -> None:
        from qcode.tui.screens.statistics import StatisticsScreen  # lazy: loaded when first needed, to keep the TUI's start-up short

        if self.workspace and not isinstance(self.screen, StatisticsScreen):
            self.push_screen(StatisticsScreen(self.workspace))

    def action_search(self) -> None:
        from qcode.tui.screens.search import SearchScreen  # lazy: loaded when first needed, to keep the TUI's start-up short

        if self.workspace and not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(self.workspace))

    def action_memos(self) -> None:
        from qcode.tui.screens.memos import MemosScreen  # lazy: loaded when first needed, to keep the TUI's start-up short

        if self.workspace and not isinstance(self.screen, MemosScreen):
            self.push_screen(MemosScreen(self.workspace))

    def action_saturation(self) -> None:
        from qcode.tui.screens.saturation import SaturationScreen  # lazy: loaded when first needed, to keep the TUI's start-up short

        if self.workspace and not isinstance(self.screen, SaturationScreen):
            self.push_screen(SaturationScreen(self.workspace))

    def codebook_changed(self) -> None:
        """The codebook changed (edit, new code, undo): reread it and let every open screen show it."""
        if self.workspace is None:
            return
        self.workspace.reload_codebook()
        self.matcher = CodeMatcher(self.workspace.codebook)  # small; a stale background build is dropped
        for screen in self.screen_stack:
            if isinstance(screen, QcodeScreen):
                screen.reload_codebook()

    # -- keys typed on the coding screen and the changes they make --------------------------------------

    def on_key(self, event: Key) -> None:
        """Code hotkeys, taken here where key bindings are run too, so that a hotkey and a navigation
        key (Down) are handled in the order they were typed: both reach this point in typing order."""
        screen = self.screen
        if isinstance(screen, CodingScreen) and screen.type_hotkey(event):
            event.stop()
            event.prevent_default()

    def write(self, job: Job, done: Callable[[Any], None],
              failed: Callable[[QcodeError], None] | None = None) -> None:
        """Store a change through the write queue (see `QcodeAppAPI.write`)."""
        if self.writes is None:  # not started: there is no coder yet, so nothing to store
            return
        self.writes.submit(job, done, failed or self.report)

    def _pending_changed(self, count: int) -> None:
        self.pending_writes = count
        screen = self.screen
        if isinstance(screen, CodingScreen):
            screen.show_pending(count)
        if count == 0 and self._quit_when_stored:
            self.exit()

    async def action_quit(self) -> None:
        screen = self.screen
        if isinstance(screen, CodingScreen):
            screen.remember_position()  # where the coder stopped: the transcript reopens there
        if self.pending_writes:
            self._quit_when_stored = True
            waiting = (_("Saving 1 waiting change first (another qcode command is writing); qcode quits when it is stored")
                       if self.pending_writes == 1 else
                       _("Saving {count} waiting changes first (another qcode command is writing); qcode quits when "
                         "they are stored").format(count=self.pending_writes))
            self.notify(waiting,
                        severity="warning", timeout=10)
            return
        self.exit()

    def report(self, exc: QcodeError) -> None:
        """Show a user error as a notification (the UI never dies of bad input)."""
        self.notify("\n".join(p.message for p in exc.problems), severity="error", timeout=8, markup=False)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Notifications name codes, coders and transcripts: control characters shown, never sent."""
        super().notify(visible_controls(message), title=visible_name(title), severity=severity, timeout=timeout,
                       markup=markup)


def _checked(app: QcodeApp) -> QcodeAppAPI:
    return app  # mypy checks here that the app offers screens everything QcodeAppAPI promises


def _resume_collector() -> None:
    """Turn the garbage collector back on once the first screen is drawn, if `qcode code` paused it for the
    start-up (qcode/cli/tui_cmds.py); an app started otherwise (tests) never had it off.

    The objects made until then (modules, the codebook, the codings, the transcript's layout) live as long
    as the app, so they are frozen first: full collections no longer walk them, which otherwise froze the
    screen for 50-70 ms every few dozen keys. Only in that case: the process ends with the app, so nothing
    frozen needs collecting later (tests run many apps in one process and never freeze).

    The first generation is collected every `YOUNG_COLLECTION_THRESHOLD` allocations instead of 700: a key
    that draws a page makes thousands of short-lived objects (strips, segments, Textual's caches), so at
    700 the collector ran three times a key, about 220 µs each, tracing objects that reference counting
    frees anyway; it was an eighth of a Page Down (issue 11 point 6). Cycles still get collected."""
    if not gc.isenabled():
        gc.collect()  # the start-up's garbage first, or it would be frozen too (once, after the first frame)
        gc.freeze()
        _young, middle, old = gc.get_threshold()
        gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)
        gc.enable()


YOUNG_COLLECTION_THRESHOLD = 10_000
"""Allocations between collections of the youngest generation while the app runs (Python's default: 700)."""


def run_app(root: Path, *, coder: str | None, transcript: str | None, user_config: UserConfig) -> None:
    """Open the project and run the app until the user quits."""
    from qcode.tui.terminal_theme import default_theme  # lazy: loaded when first needed, to keep the TUI's start-up short

    theme = default_theme(user_config.theme)
    with Project.open(root) as project:
        app = QcodeApp(project, coder=coder, transcript=transcript, user_config=user_config, theme=theme)
        app.run()
    if app.refusal is not None:  # printed by the CLI as any other error, with a non-zero exit
        raise app.refusal
