"""Agreement between two coders: one row per code with its figures; Enter walks the code's
disagreements (`DisagreementScreen`), resolving each into the `consensus` coder file.
Like `workbench agreement`, it compares the transcripts both coders worked on and says
which it left out.

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
from workbench.analysis.agreement_stats import kappa_band
from workbench.analysis.agreement_text import band_text, number_text, percent_text
from workbench.analysis.transcript_selection import excluded_summary, select_transcripts
from workbench.analysis.disagreements import DECISIONS, Disagreement, DisagreementWalk, context_window
from workbench.errors import WorkbenchError
from workbench.terminal_safety import inert
from workbench.wording import plural
from workbench.tui.widgets.key_bar import KeyBar

CONSENSUS = "consensus"
BAND_STYLES = {"poor": "red", "slight": "red", "fair": "yellow", "moderate": "yellow",
               "substantial": "green", "almost perfect": "bold green"}
CSS = """
AgreementScreen #agreement-title, DisagreementScreen #walk-title { height: auto; padding: 0 1; text-style: bold; }
AgreementScreen #agreement-excluded { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
AgreementScreen DataTable { height: 1fr; }
DisagreementScreen .side { width: 1fr; height: 1fr; border: round $primary; padding: 0 1; overflow-y: auto; }
DisagreementScreen #walk-status { height: auto; padding: 0 1; }
"""


def other_coders(project, coder: str) -> list[str]:
    return [c for c in project.coders(assistants=False) if c not in (coder, CONSENSUS)]


def other_coder(project, coder: str) -> str | None:
    others = other_coders(project, coder)
    return others[0] if others else None


def figure_cells(f) -> list:
    style = BAND_STYLES.get(kappa_band(f.kappa), "")
    return [str(f.both), str(f.a_only), str(f.b_only), percent_text(f.percent_agreement),
            Text(number_text(f.kappa), style=style), Text(band_text(f.kappa), style=style),
            number_text(f.positive_agreement), number_text(f.alpha)]


class AgreementScreen(Screen[None]):
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("enter", "open_code", "walk disagreements", id="agreement.open"),
        Binding("u", "next_unit", "unit", id="agreement.unit"),
        Binding("o", "next_coder", "other coder", id="agreement.coder"),
        Binding("escape,q", "app.pop_screen", "back", id="agreement.back"),
    ]

    def __init__(self, project=None, coder: str | None = None, other: str | None = None, unit: str = "character"):
        super().__init__()
        self.project, self.coder_name, self.other_name, self.unit = project, coder, other, unit
        self.report: AgreementReport | None = None

    def compose(self) -> ComposeResult:
        yield Static("Agreement", id="agreement-title")
        yield Static("", id="agreement-excluded")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        if self.project is None:
            self.project = self.app.project
        if self.coder_name is None:
            self.coder_name = self.app.coder.coder
        self.other_name = self.other_name or other_coder(self.project, self.coder_name)
        table = self.query_one(DataTable)
        table.add_columns("code", "both", "A only", "B only", "agree", "kappa", "band", "pos", "alpha")
        self.load()

    def load(self) -> None:
        title = self.query_one("#agreement-title", Static)
        if self.other_name is None:
            title.update(f"Agreement: no other coder than {self.coder_name} in this project yet")
            return
        title.update(f"Agreement: {self.coder_name} (A) and {self.other_name} (B) on {self.unit}s: computing…")
        self.compute(self.unit)

    @work(thread=True, exclusive=True)
    def compute(self, unit: str) -> None:
        try:
            with self.project.open_coder(self.coder_name, readonly=True) as a, \
                    self.project.open_coder(self.other_name, readonly=True) as b:
                report = compare_coders(self.project, a, b, unit, selection=select_transcripts(self.project, a, b))
        except WorkbenchError as err:
            self.app.call_from_thread(self.notify, str(err), severity="error")
            return
        self.app.call_from_thread(self.show, report)

    def show(self, report: AgreementReport) -> None:
        self.report = report
        table = self.query_one(DataTable)
        table.clear()
        for i, row in enumerate(report.codes):
            table.add_row(inert(row.code.label), *figure_cells(row.figures), key=str(i))
        table.add_row(Text("overall", style="bold"), *figure_cells(report.overall), key="overall")
        compared, excluded = report.selection.compared, report.selection.excluded
        self.query_one("#agreement-title", Static).update(
            f"Agreement: {self.coder_name} (A) and {self.other_name} (B) on {report.unit}s in "
            f"{plural(len(compared), 'transcript')} both worked on "
            f"(u changes the unit, o the other coder; Enter walks a code's disagreements into '{CONSENSUS}')")
        self.query_one("#agreement-excluded", Static).update(
            inert(f"Left out ({plural(len(excluded), 'transcript')}; D in a transcript marks it done): "
                  + "; ".join(excluded_summary(report.selection, limit=4))) if excluded else "")
        table.focus()

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
        self.action_open_code()

    def action_open_code(self) -> None:
        table = self.query_one(DataTable)
        if self.report is None or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key == "overall":
            return
        code = self.report.codes[int(key)]
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
