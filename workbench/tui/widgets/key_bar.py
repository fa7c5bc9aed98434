"""The footer of every full screen: one line naming the keys that work where the focus is.

Textual's own footer lays each key out as a widget and lets the row overflow under the
palette key docked on its right, which cut labels in half and left stray letters. This one
draws a single line: labels in order of importance, each shown whole or not at all, and
`? keys` (which lists everything) always on the right.

Importance: each widget, screen or app on the focus chain may have a `footer_order`, a
sequence of binding ids (or `(description, id, id...)` for keys shown as one label, like
`[ ] transcripts`); the nearest to the focus that names a binding ranks it, so a pane can
put an app-wide key (undo, search) among its own. A binding nobody ranks follows the ranked
ones of its own node: a screen's keys still come before the app's. `PALETTE` ranks the
command palette's key.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.keys import key_to_character
from textual.widget import Widget

from workbench.shorten import cells

PINNED = ("app.keys",)  # shown on the right whenever they work
PALETTE = "app.palette"
GAP = 2  # cells between two labels

_SPELLED = {"⏎": "enter", "del": "delete", "pgup": "page up", "pgdn": "page down"}


def typed_key(app, key: str) -> str:
    """A key as a person types it: `?`, `/`, `[`, `ctrl+r`, `shift+←`, `enter`."""
    shown = app.get_key_display(Binding(key, ""))
    if shown.startswith("^") and len(shown) > 1:
        shown = "ctrl+" + shown[1:]
    return _SPELLED.get(shown, shown)


@dataclass(frozen=True)
class KeyLabel:
    keys: tuple[str, ...]  # the keys it stands for (a click presses the first)
    shown: str  # the keys as shown: "c", "?", "^r", "[ ]"
    description: str
    enabled: bool = True

    @property
    def width(self) -> int:
        return cells(self.shown) + 1 + cells(self.description)


def fit(labels: list[KeyLabel], pinned: list[KeyLabel], width: int) -> tuple[list[KeyLabel], list[KeyLabel]]:
    """The labels that fit in `width` cells, whole: the most important ones (a prefix of
    `labels`) on the left, then as many of `pinned` as fit on the right."""
    right, used = [], 0
    for label in pinned:
        if used + label.width + (GAP if right else 0) <= width:
            used += label.width + (GAP if right else 0)
            right.append(label)
    room = width - used - (GAP if right else 0) - 1  # a blank cell at the left edge
    left, taken = [], 0
    for label in labels:
        needed = label.width + (GAP if left else 0)
        if taken + needed > room:
            break
        left.append(label)
        taken += needed
    return left, right


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
    }
    """

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._places: list[tuple[int, int, KeyLabel]] = []  # where each label is drawn, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        self.refresh()

    # -- what is shown -------------------------------------------------------------------
    def key_labels(self) -> tuple[list[KeyLabel], list[KeyLabel]]:
        """(labels by importance, pinned labels) for the keys that work where the focus is."""
        screen, app = self.screen, self.app
        focused = screen.focused
        chain = list(focused.ancestors_with_self) if focused is not None else [screen, app]
        depth = {id(node): i for i, node in enumerate(chain)}
        ranks: dict[str, tuple[int, int]] = {}  # binding id -> (depth of the node that ranks it, place there)
        groups: dict[str, tuple[str, tuple[str, ...]]] = {}
        for level, node in enumerate(chain):
            for place, entry in enumerate(getattr(node, "footer_order", ()) or ()):
                ids = entry[1:] if isinstance(entry, tuple) else (entry,)
                for binding_id in ids:
                    if binding_id not in ranks:
                        ranks[binding_id] = (level, place)
                        if isinstance(entry, tuple):
                            groups[binding_id] = (entry[0], ids)
        seen, found, pinned = set(), [], []
        for position, (key, active) in enumerate(screen.active_bindings.items()):
            binding, namespace = active.binding, active.node
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                binding_id, show = PALETTE, True
            else:
                binding_id, show = binding.id, binding.show
            if not show or (id(namespace), binding.action) in seen or self._typed_into(focused, namespace, key):
                continue
            seen.add((id(namespace), binding.action))
            label = KeyLabel((key,), app.get_key_display(binding), binding.description, active.enabled)
            if binding_id in PINNED:
                pinned.append(label)
            else:
                unranked = (depth.get(id(namespace), len(chain)), 1000 + position)  # after the ranked of its node
                found.append((ranks.get(binding_id, unranked), binding_id, label))
        found.sort(key=lambda item: item[0])
        return self._grouped(found, groups), pinned

    def _typed_into(self, focused, namespace, key: str) -> bool:
        """Whether `key` types into the focused field instead of reaching `namespace` (Textual
        misses some: it does not know that `slash` is "/")."""
        if focused is None or namespace is focused:
            return False
        character = key_to_character(key)
        if character is None:
            shown = self.app.get_key_display(Binding(key, ""))
            character = shown if len(shown) == 1 else None
        return focused.check_consume_key(key, character)

    @staticmethod
    def _grouped(found, groups) -> list[KeyLabel]:
        """Keys ranked as one group become one label: `[ ] transcripts`."""
        labels, merged = [], {}
        for _, binding_id, label in found:
            group = groups.get(binding_id)
            if group is None:
                labels.append(label)
                continue
            description, _ids = group
            if description in merged:
                index = merged[description]
                first = labels[index]
                labels[index] = KeyLabel(first.keys + label.keys, f"{first.shown} {label.shown}", description,
                                         first.enabled or label.enabled)
            else:
                merged[description] = len(labels)
                labels.append(KeyLabel(label.keys, label.shown, description, label.enabled))
        return labels

    def shown_text(self) -> str:
        """The line as drawn, without styles (what a test reads)."""
        return self.render().plain

    def render(self) -> Text:
        labels, pinned = self.key_labels()
        width = self.size.width
        left, right = fit(labels, pinned, width)
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        line, self._places = Text(" "), []

        def add(label: KeyLabel) -> None:
            start = line.cell_len
            style = "dim" if not label.enabled else ""
            line.append(label.shown, style=key_style + style if style else key_style)
            line.append(" " + label.description, style=description_style + style if style else description_style)
            self._places.append((start, line.cell_len, label))

        for i, label in enumerate(left):
            if i:
                line.append(" " * GAP)
            add(label)
        if right:
            line.append(" " * max(GAP, width - line.cell_len - sum(l.width for l in right) - GAP * (len(right) - 1)))
            for i, label in enumerate(right):
                if i:
                    line.append(" " * GAP)
                add(label)
        return line

    def on_click(self, event) -> None:
        for start, end, label in self._places:
            if start <= event.x < end and label.enabled:
                self.app.simulate_key(label.keys[0])
                return
