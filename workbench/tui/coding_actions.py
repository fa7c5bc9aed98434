"""What the transcript's keys do to the coder file: code, in-vivo code, uncode, undo, redo.
A mixin of `WorkbenchApp`; every change goes through `self.submit` (the write queue)."""

from __future__ import annotations

import re

from workbench.codebook import SEPARATOR
from workbench.shorten import shorten
from workbench.tui.screens.picker import NewEntry, PickerScreen, PickItem
from workbench.tui.widgets.transcript_view import Mark
from workbench.tui.writes import WriteJob
from workbench.wording import plural

IN_VIVO_WORDS = 8  # an in-vivo code is named after at most this many of the selected words


def in_vivo_name(text: str) -> str:
    words = re.sub(r"\s+", " ", text.replace(SEPARATOR, "-")).strip(" \"'“”‘’.,;:!?()[]").split(" ")
    name = " ".join(words[:IN_VIVO_WORDS])
    return name + ("…" if len(words) > IN_VIVO_WORDS else "")


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to the word boundaries around its ends (an in-vivo code quotes whole words)."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


class CodingActions:
    def _selection_or_hint(self) -> tuple[int, int] | None:
        selection = self.transcript_view.selection
        if selection is None:
            self.notify("Select a span first: s sentence, t turn, v or shift+arrows", severity="warning")
        return selection

    def code_items(self, codable_only: bool) -> list[PickItem]:
        with self.writes.lock:
            book = self.coder.codebook
            items = []
            for code in book.walk():
                if codable_only and not code.codable:
                    continue
                path = book.path(code.id)
                codings = self.counts.get(code.id, (0, 0))[0]
                definition = shorten(code.description, 90)
                detail = plural(codings, "coding") + (f" · {definition}" if definition else "")
                if code.kind != "code":
                    detail = f"{code.kind} · {detail}"
                items.append(PickItem(code.id, path, detail, code.color, extra=code.description))
        return items

    def action_code_selection(self) -> None:
        selection = self._selection_or_hint()
        if selection is None:
            return
        transcript = self.transcript_id

        def chosen(choice) -> None:
            if isinstance(choice, NewEntry):
                self.ask_parent(choice.name, lambda parent: self.code_span(transcript, selection, None, choice.name, parent))
            elif choice is not None:
                self.code_span(transcript, selection, choice)

        self.push_screen(PickerScreen("Code the selection as…", self.code_items(codable_only=True),
                                      create_label="create code"), chosen)

    def ask_parent(self, name: str, then) -> None:
        """Where a new code goes in the tree; the top level is the default."""
        items = [PickItem("", "(top level)", "a new top-level code")] + self.code_items(codable_only=False)

        def chosen(choice) -> None:
            if choice is not None and not isinstance(choice, NewEntry):
                then(choice or None)

        self.push_screen(PickerScreen(f"Where does “{name}” go?", items), chosen)

    def code_span(self, transcript: str, span: tuple[int, int], code_id: str | None,
                  new_name: str | None = None, parent: str | None = None, reuse: bool = False,
                  then=None) -> None:
        """Code `span` with an existing code, or with a new code (`new_name` under `parent`;
        with `reuse`, an existing code of that name there is used). `then(coding)` runs
        once it is on disk."""
        start, end = span
        text = self.project.text(transcript)[start:end]

        def apply(coder):
            target = code_id
            if target is None:
                existing = coder.codebook.sibling_named(parent, new_name) if reuse else None
                target = (existing or coder.add_code(new_name, parent=parent)).id
            return coder.add_coding(transcript, start, end, target, text)

        with self.writes.lock:
            code = self.coder.codebook.by_id.get(code_id) if code_id else None
        name = code.name if code else new_name
        colour = code.color if code else "#888888"
        mark = Mark(start, end, code_id or "", name, colour, pending=True)
        def done(coding) -> None:
            grown = (coding.start, coding.end) != (start, end)
            self.notify(f"Coded as {name}" + (f", joined with the overlapping coding of {name} "
                                              f"({coding.start}–{coding.end})" if grown else ""), timeout=3 if grown else 2)
            if then:
                then(coding)

        self.submit(WriteJob(f"code “{shorten(text, 40)}” as {name}", apply, pending={"transcript": transcript, "mark": mark},
                             on_done=done))
        self.transcript_view.action_clear_selection()

    def action_in_vivo(self) -> None:
        selection = self._selection_or_hint()
        if selection is None:
            return
        text = self.project.text(self.transcript_id)
        selection = whole_words(text, *selection)  # a code named "ings for me" helps nobody
        self.code_span(self.transcript_id, selection, None, in_vivo_name(text[selection[0]:selection[1]]), None,
                       reuse=True)

    def action_uncode(self) -> None:
        view = self.transcript_view
        marks = view.marks_at(view.cursor)
        if not marks:
            self.notify("No coding under the cursor", severity="warning")
            return
        if len(marks) == 1:
            self.remove_coding(marks[0])
            return
        items = [PickItem(m, m.name, f"{m.start}–{m.end} “{shorten(self.project.text(self.transcript_id)[m.start:m.end], 60)}”",
                          m.color) for m in marks]
        self.push_screen(PickerScreen("Remove which coding?", items), lambda m: m and self.remove_coding(m))

    def remove_coding(self, mark: Mark) -> None:
        self.submit(WriteJob(f"remove coding {mark.name}", lambda coder: coder.remove_coding(mark.coding_id),
                             on_done=lambda coding: self.notify(f"Removed the coding of {mark.name}", timeout=2)))

    def action_more_like_coding(self) -> None:
        """More like the coding under the cursor (the assistant's ranked passages)."""
        view = self.transcript_view
        marks = [m for m in view.marks_at(view.cursor) if not m.pending]
        if not marks:
            self.notify("No coding under the cursor: L on a coding, or on a code in the codebook", severity="warning")
            return
        self.open_more_like(coding_id=marks[0].coding_id)

    def action_more_like_code(self) -> None:
        code_id = self.codebook_tree.code_id
        if code_id is None:
            self.notify("Move onto a code first", severity="warning")
            return
        self.open_more_like(code_id=code_id)

    def open_more_like(self, code_id: str | None = None, coding_id: str | None = None) -> None:
        from workbench.tui.screens.assistant import MoreLikeThisScreen

        self.push_screen(MoreLikeThisScreen(code_id, coding_id), self.follow_screen_result)
    def action_toggle_done(self) -> None:
        """Mark the transcript done (coded, even if there was nothing to code), or take the mark off."""
        transcript = self.transcript_id
        if transcript is None:
            return
        with self.writes.lock:
            done = transcript in self.coder.done_transcripts()
        said = f"{transcript} is not marked done any more" if done else f"{transcript} marked done (D again takes it off)"
        self.submit(WriteJob(f"mark {transcript} {'not ' if done else ''}done",
                             lambda coder: coder.set_done(transcript, not done),
                             on_done=lambda _: self.notify(said, timeout=3)))

    def action_undo(self) -> None:
        self.submit(WriteJob("undo", lambda coder: coder.undo(), on_done=lambda e: self.after_history(e, "Undone", "undo")))

    def action_redo(self) -> None:
        self.submit(WriteJob("redo", lambda coder: coder.redo(), on_done=lambda e: self.after_history(e, "Redone", "redo")))

    def after_history(self, entry, done: str, verb: str) -> None:
        self.notify(f"{done}: {entry.summary}" if entry else f"Nothing to {verb}", timeout=3)
        self.reload_memo_panel()
