"""The codebook pane: the code tree, each node with its colour, kind and how many codings
and participants sit under it (a theme counts the union of its descendants)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets._tree import TOGGLE_STYLE

from workbench.tui.focus import KeysFollowFocus
from workbench.codebook import Codebook
from workbench.shorten import cells, shorten


EMPTY_HINT = ("No codes yet:", "A adds a top-level code")


class CodebookTree(KeysFollowFocus, Tree):
    pane_name = "Codebook"
    BINDINGS = [
        Binding("a", "app.add_code(False)", "add child", id="codebook.add_child"),
        Binding("A", "app.add_code(True)", "add top-level", id="codebook.add_root"),
        Binding("r", "app.rename_code", "rename", id="codebook.rename"),
        Binding("M", "app.move_code", "move", id="codebook.move"),
        Binding("J", "app.merge_code", "merge", id="codebook.merge"),
        Binding("D,delete", "app.delete_code", "delete", id="codebook.delete"),
        Binding("K", "app.change_kind", "kind", id="codebook.kind"),
        Binding("C", "app.change_colour", "colour", id="codebook.colour"),
        Binding("d", "app.edit_memo('definition')", "definition", id="codebook.definition"),
        Binding("m", "app.edit_memo('code')", "memo", id="codebook.memo"),
        Binding("L", "app.more_like_code", "more like this", id="codebook.more_like"),
        Binding("j", "cursor_down", "down", show=False),
        Binding("k", "cursor_up", "up", show=False),
    ]

    footer_order = (
        "codebook.add_child", "codebook.add_root", "codebook.rename", "codebook.definition", "codebook.memo",
        "codebook.move", "codebook.merge", "codebook.delete", "codebook.kind", "codebook.colour",
        "app.undo", "app.search", "app.quit", "app.palette",
    )

    def __init__(self, *, id: str | None = None):
        self._shown: dict[str, tuple] = {}  # code id -> (code, counts): what each label is fitted from
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
        self._shown = {}
        for code in book.walk():
            parent = nodes.get(code.parent, self.root) if code.parent in book else self.root
            has_children = bool(book.children.get(code.id))
            label = self._label(code, counts.get(code.id, (0, 0)))
            self._shown[code.id] = (code, counts.get(code.id, (0, 0)))
            node = parent.add(label, data=code.id, expand=code.id not in collapsed, allow_expand=has_children)
            nodes[code.id] = node
        if not nodes:  # what to do next, in lines short enough for the narrowest pane
            for line in EMPTY_HINT:
                self.root.add_leaf(Text(line, style="italic"))
        self.root.expand()
        if keep not in nodes and nodes:
            keep = next(iter(nodes))  # the cursor starts on a code, so the codebook's keys work at once
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
    def _label(code, counts: tuple[int, int], room: int | None = None) -> Text:
        """■ name  codings·participants kind; in `room` cells, the kind goes first, then the
        name is cut at a word with "…" (the counts stay while there is room for them)."""
        codings, people = counts
        numbers, kind = f"  {codings}·{people}", f" {code.kind}" if code.kind != "code" else ""
        name = code.name
        if room is not None and cells(f"■ {name}{numbers}{kind}") > room:
            kind = ""
            if cells(f"■ {name}{numbers}") > room:
                if room - 2 - cells(numbers) < 6:
                    numbers = ""
                name = shorten(name, max(1, room - 2 - cells(numbers)))
        label = Text()
        label.append("■ ", style=code.color)
        label.append(name, style="bold" if not code.codable else "")
        label.append(numbers, style="dim")
        if kind:
            label.append(kind, style="italic dim")
        return label

    def render_label(self, node, base_style, style) -> Text:
        """The label fitted to the pane: a long name ends at a word with "…", never cut mid-word."""
        shown = self._shown.get(node.data)
        width = self.scrollable_content_region.width
        if shown is not None and width > 0:
            depth, parent = 0, node.parent
            while parent is not None and parent is not self.root:
                depth, parent = depth + 1, parent.parent
            room = width - depth * self.guide_depth - (2 if node.allow_expand else 0)
            label = self._label(*shown, room=room).copy()
            label.stylize(style)
            prefix = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE) if node.allow_expand else ""
            return Text.assemble((prefix, base_style + TOGGLE_STYLE), label)
        return super().render_label(node, base_style, style)
