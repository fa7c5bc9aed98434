"""`/`: quote search across every transcript, live as you type; Enter opens the hit in its
transcript with the hit selected (the screen dismisses with a `Jump`).

The contract the app relies on: a screen class `SearchScreen()` taking no arguments,
reading `self.app.project`, and dismissing with a `workbench.tui.navigation.Jump` or None.

The indexes (workbench/search/project_index.py) are loaded once per app, in a thread
worker (`preload`, called when the app starts; the screen calls it too). Each keystroke
restarts a short timer; when it fires, the query runs in a thread worker, and the list is
filled from its result, so typing never waits. Codes shown on hits are the live coder's.

Keys: type to search; down (or tab) moves into the hits; there space marks a hit, `c`
codes the whole sentence(s) the highlighted hit (or every marked hit) lies in, what a
researcher quotes, and `w` only the matched words; both through the code picker and the
app's write queue without leaving search; up from the first hit (or tab) goes back to typing.
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workbench.shorten import shorten, shorten_start
from workbench.terminal_safety import inert
from workbench.tui.focus import focus_now
from workbench.tui.navigation import Jump
from workbench.tui.screens.picker import NewEntry, PickerScreen
from workbench.wording import plural
from workbench.tui.widgets.key_bar import KeyBar, KeyLabel

MAX_HITS = 50
CONTEXT = 60  # characters of the sentence shown either side of a hit
DEBOUNCE = 0.12  # seconds of quiet typing before a query runs
_LOADING = threading.Lock()


def preload(app) -> None:
    """Load (or build) the app's quote search in a thread worker, once."""
    with _LOADING:
        if getattr(app, "quote_search", None) is not None or getattr(app, "quote_search_loading", False):
            return
        app.quote_search_loading = True
    app.quote_search = None
    app.run_worker(lambda: _load(app), thread=True, name="quote-search-index", group="search-index",
                   exit_on_error=False)


def _load(app) -> None:
    from workbench.search.project_search import ProjectSearch

    try:
        app.quote_search = ProjectSearch.open(app.project, app.coder.coder, codes_for=lambda *span: live_codes(app, *span))
    except Exception as error:  # the search is lost, not the session
        app.call_from_thread(app.notify, f"Quote search unavailable: {error}", severity="error", timeout=8)
    finally:
        app.quote_search_loading = False


def live_codes(app, transcript: str, start: int, end: int) -> list[str]:
    """Paths of the session coder's codes on `start:end`, as the coder file holds them now."""
    with app.writes.lock:
        book = app.coder.codebook
        found = []
        for coding in app.coder.codings(transcript=transcript):
            if coding.start < end and start < coding.end and coding.code in book:
                path = book.path(coding.code)
                if path not in found:
                    found.append(path)
    return found


def one_line(text: str) -> str:
    return " ".join(inert(text).split())


def hit_prompt(hit, marked: bool) -> Text:
    at, to = hit.start - hit.context_start, hit.end - hit.context_start
    before, after = hit.context[:at], hit.context[to:]
    spaced_before, spaced_after = before[-1:].isspace(), after[:1].isspace()
    before, after = shorten_start(inert(before), CONTEXT), shorten(inert(after), CONTEXT)
    line = Text("● " if marked else "  ", style="bold green")
    line.append(f"{hit.quote_id:<9}", style="bold")
    line.append(f"{hit.score:4.0f}  ", style="dim")
    line.append(before + (" " if spaced_before and before else ""))
    line.append(one_line(hit.text), style="bold reverse")
    line.append((" " if spaced_after and after else "") + after)
    codes = "; ".join(inert(c) for c in hit.codes)
    line.append(f"\n             {hit.role}" + (f" · codes: {codes}" if codes else ""), style="dim")
    return line


def spans_to_code(project, hits: list[tuple[str, int, int]], sentences: bool) -> list[tuple[str, int, int]]:
    """(transcript, start, end) to code for `hits`: with `sentences`, each hit widened to the
    whole sentences it touches; spans that overlap or touch in one transcript become one."""
    spans = []
    for transcript, start, end in hits:
        if sentences:
            touched = [s for s in project.segments(transcript).sentences if s.start < end and start < s.end]
            if touched:
                start, end = min(start, touched[0].start), max(end, touched[-1].end)
        spans.append((transcript, start, end))
    merged: list[tuple[str, int, int]] = []
    for transcript, start, end in sorted(spans):
        if merged and merged[-1][0] == transcript and start <= merged[-1][2]:
            merged[-1] = (transcript, merged[-1][1], max(end, merged[-1][2]))
        else:
            merged.append((transcript, start, end))
    return merged


class SearchKeys(KeyBar):
    """The search screen's keys: the query's while typing, the hits' in the list."""

    DEFAULT_CSS = "SearchKeys { dock: none; background: $surface; }"

    def key_labels(self) -> tuple[list[KeyLabel], list[KeyLabel]]:
        screen = self.screen
        if screen.focused is screen.options:
            keys = [("c", "code sentence"), ("w", "code words"), ("space", "mark"), ("enter", "open"), ("up", "query")]
        else:
            keys = [("enter", "open"), ("down", "hits")]
        return ([KeyLabel((key,), self.app.get_key_display(Binding(key, "")), what) for key, what in keys],
                [KeyLabel(("escape",), "esc", "close")])


