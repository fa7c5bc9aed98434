import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from workbench.coderfile import CoderFile
from workbench.errors import CoderFileLocked, DamagedFile, WorkbenchError
from workbench.transcripts.normalise import normalise


@pytest.fixture
def coder(tmp_path):
    with CoderFile.open(tmp_path / "alex.json", "alex") as cf:
        yield cf


def test_codebook_tree_paths_and_lookup(coder):
    coder.add_code("barriers", kind="category")
    coder.add_code("Unclear Role", parent="barriers")
    assert coder.code("barriers/unclear  role").name == "Unclear Role"
    assert coder.code("unclear role").kind == "code"
    with pytest.raises(WorkbenchError, match="already exists"):
        coder.add_code("unclear role", parent="barriers")
    with pytest.raises(WorkbenchError, match="category"):
        coder.add_coding("t", 0, 3, "barriers", "abc")


def test_rename_move_merge_delete_and_their_undo(coder):
    coder.add_code("facilitators", kind="category")
    coder.add_code("support", parent="facilitators")
    coder.add_code("supervisor", kind="code")
    coder.add_coding("t1", 0, 5, "support", "hello")
    coder.add_coding("t1", 6, 9, "supervisor", "you")
    coder.move_code("supervisor", "facilitators")
    assert coder.codebook.path(coder.code("supervisor").id) == "facilitators/supervisor"
    coder.merge_code("facilitators/supervisor", into="facilitators/support")
    assert [c.text for c in coder.codings(codes={coder.code("support").id})] == ["hello", "you"]
    assert coder.delete_code("facilitators") == 2
    assert coder.codings() == [] and coder.codes() == []
    coder.undo()
    assert len(coder.codings()) == 2
    coder.undo()  # the merge
    assert {coder.codebook.path(c.id) for c in coder.codes()} == {
        "facilitators", "facilitators/support", "facilitators/supervisor"}
    coder.redo()
    assert "facilitators/supervisor" not in {coder.codebook.path(c.id) for c in coder.codes()}


def test_undo_redo_survive_a_restart(tmp_path):
    path = tmp_path / "alex.json"
    with CoderFile.open(path, "alex") as cf:
        cf.add_code("a")
        cf.add_coding("t", 0, 2, "a", "hi")
        cf.undo()
    with CoderFile.open(path, "alex") as cf:
        assert cf.codings() == []
        assert cf.redo().action == "coding.add"
    with CoderFile.open(path, "alex") as cf:
        assert [c.text for c in cf.codings()] == ["hi"]
        assert [e.state for e in cf.history()] == ["done", "done"]


def test_a_new_change_after_undo_drops_the_redo(coder):
    coder.add_code("a")
    coder.add_code("b")
    coder.undo()
    coder.add_code("c")
    assert coder.redo() is None
    assert [e.state for e in coder.history()] == ["done", "dropped", "done"]


def test_memos_and_journal(coder):
    coder.add_code("a")
    coding = coder.add_coding("t", 0, 2, "a", "hi")
    coder.set_memo("transcript", "t", "field notes")
    coder.set_memo("coding", coding.id, "a comment")
    coder.add_journal_entry("day one")
    assert coder.memo("transcript", "t").text == "field notes"
    assert [m.text for m in coder.journal()] == ["day one"]
    coder.set_memo("transcript", "t", "")
    assert coder.memo("transcript", "t") is None
    coder.undo()
    assert coder.memo("transcript", "t").text == "field notes"


def test_clean_close_leaves_a_plain_tinydb_file(tmp_path):
    path = tmp_path / "alex.json"
    with CoderFile.open(path, "alex") as cf:
        cf.add_code("a")
        cf.add_coding("t", 0, 2, "a", "hi")
    assert not path.with_name("alex.json.journal").exists()
    db = TinyDB(path)
    assert db.table("codings:t").all()[0]["text"] == "hi"
    db.close()


def test_second_session_is_refused_with_the_holder(tmp_path):
    path = tmp_path / "alex.json"
    with CoderFile.open(path, "alex"):
        with pytest.raises(CoderFileLocked, match=r"pid \d+ on"):
            CoderFile.open(path, "alex")
        with CoderFile.open(path, "alex", readonly=True) as reader:
            assert reader.codes() == []


@pytest.mark.parametrize("content, reason", [
    (b"{not json", "not valid JSON"),
    (b'{"_default": {"1": {"a": 1}}}', "not a Workbench coder file"),
    (b"[1, 2]", "not a TinyDB file"),
    (b"", "empty"),
])
def test_damaged_or_foreign_files_are_refused_and_untouched(tmp_path, content, reason):
    path = tmp_path / "alex.json"
    path.write_bytes(content)
    with pytest.raises(DamagedFile, match=reason) as err:
        CoderFile.open(path, "alex")
    assert str(path) in str(err.value)
    assert path.read_bytes() == content
    assert not path.with_name("alex.json.lock").exists()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "alex.json"
    path.write_text(json.dumps({"meta": {"1": {"format": "workbench-coder-file", "schema": 99}}}))
    with pytest.raises(DamagedFile, match="newer Workbench"):
        CoderFile.open(path, "alex")


@settings(max_examples=40, deadline=None)
@given(text=st.text(min_size=1, max_size=200), data=st.data())
def test_any_span_of_any_text_round_trips(tmp_path_factory, text, data):
    text = normalise(text)
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    path = tmp_path_factory.mktemp("coder") / "c.json"
    with CoderFile.open(path, "c") as cf:
        cf.add_code("x")
        cf.add_coding("t", start, end, "x", text[start:end])
    with CoderFile.open(path, "c", readonly=True) as cf:
        (coding,) = cf.codings()
        assert text[coding.start:coding.end] == coding.text


def test_a_file_read_without_its_codings_keeps_codebook_memos_and_history(project):
    import pytest as _pytest

    with project.open_coder("alex") as coder:
        coder.add_code("stigma")
        coder.set_memo("code", coder.code("stigma").id, "being treated as a patient")
    with project.open_coder("alex", readonly=True, with_codings=False) as light:
        assert [c.name for c in light.codes()] == ["stigma"] and light.codings() == []
        assert light.memo("code", light.code("stigma").id).text == "being treated as a patient"
        assert [e.action for e in light.history()] == ["code.add", "memo.edit"]
    with _pytest.raises(ValueError):
        project.open_coder("alex", with_codings=False)
