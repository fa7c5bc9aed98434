"""The command palette (`ctrl+p`): the keys of the pane that has the focus, the app's own
commands, the registered screens, every transcript and every code."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.wording import plural


def binding_list(widget) -> list[Binding]:
    return [b if isinstance(b, Binding) else Binding(*b) for b in getattr(type(widget), "BINDINGS", [])]


class WorkbenchCommands(Provider):
    def commands(self, everything: bool) -> list[tuple[str, object, str]]:
        """(name, callable, help) of each command; `everything` adds transcripts and codes."""
        app = self.app
        found = []
        focused = self.focused
        pane = getattr(focused, "pane_name", None)
        if focused is not None and pane:
            for binding in binding_list(focused):
                if binding.description and binding.id:
                    key = binding.key.split(",")[0]
                    found.append((f"{pane}: {binding.description} ({key})", partial(focused.run_action, binding.action),
                                  f"the {key} key in the {pane.lower()}"))
        for name, action, help_text in app.palette_commands():
            found.append((name, partial(app.run_action, action), help_text))
        for entry in app.workbench_screens:
            found.append((f"Open {entry.title}", partial(app.open_screen, entry.id), entry.help))
        if everything:
            for info in app.project.transcripts():
                found.append((f"Transcript {info.id} (participant {info.participant}, wave {info.wave})",
                              partial(app.open_transcript, info.id), f"{plural(info.turns, 'turn')}, {info.chars:,} characters"))
            with app.writes.lock:
                book = app.coder.codebook
                paths = [(code.id, book.path(code.id), code.kind) for code in book.walk()]
            for code_id, path, kind in paths:
                found.append((f"Code {path}", partial(app.select_code, code_id, True), f"go to this {kind} in the codebook"))
        return found

    async def discover(self) -> Hits:
        for name, command, help_text in self.commands(everything=False):
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self.commands(everything=True):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
