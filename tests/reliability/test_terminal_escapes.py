"""Issue 14.4: nothing from a file reaches the terminal as a control sequence. Escape sequences
are fed through every stored field (memos, code names, definitions, attribute names and values,
the interviewer, the project title, coder names and notes from an imported .qdpx, undo/redo
summaries) into every output: the command line's listings, `memos show`, errors, warnings and
summaries, and the screen (what Textual sends the terminal, notifications included)."""

from __future__ import annotations

import asyncio
import os
import pty
import signal
import sys
import time

import pytest
from click.testing import CliRunner

from tests.exchange.exchange_helpers import write_zip
from tests.reliability.conftest import INTERVIEW
from workbench.cli.main import cli
from workbench.importing import import_transcript
from workbench.project import Project
from tests.pty_reading import read_for, read_until

OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x1b\\"  # `rm -rf ~` into the clipboard, ended by ST (which Rich lets through)
PAYLOAD = f"{OSC52}\x1b[2J\x9b6n\x9d0;owned\x07"  # and clear the screen, report the cursor, an 8-bit OSC
RAW = ("\x1b", "\x9b", "\x9d", "\x07")
CODE = f"roles{PAYLOAD}"
GUID = "22222222-2222-2222-2222-222222222222"
USER = "33333333-3333-3333-3333-333333333333"


def escaped(output: str) -> list[str]:
    return [repr(c) for c in RAW if c in output]


@pytest.fixture
def poisoned(tmp_path):
    project = Project.init(tmp_path / "study", title=f"Study{PAYLOAD}")
    source = tmp_path / "50001.txt"
    source.write_text(INTERVIEW, encoding="utf-8")
    import_transcript(project, source)
    project.manifest["transcripts"]["50001"]["interviewer"] = f"Dana{PAYLOAD}"
    project.save_manifest()
    project.set_attributes({"50001": {f"gender{PAYLOAD}": f"woman{PAYLOAD}"}})
    text = project.text("50001")
    start = text.index("not real staff")
    for name in ("alex", "sam"):
        with project.open_coder(name) as coder:
            coder.add_code(CODE, description=f"what it covers{PAYLOAD}")
            coding = coder.add_coding("50001", start, start + 14, CODE, "not real staff")
            coder.set_memo("coding", coding.id, f"comment{PAYLOAD}")
            coder.set_memo("code", coder.code(CODE).id, f"reasoning{PAYLOAD}")
            coder.set_memo("transcript", "50001", f"field notes{PAYLOAD}")
            coder.add_journal_entry(f"decided{PAYLOAD}", title=f"week 1{PAYLOAD}")
    return project


def workbench(project, *args, coder="alex"):
    return CliRunner().invoke(cli, ["-p", str(project.root), "--coder", coder, *map(str, args)])


COMMANDS = [
    ("codes",), ("codings",), ("memos",), ("history",), ("participants",), ("transcripts",), ("stats",),
    ("matrix",), ("report",), ("agreement", "alex", "sam"), ("search", "real staff"), ("doctor",),
    ("memos", "show", "--code", CODE), ("memos", "show", "--transcript", "50001"), ("memos", "show", "--journal"),
    ("codes", "add", CODE),  # an error that names the stored code
    ("codes", "rename", CODE, f"parts{PAYLOAD}"), ("undo",), ("redo",), ("history",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c)[:30].replace("\x1b", "ESC"))
def test_no_stored_field_reaches_the_terminal_raw_through_the_command_line(poisoned, command):
    if command in (("undo",), ("redo",), ("history",)):
        workbench(poisoned, "codes", "rename", CODE, f"parts{PAYLOAD}")
        if command == ("redo",):
            workbench(poisoned, "undo")
    result = workbench(poisoned, *command)
    assert result.exit_code in (0, 1, 2), result.output
    if command != ("codes", "add", CODE):
        assert result.exit_code in (0, 1), result.output
    assert not escaped(result.output), f"{command}: {escaped(result.output)} in {result.output!r}"


def test_the_escapes_are_shown_as_visible_text(poisoned):
    shown = workbench(poisoned, "memos", "show", "--code", CODE).output
    assert "reasoning␛]52;c;cm0gLXJmIH4K␛\\" in shown


