"""Agreement between two coders: one row per code with its figures; Enter walks the code's
disagreements (`DisagreementScreen`), resolving each into the `consensus` coder file.
Like `workbench agreement`, it compares the transcripts both coders worked on and says
which it left out; a code neither coder applied is dimmed. `p` shows one row per
participant instead, the figures of `workbench agreement --by-participant` (a focus group's
speakers on their own turns), without the participants neither coder coded; Enter there opens
the participant's first transcript where they first speak.

The figures are in the shell's order; the code (participant) column is as wide as 80 columns
leave beside the counts, kappa and its band, and a longer name wraps in it.

Standalone: `AgreementScreen(project, coder, other)`; inside the coding app it takes the
project and coder from the app (and compares with the other coder of the project)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from workbench.analysis.agreement import UNITS, AgreementReport, compare_coders, transcript_units
from workbench.analysis.agreement_participants import ParticipantAgreement, ParticipantsReport, agreement_by_participant
from workbench.analysis.agreement_stats import AgreementFigures, kappa_band
from workbench.analysis.agreement_text import (band_text, number_text, participants_heading, percent_text,
                                               uncoded_participants)
from workbench.analysis.transcript_selection import excluded_summary, select_transcripts
from workbench.analysis.disagreements import DECISIONS, Disagreement, DisagreementWalk, context_window
from workbench.errors import WorkbenchError
from workbench.shorten import cells
from workbench.terminal_safety import inert
from workbench.tui.navigation import Jump
from workbench.wording import agree, plural
from workbench.tui.widgets.key_bar import KeyBar

CONSENSUS = "consensus"
BAND_STYLES = {"poor": "red", "slight": "red", "fair": "yellow", "moderate": "yellow",
               "substantial": "green", "almost perfect": "bold green"}
FIGURE_HEADINGS = ("both", "A only", "B only", "agree", "kappa", "band", "pos", "alpha")  # the shell's order
SHOWN_BESIDE_NAMES = FIGURE_HEADINGS.index("band") + 1  # the figures the name column leaves room for
MIN_NAME_WIDTH = 12
CSS = """
AgreementScreen #agreement-title, DisagreementScreen #walk-title { height: auto; padding: 0 1; text-style: bold; }
AgreementScreen #agreement-excluded { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
AgreementScreen #agreement-row { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
AgreementScreen DataTable { height: 1fr; }
DisagreementScreen .side { width: 1fr; height: 1fr; border: round $primary; padding: 0 1; overflow-y: auto; }
DisagreementScreen #walk-status { height: auto; padding: 0 1; }
"""


def other_coders(project, coder: str) -> list[str]:
    return [c for c in project.coders(assistants=False) if c not in (coder, CONSENSUS)]


def other_coder(project, coder: str) -> str | None:
    others = other_coders(project, coder)
    return others[0] if others else None


def figure_cells(f: AgreementFigures) -> list[Text]:
    """The figures of one row, as `workbench agreement` prints them: numbers on the right, a
    row neither coder coded dimmed."""
    style = BAND_STYLES.get(kappa_band(f.kappa), "") if f.coded else "dim"
    dim = "" if f.coded else "dim"
    numbers = [str(f.both), str(f.a_only), str(f.b_only), percent_text(f.percent_agreement)]
    return ([Text(n, style=dim, justify="right") for n in numbers]
            + [Text(number_text(f.kappa), style=style, justify="right"), Text(band_text(f.kappa), style=style)]
            + [Text(number_text(x), style=dim, justify="right") for x in (f.positive_agreement, f.alpha)])


def name_width(table: DataTable, heading: str, names: list[str], widths: list[int], rows: int) -> int:
    """The name column's width: the longest name, or what the table leaves beside the counts,
    kappa and band (a longer name wraps). When a column does not fit whole, the name column
    also takes the room left, so that no figure is cut at the right edge ("-0.080" cut to
    "-0.0" would read as another number)."""
    room = table.size.width or table.screen.size.width
    if rows + 1 > table.size.height:
        room -= table.styles.scrollbar_size_vertical
    room -= 2  # a space either side of the name, as of every cell
    beside = sum(w + 2 for w in widths[:SHOWN_BESIDE_NAMES])
    width = min(max([cells(heading)] + [cells(n) for n in names]), max(room - beside, MIN_NAME_WIDTH, cells(heading)))
    for w in widths[SHOWN_BESIDE_NAMES:]:
        if width + beside + w + 2 > room:
            return max(width, room - beside)
        beside += w + 2
    return width


class AgreementScreen(Screen[Jump | None]):
    DEFAULT_CSS = CSS
    BINDINGS = [
        # each view has its own enter and p; check_action shows the view's one
        Binding("enter", "open_row('codes')", "walk the code's disagreements", id="agreement.open"),
        Binding("enter", "open_row('participants')", "open the participant's transcript where they first speak",
                id="agreement.open_participant"),
        Binding("p", "switch_view('participants')", "per participant", id="agreement.participants"),
        Binding("p", "switch_view('codes')", "per code", id="agreement.codes"),
        Binding("u", "next_unit", "unit", id="agreement.unit"),
        Binding("o", "next_coder", "other coder", id="agreement.coder"),
        Binding("escape,q", "app.pop_screen", "back", id="agreement.back"),
    ]

    def __init__(self, project=None, coder: str | None = None, other: str | None = None, unit: str = "character"):
        super().__init__()
        self.project, self.coder_name, self.other_name, self.unit = project, coder, other, unit
        self.view = "codes"  # or "participants"
        self.report: AgreementReport | None = None  # the per-code figures shown
        self.participants: list[ParticipantAgreement] | None = None  # the per-participant figures shown
        # (name, figures, what the line under the table says, the CodeAgreement or ParticipantAgreement or None)
        self.rows: list[tuple[str, AgreementFigures, str, object]] = []

    def compose(self) -> ComposeResult:
        yield Static("Agreement", id="agreement-title")
        yield Static("", id="agreement-excluded")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("", id="agreement-row")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.project is None:
            self.project = self.app.project
        if self.coder_name is None:
            self.coder_name = self.app.coder.coder
        self.other_name = self.other_name or other_coder(self.project, self.coder_name)
        self.load()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "switch_view":
            return parameters[0] != self.view
        if action == "open_row":
            return parameters[0] == self.view
        return True

    def load(self) -> None:
        title = self.query_one("#agreement-title", Static)
        if self.other_name is None:
            title.update(f"Agreement: no other coder than {self.coder_name} in this project yet")
            return
        if self.view == "codes":
            self.report = None
            title.update(f"Agreement: {self.coder_name} (A) and {self.other_name} (B) on {self.unit}s: computing…")
        else:
            self.participants = None
            title.update(f"Agreement: {self.coder_name} (A) and {self.other_name} (B) per participant "
                         f"on {self.unit}s: computing…")
        self.compute(self.view, self.other_name, self.unit)

    @work(thread=True, exclusive=True)
    def compute(self, view: str, other: str, unit: str) -> None:
        try:
            if view == "participants":
                result = agreement_by_participant(self.project, self.coder_name, other, unit=unit)
            else:
                with self.project.open_coder(self.coder_name, readonly=True) as a, \
                        self.project.open_coder(other, readonly=True) as b:
                    result = compare_coders(self.project, a, b, unit, selection=select_transcripts(self.project, a, b))
        except WorkbenchError as err:
            self.app.call_from_thread(self.notify, str(err), severity="error")
            return
        self.app.call_from_thread(self.show, view, other, unit, result)

    def show(self, view: str, other: str, unit: str, result) -> None:
        if (view, other, unit) != (self.view, self.other_name, self.unit):
            return  # the coder switched view, unit or coder while this was computed
        if view == "participants":
            self.show_participants(result)
        else:
            self.show_codes(result)
        self.fill_table()
        self.query_one(DataTable).focus()

    def show_codes(self, report: AgreementReport) -> None:
        self.report = report
        self.rows = [(c.code.label, c.figures, c.note or "", c) for c in report.codes]
        self.rows.append(("overall", report.overall, report.overall.note or "", None))
        compared, excluded = report.selection.compared, report.selection.excluded
        self.query_one("#agreement-title", Static).update(
            f"Agreement: {self.coder_name} (A) and {self.other_name} (B) on {report.unit}s in "
            f"{plural(len(compared), 'transcript')} both worked on "
            f"(u changes the unit, o the other coder, p shows participants; Enter walks a code's disagreements "
            f"into '{CONSENSUS}')")
        unused = sum(not c.figures.coded for c in report.codes)
        said = [f"{plural(unused, 'code')} neither coder applied {agree(unused, 'is', 'are')} dimmed"] if unused else []
        if excluded:
            said.append(f"Left out ({plural(len(excluded), 'transcript')}; D in a transcript marks it done): "
                        + "; ".join(excluded_summary(report.selection, limit=4)))
        self.query_one("#agreement-excluded", Static).update(inert(". ".join(said)))

    def show_participants(self, report: ParticipantsReport) -> None:
        rows = report.rows
        self.participants = rows
        kinds = {t.id: t.is_focus_group for t in self.project.transcripts()}

        def where(row: ParticipantAgreement) -> str:
            spoken = [f"{t} (their own turns)" if kinds.get(t) else t for t in row.transcripts]
            return (f"{row.participant}: {', '.join(spoken)}" + (f"; {row.figures.note}" if row.figures.note else "")
                    + f". Enter opens {row.transcripts[0]} where they first speak")

        # a participant neither coder coded is left out (a transcript not double-coded yet): in a
        # survey coded on a sample they would be nearly every row
        shown = [r for r in rows if r.figures.coded]
        self.rows = [(r.participant, r.figures, where(r), r) for r in shown]
        self.query_one("#agreement-title", Static).update(
            "Agreement: " + participants_heading(self.coder_name, self.other_name, self.unit)
            + " (u changes the unit, o the other coder, p shows codes)")
        left = uncoded_participants(rows)
        compared = report.selection.compared
        said = (f"{plural(len(compared), 'transcript')} both worked on, as 'workbench agreement --by-participant' "
                "compares them" if compared else "No transcript that both coders worked on yet (D marks one done)")
        if left:
            said += f". {left}"
        if report.selection.excluded:
            said += (f". Left out ({plural(len(report.selection.excluded), 'transcript')}): "
                     + "; ".join(excluded_summary(report.selection, limit=4)))
        self.query_one("#agreement-excluded", Static).update(inert(said))

    def fill_table(self) -> None:
        """The rows, the name column as wide as the screen leaves beside the main figures."""
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear(columns=True)
        cells_of = [figure_cells(f) for _, f, _, _ in self.rows]
        widths = [max([len(h)] + [c[i].cell_len for c in cells_of]) for i, h in enumerate(FIGURE_HEADINGS)]
        heading = "code" if self.view == "codes" else "participant"
        names = [inert(name) for name, *_ in self.rows]
        width = name_width(table, heading, names, widths, len(self.rows))
        table.add_column(heading, width=width, key="name")
        for h, w in zip(FIGURE_HEADINGS, widths):
            table.add_column(Text(h, justify="left" if h == "band" else "right"), width=w, key=h)
        for i, (name, (_, f, _, _), row_cells) in enumerate(zip(names, self.rows, cells_of)):
            style = "bold" if self.view == "codes" and i == len(self.rows) - 1 else ("" if f.coded else "dim")
            table.add_row(Text(name, style=style), *row_cells, key=str(i),
                          height=None if cells(name) > width else 1)
        if self.rows:
            table.move_cursor(row=min(at, len(self.rows) - 1))
        self.show_row_note()

    def show_row_note(self) -> None:
        table = self.query_one(DataTable)
        note = self.rows[table.cursor_row][2] if 0 <= table.cursor_row < len(self.rows) else ""
        self.query_one("#agreement-row", Static).update(inert(note))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_row_note()

    def on_resize(self) -> None:
        if self.rows:
            self.call_after_refresh(self.fill_table)

    def action_switch_view(self, view: str) -> None:
        self.view = view
        self.refresh_bindings()
        self.rows = []
        self.query_one(DataTable).clear(columns=True)
        self.query_one("#agreement-row", Static).update("")
        self.load()

    def action_next_coder(self) -> None:
        """Compare with the next coder of the project (B), when there are several."""
        others = other_coders(self.project, self.coder_name)
        if len(others) < 2:
            self.notify("no other coder to compare with" if not others else f"{others[0]} is the only other coder")
            return
        at = others.index(self.other_name) if self.other_name in others else -1
        self.other_name = others[(at + 1) % len(others)]
        self.load()

    def action_next_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.load()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_row(self.view)

    def action_open_row(self, view: str) -> None:
        table = self.query_one(DataTable)
        if view != self.view or not table.row_count or not self.rows or (view == "codes" and self.report is None):
            return  # (no walk while the figures are computed again)
        item = self.rows[int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)][3]
        if isinstance(item, ParticipantAgreement):
            self.open_participant(item)
        elif item is not None:  # not the overall row
            self.open_code(item)

    def open_participant(self, row: ParticipantAgreement) -> None:
        from workbench.sources.attribution import first_turn

        transcript = row.transcripts[0]
        start, end = first_turn(self.project, transcript, row.participant) or (0, 0)
        self.dismiss(Jump(transcript, start, end))

    def open_code(self, code) -> None:
        try:
            screen = DisagreementScreen(self.project, self.coder_name, self.other_name, code.code, self.report.unit,
                                        self.report.selection.compared)
        except WorkbenchError as err:
            self.notify(str(err), severity="error")
            return
        self.app.push_screen(screen, lambda _: self.load())


class DisagreementScreen(Screen[None]):
    """One disagreement at a time: A's codings and B's side by side, in context."""

    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("a", "decide('take_a')", "take A", id="walk.take_a"),
        Binding("b", "decide('take_b')", "take B", id="walk.take_b"),
        Binding("k", "decide('both')", "keep both", id="walk.both"),
        Binding("d", "decide('neither')", "drop both", id="walk.neither"),
        Binding("s", "decide('skip')", "skip", id="walk.skip"),
        Binding("n", "note", "note", id="walk.note"),
        Binding("escape,q", "leave", "back", id="walk.back"),
    ]

    def __init__(self, project, coder_a: str, coder_b: str, code, unit: str, transcripts: list[str] | None = None):
        super().__init__()
        self.project = project
        self.a = project.open_coder(coder_a, readonly=True)
        self.b = project.open_coder(coder_b, readonly=True)
        try:
            self.consensus = project.open_coder(CONSENSUS)
        except WorkbenchError:
            self.a.close()
            self.b.close()
            raise
        self.walk = DisagreementWalk(project, self.a, self.b, self.consensus, code, unit,
                                     transcript_units(project, unit, transcripts))
        self.queue: list[Disagreement] = self.walk.pending()
        self.note = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="walk-title")
        with Horizontal():
            with Vertical(classes="side"):
                yield Static("", id="side-a")
            with Vertical(classes="side"):
                yield Static("", id="side-b")
        yield Static("", id="walk-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show()

    @property
    def current(self) -> Disagreement | None:
        return self.queue[0] if self.queue else None

    def show(self) -> None:
        item, code = self.current, self.walk.code
        done = len(self.walk.items) - len(self.walk.pending())
        title = self.query_one("#walk-title", Static)
        if item is None:
            title.update(f"{inert(code.label)}: all {plural(len(self.walk.items), 'disagreement')} resolved "
                         f"({'none on this unit' if not self.walk.items else 'escape goes back'})")
            self.query_one("#side-a", Static).update("")
            self.query_one("#side-b", Static).update("")
        else:
            earlier = self.walk.decision(item)
            title.update(f"{inert(code.label)}: {item.transcript} {item.start}-{item.end}, {done} of "
                         f"{len(self.walk.items)} resolved" + (" (skipped before)" if earlier else ""))
            text = self.project.text(item.transcript)
            lo, hi = context_window(text, item.start, item.end)
            self.query_one("#side-a", Static).update(self.side(f"A: {self.a.coder}", text, lo, hi, item.a_spans))
            self.query_one("#side-b", Static).update(self.side(f"B: {self.b.coder}", text, lo, hi, item.b_spans))
        hint = "a take A · b take B · k keep both · d drop both · s skip · n note"
        self.query_one("#walk-status", Static).update(f"note: {inert(self.note)}\n{hint}" if self.note else hint)

    @staticmethod
    def side(heading: str, text: str, lo: int, hi: int, spans) -> Text:
        shown = Text(heading + "\n", style="bold")
        cut_before = lo > 0 and text[lo - 1] != "\n"  # the context starts inside a line: say so
        body = Text(("…" if cut_before else "") + inert(text[lo:hi]) + ("…" if hi < len(text) and text[hi] != "\n" else ""))
        for start, end in spans:
            body.stylize("reverse bold", max(0, start - lo) + cut_before, min(hi, end) - lo + cut_before)
        if not spans:
            shown.append("(did not code this)\n", style="dim italic")
        return shown + body

    def action_decide(self, decision: str) -> None:
        item = self.current
        if item is None:
            return
        try:
            self.walk.resolve(item, decision, self.note)
        except WorkbenchError as err:
            self.notify(str(err), severity="error")
            return
        self.notify(f"{DECISIONS[decision]}: {item.transcript} {item.start}-{item.end}", timeout=2)
        self.note = ""
        self.queue.pop(0)
        if decision == "skip":
            self.queue.append(item)  # it comes back after the undecided ones
        self.show()

    def action_note(self) -> None:
        from workbench.tui.screens.prompt import TextPrompt

        def keep(note: str | None) -> None:
            if note is not None:
                self.note = note
                self.show()

        self.app.push_screen(TextPrompt("A note on this decision (a memo in the consensus file)", self.note), keep)

    def action_leave(self) -> None:
        self.dismiss(None)

    def on_unmount(self) -> None:
        for coder_file in (self.consensus, self.a, self.b):
            coder_file.close()
