"""The assistant on screen: "more like this" for a code or a coding, and the walk through its
suggestions. Nothing it proposes is a coding until the coder presses a key for it.

* `MoreLikeThisScreen(code_id, coding_id)`: passages most like the code's codings (or one
  coding), not yet coded with it. `c` codes the highlighted passage with that code, Enter
  opens it in its transcript.
* `SuggestionsScreen`: the open suggestions (kept apart, in `assistant-<coder>`), each shown
  with ◇, its score and why. `g` asks for suggestions for the current transcript (`G`: all),
  `a` accepts (it becomes the coder's coding), `r` rejects (never proposed again), `s`
  skips, Enter opens the passage.

The passages' vectors take a few seconds to build, in a thread; the app keeps them for the
session (`app.assistant_finder`).
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.terminal_safety import inert
from workbench.tui.navigation import Jump
from workbench.tui.writes import WriteJob
from workbench.tui.widgets.key_bar import KeyBar

_finder_lock = threading.Lock()


def assistant_finder(app):
    """The session's passage vectors, built on first use (call from a thread)."""
    with _finder_lock:
        finder = getattr(app, "assistant_finder", None)
        if finder is None:
            from workbench.assistant.similar import SimilarFinder

            finder = app.assistant_finder = SimilarFinder(app.project)
        return finder


def passage_line(transcript: str, text: str, detail: str, mark: str = "") -> Text:
    line = Text(f"{mark}{detail} ", style="bold") + Text(f"{inert(transcript)} ", style="dim")
    return line + Text(f"“{inert(' '.join(text.split()))}”")


class MoreLikeThisScreen(ModalScreen[Jump | None]):
    BINDINGS = [
        Binding("escape", "close", "back", id="like.close"),
        Binding("c", "code", "code it", id="like.code"),
    ]

    def __init__(self, code_id: str | None = None, coding_id: str | None = None):
        super().__init__()
        self.code_id, self.coding_id = code_id, coding_id
        self.found: list = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("More like this", classes="dialog-title", id="like-title")
            yield OptionList(id="like-list")
            yield Static("loading the passages…", classes="dialog-hint", id="like-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        app = self.app
        with app.writes.lock:
            if self.coding_id:
                self.code_id = app.coder.coding(self.coding_id).code
            self.path = app.coder.codebook.path(self.code_id)
        self.query_one("#like-title", Static).update(f"More like {'this coding of ' if self.coding_id else ''}"
                                                      f"{inert(self.path)}")
        self.run_worker(self.rank, thread=True, exclusive=True, exit_on_error=False)

    def rank(self) -> None:
        app = self.app
        try:
            finder = assistant_finder(app)
            with app.writes.lock:
                found = finder.like(app.coder, code_ref=None if self.coding_id else self.code_id,
                                    coding_ref=self.coding_id, limit=30)
        except Exception as error:  # shown, never fatal
            app.call_from_thread(self.hint, f"{error}")
            return
        app.call_from_thread(self.show, found)

    def show(self, found: list) -> None:
        self.found = found
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(passage_line(s.passage.transcript, s.passage.text, f"{s.score:.2f}"))
                             for s in found])
        if found:
            options.highlighted = 0
            options.focus()
        self.hint(f"{len(found)} passages · c codes one as {inert(self.path)} · enter opens it · esc back"
                  if found else "no passage like it yet")

    def hint(self, text: str) -> None:
        self.query_one("#like-hint", Static).update(text)

    def action_code(self) -> None:
        at = self.query_one(OptionList).highlighted
        if at is None or at >= len(self.found):
            return
        passage = self.found.pop(at).passage
        self.app.code_span(passage.transcript, (passage.start, passage.end), self.code_id)
        self.show(self.found)
        if self.found:
            self.query_one(OptionList).highlighted = min(at, len(self.found) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        passage = self.found[event.option_index].passage
        self.dismiss(Jump(passage.transcript, passage.start, passage.end))

    def action_close(self) -> None:
        self.dismiss(None)


class SuggestionsScreen(ModalScreen[Jump | None]):
    BINDINGS = [
        Binding("escape", "close", "back", id="suggestions.close"),
        Binding("a", "settle('accept')", "accept", id="suggestions.accept"),
        Binding("r", "settle('reject')", "reject", id="suggestions.reject"),
        Binding("s", "skip", "skip", id="suggestions.skip"),
        Binding("g", "generate(False)", "suggest here", id="suggestions.here"),
        Binding("G", "generate(True)", "suggest everywhere", id="suggestions.all"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("The assistant's suggestions (kept apart until you accept one)", classes="dialog-title")
            yield OptionList(id="suggestion-list")
            yield Static("", classes="dialog-hint", id="suggestion-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        from workbench.assistant.store import open_suggestions

        self.rows = open_suggestions(self.app.project, self.app.coder.coder)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(passage_line(r["transcript"], r["text"], f"{inert(r['code'])}", mark="◇ ")
                                    + Text(f"  {inert(r['why'].split(';')[0])}", style="dim")) for r in self.rows])
        if self.rows:
            options.highlighted = min(keep or 0, len(self.rows) - 1)
            options.focus()
        self.hint(f"{len(self.rows)} open · a accept · r reject · s skip · enter open · g suggest here · G everywhere"
                  if self.rows else "no open suggestions · g suggests for this transcript, G for all")

    def hint(self, text: str) -> None:
        self.query_one("#suggestion-hint", Static).update(text)

    def current(self) -> tuple[int, dict] | None:
        at = self.query_one(OptionList).highlighted
        return (at, self.rows[at]) if at is not None and at < len(self.rows) else None

    def action_settle(self, decision: str) -> None:
        chosen = self.current()
        if chosen is None:
            return
        at, row = chosen
        app = self.app
        from workbench.assistant.store import settle

        def apply(coder):
            return settle(app.project, coder, row["id"], decision)

        def done(_made) -> None:
            app.notify(f"{'Accepted' if decision == 'accept' else 'Rejected'}: {row['code']}", timeout=2)
            if self.is_attached:
                self.reload(keep=at)

        app.submit(WriteJob(f"{decision} the suggestion {row['code']}", apply, on_done=done))

    def action_skip(self) -> None:
        options = self.query_one(OptionList)
        if self.rows:
            options.highlighted = ((options.highlighted or 0) + 1) % len(self.rows)

    def action_generate(self, everywhere: bool) -> None:
        app = self.app
        transcripts = None if everywhere or app.transcript_id is None else [app.transcript_id]
        self.hint("learning from your codings…")

        def work() -> None:
            from workbench.assistant.suggest import suggest

            try:
                finder = assistant_finder(app)
                found, _ = suggest(app.project, app.coder.coder, transcripts, finder=finder)
            except Exception as error:  # shown, never fatal
                app.call_from_thread(self.hint, str(error))
                return
            app.call_from_thread(self.reload)
            app.call_from_thread(app.notify, f"{len(found)} suggestions", timeout=2)

        self.run_worker(work, thread=True, exclusive=True, exit_on_error=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.rows[event.option_index]
        self.dismiss(Jump(row["transcript"], row["start"], row["end"]))

    def action_close(self) -> None:
        self.dismiss(None)
