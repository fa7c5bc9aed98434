"""Export then import into a fresh project gives the same transcripts, participants and
attributes, and for every coder the same codebook, codings (with corrected texts and
exemplar marks) and memos: a property test over random small projects."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.exchange.importer import import_exchange_file
from workbench.exchange.qde_writer import export_qdpx
from workbench.importing import import_transcript
from workbench.model import KINDS, PALETTE
from workbench.project import Project

WORDS = st.text(alphabet="abcdefghij éü“”—😕", min_size=1, max_size=12).map(str.strip).filter(bool)
PROSE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
                min_size=0, max_size=60)
MEMO = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               min_size=1, max_size=40).filter(str.strip)


@st.composite
def studies(draw):
    transcripts = draw(st.lists(st.sampled_from(["P1", "P2_2", "50007_3", "x.y"]), min_size=1, max_size=3,
                                unique=True))
    texts = {t: f"{t}: {draw(PROSE)}\nParticipant: {draw(PROSE)} end" for t in transcripts}
    attributes = {t.split("_")[0]: draw(st.dictionaries(st.sampled_from(["age", "gender", "site"]), WORDS,
                                                        max_size=2)) for t in transcripts}
    codes = []  # (name, parent index, kind, colour, description)
    for i in range(draw(st.integers(1, 6))):
        parent = draw(st.none() | st.integers(0, i - 1)) if i else None
        codes.append((f"{draw(WORDS)} {i}", parent, draw(st.sampled_from(KINDS)),
                      draw(st.sampled_from(PALETTE)), draw(st.text(alphabet="abc é\n", max_size=20))))
    coders = {}
    for name in draw(st.lists(st.sampled_from(["alex", "sam", "consensus"]), min_size=1, max_size=2, unique=True)):
        owned = set(draw(st.lists(st.integers(0, len(codes) - 1), min_size=1, unique=True)))
        for i in list(owned):
            while codes[i][1] is not None:
                i = codes[i][1]
                owned.add(i)
        codings = draw(st.lists(st.tuples(st.sampled_from(transcripts), st.integers(0, 200), st.integers(1, 40),
                                          st.sampled_from(sorted(owned)), st.none() | MEMO, st.booleans(),
                                          st.none() | MEMO), max_size=5))
        memos = draw(st.lists(st.tuples(st.sampled_from(["transcript", "code", "project"]), MEMO), max_size=3))
        coders[name] = (sorted(owned), codings, memos)
    return texts, attributes, codes, coders


def build(folder: Path, texts, attributes, codes, coders) -> Project:
    project = Project.init(folder / "origin", "random study")
    for tid, text in texts.items():
        (folder / f"{tid}.txt").write_text(text, encoding="utf-8")
        import_transcript(project, folder / f"{tid}.txt")
    project.set_attributes({p: a for p, a in attributes.items() if a})
    for name, (owned, codings, memos) in coders.items():
        with project.open_coder(name) as coder:
            paths = {}
            for i in owned:
                code_name, parent, kind, colour, description = codes[i]
                made = coder.add_code(code_name, parent=paths.get(parent), kind="code", color=colour,
                                      description=description)
                paths[i] = coder.codebook.path(made.id)
            for tid, start, length, i, corrected, exemplar, memo in codings:
                text = project.text(tid)
                start = min(start, len(text) - 1)
                end = min(start + length, len(text))
                corrected = None if corrected is None else f"{text[start:end]} {corrected}"  # keeps the quote's words
                coding = coder.add_coding(tid, start, end, paths[i], text[start:end], corrected=corrected)
                if exemplar:
                    coder.update_coding(coding.id, exemplar=True)
                if memo:
                    coder.set_memo("coding", coding.id, memo)
            for i in owned:  # kinds last: a theme may hold codings made before it became one
                coder.set_code(paths[i], kind=codes[i][2])
            for target_type, text in memos:
                if target_type == "project":
                    coder.add_journal_entry(text, title="entry")
                elif target_type == "transcript":
                    coder.set_memo("transcript", sorted(texts)[0], text)
                else:
                    coder.set_memo("code", coder.code(paths[owned[0]]).id, text)
    return project


def contents(project: Project) -> dict:
    transcripts = {t.id: (t.participant, t.wave, t.date, t.duration, t.interviewer, project.text(t.id))
                   for t in project.transcripts()}
    coders = {}
    for name in project.coders():
        with project.open_coder(name, readonly=True) as coder:
            book = coder.codebook
            codings = {c.id: (c.transcript, c.start, c.end, book.path(c.code), c.text, c.corrected, c.exemplar,
                              c.created) for c in coder.codings()}

            def target(memo):
                if memo.target_type == "code":
                    return book.path(memo.target)
                if memo.target_type == "coding":
                    return codings[memo.target]
                return memo.target
            coders[name] = {
                "codes": sorted((book.path(c.id), c.kind, c.color, c.description) for c in coder.codes()),
                "codings": sorted(codings.values(), key=repr),
                "memos": sorted(((m.target_type, repr(target(m)), m.text, m.title if m.target_type == "project" else "")
                                 for m in coder.memos()), key=repr),
            }
    return {"transcripts": transcripts, "participants": project.participants(), "coders": coders}


def round_trip(study) -> tuple[dict, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        origin = build(folder, *study)
        export_qdpx(origin, folder / "out.qdpx")
        copy = Project.init(folder / "copy")
        import_exchange_file(copy, folder / "out.qdpx", coder="importer")
        return contents(origin), contents(copy)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studies())
def test_round_trip(study):
    before, after = round_trip(study)
    assert after == before


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studies())
def test_round_trip_thoroughly(study):
    before, after = round_trip(study)
    assert after == before


def test_round_trip_of_the_study(study, tmp_path):
    export_qdpx(study, tmp_path / "out.qdpx")
    copy = Project.init(tmp_path / "copy")
    assert import_exchange_file(copy, tmp_path / "out.qdpx", coder="importer") == []
    before, after = contents(study), contents(copy)
    # a code both coders have travels as one Code: sam's copy takes alex's definition, which is the same here
    assert after == before


def test_journal_entries_without_a_title_and_qualcoder_note_files(study, tmp_path):
    from exchange_helpers import minimal_qde, write_zip

    with study.open_coder("sam") as sam:
        sam.add_journal_entry("Untitled thought.\nSecond line.")
    export_qdpx(study, tmp_path / "out.qdpx")
    copy = Project.init(tmp_path / "copy")
    import_exchange_file(copy, tmp_path / "out.qdpx", coder="importer")
    with copy.open_coder("sam", readonly=True) as sam:
        assert [(m.title, m.text) for m in sam.journal()] == [("", "Untitled thought.\nSecond line.")]
    # QualCoder writes a journal entry as a named Note whose file starts with a BOM
    note = ('<Notes><Note guid="77777777-7777-7777-7777-777777777777" name="Week 2" '
            'creatingUser="22222222-2222-2222-2222-222222222222" creationDateTime="2026-12-01T18:14:36+00:00Z" '
            'plainTextPath="internal://77777777-7777-7777-7777-777777777777.txt"><Description /></Note></Notes>')
    path = write_zip(tmp_path / "qc.qdpx", {"project.qde": minimal_qde(name="Hope ", extra=note),
                                            "sources/11111111-1111-1111-1111-111111111111.txt": "Hope is all.",
                                            "sources/77777777-7777-7777-7777-777777777777.txt":
                                                "\ufeffFirst entry of the week.".encode()})
    other = Project.init(tmp_path / "other")
    import_exchange_file(other, path, coder="me")
    with other.open_coder("Kim_Lee", readonly=True) as kim:
        entry = kim.journal()[0]
        assert (entry.title, entry.text, entry.created) == ("Week 2", "First entry of the week.",
                                                             "2026-12-01T18:14:36+00:00")
