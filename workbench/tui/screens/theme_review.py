"""Reviewing themes: pick a category, theme, subtheme or code in the thematic map (the tree,
with codings·participants beside each node) and see every quote under it (the union of its
descendants' codings) grouped by participant and wave, with its coverage and salience.
Mark quotes as exemplars for the report, correct a quote's grammar for publication (the
verbatim text is kept and shown beside it), rename, move, merge, re-kind or define codes, and
open the matrix (`x`).

A standalone screen: `ThemeReviewScreen(project, "alex")` opens the coder's file itself
and writes to it directly; given an open `CoderFile` (and the lock that guards it) it works
on that one. Built with no arguments (from the main app's screen registry) it uses the app's
project and coder file, and sends every change through the app's write queue.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import nullcontext

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static, Tree
from textual.widgets.option_list import Option

from workbench.analysis.salience import DEFAULT_WEIGHT, compute_salience
from workbench.model import KINDS
from workbench.terminal_safety import inert
from workbench.tui.screens.correction import CorrectionEditor
from workbench.tui.screens.picker import NewEntry, PickerScreen, PickItem
from workbench.tui.screens.prompt import TextPrompt
from workbench.wording import plural
from workbench.tui.widgets.key_bar import KeyBar

CSS = """
ThemeReviewScreen #review-map { width: 40%; min-width: 28; border: round $primary-darken-2; }
ThemeReviewScreen #review-right { width: 1fr; }
ThemeReviewScreen #review-summary { height: auto; max-height: 40%; border: round $primary-darken-2; padding: 0 1; }
ThemeReviewScreen #review-quotes { height: 1fr; border: round $primary-darken-2; }
ThemeReviewScreen #review-map:focus-within, ThemeReviewScreen #review-quotes:focus { border: round $accent; }
"""


OPTION_COPY = "/"  # a quote's second option: '<coding id>/1' (coding ids are hex)


class ThemeReviewScreen(Screen):
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape,q", "close", "back", id="review.close"),
        Binding("tab", "switch_pane", "map/quotes", id="review.switch"),
        Binding("e", "toggle_exemplar", "exemplar", id="review.exemplar"),
        Binding("g", "edit_correction", "correct", id="review.correct"),
        Binding("r", "rename", "rename", id="review.rename"),
        Binding("M", "move", "move", id="review.move"),
        Binding("J", "merge", "merge", id="review.merge"),
        Binding("K", "kind", "kind", id="review.kind"),
        Binding("d", "define", "definition", id="review.definition"),
        Binding("t", "toggle_codes", "themes only", id="review.themes_only"),
        Binding("x", "matrix", "matrix", id="review.matrix"),
    ]

    @property
    def footer_order(self) -> tuple[str, ...]:
        """The footer names the quote keys first when the quotes have the focus, else the map's."""
        quote_keys = ("review.exemplar", "review.correct")
        code_keys = ("review.rename", "review.definition", "review.move", "review.merge", "review.kind",
                     "review.themes_only", "review.matrix")
        rest = ("review.switch", "review.close")
        if self.focused is not None and self.focused.id == "review-quotes":
            return quote_keys + rest + code_keys
        return code_keys + rest + quote_keys

    def __init__(self, project=None, coder=None, *, lock=None, weight: float = DEFAULT_WEIGHT):
        super().__init__()
        self.weight = weight
        self.table = None
        self.selected: str | None = None
        self.themes_only = False
        self.owns_coder = isinstance(coder, str)
        self.through_app = project is None
        if project is not None:
            self.attach(project, project.open_coder(coder) if self.owns_coder else coder,
                        lock or (threading.RLock() if self.owns_coder else nullcontext()))

    def attach(self, project, coder, lock) -> None:
        self.project, self.coder, self.lock = project, coder, lock
        from workbench.sources.attribution import Attribution

        self.attribution = Attribution(project)
        self.infos = self.attribution.infos

    # -- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal():
            tree: Tree = Tree("Thematic map", id="review-map")
            tree.show_root = False
            yield tree
            with Vertical(id="review-right"):
                yield Static(id="review-summary")
                yield OptionList(id="review-quotes")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.through_app:
            self.attach(self.app.project, self.app.coder, self.app.writes.lock)
        self.refresh_all()
        self.query_one("#review-map", Tree).focus()

    def on_unmount(self) -> None:
        if self.owns_coder:
            self.coder.close()

    # -- what is shown -------------------------------------------------------------------
    def refresh_all(self, select: str | None = None) -> None:
        with self.lock:
            self.table = compute_salience(self.project, self.coder, self.weight)
            book = self.coder.codebook
        self.selected = select if select in book else (self.selected if self.selected in book else None)
        tree = self.query_one("#review-map", Tree)
        tree.clear()
        nodes = {}
        for code in book.walk():
            if self.themes_only and code.kind == "code":
                continue
            parent = nodes.get(code.parent, tree.root)
            node = parent.add(self.map_label(code), data=code.id, expand=True,
                              allow_expand=bool(book.children.get(code.id)))
            nodes[code.id] = node
        # the cursor and the quotes shown agree from the start: on the node picked, else on its
        # nearest ancestor the map shows (themes only), else on the first node
        chain = [] if self.selected is None else [self.selected] + [c.id for c in reversed(book.ancestors(self.selected))]
        target = next((nodes[c] for c in chain if c in nodes), tree.root.children[0] if tree.root.children else None)
        self.selected = target.data if target is not None else None
        tree.root.expand()
        if target is not None:
            self.call_after_refresh(tree.move_cursor, target)
        self.show_node(self.selected)

    def map_label(self, code) -> Text:
        stats = self.table.nodes[code.id]
        label = Text()
        label.append("■ ", style=code.color)
        label.append(inert(code.name), style="" if code.kind == "code" else "bold")
        if code.kind != "code":
            label.append(f" {code.kind}", style="italic dim")
        label.append(f"  {stats.codings}·{stats.participants}", style="dim")
        return label

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data and event.node.data != self.selected:
            self.show_node(event.node.data)

    def show_node(self, code_id: str | None) -> None:
        self.selected = code_id
        summary = self.query_one("#review-summary", Static)
        quotes = self.query_one("#review-quotes", OptionList)
        if code_id is None:
            summary.update("Pick a category, theme, subtheme or code in the map (arrows, tab to the quotes).")
            quotes.clear_options()
            return
        with self.lock:
            book = self.coder.codebook
            code = book[code_id]
            codings = self.coder.codings(codes=book.subtree_ids(code_id))
            paths = {c.code: book.path(c.code) for c in codings}
            memo = self.coder.memo("code", code_id)
        summary.update(self.summary_text(code, book.path(code_id), memo))
        keep = quotes.highlighted_option.id if quotes.highlighted_option is not None else None
        quotes.clear_options()
        quotes.add_options(self.quote_options(codings, paths, code_id))
        ids = [quotes.get_option_at_index(i).id for i in range(quotes.option_count)]
        if keep in ids:
            quotes.highlighted = ids.index(keep)

    def summary_text(self, code, path: str, memo) -> Text:
        stats, table = self.table.nodes[code.id], self.table
        primacy = "–" if stats.primacy is None else f"{stats.primacy:.2f}"
        text = Text()
        text.append(inert(path), style="bold")
        text.append(f"  ({code.kind})\n", style="italic")
        if code.description:
            text.append("Definition: ", style="bold")
            text.append(inert(code.description) + "\n")
        if memo and memo.text.strip():
            text.append("Memo: ", style="bold")
            text.append(inert(" ".join(memo.text.split())) + "\n")
        text.append(f"{plural(stats.codings, 'coding')} · participants {stats.participants} of {table.total_participants} · "
                    f"transcripts {stats.transcripts} of {table.total_transcripts} · primacy {primacy} · "
                    f"salience {stats.salience:.2f}\n")
        text.append(table.formula, style="dim")
        return text

    def quote_options(self, codings, paths: dict, code_id: str) -> list[Option]:
        by_participant: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for coding in codings:
            info = self.infos.get(coding.transcript)
            if info is not None:  # a focus-group quote under each participant speaking in it
                for participant in self.attribution.of(coding) or ("(moderator)",):
                    by_participant[participant][info.wave].append(coding)
        if not by_participant:
            return [Option(Text("No quotes under this node yet.", style="dim"), disabled=True)]
        from workbench.project import natural_key

        options, listed = [], {}
        for participant in sorted(by_participant, key=natural_key):
            waves = by_participant[participant]
            total = sum(len(v) for v in waves.values())
            options.append(Option(Text(f"Participant {inert(participant)} · {total} quote{'s' * (total != 1)}",
                                       style="bold reverse"), disabled=True))
            for wave in sorted(waves):
                options.append(Option(Text(f"  wave {wave} · {len(waves[wave])}", style="bold"), disabled=True))
                for coding in waves[wave]:
                    # a group quote under each speaker: option ids must differ (OPTION_COPY)
                    repeat = listed[coding.id] = listed.get(coding.id, -1) + 1
                    options.append(Option(self.quote_text(coding, paths, code_id),
                                          id=coding.id if not repeat else f"{coding.id}{OPTION_COPY}{repeat}"))
        return options

    def quote_text(self, coding, paths: dict, code_id: str) -> Text:
        text = Text("    ")
        text.append("★ " if coding.exemplar else "  ", style="bold yellow")
        text.append(f"“{inert(' '.join(coding.quote.split()))}”")
        text.append(f" ({inert(self.attribution.quote_id(coding))})", style="bold")
        if coding.code != code_id:
            text.append(f"  {inert(paths[coding.code])}", style="dim")
        if coding.corrected is not None:
            text.append("\n      verbatim: ", style="dim bold")
            text.append(f"“{inert(' '.join(coding.text.split()))}”", style="dim italic")
        return text

    # -- quote actions -------------------------------------------------------------------
    def highlighted_coding(self):
        quotes = self.query_one("#review-quotes", OptionList)
        option = quotes.highlighted_option
        if option is None or option.id is None:
            self.notify("Pick a quote first (tab to the quotes)", severity="warning")
            return None
        with self.lock:
            return self.coder.coding(option.id.split(OPTION_COPY)[0])

    def change(self, summary: str, apply, select: str | None = None, recount: bool = False) -> None:
        def done(_result=None) -> None:
            self.notify(summary, timeout=2)
            if recount:
                self.refresh_all(select)
            else:
                self.show_node(self.selected)

        from workbench.tui.writes import write_from_screen

        write_from_screen(self, self.through_app, self.coder, self.lock, summary, apply, done)

    def action_toggle_exemplar(self) -> None:
        coding = self.highlighted_coding()
        if coding is not None:
            mark = not coding.exemplar
            self.change("Marked as an exemplar" if mark else "No longer an exemplar",
                        lambda coder: coder.update_coding(coding.id, exemplar=mark))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a quote changes nothing: the correction editor has its own key (`g`), so a
        stray Enter and a letter can never replace a quote."""
        event.stop()
        self.notify("g corrects this quote's grammar; e marks it as an exemplar", timeout=3)

    def action_edit_correction(self) -> None:
        coding = self.highlighted_coding()
        if coding is None:
            return

        def done(result) -> None:
            if result is not None and result[0] != coding.corrected:
                self.change("Corrected text saved" if result[0] else "Correction cleared",
                            lambda coder: coder.update_coding(coding.id, corrected=result[0]))

        self.app.push_screen(CorrectionEditor(coding.text, coding.corrected), done)

    # -- code actions ----------------------------------------------------------------------
    def selected_code(self):
        if self.selected is None:
            self.notify("Pick a node in the map first", severity="warning")
            return None
        with self.lock:
            return self.coder.codebook.by_id.get(self.selected)

    def code_items(self, exclude: set[str]) -> list[PickItem]:
        with self.lock:
            book = self.coder.codebook
            return [PickItem(c.id, book.path(c.id), c.kind, colour=c.color) for c in book.walk() if c.id not in exclude]

    def action_rename(self) -> None:
        code = self.selected_code()
        if code:
            self.app.push_screen(TextPrompt(f"Rename “{inert(code.name)}” to:", code.name), lambda name: name and self.change(
                f"Renamed to {name}", lambda coder: coder.rename_code(code.id, name), select=code.id, recount=True))

    def action_move(self) -> None:
        code = self.selected_code()
        if not code:
            return
        with self.lock:
            inside = self.coder.codebook.subtree_ids(code.id)
        items = [PickItem("", "(top level)")] + self.code_items(inside)

        def chosen(parent) -> None:
            if parent is not None and not isinstance(parent, NewEntry):
                self.change(f"Moved {code.name}", lambda coder: coder.move_code(code.id, parent or None),
                            select=code.id, recount=True)

        self.app.push_screen(PickerScreen(f"Move “{inert(code.name)}” under…", items), chosen)

    def action_merge(self) -> None:
        code = self.selected_code()
        if not code:
            return
        with self.lock:
            inside = self.coder.codebook.subtree_ids(code.id)

        def chosen(target) -> None:
            if target and not isinstance(target, NewEntry):
                self.change(f"Merged {code.name}", lambda coder: coder.merge_code(code.id, target),
                            select=target, recount=True)

        self.app.push_screen(PickerScreen(f"Merge “{inert(code.name)}” (and its codings) into…",
                                          self.code_items(inside)), chosen)

    def action_kind(self) -> None:
        code = self.selected_code()
        if code:
            items = [PickItem(kind, kind, "receives codings" if kind in ("code", "subtheme") else "gathers the codes below it")
                     for kind in KINDS]
            self.app.push_screen(PickerScreen(f"Kind of “{inert(code.name)}”", items, highlight=code.kind),
                                 lambda kind: kind and not isinstance(kind, NewEntry) and self.change(
                                     f"{code.name} is now a {kind}", lambda coder: coder.set_code(code.id, kind=kind),
                                     select=code.id, recount=True))

    def action_define(self) -> None:
        code = self.selected_code()
        if code:
            self.app.push_screen(TextPrompt(f"Definition of “{inert(code.name)}”:", code.description),
                                 lambda text: text is not None and self.change(
                                     "Definition saved", lambda coder: coder.set_code(code.id, description=text),
                                     select=code.id, recount=True))

    # -- panes -----------------------------------------------------------------------
    def action_toggle_codes(self) -> None:
        self.themes_only = not self.themes_only
        self.refresh_all(self.selected)

    def action_matrix(self) -> None:
        from workbench.tui.screens.matrix_view import MatrixScreen

        self.app.push_screen(MatrixScreen(self.project, self.coder, lock=self.lock))

    def action_switch_pane(self) -> None:
        tree, quotes = self.query_one("#review-map", Tree), self.query_one("#review-quotes", OptionList)
        (quotes if tree.has_focus else tree).focus()

    def action_close(self) -> None:
        self.dismiss(None)
