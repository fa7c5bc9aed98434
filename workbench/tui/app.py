"""The coding screen: transcript, codebook tree and memo panel, all by keyboard.

`run_app(project, coder)` locks the coder's file for the whole session and runs the app,
which draws its first frame, then reads the file on the write queue's thread and fills the
panes; keys typed meanwhile are not acted on (`opening.py`). On the way out (quit, SIGHUP from a
dropped SSH connection, SIGTERM) it lets the pending writes finish and closes the file,
which releases the lock. After SIGHUP or SIGTERM, `hangup.HangupWatchdog` makes sure of
that, and that the process ends, even when the screen's driver never returns.

Extending it
------------
* **Another screen** (agreement, theme review, quote search...): write a module in
  `workbench/tui/screens/` with a `Screen` or `ModalScreen` class whose constructor takes
  no arguments; it reads `self.app.project`, `self.app.coder` (hold `self.app.writes.lock`
  while reading it; change it only through `self.app.submit(WriteJob(...))`, see
  `writes.py`) and `self.app.transcript_id`. Then add one `ScreenEntry` to
  `WORKBENCH_SCREENS` below: the palette lists it as "Open <title>", `key` (if any) opens
  it from anywhere. If the screen is dismissed with a `workbench.tui.navigation.Jump`,
  the app opens that transcript with the span selected; with a `workbench.model.Memo`, it
  opens that memo in the memo panel.
* **Another command**: add a `(name, action, help)` to `palette_commands()`.
* **Keys** are `Binding`s with ids on the widget that owns them (`TranscriptView`,
  `CodebookTree`, `MemoEditor`) or here for the app-wide ones; `?` lists them all.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
import warnings
from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from workbench.coderfile import CoderFile
from workbench.errors import CompactionFailed, SavedWithWarning
from workbench.gc_pause import set_aside_after_each_pause, set_aside_what_is_loaded
from workbench.model import Memo
from workbench.places import Places
from workbench.project import Project
from workbench.shorten import shorten_start
from workbench.terminal_safety import inert
from workbench.tui.codebook_actions import CodebookActions
from workbench.tui.coding_actions import CodingActions
from workbench.tui.commands import WorkbenchCommands
from workbench.storage.lock import HEARTBEAT_EVERY, beat_held_locks
from workbench.tui.focus import focus_now
from workbench.tui.hangup import HangupWatchdog, once
from workbench.tui.memo_actions import MemoActions
from workbench.tui.navigation import Jump
from workbench.tui.opening import CoderOpening, LoadingGate
from workbench.tui.screens.keys import KeysScreen
from workbench.tui.screens.prompt import Confirm
from workbench.tui.screens.search import preload as preload_quote_search
from workbench.tui.terminal_guard import install as install_terminal_guard
from workbench.tui.widgets.codebook_tree import CodebookTree
from workbench.tui.widgets.key_bar import PALETTE, KeyBar
from workbench.tui.widgets.memo_panel import MemoEditor, MemoPanel
from workbench.tui.widgets.transcript_view import Mark, TranscriptView
from workbench.tui.writes import CoderLoaded, CoderLoadFailed, CoderWrites, WriteDone, WriteFailed, WriteJob
from workbench.wording import plural


@dataclass(frozen=True)
class ScreenEntry:
    id: str
    title: str
    help: str
    target: str  # "package.module:ScreenClass"
    key: str | None = None


WORKBENCH_SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("search", "search", "find words across every transcript", "workbench.tui.screens.search:SearchScreen", "slash"),
    ScreenEntry("memos", "memos", "every memo, filter as you type", "workbench.tui.screens.memos:MemosScreen", "o"),
    ScreenEntry("themes", "theme review", "review themes: quotes by participant and wave, coverage, salience, exemplars",
                "workbench.tui.screens.theme_review:ThemeReviewScreen", "T"),
    ScreenEntry("agreement", "agreement",
                "agreement with the other coder per code or per participant; walk and resolve the disagreements",
                "workbench.tui.screens.agreement:AgreementScreen"),
    ScreenEntry("matrix", "matrix", "participants (or an attribute) by themes; write each cell's framework summary",
                "workbench.tui.screens.matrix_view:MatrixScreen"),
    ScreenEntry("cooccurrence", "co-occurrence", "codes that occur together; Enter on a cell lists the passages",
                "workbench.tui.screens.cooccurrence_view:CooccurrenceScreen"),
    ScreenEntry("saturation", "saturation", "new codes per transcript in interview order, and where saturation came",
                "workbench.tui.screens.saturation_view:SaturationScreen"),
    ScreenEntry("suggestions", "suggestions", "the assistant's suggested codes, kept apart: accept, reject or skip each",
                "workbench.tui.screens.assistant:SuggestionsScreen", "S"),
    ScreenEntry("survey", "survey grid", "survey answers, one row each: code rows with a sticky code (k, space) "
                "or the last code (.), filter, sort", "workbench.tui.screens.survey_grid:SurveyGridScreen", "R"),
    ScreenEntry("review", "corrected codings to review",
                "codings whose words a corrected transcript changed: go to, accept or remove each "
                "(also 'workbench codings --review')", "workbench.tui.screens.review:ReviewScreen"),
)


NO_TRANSCRIPTS = (
    "No transcripts in this project yet.\n\n"
    "Import them from a shell, then open this screen again:\n\n"
    "  workbench import FILE...\n\n"
    ".txt .md .docx .vtt .srt, or a REFI-QDA .qdpx; several files at once are fine."
)


class WorkbenchApp(CodingActions, CodebookActions, MemoActions, App):
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS = [
        Binding("tab", "focus_next", "next pane", show=False),
        Binding("shift+tab", "focus_previous", "previous pane", show=False),
        Binding("u", "undo", "undo", id="app.undo"),
        Binding("ctrl+r", "redo", "redo", id="app.redo"),
        Binding("n", "journal", "journal", show=False, id="app.journal"),
        Binding("ctrl+s", "retry_writes", "retry saving", show=False, id="app.retry"),
        Binding("question_mark", "keys", "keys", id="app.keys"),
        Binding("q", "quit", "quit", id="app.quit"),
    ] + [Binding(e.key, f"open_screen('{e.id}')", e.title, id=f"app.{e.id}") for e in WORKBENCH_SCREENS if e.key]
    footer_order = ("app.undo", "app.search", "app.quit", PALETTE, "app.memos", "app.themes", "app.redo")

    def __init__(self, project: Project, coder: CoderFile | CoderOpening):
        """`coder`: the coder file, open; or locked and not read yet (it is read after the
        first frame, and no key acts until the panes show it)."""
        install_terminal_guard()
        super().__init__()
        opening = coder if isinstance(coder, CoderOpening) else None
        self.project = project
        self.coder: CoderFile | None = None if opening else coder
        self.writes = CoderWrites(self.coder, load=opening.load if opening else None)
        self.loading = LoadingGate() if opening else None
        self.load_error: BaseException | None = None
        self.coder_name = coder.coder
        self.workbench_screens = WORKBENCH_SCREENS
        self.failed: list[WriteJob] = []
        self.pending: list[WriteJob] = []
        self.counts: dict[str, tuple[int, int]] = {}
        self.transcript_id: str | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._memo_panel: MemoPanel | None = None
        self.last_pane = None  # the transcript or the codebook, whichever had the focus last
        self.title = f"Workbench · {inert(project.title)}"  # it also becomes the terminal window's title
        self.sub_title = f"coder {coder.coder}"

    def notify(self, message: str, *, title: str = "", **options) -> None:
        """Every notification is shown inert, and as plain text (not markup): it often quotes a code
        name, a summary or an error."""
        options.setdefault("markup", False)
        super().notify(inert(str(message)), title=inert(title), **options)

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes", disabled=self.coder is None):  # until the coder file is read
            yield TranscriptView(id="transcript")
            with Vertical(id="side"):
                yield CodebookTree(id="codebook")
                self._memo_panel = MemoPanel(self.save_memo, id="memo")  # kept for `rescue_pending`
                yield self._memo_panel
        yield KeyBar()

    @property
    def transcript_view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def codebook_tree(self) -> CodebookTree:
        return self.query_one(CodebookTree)

    @property
    def memo_panel(self) -> MemoPanel:
        return self.query_one(MemoPanel)

    def on_mount(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.set_interval(HEARTBEAT_EVERY, beat_held_locks)  # what doctor reads to tell a stuck session
        self.writes.start(self)
        if self.coder is None:  # read after the first frame, so that it never delays it
            self.transcript_view.border_title = f"reading {self.coder_name}'s coder file…"
            self.call_after_refresh(self.writes.read_coder_file)  # or at `Ready`, if sooner
            return
        self.fill_panes()

    def on_ready(self) -> None:
        self.writes.read_coder_file()  # the first frame is on the terminal

    async def on_event(self, event) -> None:
        if self.loading is not None and self.loading.stops(event):  # the coder file is still being read
            if self.loading.stopped == 1:
                self.notify(f"Reading {self.coder_name}'s coder file… keys work once it is shown", timeout=3)
            return
        await super().on_event(event)

    def on_coder_loaded(self, message: CoderLoaded) -> None:
        self.coder = message.coder
        self.query_one("#panes").disabled = False
        self.fill_panes()
        self.loading.open()

    def on_coder_load_failed(self, message: CoderLoadFailed) -> None:
        self.load_error = message.error  # `run_app` raises it once the screen is gone
        self.exit()

    def fill_panes(self) -> None:
        """The codebook, the transcript where the coder left off and its memo."""
        self.codebook_tree.border_title = "Codebook"  # shown with the file: what a launch waits for
        self.codebook_tree.border_subtitle = "codings·participants"  # what the two numbers of a code are
        self.refresh_codebook()
        self.hint_codings_to_review()
        transcripts = self.project.transcripts()
        self.places = Places.load(self.project, self.coder.coder)
        if transcripts:
            ids = [t.id for t in transcripts]
            self.open_transcript(self.places.last if self.places.last in ids else ids[0])
        else:
            self.show_no_transcripts()
        self.transcript_view.focus()
        set_aside_what_is_loaded()
        self.call_after_refresh(preload_quote_search, self)  # after the first frame: it never delays it

    # -- transcripts ---------------------------------------------------------------
    def open_transcript(self, transcript_id: str, select: tuple[int, int] | None = None) -> None:
        info = self.project.transcript(transcript_id)
        if self.transcript_id is not None:
            self.places.remember(self.transcript_id, self.transcript_view.cursor)
        self.transcript_id = info.id
        view = self.transcript_view
        view.load_transcript(self.project.text(info.id), self.project.segments(info.id), self.marks_for(info.id),
                             cursor=self.places.position(info.id) or 0)
        who = (f"focus group: {', '.join(self.project.transcript_participants(info))}" if info.is_focus_group
               else f"participant {info.participant}")
        view.border_title = f"{info.id} · {inert(who)} · wave {info.wave}"
        if view.survey_answer != (info.kind == "survey"):
            view.survey_answer = info.kind == "survey"
            self.refresh_bindings()  # the footer names the survey grid's key on an answer
        if select:
            view.select(*select)
        self.remember_place()
        self.update_position()
        if self.memo_panel.subject is None or self.memo_panel.subject.kind in ("transcript", "coding"):
            self.open_memo(self.subject_for("transcript", info.id), focus=False)

    def remember_place(self) -> None:
        """The transcript and cursor the coder is at, for the next session and for `[` `]`."""
        if self.transcript_id is not None:
            self.places.remember(self.transcript_id, self.transcript_view.cursor)
            self.places.save()
    def show_no_transcripts(self) -> None:
        """An empty project: say, where the transcript would be, how to bring one in."""
        view = self.transcript_view
        view.display = False
        self.query_one("#panes").mount(Static(NO_TRANSCRIPTS, id="no-transcripts"), before=view)
        self.call_after_refresh(focus_now, self.codebook_tree)

    def action_change_transcript(self, step: int) -> None:
        ids = [t.id for t in self.project.transcripts()]
        if ids and self.transcript_id in ids:
            self.open_transcript(ids[(ids.index(self.transcript_id) + step) % len(ids)])

    def marks_for(self, transcript_id: str) -> list[Mark]:
        with self.writes.lock:
            book = self.coder.codebook
            marks = [Mark(c.start, c.end, c.code, book[c.code].name, book[c.code].color, c.id)
                     for c in self.coder.codings(transcript=transcript_id) if c.code in book]
        return marks + [job.pending["mark"] for job in self.pending + self.failed
                        if job.pending.get("transcript") == transcript_id]

    def on_transcript_view_moved(self) -> None:
        self.update_position()

    def update_position(self) -> None:
        view = self.transcript_view
        turn = view.segmentation.turn_at(view.cursor)
        parts = [f"turn {turn.index + 1}/{len(view.segmentation.turns)}" if turn else "",
                 plural(len([m for m in view.marks if not m.pending]), "coding")]
        with self.writes.lock:
            if self.transcript_id in self.coder.done_transcripts():
                parts.append("done")
        if view.selection:  # first, so a narrow pane keeps it: its last words, the cursor's character not in them
            start, end = view.selection
            parts.insert(0, f"selected “{inert(shorten_start(view.text[start:end], 20))}”")
        elif view.selecting:
            parts.insert(0, "selecting")
        view.border_subtitle = " · ".join(p for p in parts if p)

    # -- the codebook ---------------------------------------------------------------
    @property
    def attribution(self):
        """Who speaks in each coding, made once: the transcripts do not change while the screen
        runs (a survey's 40,000 would cost 0.4 s on every saved coding)."""
        if getattr(self, "_attribution", None) is None:
            from workbench.sources.attribution import Attribution

            self._attribution = Attribution(self.project)
        return self._attribution

    def refresh_codebook(self) -> None:
        with self.writes.lock:
            book = self.coder.codebook
            if getattr(self, "_tally", None) is None:
                from workbench.coding.tally import CodingTally

                self._tally = CodingTally(self.attribution.of)
            self._tally.update(self.coder.codings_by_id())
            self.counts = self._tally.counts(book)
            self.codebook_tree.show_codebook(book, self.counts)

    def hint_codings_to_review(self) -> None:
        with self.writes.lock:
            flagged = sum(1 for c in self.coder.codings() if c.review)
        if flagged:
            self.notify(f"{flagged} of your codings changed when their transcript was corrected: "
                        f"ctrl+p, 'Review corrected codings'", timeout=8)

    def select_code(self, code_id: str, focus: bool = False) -> None:
        tree = self.codebook_tree
        for node in tree._all_nodes():
            if node.data == code_id:
                tree.move_cursor(node)
                break
        if focus:
            focus_now(tree)

    def on_tree_node_highlighted(self, event: CodebookTree.NodeHighlighted) -> None:
        subject = self.memo_panel.subject
        if event.node.data and self.codebook_tree.has_focus and not (
                subject and subject.kind == "definition" and subject.target == event.node.data):
            self.open_memo(self.subject_for("code", event.node.data), focus=False)

    def on_descendant_focus(self, event) -> None:
        if isinstance(event.widget, (TranscriptView, CodebookTree)):
            self.last_pane = event.widget
        subject = self.memo_panel.subject
        if isinstance(event.widget, TranscriptView) and subject and subject.kind in ("code", "definition"):
            self.open_memo(self.subject_for("transcript", self.transcript_id), focus=False)
        elif isinstance(event.widget, CodebookTree) and event.widget.code_id and (
                subject is None or subject.kind in ("transcript", "coding")):
            self.open_memo(self.subject_for("code", event.widget.code_id), focus=False)

    # -- writing -------------------------------------------------------------------
    def submit(self, job: WriteJob) -> None:
        if job.pending:
            self.pending.append(job)
            self.refresh_marks()
        self.writes.submit(job)

    def on_write_done(self, message: WriteDone) -> None:
        job = message.job
        self._forget(job)
        if job.on_done:
            job.on_done(message.result)
        self.refresh_codebook()
        self.refresh_marks()

    def on_write_failed(self, message: WriteFailed) -> None:
        job = message.job
        self._forget(job)
        if message.retryable:
            self.failed.append(job)
            reason = getattr(message.error.__cause__, "strerror", None) or message.error  # the disk's words
            self.notify(f"Not saved: {job.summary} ({reason}). The change is kept; ctrl+s tries again.",
                        severity="error", timeout=10)
        else:
            self.notify(str(message.error), severity="error", timeout=6)
        if job.on_failed:
            job.on_failed(message.error)
        self.refresh_codebook()
        self.refresh_marks()

    def _forget(self, job: WriteJob) -> None:
        for queue in (self.pending, self.failed):
            if job in queue:
                queue.remove(job)

    def refresh_marks(self) -> None:
        if self.transcript_id is not None:
            self.transcript_view.set_marks(self.marks_for(self.transcript_id))
            self.update_position()

    def action_retry_writes(self) -> None:
        jobs, self.failed = self.failed, []
        if not jobs:
            self.notify("Everything is saved", timeout=2)
        for job in jobs:
            self.submit(job)

    # -- screens ---------------------------------------------------------------------
    def action_open_screen(self, screen_id: str) -> None:
        self.open_screen(screen_id)

    def open_screen(self, screen_id: str) -> None:
        entry = next(e for e in self.workbench_screens if e.id == screen_id)
        module, _, name = entry.target.partition(":")
        screen_class = getattr(importlib.import_module(module), name)
        self.push_screen(screen_class(), self.follow_screen_result)

    def follow_screen_result(self, result) -> None:
        if isinstance(result, Jump):
            self.open_transcript(result.transcript, select=(result.start, result.end))
            focus_now(self.transcript_view)
        elif isinstance(result, Memo):
            self.open_memo_record(result)

    def action_keys(self) -> None:
        anywhere = self.BINDINGS + [Binding("ctrl+p", "", "command palette")]
        screen = self.screen
        if screen is not self.screen_stack[0]:  # theme review, agreement...: their keys, then the app's
            focused = screen.focused
            own = [b for b in getattr(focused, "BINDINGS", []) if isinstance(b, Binding) and b.show] if focused else []
            self.push_screen(KeysScreen([("This screen", list(screen.BINDINGS) + own), ("Anywhere", anywhere)]))
            return
        self.push_screen(KeysScreen([
            ("Anywhere", anywhere),
            ("Transcript", TranscriptView.BINDINGS),
            ("Codebook", CodebookTree.BINDINGS + [Binding("up,down", "", "move"), Binding("enter,space", "", "open / close")]),
            ("Memo editor", MemoEditor.BINDINGS),
        ]))

    def action_leave_field(self) -> None:
        """Escape in the memo editor: save, and go back to the pane it was opened from."""
        self.memo_panel.save_now()
        focus_now(self.last_pane or self.transcript_view)

    def palette_commands(self) -> list[tuple[str, str, str]]:
        return [
            ("New journal entry (n)", "journal", "a dated entry in the project journal"),
            ("Undo (u)", "undo", "undo the last change"),
            ("Redo (ctrl+r)", "redo", "redo what was undone"),
            ("Next transcript (])", "change_transcript(1)", ""),
            ("Previous transcript ([)", "change_transcript(-1)", ""),
            ("Retry saving (ctrl+s)", "retry_writes", "write again what the disk refused"),
            ("Keys (?)", "keys", "every key"),
            ("Review themes (T)", "open_screen('themes')", "quotes under a theme, coverage, salience, exemplars"),
            ("Review corrected codings", "open_screen('review')", "codings a corrected transcript changed"),
        ]

    # -- leaving ---------------------------------------------------------------------
    async def action_quit(self) -> None:
        if self.failed:
            def answer(yes: bool) -> None:
                if yes:
                    self.leave()
            self.push_screen(Confirm(f"{plural(len(self.failed), 'change')} could not be saved (ctrl+s retries). "
                                     f"Quit and lose them?"), answer)
            return
        self.leave()

    def leave(self) -> None:
        """Quit, SIGHUP or SIGTERM: hand the memo being typed to the write queue, then exit;
        `run_app` waits for the queue before closing the coder file."""
        self.memo_panel.save_now()
        self.remember_place()
        self.exit()

    def leave_soon(self) -> None:
        """`leave`, asked from another thread (the hang-up watchdog)."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.leave)

    def rescue_pending(self) -> None:
        """From any thread, as the session ends: queue the memo being typed and the changes
        the disk refused (one more try), in case the screen never gets to it."""
        if self._memo_panel is not None:  # held here: the screen's tree may be half torn down by now
            self._memo_panel.rescue(lambda subject, text: self.writes.submit(self.memo_job(subject, text)))
        refused, self.failed = self.failed, []
        for job in refused:
            self.writes.submit(job)


def run_app(project: Project, coder: str) -> None:
    set_aside_after_each_pause(False)  # a session runs for hours: what a pause made is collected as usual
    opening = CoderOpening(project, coder)  # a session already open is refused here, before any screen
    app = WorkbenchApp(project, opening)

    def end_session() -> None:
        try:
            app.rescue_pending()
        except Exception as err:  # never let it keep the queue unwritten or the lock held
            warnings.warn(f"could not rescue what was being typed: {err}", stacklevel=2)
        try:
            app.writes.finish()  # a coder file being read is read to the end first
        finally:
            coder_file = app.writes.coder
            if coder_file is None:  # the session ended before its file was read
                opening.release()
            else:
                try:
                    coder_file.close()
                except CompactionFailed as err:
                    warnings.warn(SavedWithWarning(coder_file.saved_but(err)), stacklevel=2)

    end_session = once(end_session)  # by the normal way out or the watchdog, whichever comes first
    watchdog = HangupWatchdog(end_session, app.leave_soon)
    watching = threading.current_thread() is threading.main_thread()  # signals reach the main thread only
    if watching:
        watchdog.install()
    try:
        app.run()
    finally:
        try:
            end_session()
        finally:
            if watching:
                watchdog.uninstall()
    if watchdog.signum is not None:
        raise SystemExit(128 + watchdog.signum)
    if app.load_error is not None:  # the coder file could not be read (damaged, unreadable)
        raise app.load_error
