"""Every memo of the coder, by what it is attached to and when it changed; type to filter,
Enter opens it in the memo panel (dismisses with the `Memo`)."""

from __future__ import annotations

from rich.text import Text

from workbench.errors import WorkbenchError
from workbench.model import Memo
from workbench.shorten import shorten
from workbench.tui.screens.filter_list import FilterListScreen


def describe_target(memo: Memo, coder) -> str:
    """'transcript 50002_2', 'code barriers/unclear role', 'coding in 50002 “...”', 'journal 2024-05-01'."""
    if memo.target_type == "project":
        return f"journal {memo.title or memo.created[:10]}"
    if memo.target_type == "code":
        return f"code {coder.codebook.path(memo.target)}" if memo.target in coder.codebook else f"code {memo.target}"
    if memo.target_type == "coding":
        try:
            coding = coder.coding(memo.target)
        except WorkbenchError:
            return f"coding {memo.target[:8]}"
        return f"coding in {coding.transcript} “{shorten(coding.text, 30)}”"
    return f"{memo.target_type} {memo.target}"


class MemosScreen(FilterListScreen):
    def __init__(self):
        super().__init__("Memos: type to filter, Enter opens")
        self.rows: list[tuple[Memo, str]] = []

    def on_mount(self) -> None:
        coder = self.app.coder
        with self.app.writes.lock:
            self.rows = [(memo, describe_target(memo, coder)) for memo in coder.memos()]
        super().on_mount()

    def entries(self, query: str) -> list[tuple[Memo, Text]]:
        words = query.casefold().split()
        found = []
        for memo, target in self.rows:
            if all(w in f"{target} {memo.text}".casefold() for w in words):
                line = Text(target, style="bold")
                line.append(f"  {memo.modified[:16].replace('T', ' ')}", style="dim")
                first = next((s for s in memo.text.splitlines() if s.strip()), "")
                line.append("\n  " + shorten(first, 70), style="dim")
                found.append((memo, line))
        return found
