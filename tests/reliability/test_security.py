"""Guarantees: files 0600 and folders 0700 whatever the umask; no network access anywhere;
escape sequences inside transcripts are shown inert; imports refuse climbing zip names,
symbolic links and XML entity expansion."""

from __future__ import annotations

import html
import os
import re
import socket
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli

REPO = Path(__file__).resolve().parents[2]
OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"  # would put `rm -rf ~` on the user's clipboard
CSI = "\x1b[2J\x1b[31m"  # clear the screen, turn red
C1_CSI = "\x9b6n"  # an 8-bit CSI: ask the terminal to report the cursor
HOSTILE = (
    f"Interviewer: Tell me about the ward.{OSC52}\n\n"
    f"Participant: It was hard {CSI}at first, then better{C1_CSI}. The nurses helped me a lot.\n"
)


def workbench(*args, project=None, coder="alex"):
    prefix = ["-p", str(project), "--coder", coder] if project else []
    return CliRunner().invoke(cli, [*prefix, *map(str, args)])


@pytest.fixture(params=[0o000, 0o022], ids=["umask000", "umask022"])
def loose_umask(request):
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def test_every_file_is_private_whatever_the_umask(tmp_path, loose_umask, interview_file):
    root = tmp_path / "study"
    assert workbench("init", root).exit_code == 0
    assert workbench("import", interview_file, project=root).exit_code == 0
    text = (root / "transcripts" / "50007_3.txt").read_text(encoding="utf-8")
    start = text.index("cabinet key")
    for _ in range(2):  # the second session makes the day's backup
        assert workbench("code", "add", "50007_3", start, start + 11, "keys", "--new", project=root).exit_code == 0
    workbench("stats", project=root)  # caches
    export = tmp_path / "report.md"
    assert workbench("report", "-o", export, project=root).exit_code == 0
    assert list((root / "coders" / "backups").glob("alex-*.json"))
    assert list((root / "cache").rglob("*.json"))
    loose = [f"{p} {oct(stat.S_IMODE(p.stat().st_mode))}" for p in [root, *root.rglob("*")]
             if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)]
    assert not loose
    assert stat.S_IMODE(export.stat().st_mode) == 0o600  # an export holds quotes: it is private too


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to reach a network fails the test (local AF_UNIX pairs, which asyncio's
    event loop uses to wake itself, stay allowed)."""
    real_socket = socket.socket

    class NoNetworkSocket(real_socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
                raise AssertionError("Workbench tried to open a network socket")
            super().__init__(family, type, proto, fileno)

    def refuse(*args, **kwargs):
        raise AssertionError("Workbench tried to reach the network")

    monkeypatch.setattr(socket, "socket", NoNetworkSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)


def test_the_command_line_works_with_sockets_blocked(tmp_path, interview_file, no_network):
    root = tmp_path / "study"
    steps = [("init", root), ("import", interview_file), ("codes", "add", "keys"),
             ("code", "add", "50007_3", "--quote", "the cabinet key", "keys"), ("codings",), ("stats",),
             ("matrix",), ("report",), ("doctor",), ("history",), ("transcripts",)]
    for step in steps:
        result = workbench(*step, project=None if step[0] == "init" else root)
        assert result.exit_code == 0, (step, result.output)


def screen_of(project, keys=()) -> str:
    """Run the screen headless for `project`, press `keys`, and return what it shows (SVG text)."""
    app_module = pytest.importorskip("workbench.tui.app")
    import asyncio

    from workbench.project import Project

    project = Project(project.root)  # as the disk holds it now

    async def drive():
        with project.open_coder("alex") as coder:
            app = app_module.WorkbenchApp(project, coder)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                for key in keys:
                    await pilot.press(key)
                await pilot.pause()
                svg = app.export_screenshot()
            app.writes.finish()
        return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")

    return asyncio.run(drive())


def test_the_screen_works_with_sockets_blocked(coded, no_network):
    assert "Participant" in screen_of(coded, keys=("down", "down", "tab", "down"))


NETWORK_MODULES = {"socket", "ssl", "http", "urllib", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib",
                   "xmlrpc", "requests", "httpx", "aiohttp", "websocket", "websockets", "urllib3", "asyncio.streams"}
ALLOWED = {("workbench/storage/lock.py", "socket"), ("workbench/doctor.py", "socket")}  # socket.gethostname() only, to name a lock's holder


IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+))", re.MULTILINE)


def test_no_module_of_workbench_imports_a_network_library():
    found = []
    for path in sorted((REPO / "workbench").rglob("*.py")):
        rel = str(path.relative_to(REPO))
        for match in IMPORT.finditer(path.read_text(encoding="utf-8")):
            for name in (match[1] or match[2]).split(","):
                name = name.strip().split(" ")[0]
                if (name.split(".")[0] in NETWORK_MODULES or name in NETWORK_MODULES) \
                        and (rel, name.split(".")[0]) not in ALLOWED:
                    found.append(f"{rel}: {name}")
    assert not found
    for allowed, _ in ALLOWED:
        source = (REPO / allowed).read_text()
        assert "socket.socket" not in source and "create_connection" not in source


@pytest.fixture
def hostile(project, tmp_path, run):
    source = tmp_path / "50009.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    assert run("import", source).exit_code == 0
    text = project.text("50009")
    assert OSC52 in text  # stored as it came: offsets stay true
    assert run("codes", "add", "ward").exit_code == 0
    assert run("code", "add", "50009", 0, text.index("Participant"), "ward").exit_code == 0
    start = text.index("hard")
    assert run("code", "add", "50009", start, text.index("The nurses"), "ward").exit_code == 0
    return project


@pytest.mark.parametrize("command", [("codings",), ("codings", "--format", "json"), ("report",), ("stats",),
                                     ("memos",), ("history",)])
def test_escape_sequences_in_transcripts_never_reach_the_terminal(hostile, run, command):
    result = run(*command)
    assert result.exit_code in (0, 1), result.output
    for raw in ("\x1b", "\x9b", "\x07"):
        assert raw not in result.output, f"{command}: raw {raw!r} sent to the terminal"


def test_a_listing_shows_the_escape_as_visible_text(hostile, run):
    shown = run("codings").output
    assert "␛]52;c;cm0gLXJmIH4K␇" in shown


def test_the_screen_shows_escape_sequences_inert(hostile):
    shown = screen_of(hostile)
    assert "␛]52;c;" in shown and "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown


def qdpx(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


PROJECT_QDE = (b'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
               b'name="x" origin="test"><Sources/></Project>')
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b']>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;" origin="x"><Sources/></Project>')


@pytest.mark.parametrize("members,symlink,why", [
    ({"project.qde": PROJECT_QDE, "../../escaped.txt": b"x"}, None, "climbs out"),
    ({"project.qde": PROJECT_QDE, "/etc/evil.txt": b"x"}, None, "absolute path"),
    ({"project.qde": PROJECT_QDE}, "sources/link.txt", "symbolic link"),
    ({"project.qde": LAUGHS}, None, "entit"),
], ids=["dotdot", "absolute", "symlink", "billion-laughs"])
def test_hostile_exchange_files_are_refused(coded, run, tmp_path, fingerprint, members, symlink, why):
    pytest.importorskip("workbench.exchange.importer")
    before = fingerprint(coded.root)
    result = run("import", qdpx(tmp_path / "hostile.qdpx", members, symlink))
    assert result.exit_code == 2 and why in result.stderr and "hostile.qdpx" in result.stderr
    assert fingerprint(coded.root) == before
    assert not list(tmp_path.rglob("escaped.txt"))
