"""Which memo the memo panel shows and how its text reaches the coder file.
A mixin of `WorkbenchApp`."""

from __future__ import annotations

from datetime import date

from workbench.errors import NotFound
from workbench.model import Memo
from workbench.shorten import shorten
from workbench.tui.screens.picker import PickerScreen, PickItem
from workbench.tui.focus import focus_now
from workbench.tui.widgets.memo_panel import MemoSubject
from workbench.tui.writes import WriteJob


class MemoActions:
    def subject_for(self, kind: str, target: str | None) -> MemoSubject | None:
        """The memo panel's subject for a transcript, a code, its definition or a coding."""
        with self.writes.lock:
            coder = self.coder
            if kind == "transcript":
                memo = coder.memo("transcript", target)
                return MemoSubject(kind, target, f"Field notes · {target}", memo.text if memo else "")
            if kind in ("code", "definition"):
                if target not in coder.codebook:
                    return None
                code, path = coder.codebook[target], coder.codebook.path(target)
                if kind == "definition":
                    return MemoSubject(kind, target, f"Definition · {path}", code.description)
                memo = coder.memo("code", target)
                return MemoSubject(kind, target, f"Memo · {path}", memo.text if memo else "")
            if kind == "coding":
                try:
                    coding = coder.coding(target)
                except NotFound:
                    return None
                memo = coder.memo("coding", target)
                return MemoSubject(kind, target, f"Comment · “{shorten(coding.text, 40)}”", memo.text if memo else "")
        return None

    def action_edit_memo(self, kind: str) -> None:
        """`m` and friends: show the memo of the transcript, the code under the tree's cursor,
        its definition, or the coding under the transcript's cursor, and type in it."""
        if kind == "transcript":
            target = self.transcript_id
        elif kind in ("code", "definition"):
            target = self.codebook_tree.code_id
            if target is None:
                self.notify("No code selected", severity="warning")
                return
        else:
            view = self.transcript_view
            marks = view.marks_at(view.cursor)
            if not marks:
                self.notify("No coding under the cursor", severity="warning")
                return
            if len(marks) > 1:
                items = [PickItem(m.coding_id, m.name, f"{m.start}–{m.end}", m.color) for m in marks]
                self.push_screen(PickerScreen("Comment on which coding?", items),
                                 lambda coding_id: coding_id and self.open_memo(self.subject_for("coding", coding_id)))
                return
            target = marks[0].coding_id
        self.open_memo(self.subject_for(kind, target))

    def open_memo(self, subject: MemoSubject | None, focus: bool = True) -> None:
        self.memo_panel.show_subject(subject)
        if subject is not None and focus:
            focus_now(self.memo_panel.editor)

    def action_journal(self) -> None:
        """A new dated entry in the project journal."""
        today = date.today().isoformat()
        self.open_memo(MemoSubject("journal", None, f"Journal · {today}", entry={"title": today}))

    def open_memo_record(self, memo: Memo) -> None:
        """Open a memo chosen on the memos screen."""
        if memo.target_type == "project":
            title = memo.title or memo.created[:10]
            self.open_memo(MemoSubject("journal", memo.id, f"Journal · {title}", memo.text,
                                       entry={"id": memo.id, "title": title}))
        else:
            if memo.target_type == "coding":
                self.show_coding(memo.target)
            self.open_memo(self.subject_for(memo.target_type, memo.target))

    def show_coding(self, coding_id: str) -> None:
        """Open the coding's transcript with the coding selected."""
        with self.writes.lock:
            try:
                coding = self.coder.coding(coding_id)
            except NotFound:
                return
        try:
            self.open_transcript(coding.transcript, select=(coding.start, coding.end))
        except NotFound:
            self.notify(f"The transcript {coding.transcript} of this coding is not in the project", severity="warning")

    def save_memo(self, subject: MemoSubject, text: str) -> None:
        """The memo panel's save: queued, retried on failure, never dropped."""
        self.submit(self.memo_job(subject, text))

    def memo_job(self, subject: MemoSubject, text: str) -> WriteJob:
        """The write that saves `text` as the memo panel's `subject`."""
        if subject.kind == "definition":
            apply = lambda coder: coder.set_code(subject.target, description=text)  # noqa: E731
        elif subject.kind == "journal":
            def apply(coder, entry=subject.entry):
                if entry.get("id") is None:
                    entry["id"] = coder.add_journal_entry(text, title=entry.get("title", "")).id
                else:
                    coder.edit_journal_entry(entry["id"], text)
        else:
            apply = lambda coder: coder.set_memo(subject.kind, subject.target, text)  # noqa: E731
        return WriteJob(f"save {subject.title}", apply)

    def reload_memo_panel(self) -> None:
        """After undo or redo: show what the coder file now holds, unless the user is typing."""
        panel = self.memo_panel
        subject = panel.subject
        if subject is None or panel.dirty or subject.kind == "journal":
            return
        fresh = self.subject_for(subject.kind, subject.target)
        panel.subject = None
        panel.show_subject(fresh)