class SearchScreen(ModalScreen):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "cancel"),
        Binding("tab", "switch_focus", "hits / query", show=False, priority=True),
        Binding("space", "mark", "mark", show=False),
        Binding("c", "code(True)", "code sentence", show=False),
        Binding("w", "code(False)", "code words", show=False),
    ]

    def __init__(self):
        super().__init__()
        self.hits: list = []
        self.marked: set[tuple[str, int, int]] = set()
        self._timer = None
        self._query = ""
        self._shown = ""  # the query the hits listed are for

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog SearchScreen"):
            yield Static("Search quotes", classes="dialog-title")
            yield Input(placeholder="words to find (typos are fine)")
            yield OptionList()
            yield SearchKeys(classes="dialog-hint")

    def on_mount(self) -> None:
        preload(self.app)
        self.query_one(Input).focus()
        self._hint()

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def _hint(self, status: str = "") -> None:
        """The title says how the search stands (hits, marked); the keys line below follows the focus."""
        marked = f" · {len(self.marked)} marked" if self.marked else ""
        self.query_one(".dialog-title", Static).update("Search quotes" + (f" · {status}" if status else "") + marked)

    # -- as you type ---------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self._query = event.value
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.run_query)

    def run_query(self) -> None:
        query = self._query
        if len(query.strip()) < 2:
            self.show([], query)
            return
        self.run_worker(lambda: self._search(query), thread=True, exclusive=True, group="search", exit_on_error=False)

    def _search(self, query: str) -> None:
        finder = self.app.quote_search
        while finder is None and getattr(self.app, "quote_search_loading", False):
            self.app.call_from_thread(self._hint, "loading the index…")
            threading.Event().wait(0.05)
            finder = self.app.quote_search
        if finder is None:
            return
        hits = finder.search(query, limit=MAX_HITS)
        if query == self._query:  # a later keystroke has its own worker
            self.app.call_from_thread(self.show, hits, query)

    def show(self, hits: list, query: str | None = None) -> None:
        highlighted = self.options.highlighted if query is None or query == self._shown else 0
        if query is not None:
            self._shown = query
        self.hits = hits
        self.options.clear_options()
        self.options.add_options([Option(hit_prompt(hit, self._key(hit) in self.marked)) for hit in hits])
        if hits:
            self.options.highlighted = min(highlighted or 0, len(hits) - 1)
        self._hint(plural(len(hits), "hit") if self._query.strip() else "")

    @staticmethod
    def _key(hit) -> tuple[str, int, int]:
        return hit.transcript, hit.start, hit.end

    # -- keys ----------------------------------------------------------------------
    def on_key(self, event) -> None:
        if self.focused is self.query_one(Input) and event.key == "down" and self.hits:
            event.stop()
            focus_now(self.options)
        elif self.focused is self.options and event.key == "up" and not self.options.highlighted:
            event.stop()
            focus_now(self.query_one(Input))

    def action_switch_focus(self) -> None:
        focus_now(self.query_one(Input) if self.focused is self.options else self.options)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter before the hits caught up with the typing runs the query now (a few ms)."""
        event.stop()
        finder = self.app.quote_search
        if self._shown != self._query and finder is not None and len(self._query.strip()) >= 2:
            if self._timer is not None:
                self._timer.stop()
            self.show(finder.search(self._query, limit=MAX_HITS), self._query)
        self._jump(self.options.highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._jump(event.option_index)

    def _jump(self, at: int | None) -> None:
        if at is not None and at < len(self.hits):
            hit = self.hits[at]
            self.dismiss(Jump(hit.transcript, hit.start, hit.end))

    def _highlighted(self):
        at = self.options.highlighted
        return self.hits[at] if at is not None and at < len(self.hits) else None

    def action_mark(self) -> None:
        if self.focused is not self.options or (hit := self._highlighted()) is None:
            return
        self.marked ^= {self._key(hit)}
        self.show(self.hits)

    def action_code(self, sentences: bool) -> None:
        """`c` (`sentences`): code the sentences the hits lie in; `w`: only the matched words."""
        if self.focused is not self.options:
            return
        targets = [hit for hit in self.hits if self._key(hit) in self.marked] or \
            [hit for hit in [self._highlighted()] if hit is not None]
        if not targets:
            return
        app = self.app
        spans = spans_to_code(app.project, [(h.transcript, h.start, h.end) for h in targets], sentences)

        def chosen(choice) -> None:
            if choice is None:
                return
            for transcript, start, end in spans:
                if isinstance(choice, NewEntry):
                    app.code_span(transcript, (start, end), None, choice.name, None, reuse=True, then=self._coded)
                else:
                    app.code_span(transcript, (start, end), choice, then=self._coded)
            self.marked.clear()
            self._hint(f"coding {len(targets)} hit{'s' if len(targets) > 1 else ''}")

        what = "the sentences of" if sentences else "the words of"
        title = f"Code {what} {len(targets)} hit{'s' if len(targets) > 1 else ''} as…"
        app.push_screen(PickerScreen(title, app.code_items(codable_only=True), create_label="create code"), chosen)

    def _coded(self, coding) -> None:
        finder = self.app.quote_search
        for hit in self.hits:
            if finder is not None and hit.transcript == coding.transcript:
                hit.codes = finder.codes_on(hit.transcript, hit.start, hit.end)
        if self.is_attached:
            self.show(self.hits)
