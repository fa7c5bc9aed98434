"""Guarantee: a coder file, journal or manifest damaged by hand is refused by every command
with its path and what is wrong, and left byte-for-byte as it was."""

from __future__ import annotations

import hashlib

import pytest

from workbench.cli.main import cli

COMMANDS = [
    ("codings",), ("codes",), ("code", "add", "50001_2", "0", "11", "barriers"), ("stats",), ("matrix",),
    ("report",), ("history",), ("memos",), ("undo",), ("transcripts",),
]
CODER_COMMANDS = [c for c in COMMANDS if c[0] != "transcripts"]


def available(commands):
    return [pytest.param(c, id=" ".join(c[:2])) for c in commands if c[0] in cli.list_commands(None)]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def garble(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + b"\x00\xff#garbage}{" + data[middle + 12:]


DAMAGES = {
    "truncated": (truncate, "not valid JSON"),
    "garbled": (garble, "not valid JSON"),
    "emptied": (lambda data: b"", "empty"),
    "foreign": (lambda data: b'{"title": "someone else\'s notes"}', "not a TinyDB file"),
    "no header": (lambda data: b'{"_default": {"1": {"a": 1}}}', "not a Workbench coder file"),
}


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("command", available(CODER_COMMANDS))
def test_a_damaged_coder_file_is_refused_and_left_untouched(coded, run, damage, command):
    path = coded.root / "coders" / "alex.json"
    spoil, what = DAMAGES[damage]
    path.write_bytes(spoil(path.read_bytes()))
    before = digest(path)
    result = run(*command)
    assert result.exit_code == 2, result.output
    assert str(path) in result.stderr and what in result.stderr
    assert "Traceback" not in result.output and result.stderr.count("\n") == 1
    assert digest(path) == before
    assert not (coded.root / "coders" / "alex.json.journal").exists()


def journal_with_three_records(project) -> bytes:
    """The journal of a session that added three codings and was killed before closing
    (the coder file is put back as it was before the session)."""
    text = project.text("50001_2")
    path = project.root / "coders" / "alex.json"
    saved = path.read_bytes()
    coder = project.open_coder("alex")
    for start in (0, 20, 40):
        coder.add_coding("50001_2", start, start + 10, "barriers", text[start:start + 10])
    journal = coder.storage.journal_path.read_bytes()
    coder.close()
    path.write_bytes(saved)
    return journal


@pytest.mark.parametrize("command", available(CODER_COMMANDS))
def test_a_journal_garbled_in_the_middle_is_refused(coded, run, command):
    records = journal_with_three_records(coded).splitlines(keepends=True)
    assert len(records) == 3
    journal = coded.root / "coders" / "alex.json.journal"
    journal.write_bytes(records[0] + garble(records[1]) + records[2])
    before = (digest(journal), digest(coded.root / "coders" / "alex.json"))
    result = run(*command)
    assert result.exit_code == 2, result.output
    assert str(journal) in result.stderr and "record 2 of 3 is garbled" in result.stderr
    assert (digest(journal), digest(coded.root / "coders" / "alex.json")) == before


def test_a_torn_last_journal_record_is_only_a_write_that_never_returned(coded, run):
    records = journal_with_three_records(coded).splitlines(keepends=True)
    journal = coded.root / "coders" / "alex.json.journal"
    journal.write_bytes(records[0] + records[1] + records[2][:30])
    result = run("codings", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout.count('"id"') == 4  # the fixture's two and the two whole records


@pytest.mark.parametrize("damage", ["truncated", "garbled", "emptied", "foreign"])
@pytest.mark.parametrize("command", available(COMMANDS))
def test_a_damaged_manifest_is_refused_and_left_untouched(coded, run, damage, command):
    path = coded.root / "project.json"
    spoil = DAMAGES[damage][0]
    path.write_bytes(spoil(path.read_bytes()))
    before = digest(path)
    result = run(*command)
    assert result.exit_code == 2, result.output
    assert str(path) in result.stderr and "Traceback" not in result.output
    assert digest(path) == before
