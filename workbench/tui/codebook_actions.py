"""What the codebook tree's keys do: add, rename, move, merge, delete, kind, colour.
A mixin of `WorkbenchApp`; every change goes through `self.submit`."""

from __future__ import annotations

import re

from workbench.model import KINDS, PALETTE
from workbench.tui.screens.picker import NewEntry, PickerScreen, PickItem
from workbench.tui.screens.prompt import Confirm, TextPrompt
from workbench.tui.writes import WriteJob
from workbench.wording import agree, plural

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class CodebookActions:
    def _code_or_hint(self):
        code_id = self.codebook_tree.code_id
        if code_id is None:
            self.notify("No code here: add one with a (child) or A (top level)", severity="warning")
            return None
        with self.writes.lock:
            return self.coder.codebook.by_id.get(code_id)

    def change_codebook(self, summary: str, apply, select: str | None = None) -> None:
        def done(result) -> None:
            self.notify(summary, timeout=2)
            target = select or getattr(result, "id", None)
            if target:
                self.codebook_tree.call_after_refresh(self.select_code, target)

        self.submit(WriteJob(summary, apply, on_done=done))

    def action_add_code(self, top_level: bool = False) -> None:
        parent = None if top_level else self.codebook_tree.code_id
        with self.writes.lock:
            where = self.coder.codebook.path(parent) if parent else "the top level"
        self.push_screen(TextPrompt(f"New code under {where}:"), lambda name: name and self.change_codebook(
            f"Added {name}", lambda coder: coder.add_code(name, parent=parent)))

    def action_rename_code(self) -> None:
        code = self._code_or_hint()
        if code:
            self.push_screen(TextPrompt(f"Rename “{code.name}” to:", code.name), lambda name: name and self.change_codebook(
                f"Renamed {code.name} to {name}", lambda coder: coder.rename_code(code.id, name)))

    def action_move_code(self) -> None:
        code = self._code_or_hint()
        if not code:
            return
        with self.writes.lock:
            inside = self.coder.codebook.subtree_ids(code.id)
        items = [PickItem("", "(top level)")] + [i for i in self.code_items(codable_only=False) if i.value not in inside]

        def chosen(parent) -> None:
            if parent is not None and not isinstance(parent, NewEntry):
                self.change_codebook(f"Moved {code.name}", lambda coder: coder.move_code(code.id, parent or None),
                                     select=code.id)

        self.push_screen(PickerScreen(f"Move “{code.name}” under…", items), chosen)

    def action_merge_code(self) -> None:
        code = self._code_or_hint()
        if not code:
            return
        with self.writes.lock:
            inside = self.coder.codebook.subtree_ids(code.id)
        items = [i for i in self.code_items(codable_only=False) if i.value not in inside]

        def chosen(target) -> None:
            if target is not None and not isinstance(target, NewEntry):
                self.change_codebook(f"Merged {code.name}", lambda coder: coder.merge_code(code.id, target), select=target)

        self.push_screen(PickerScreen(f"Merge “{code.name}” (and its codings) into…", items), chosen)

    def action_delete_code(self) -> None:
        code = self._code_or_hint()
        if not code:
            return
        with self.writes.lock:
            book = self.coder.codebook
            below = len(book.subtree_ids(code.id)) - 1
            codings = len(self.coder.codings(codes=book.subtree_ids(code.id)))
        question = (f"Delete “{book.path(code.id)}”" + (f" and the {plural(below, 'code')} below it" if below else "")
                    + f"? {plural(codings, 'coding')} {agree(codings, 'goes', 'go')} with it.")
        self.push_screen(Confirm(question), lambda yes: yes and self.change_codebook(
            f"Deleted {code.name} and {plural(codings, 'coding')}", lambda coder: coder.delete_code(code.id)))

    def action_change_kind(self) -> None:
        code = self._code_or_hint()
        if code:
            items = [PickItem(kind, kind, "receives codings" if kind in ("code", "subtheme") else "gathers the codes below it")
                     for kind in KINDS]
            self.push_screen(PickerScreen(f"Kind of “{code.name}”", items, highlight=code.kind),
                             lambda kind: kind and self.change_codebook(
                                 f"{code.name} is now a {kind}", lambda coder: coder.set_code(code.id, kind=kind)))

    def action_change_colour(self) -> None:
        code = self._code_or_hint()
        if not code:
            return
        items = [PickItem(colour, colour, colour=colour) for colour in PALETTE]

        def chosen(colour) -> None:
            if isinstance(colour, NewEntry):
                if not HEX_COLOUR.fullmatch(colour.name):
                    self.notify("A colour is #rrggbb, e.g. #e6194b", severity="warning")
                    return
                colour = colour.name
            if colour:
                self.change_codebook(f"{code.name} is now {colour}", lambda coder: coder.set_code(code.id, color=colour))

        self.push_screen(PickerScreen(f"Colour of “{code.name}” (or type #rrggbb)", items, create_label="use colour",
                                      highlight=code.color), chosen)
