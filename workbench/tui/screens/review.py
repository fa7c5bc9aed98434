"""The codings a corrected transcript left for review (`workbench import --replace` flags
every coding whose words changed; `workbench codings --review` lists them on the command
line). Each row shows where the coding is, its text before the correction and now, side by
side; Enter goes to it (dismisses with a `Jump`), `a` accepts it as it is now, `x` removes it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.model import Coding
from workbench.realign import text_before_correction
from workbench.terminal_safety import inert
from workbench.tui.navigation import Jump
from workbench.tui.writes import WriteJob
from workbench.wording import plural
from workbench.tui.widgets.key_bar import KeyBar

CSS = """
ReviewScreen #review-title { height: auto; padding: 0 1; text-style: bold; }
ReviewScreen OptionList { height: 1fr; }
"""


@dataclass(frozen=True)
class Flagged:
    coding: Coding
    quote_id: str
    code_path: str
    old_text: str | None  # None when the review note does not carry it

    @property
    def place(self) -> str:
        """'50002_2 (50002_2) · 120–155 · barriers/stigma'"""
        c = self.coding
        return f"{c.transcript} ({self.quote_id}) · {c.start}–{c.end} · {self.code_path}"


def flagged_codings(project, coder) -> list[Flagged]:
    """Every coding of `coder` flagged for review, in transcript order (hold the coder's lock)."""
    infos = {t.id: t for t in project.transcripts()}
    book = coder.codebook
    return [Flagged(c, infos[c.transcript].quote_id if c.transcript in infos else c.transcript,
                    book.path(c.code) if c.code in book else c.code, text_before_correction(c.review))
            for c in coder.codings() if c.review]


def side_by_side(row: Flagged) -> Group:
    sides = Table.grid(expand=True, padding=(0, 2))
    sides.add_column(ratio=1)
    sides.add_column(ratio=1)
    was = Text("was ", style="bold red")
    was.append(f"“{inert(row.old_text)}”" if row.old_text is not None else inert(row.coding.review), style="")
    now = Text("now ", style="bold green")
    now.append(f"“{inert(row.coding.text)}”")
    sides.add_row(was, now)
    return Group(Text(inert(row.place), style="bold"), sides, Text(""))


class ReviewScreen(Screen[Jump | None]):
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("enter", "jump", "go to", id="corrections.jump"),
        Binding("a", "accept", "accept as it is", id="corrections.accept"),
        Binding("x", "remove", "remove coding", id="corrections.remove"),
        Binding("escape,q", "dismiss(None)", "back", id="corrections.back"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list[Flagged] = []
        self.waiting: set[str] = set()  # codings whose change is queued: hidden until it is written

    def compose(self) -> ComposeResult:
        yield Static("", id="review-title")
        yield OptionList()
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        with self.app.writes.lock:
            self.rows = [r for r in flagged_codings(self.app.project, self.app.coder) if r.coding.id not in self.waiting]
        options = self.query_one(OptionList)
        keep = options.highlighted or 0
        options.clear_options()
        options.add_options([Option(side_by_side(row), id=row.coding.id) for row in self.rows])
        options.display = bool(self.rows)
        if self.rows:
            options.highlighted = min(keep, len(self.rows) - 1)
        title = self.query_one("#review-title", Static)
        if self.rows:
            title.update(f"{plural(len(self.rows), 'coding')} changed when their transcript was corrected: "
                         f"Enter goes to one, a accepts it as it is now, x removes it  "
                         f"(workbench codings --review lists them too)")
        else:
            title.update("Nothing to review: no coding of yours was changed by a corrected transcript.")

    def current(self) -> Flagged | None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is None or highlighted >= len(self.rows):
            return None
        return self.rows[highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    def action_jump(self) -> None:
        row = self.current()
        if row is not None:
            self.dismiss(Jump(row.coding.transcript, row.coding.start, row.coding.end))

    def action_accept(self) -> None:
        row = self.current()
        if row is not None:
            self.change(row, f"accepted the coding at {row.place}",
                        lambda coder: coder.update_coding(row.coding.id, review=None))

    def action_remove(self) -> None:
        row = self.current()
        if row is not None:
            self.change(row, f"removed the coding at {row.place} (u undoes)",
                        lambda coder: coder.remove_coding(row.coding.id))

    def change(self, row: Flagged, summary: str, apply) -> None:
        coding_id = row.coding.id

        def finished(_result=None) -> None:
            self.waiting.discard(coding_id)
            if self.is_attached:
                self.reload()

        def done(result) -> None:
            self.notify(summary, timeout=3)
            finished()

        self.waiting.add(coding_id)
        self.app.submit(WriteJob(summary, apply, on_done=done, on_failed=finished))
        self.reload()
