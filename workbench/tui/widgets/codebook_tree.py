"""The codebook pane: the code tree, each node with its colour, kind and how many codings
and participants sit under it (a theme counts the union of its descendants)."""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree

from workbench.tui.focus import KeysFollowFocus
from workbench.codebook import Codebook
from workbench.model import Coding


def count_codings(book: Codebook, codings: list[Coding], participants_of) -> dict[str, tuple[int, int]]:
    """code id -> (codings, participants), each coding counted on its code and every ancestor;
    `participants_of(coding)`: whom it is attributed to (Attribution.of)."""
    codings_under: dict[str, int] = defaultdict(int)
    people_under: dict[str, set] = defaultdict(set)
    for coding in codings:
        if coding.code not in book:
            continue
        people = participants_of(coding)
        for code_id in [coding.code, *(c.id for c in book.ancestors(coding.code))]:
            codings_under[code_id] += 1
            people_under[code_id].update(people)
    return {code_id: (codings_under[code_id], len(people_under[code_id])) for code_id in book.by_id}


class CodebookTree(KeysFollowFocus, Tree):
    pane_name = "Codebook"
    BINDINGS = [
        Binding("a", "app.add_code(False)", "add child", id="codebook.add_child"),
        Binding("A", "app.add_code(True)", "add top-level", show=False, id="codebook.add_root"),
        Binding("r", "app.rename_code", "rename", id="codebook.rename"),
        Binding("M", "app.move_code", "move", id="codebook.move"),
        Binding("J", "app.merge_code", "merge", id="codebook.merge"),
        Binding("delete,D", "app.delete_code", "delete", id="codebook.delete"),
        Binding("K", "app.change_kind", "kind", id="codebook.kind"),
        Binding("C", "app.change_colour", "colour", id="codebook.colour"),
        Binding("d", "app.edit_memo('definition')", "definition", id="codebook.definition"),
        Binding("m", "app.edit_memo('code')", "memo", id="codebook.memo"),
        Binding("L", "app.more_like_code", "more like this", id="codebook.more_like"),
        Binding("j", "cursor_down", "down", show=False),
        Binding("k", "cursor_up", "up", show=False),
    ]

    def __init__(self, *, id: str | None = None):
        super().__init__("Codebook", id=id)
        self.show_root = False
        self.guide_depth = 2

    @property
    def code_id(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None and node.data else None

    def show_codebook(self, book: Codebook, counts: dict[str, tuple[int, int]], select: str | None = None) -> None:
        """Rebuild the tree, keeping what was expanded and where the cursor was."""
        keep = select or self.code_id
        collapsed = {n.data for n in self._all_nodes() if n.data and n.allow_expand and not n.is_expanded}
        self.clear()
        nodes = {}
        for code in book.walk():
            parent = nodes.get(code.parent, self.root) if code.parent in book else self.root
            has_children = bool(book.children.get(code.id))
            label = self._label(code, counts.get(code.id, (0, 0)))
            node = parent.add(label, data=code.id, expand=code.id not in collapsed, allow_expand=has_children)
            nodes[code.id] = node
        self.root.expand()
        if keep in nodes:
            target = nodes[keep]
            for ancestor in book.ancestors(keep):
                nodes[ancestor.id].expand()
            self.call_after_refresh(self.move_cursor, target)

    def _all_nodes(self):
        stack = [self.root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.children)

    @staticmethod
    def _label(code, counts: tuple[int, int]) -> Text:
        label = Text()
        label.append("■ ", style=code.color)
        label.append(code.name, style="bold" if not code.codable else "")
        codings, people = counts
        label.append(f"  {codings}·{people}", style="dim")
        if code.kind != "code":
            label.append(f" {code.kind}", style="italic dim")
        return label
