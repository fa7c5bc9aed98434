"""The memo panel: the memo of what is selected (a transcript's field notes, a code's memo
or definition, a comment on one coding, a journal entry), edited as Markdown.

It saves by itself a moment after typing stops, and at once when its subject changes or
the focus leaves it. The text stays in the editor until the coder file holds it: a save
that fails keeps the editor's text and is retried with the app's retry command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static, TextArea

SAVE_AFTER = 0.8  # seconds of quiet before an automatic save


@dataclass(eq=False)
class MemoSubject:
    """What the panel edits. `kind` is transcript, code, coding, definition or journal;
    a journal entry gets its id when its first save creates it."""

    kind: str
    target: str | None
    title: str
    text: str = ""
    entry: dict = field(default_factory=dict)  # journal: {"id": ...} once created

    def same_as(self, other: "MemoSubject | None") -> bool:
        return other is not None and (self.kind, self.target) == (other.kind, other.target) and (
            self.kind != "journal" or self.entry is other.entry)


class MemoEditor(TextArea):
    pane_name = "Memo"
    BINDINGS = [
        Binding("escape", "app.leave_field", "done", id="memo.leave"),
        Binding("ctrl+home", "document_edge(False)", "start", id="memo.start"),
        Binding("ctrl+end", "document_edge(True)", "end", id="memo.end"),
        Binding("ctrl+shift+home", "document_edge(False, True)", "select to start", show=False),
        Binding("ctrl+shift+end", "document_edge(True, True)", "select to end", show=False),
    ]

    footer_order = ("memo.leave", "memo.start", "memo.end")

    def action_document_edge(self, end: bool, select: bool = False) -> None:
        self.move_cursor(self.document.end if end else (0, 0), select=select)

    def load_at_end(self, text: str) -> None:
        """Show `text` with the cursor after it, nothing selected: typing adds to what is there."""
        self.load_text(text)
        self.move_cursor(self.document.end)


class MemoPanel(Vertical):
    def __init__(self, save: Callable[[MemoSubject, str], None], *, id: str | None = None):
        super().__init__(id=id)
        self.save = save  # hands the text to the app's write queue
        self.subject: MemoSubject | None = None
        self.saved_text = ""
        self._timer: Timer | None = None
        self._handing_over = threading.Lock()  # the text is handed to the queue once, by one thread
        self._editor: MemoEditor | None = None  # held, so `rescue` still finds it in a torn-down tree

    def compose(self):
        yield Static("", id="memo-title")
        editor = MemoEditor("", language="markdown", soft_wrap=True, show_line_numbers=False, id="memo-editor")
        editor.cursor_blink = False
        self._editor = editor
        yield editor

    @property
    def editor(self) -> MemoEditor:
        return self._editor if self._editor is not None else self.query_one(MemoEditor)

    @property
    def dirty(self) -> bool:
        return self.subject is not None and self.editor.text != self.saved_text

    def show_subject(self, subject: MemoSubject | None) -> None:
        """Show another memo, saving the one being left first."""
        if subject is not None and subject.same_as(self.subject):
            return
        self.save_now()
        self.subject = subject
        self.saved_text = subject.text if subject else ""
        self.editor.load_at_end(self.saved_text)
        self.editor.read_only = subject is None
        self.query_one("#memo-title", Static).update(subject.title if subject else "no memo here")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if not self.dirty:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_AFTER, self.save_now)

    def on_descendant_blur(self) -> None:
        self.save_now()

    def save_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        with self._handing_over:
            self._hand_over(self.save)

    def rescue(self, save: Callable[[MemoSubject, str], None], wait: float = 1.0) -> None:
        """From another thread, when the screen may never run again (a hang-up): hand the
        unsaved text to `save`, unless the screen's own save has it (or is stuck holding it)."""
        if self._handing_over.acquire(timeout=wait):
            try:
                self._hand_over(save)
            finally:
                self._handing_over.release()

    def _hand_over(self, save: Callable[[MemoSubject, str], None]) -> None:
        if self.dirty:
            text = self.editor.text
            self.saved_text = text  # the app keeps the save until it is on disk, and retries it
            save(self.subject, text)
