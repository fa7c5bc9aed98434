"""Keys typed in a burst (a paste, a script, a fast typist over a slow SSH link) must land
where a slow typist's would. Textual hands every key of a burst to the widget focused when
it arrived, and runs bindings only after; so after `m` (which moves the focus to the memo
editor) the rest of the burst would still reach the transcript. `KeysFollowFocus` runs a
pane's own bindings at once and sends keys that reach a pane the focus has left on to
wherever the focus is now."""

from __future__ import annotations

from textual import events


def focus_now(widget) -> None:
    """Move the focus before the next key is handled (`Widget.focus` waits a turn)."""
    widget.screen.set_focus(widget)


class KeysFollowFocus:
    """A mixin for the panes (transcript, codebook tree)."""

    async def _on_key(self, event: events.Key) -> None:
        if self.app.screen is not self.screen:
            # a dialog opened by an earlier key of the burst: type into it
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority:
                event.stop()
                event.prevent_default()
                await self.run_action(binding.action)
                return
        await super()._on_key(event)
