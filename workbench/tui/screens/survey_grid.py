"""Survey answers as a grid: one row per answer to one question, the respondent's attributes
beside it, its codes, then the answer, the columns fitted to the screen's width.

`c` codes the row with the picker and moves down; `k` sets a sticky code, then `space` codes
the row with it and moves down; `.` codes the row with the last code used and moves down; `f`
filters (`gender=F`, `uncoded`, `coded`, `code:NAME`, other words in the answer; terms
separated by commas all hold); `o` sorts by the next column (table order, respondent, answer,
codes, attributes); `a` chooses the attribute columns; `Q` the next question; Enter opens the
answer in the coding screen, where words inside it are selected as in any transcript."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from workbench.project import natural_key
from workbench.terminal_safety import inert
from workbench.tui.navigation import Jump
from workbench.tui.screens.picker import NewEntry, PickerScreen
from workbench.sources.survey import survey_answers
from workbench.tui.screens.prompt import TextPrompt
from workbench.tui.widgets.answer_grid import GAP, AnswerGrid
from workbench.tui.widgets.key_bar import KeyBar
from workbench.tui.writes import WriteJob

CSS = """
SurveyGridScreen #grid-title { height: auto; padding: 0 1; text-style: bold; }
"""
SHOWN_ATTRIBUTES = 3
WIDEST = {"respondent": 12, "attribute": 12, "answer": 60, "codes": 30}  # no column is wider
NARROWEST = {"respondent": 6, "attribute": 4, "answer": 24, "codes": 12}  # shrunk to fit, never below


@dataclass
class GridRow:
    transcript: str
    respondent: str
    attributes: dict[str, str]
    read_text: object  # () -> the answer, read when first wanted (a row off screen never is)
    codes: list[str] = field(default_factory=list)  # code ids, in the order coded
    _answer: str | None = None

    @property
    def answer(self) -> str:
        if self._answer is None:
            self._answer = self.read_text()
        return self._answer

    @property
    def span(self) -> tuple[int, int]:
        """The whole answer (an answer is stored without surrounding white space)."""
        return (0, len(self.answer))


@dataclass(frozen=True)
class GridPlace:
    """Where the coder left the grid (kept by the app while the session lasts)."""

    question: str
    filter_terms: tuple[str, ...]
    sort_index: int
    attribute_columns: tuple[str, ...]
    sticky: str | None
    last_code: str | None
    transcript: str | None  # the row the cursor was on


def survey_questions(answers) -> list[str]:
    """The questions with answers in the project, in the order they were imported."""
    return list(dict.fromkeys(question for _, _, question in answers if question))


def fit_columns(room: int, wanted: list[int], narrowest: list[int], answer: int) -> list[int]:
    """Widths of the columns around the answer (`wanted`: what their content needs, capped) and
    the answer's width last, so that all of them fit in `room` cells with a gap between: the
    answer takes what is left up to its widest; when too little is left, the other columns
    shrink, widest first, down to their narrowest (a cell cut to fit ends in "…")."""
    widths = list(wanted)
    gaps = len(GAP) * len(widths)
    while room - gaps - sum(widths) < NARROWEST["answer"]:
        shrinkable = [i for i, w in enumerate(widths) if w > narrowest[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths + [max(NARROWEST["answer"], min(answer, room - gaps - sum(widths)))]


def row_matches(row: GridRow, terms: list[str], names: dict[str, str]) -> bool:
    """Every term holds: `key=value` (an attribute), `uncoded`, `coded`, `code:NAME`, or words of the answer."""
    for term in terms:
        folded = term.casefold()
        if folded == "uncoded":
            ok = not row.codes
        elif folded == "coded":
            ok = bool(row.codes)
        elif folded.startswith("code:"):
            wanted = folded[5:].strip()
            ok = any(wanted in names.get(c, "").casefold() for c in row.codes)
        elif "=" in term:
            key, _, value = term.partition("=")
            ok = any(k.strip().casefold() == key.strip().casefold() and v.strip().casefold() == value.strip().casefold()
                     for k, v in row.attributes.items())
        else:
            ok = folded in row.answer.casefold()
        if not ok:
            return False
    return True


class SurveyGridScreen(Screen):
    CSS = CSS
    BINDINGS = [  # in the order the key bar shows them, most used first
        Binding("space", "code_sticky", "code with sticky"),
        Binding("k", "set_sticky", "sticky code"),
        Binding("c", "code_row", "code"),
        Binding("full_stop", "repeat_last", "repeat last code"),
        Binding("f", "filter", "filter"),
        Binding("o", "sort", "sort"),
        Binding("a", "choose_attributes", "attributes"),
        Binding("Q", "next_question", "question"),
        Binding("escape", "close", "back"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: dict[str, GridRow] = {}
        self.shown: list[str] = []
        self.question: str | None = None
        self.filter_terms: list[str] = []
        self.sort_index = 0
        self.attribute_columns: list[str] = []
        self.sticky: str | None = None
        self.last_code: str | None = None
        self._names: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="grid-title")
        yield AnswerGrid(id="grid")
        yield KeyBar()

    def on_mount(self) -> None:
        self.project, self.coder, self.lock = self.app.project, self.app.coder, self.app.writes.lock
        self.answers = survey_answers(self.project)
        questions = survey_questions(self.answers)
        place: GridPlace | None = getattr(self.app, "survey_grid_place", None)
        if questions and place is not None and place.question in questions:  # back where the coder left it
            self.filter_terms, self.sort_index = list(place.filter_terms), place.sort_index
            self.attribute_columns = list(place.attribute_columns)
            known = self.code_names()
            self.sticky = place.sticky if place.sticky in known else None
            self.last_code = place.last_code if place.last_code in known else None
            self.load_question(place.question, keep=place.transcript)
        elif questions:
            self.load_question(questions[0])
        else:
            self.query_one("#grid-title", Static).update("No survey answers yet: workbench import answers.csv "
                                                        "--id-column ID --text-columns Q1,Q2")
        self.query_one(AnswerGrid).focus()

    @property
    def grid(self) -> AnswerGrid:
        return self.query_one(AnswerGrid)

    # -- what is shown ---------------------------------------------------------------
    def code_names(self) -> dict[str, str]:
        with self.lock:
            book = self.coder.codebook
            self._names = {c.id: c.name for c in book.walk()}
        return self._names

    def names(self) -> dict[str, str]:
        """The code names as last read (drawing a row must not walk the codebook)."""
        return self._names if self._names is not None else self.code_names()

    def load_question(self, question: str, keep: str | None = None) -> None:
        self.question = question
        people = self.project.manifest["participants"]  # the respondents' attributes, as imported
        with self.lock:
            coded: dict[str, dict[str, None]] = {}
            for coding in self.coder.codings():
                coded.setdefault(coding.transcript, {})[coding.code] = None
        self.rows = {}
        text, nothing = self.project.text, {}
        for tid, respondent, asked in self.answers:
            if asked == question:
                self.rows[tid] = GridRow(tid, respondent, people.get(respondent, nothing), lambda t=tid: text(t),
                                         list(coded.get(tid, ())))
        if not self.attribute_columns:
            names = dict.fromkeys(k for row in self.rows.values() for k in row.attributes)
            self.attribute_columns = list(names)[:SHOWN_ATTRIBUTES]
        self.refresh_table(keep=keep)

    def sort_keys(self) -> list[str]:
        return ["table order", "respondent", "answer", "codes", *self.attribute_columns]

    def refresh_table(self, keep: str | None = None) -> None:
        names = self.code_names()
        by = self.sort_keys()[self.sort_index % len(self.sort_keys())]
        rows = [r for r in self.rows.values() if row_matches(r, self.filter_terms, names)]
        if by == "table order":
            pass
        elif by == "respondent":
            rows.sort(key=lambda r: natural_key(r.respondent))
        elif by == "answer":
            rows.sort(key=lambda r: r.answer.casefold())
        elif by == "codes":
            rows.sort(key=lambda r: (len(r.codes), natural_key(r.respondent)))
        else:
            rows.sort(key=lambda r: (natural_key(r.attributes.get(by, "")), natural_key(r.respondent)))
        self.shown = [r.transcript for r in rows]
        self.show_table(keep)
        self.update_title(names)

    def show_table(self, keep: str | None = None) -> None:
        """The shown rows, their columns fitted to the grid's width: the codes always in view."""
        columns = self.attribute_columns
        titles = ["respondent", *columns, "codes", "answer"]
        rows = [self.rows[t] for t in self.shown]
        names = self.names()
        wanted = [min(WIDEST["respondent"], max([len(titles[0]), *(len(r.respondent) for r in rows)])),
                  *(min(WIDEST["attribute"], max([len(a), *(len(r.attributes.get(a, "")) for r in rows)]))
                    for a in columns),
                  min(WIDEST["codes"], max([len(titles[-2]), *(len(", ".join(names.get(c, "?") for c in r.codes))
                                                               for r in rows if r.codes)]))]
        narrowest = [NARROWEST["respondent"], *[NARROWEST["attribute"]] * len(columns), NARROWEST["codes"]]
        room = self.grid.scrollable_content_region.width or self.app.size.width
        widths = fit_columns(room, wanted, narrowest, WIDEST["answer"])
        shown, by_id = self.shown, self.rows

        def cells(index: int) -> list[str]:
            row = by_id[shown[index]]
            known = self.names()
            return [row.respondent, *(row.attributes.get(a, "") for a in columns),
                    ", ".join(known.get(c, "?") for c in row.codes), row.answer]

        at = self.grid.cursor if keep is None and self.grid.count == len(shown) else None
        cursor = shown.index(keep) if keep in shown else (at or 0)
        self.grid.show_rows(titles, widths, len(shown), cells, cursor)

    def on_resize(self) -> None:
        if self.question is not None:
            self.show_table()

    def update_title(self, names: dict[str, str] | None = None) -> None:
        names = names or self.code_names()
        coded = sum(1 for r in self.rows.values() if r.codes)
        parts = [f"{inert(self.question or '')} · {len(self.shown)} of {len(self.rows)} answers · {coded} coded",
                 f"sorted by {self.sort_keys()[self.sort_index % len(self.sort_keys())]}"]
        if self.filter_terms:
            parts.append("filter " + inert(", ".join(self.filter_terms)))
        if self.sticky:
            parts.append(f"sticky: {inert(names.get(self.sticky, '?'))}")
        self.query_one("#grid-title", Static).update(" · ".join(parts))

    def current(self) -> GridRow | None:
        if not self.shown or not 0 <= self.grid.cursor < len(self.shown):
            self.notify("No answer here", severity="warning")
            return None
        return self.rows[self.shown[self.grid.cursor]]

    # -- coding ----------------------------------------------------------------------
    def pick_code(self, title: str, then) -> None:
        def chosen(choice) -> None:
            if isinstance(choice, NewEntry):
                self.app.ask_parent(choice.name, lambda parent: then(None, choice.name, parent))
            elif choice is not None:
                then(choice, None, None)

        self.app.push_screen(PickerScreen(title, self.app.code_items(codable_only=True), create_label="create code"),
                             chosen)

    def code(self, row: GridRow, code_id: str | None, new_name: str | None = None, parent: str | None = None,
             advance: bool = False) -> None:
        if code_id is not None:
            self.last_code = code_id  # at once: the next key may come before the disk has it
        if code_id is not None and code_id in row.codes:
            self.notify(f"{row.respondent} is already coded with that code", severity="warning")
        else:
            def done(coding) -> None:
                self.last_code = coding.code
                if coding.code not in row.codes:
                    row.codes.append(coding.code)
                self.refresh_row(row)

            self.app.code_span(row.transcript, row.span, code_id, new_name, parent, reuse=True, then=done)
        if advance:
            self.grid.action_move(1)

    def refresh_row(self, row: GridRow) -> None:
        self._names = None  # the row's code may be new
        self.grid.refresh()
        self.update_title()

    def action_code_row(self) -> None:
        row = self.current()
        if row is not None:
            self.pick_code(f"Code {inert(row.respondent)}'s answer as…",
                           lambda c, n, p: self.code(row, c, n, p, advance=True))

    def action_set_sticky(self) -> None:
        def chosen(code_id, name, parent) -> None:
            if code_id is not None:
                self.set_sticky(code_id)
                return

            def apply(coder):  # a new sticky code is made at once, with no coding yet
                return coder.codebook.sibling_named(parent, name) or coder.add_code(name, parent=parent)

            self.app.submit(WriteJob(f"add code {name}", apply, on_done=lambda code: self.set_sticky(code.id)))

        self.pick_code("Sticky code (space codes a row with it)", chosen)

    def set_sticky(self, code_id: str) -> None:
        self.sticky = code_id
        self.update_title()

    def action_code_sticky(self) -> None:
        if self.sticky is None:
            self.notify("No sticky code yet: k sets one", severity="warning")
            return
        row = self.current()
        if row is not None:
            self.code(row, self.sticky, advance=True)

    def action_repeat_last(self) -> None:
        if self.last_code is None:
            self.notify("No code used yet in this grid: c codes a row", severity="warning")
            return
        row = self.current()
        if row is not None:
            self.code(row, self.last_code, advance=True)

    # -- filter, sort, columns, questions ----------------------------------------------
    def action_filter(self) -> None:
        def chosen(value) -> None:
            self.filter_terms = [t.strip() for t in (value or "").split(",") if t.strip()]
            self.refresh_table()

        given = ", ".join(self.filter_terms)  # a term typed after it is one more term
        self.app.push_screen(TextPrompt("Filter (gender=F, uncoded, coded, code:NAME, words; commas: all of them)",
                                        given + ", " if given else ""), chosen)

    def action_sort(self) -> None:
        row = self.current() if self.shown else None
        self.sort_index = (self.sort_index + 1) % len(self.sort_keys())
        self.refresh_table(keep=row.transcript if row else None)

    def action_choose_attributes(self) -> None:
        def chosen(value) -> None:
            known = {k.casefold(): k for row in self.rows.values() for k in row.attributes}
            wanted = [known[n.strip().casefold()] for n in (value or "").split(",") if n.strip().casefold() in known]
            self.attribute_columns, self.sort_index = wanted, 0
            self.refresh_table()

        known = sorted({k for row in self.rows.values() for k in row.attributes}, key=str.casefold)
        self.app.push_screen(TextPrompt(f"Attribute columns, comma separated ({', '.join(known) or 'none'})",
                                        ", ".join(self.attribute_columns)), chosen)

    def action_next_question(self) -> None:
        questions = survey_questions(self.answers)
        if len(questions) > 1 and self.question in questions:
            self.load_question(questions[(questions.index(self.question) + 1) % len(questions)])

    def action_open_answer(self) -> None:
        row = self.current()
        if row is not None:
            self.remember()
            self.dismiss(Jump(row.transcript, *row.span))

    def on_answer_grid_chosen(self, event: AnswerGrid.Chosen) -> None:
        event.stop()
        self.action_open_answer()

    def action_close(self) -> None:
        self.remember()
        self.dismiss(None)

    def remember(self) -> None:
        """Keep the question, filter, sort, columns, codes and row for the next time the grid opens."""
        if self.question is None:
            return
        row = self.rows.get(self.shown[self.grid.cursor]) if 0 <= self.grid.cursor < len(self.shown) else None
        self.app.survey_grid_place = GridPlace(self.question, tuple(self.filter_terms), self.sort_index,
                                               tuple(self.attribute_columns), self.sticky, self.last_code,
                                               row.transcript if row else None)
