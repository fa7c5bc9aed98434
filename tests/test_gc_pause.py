"""The collector's pauses: a shell command sets aside what each bulk load made (so the next
collection does not walk it all again); the screen, which runs for hours, does not."""

from __future__ import annotations

import gc

import pytest

from workbench import gc_pause


@pytest.fixture
def policy():
    yield gc_pause.set_aside_after_each_pause
    gc_pause.set_aside_after_each_pause(False)
    gc.unfreeze()


def test_a_shell_command_sets_aside_what_a_pause_made(policy):
    policy()
    before = gc.get_freeze_count()
    with gc_pause.collector_paused():
        made = [{"n": n} for n in range(10_000)]
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(made)


def test_without_it_what_a_pause_made_is_left_to_the_collector(policy):
    before = gc.get_freeze_count()
    with gc_pause.collector_paused():
        made = [{"n": n} for n in range(10_000)]
    assert gc.isenabled() and gc.get_freeze_count() == before
    assert made


def test_the_screen_turns_it_off(policy, monkeypatch):
    from workbench.tui import app as app_module

    class Refused(Exception):
        pass

    def refuse(*args):
        raise Refused

    policy()
    monkeypatch.setattr(app_module, "CoderOpening", refuse)
    with pytest.raises(Refused):
        app_module.run_app(None, "alex")
    assert not gc_pause._set_aside_after_pause