def hostile_qdpx(tmp_path):
    qde = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
           f'name="hostile&#x1b;]0;title&#x7;" origin="t"><Users><User guid="{USER}" name="eve&#x1b;]52;c;eA==&#x1b;\\"/></Users>'
           f'<CodeBook><Codes><Code guid="{GUID[:-1]}9" name="keys&#x1b;[2J" isCodable="true"/></Codes></CodeBook>'
           f'<Sources><TextSource guid="{GUID}" name="50009"><PlainTextContent>Interviewer: hello?\n'
           'Participant: it was hard.\n</PlainTextContent></TextSource></Sources>'
           f'<Notes><Note guid="{GUID[:-1]}8" name="n&#x1b;]52;c;eA==&#x1b;\\" creatingUser="{USER}">'
           '<PlainTextContent>note &#x1b;]52;c;cm0gLXJmIH4K&#x1b;\\ here</PlainTextContent></Note></Notes></Project>')
    return write_zip(tmp_path / "hostile.qdpx", {"project.qde": qde})


def test_a_qdpx_with_escapes_in_names_and_notes_prints_nothing_raw(poisoned, tmp_path):
    result = workbench(poisoned, "import", hostile_qdpx(tmp_path))
    assert result.exit_code in (0, 2) and not escaped(result.output), repr(result.output)
    for command in (("memos",), ("codes",), ("transcripts",)):
        for coder in Project(poisoned.root).coders():
            output = workbench(poisoned, *command, coder=coder).output
            assert not escaped(output), (command, coder, output)


# -- the screen --------------------------------------------------------------------------------
def drawn(app) -> str:
    """Everything the screen would send the terminal for a full redraw, as Textual writes it."""
    return app.screen._compositor.render_update(full=True).render_segments(app.console)


def foreign_sequences(sequence: str) -> list[str]:
    """Sequences that are not Textual's own: the payload's OSC 52, ST, clear screen, C1 controls."""
    return [s for s in ("\x1b]52", "\x1b\\", "\x1b[2J", "\x9b", "\x9d", "\x07") if s in sequence]


@pytest.mark.parametrize("keys", [(), ("m",), ("tab",), ("o",), ("T",), ("u",)],
                         ids=["coding-screen", "memo-panel", "codebook", "memos-screen", "theme-review", "undo-notice"])
def test_no_stored_field_reaches_the_terminal_raw_through_the_screen(poisoned, keys):
    from workbench.tui.app import WorkbenchApp

    workbench(poisoned, "codes", "rename", CODE, f"parts{PAYLOAD}")  # an undo summary with the payload

    async def drive():
        with poisoned.open_coder("alex") as coder:
            app = WorkbenchApp(Project(poisoned.root), coder)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                for key in keys:
                    await pilot.press(key)
                    await pilot.pause(0.2)
                await pilot.pause()
                screen = drawn(app)
            app.writes.finish()
        return screen

    screen = asyncio.run(drive())
    assert not foreign_sequences(screen), foreign_sequences(screen)


def test_a_notification_quoting_stored_text_is_inert(poisoned):
    from workbench.tui.app import WorkbenchApp

    async def drive():
        with poisoned.open_coder("alex") as coder:
            app = WorkbenchApp(Project(poisoned.root), coder)
            async with app.run_test(size=(120, 40)) as pilot:
                app.notify(f"Coded as {CODE}", title=CODE)
                await pilot.pause(0.3)
                screen = drawn(app)
            app.writes.finish()
        return screen

    screen = asyncio.run(drive())
    assert "␛]52" in screen  # shown, as visible text
    assert not foreign_sequences(screen)


def test_the_memo_panel_of_a_real_terminal_never_receives_the_clipboard_sequence(poisoned):
    """The issue's reproduction: the screen in a pseudo-terminal, the memo panel open on a memo
    holding `ESC ]52;c;... ESC \\`; every byte the terminal receives is checked."""
    workbench_bin = os.path.join(os.path.dirname(sys.executable), "workbench")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the screen
        os.environ.update(TERM="xterm-256color", COLUMNS="120", LINES="40")
        os.execv(workbench_bin, [workbench_bin, "-p", str(poisoned.root), "--coder", "alex", "open"])
    received = b""
    try:
        received += read_until(fd, b"Codebook")
        time.sleep(0.5)
        os.write(fd, b"m")  # the transcript's memo, which holds the payload
        received += read_until(fd, "notes␛]52".encode())  # the editor wraps the memo after "field"
        received += read_for(fd, 0.5)
    finally:
        os.kill(pid, signal.SIGTERM)
        read_for(fd, 0.5)
        os.waitpid(pid, 0)
        os.close(fd)
    assert b"Codebook" in received and "notes␛]52".encode() in received  # the memo was drawn, inert
    assert b"\x1b]52" not in received and b"\x1b\\" not in received and "\x9b".encode() not in received
