"""A change appends only what it changed: the same changes cost the same journal bytes in
a fresh file and in one with hundreds of codings, a long history and a large change in it
(issues 18 and 14.9), checked through the public API and the journal on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from workbench.coderfile import HISTORY_CHUNK, CoderFile
from workbench.model import Coding, new_id

TRANSCRIPT = "50001"
SLACK = 64  # sequence numbers and document ids take a few more digits in the big file


def journal_size(coder: CoderFile) -> int:
    path = Path(f"{coder.path}.journal")
    return path.stat().st_size if path.exists() else 0


def slot(n: int) -> tuple[int, int]:
    """The n-th of spans 2 characters apart (codings of one code that overlap or touch are one coding)."""
    return 12 * n, 12 * n + 10


def many_codings(coder: CoderFile, text: str, code: str, count: int) -> list[Coding]:
    return [Coding(id=new_id(), code=code, transcript=TRANSCRIPT, start=slot(n)[0], end=slot(n)[1],
                   text=text[slot(n)[0]:slot(n)[1]]) for n in range(count)]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """(a coder file holding only the code, one holding 400 more codings, a deleted code's
    300 codings in one history entry and more than two history chunks)."""
    from workbench.importing import import_transcript
    from workbench.project import Project
    from tests.storage.conftest import INTERVIEW

    folder = tmp_path_factory.mktemp("record-size")
    project = Project.init(folder / "study", title="record size")
    source = folder / f"{TRANSCRIPT}.txt"
    source.write_text(INTERVIEW, encoding="utf-8")
    import_transcript(project, source)
    text = project.text(TRANSCRIPT)
    small, big = folder / "small.json", folder / "big.json"
    for path in (small, big):
        with CoderFile.open(path, "alex") as coder:
            coder.add_code("barriers")
            coder.add_code("measured")  # the code the measured changes use, with no codings in either file
    with CoderFile.open(big, "alex") as coder:
        coder.add_many("import", "400 codings", many_codings(coder, text, coder.code("barriers").id, 400))
        for n in range(400, 400 + 2 * HISTORY_CHUNK):
            start, end = slot(n)
            coder.add_coding(TRANSCRIPT, start, end, "barriers", text[start:end])
        doomed = coder.add_code("doomed")
        coder.add_many("import", "300 codings", many_codings(coder, text, doomed.id, 300))
        coder.delete_code("doomed")
    return project, text, small, big


OPS = st.lists(st.tuples(st.sampled_from(["add", "remove", "update", "memo", "undo", "redo"]),
                         st.integers(0, 60)), min_size=1, max_size=12)


def run_sequence(path: Path, text: str, ops) -> list[int]:
    """Bytes each change of `ops` appended to the journal (a copy of `path` is changed)."""
    sizes, made, done, undone = [], [], 0, 0
    with CoderFile.open(path, "alex") as coder:
        coder.storage.compact_after = 1 << 40  # measure appends, not folds
        for op, n in ops:
            present = [cid for cid in made if cid in {c.id for c in coder.codings()}]
            if op in ("remove", "update") and not present or op == "undo" and not done or op == "redo" and not undone:
                continue
            before = journal_size(coder)
            if op == "add":
                made.append(coder.add_coding(TRANSCRIPT, n, n + 20, "measured", text[n:n + 20]).id)
            elif op == "remove":
                coder.remove_coding(present[n % len(present)])
            elif op == "update":
                coder.update_coding(present[n % len(present)], exemplar=bool(n % 2))
            elif op == "memo":
                coder.set_memo("transcript", TRANSCRIPT, f"note {n:02d}")
            if op in ("add", "remove", "update", "memo"):
                if journal_size(coder) == before:  # nothing to record (the same coding again): nothing to undo
                    continue
                done, undone = done + 1, 0
            elif op == "undo":
                coder.undo()
                done, undone = done - 1, undone + 1
            else:
                coder.redo()
                done, undone = done + 1, undone - 1
            sizes.append(journal_size(coder) - before)
        coder.lock.release()  # the copy is thrown away: no need to fold it
        coder.db = None
    return sizes


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_a_record_does_not_grow_with_the_codings_or_the_history(files, tmp_path_factory, ops):
    project, text, small, big = files
    scratch = tmp_path_factory.mktemp("copy")
    copies = []
    for path in (small, big):
        copy = scratch / path.name
        shutil.copyfile(path, copy)
        if Path(f"{path}.index").exists():
            shutil.copyfile(f"{path}.index", f"{copy}.index")
        copies.append(copy)
    in_small, in_big = run_sequence(copies[0], text, ops), run_sequence(copies[1], text, ops)
    assert len(in_small) == len(in_big)
    for a, b in zip(in_small, in_big):
        assert abs(a - b) <= SLACK, (in_small, in_big)
    assert all(size <= 4096 for size in in_big)  # a coding, its history entry, the states it changes
