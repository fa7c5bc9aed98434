"""Positions as the writing program meant them: one generated file for each way programs
count (a BOM not counted or counted, UTF-16 units, UTF-8 bytes, CRLF as one, names in NFD
or with U+2029), selections that cannot be placed exactly (moved, left out, named in the
import report), and a property test over random texts exported as each program would."""

from __future__ import annotations

import unicodedata

import pytest
from click.testing import CliRunner
from exchange_helpers import crafted_qdpx, utf16_units
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli.main import cli
from workbench.exchange.importer import import_exchange_file
from workbench.project import Project
from workbench.exchange.readings import LONE_LF
from workbench.transcripts.normalise import normalise

TEXT = ("Interviewer: What helped?\n"
        "Participant: 抹茶 and 珍珠奶茶 😀👍🏽 with Zoë, then café talk.\n"
        "Interviewer: Thank you.\n")


def imported(tmp_path, raw: bytes, selections, origin: str = "", **kw):
    project = Project.init(tmp_path / "p")
    result = import_exchange_file(project, crafted_qdpx(tmp_path / "x.qdpx", raw, selections, origin, **kw),
                                  coder="me")
    with project.open_coder("Kim_Lee", readonly=True) as kim:
        codings = sorted(kim.codings(), key=lambda c: (c.start, c.end))
    memos = []
    for name in project.coders():  # a memo no user wrote goes to the importing coder
        with project.open_coder(name, readonly=True) as coder:
            memos += coder.memos()
    return project, result.report, codings, memos


def spans(text: str, *quotes: str) -> list[tuple[int, int, str]]:
    return [(text.index(q), text.index(q) + len(q), q) for q in quotes]


QUOTES = ("抹茶", "😀👍🏽", "Zoë", "café talk", "Interviewer: Thank you.")


def by_text(codings):
    return sorted(c.text for c in codings)


def test_qualcoder_bom_is_not_counted(tmp_path):
    # QualCoder 4 writes the .txt with a BOM and counts positions after it
    raw = ("\ufeff" + TEXT).encode("utf-8")
    _, report, codings, _ = imported(tmp_path, raw, spans(TEXT, *QUOTES), origin="QualCoder 4.0 Beta")
    assert by_text(codings) == sorted(QUOTES)
    assert report.count("exact") == len(QUOTES) and not report.doubtful


def test_a_bom_counted_as_position_0(tmp_path):
    raw = ("\ufeff" + TEXT).encode("utf-8")
    selections = [(s + 1, e + 1, q) for s, e, q in spans(TEXT, *QUOTES)]
    _, report, codings, _ = imported(tmp_path, raw, selections)
    assert by_text(codings) == sorted(QUOTES)
    assert "byte-order mark counted" in report.sources[0].reading


def test_utf16_units_past_an_emoji(tmp_path):
    # QualCoder's coding screen counts UTF-16 units: everything after 😀 is one further on per emoji
    quotes = ("café talk", "Interviewer: Thank you.", "👍🏽")
    selections = [(utf16_units(TEXT, s), utf16_units(TEXT, e), q) for s, e, q in spans(TEXT, *quotes)]
    assert selections[-2][1] > len(TEXT) - 1  # past the end in code points: once the whole project was refused
    _, report, codings, _ = imported(tmp_path, ("\ufeff" + TEXT).encode("utf-8"), selections, "QualCoder 4.0")
    assert by_text(codings) == sorted(quotes)
    assert report.sources[0].reading.startswith("UTF-16 units")


def test_qualcoder_mixes_code_points_and_utf16_in_one_source(tmp_path):
    imported_ones = spans(TEXT, "抹茶", "Zoë", "café talk")  # positions its importer stored: code points
    coded_there = [(utf16_units(TEXT, s), utf16_units(TEXT, e), q) for s, e, q in spans(TEXT, "then café")]
    _, report, codings, _ = imported(tmp_path, ("\ufeff" + TEXT).encode("utf-8"), imported_ones + coded_there,
                                     "QualCoder 4.0")
    # "then café" and "café talk" overlap under the one code: one coding over their union
    assert by_text(codings) == sorted(["抹茶", "Zoë", "then café talk"])
    other = [o for o in report.outcomes if o.why]
    assert [o.text for o in other] == ["then café"] and "UTF-16" in other[0].why
    assert "exact under another reading" in report.text()


def test_utf8_byte_positions(tmp_path):
    selections = [(len(TEXT[:s].encode()), len(TEXT[:e].encode()), q) for s, e, q in spans(TEXT, *QUOTES)]
    _, report, codings, _ = imported(tmp_path, TEXT.encode("utf-8"), selections)
    assert by_text(codings) == sorted(QUOTES)
    assert report.sources[0].reading.startswith("UTF-8 bytes")


def test_qc_counts_a_crlf_as_one_and_names_lines(tmp_path):
    # qc 1.7.8: the file keeps its CRLFs, positions come from reading it with universal newlines
    windows = TEXT.replace("\n", "\r\n")
    lines = TEXT.splitlines(keepends=True)
    selections = []
    for n in (0, 2):
        start = sum(len(line) for line in lines[:n])
        selections.append((start, start + len(lines[n]), f"line:{n}"))
    _, report, codings, _ = imported(tmp_path, windows.encode("utf-8"), selections, origin="qc 1.7.8")
    assert [c.text for c in codings] == ["Interviewer: What helped?\n", "Interviewer: Thank you.\n"]
    assert "CRLF as one" in report.sources[0].reading and report.count("exact") == 2


def test_crlf_counted_as_one_without_a_program_named(tmp_path):
    windows = TEXT.replace("\n", "\r\n")
    _, report, codings, _ = imported(tmp_path, windows.encode("utf-8"), spans(TEXT, *QUOTES))
    assert by_text(codings) == sorted(QUOTES)
    assert "CRLF as one" in report.sources[0].reading


def test_names_in_nfd_and_with_paragraph_separators(tmp_path):
    nfd = unicodedata.normalize("NFD", TEXT)  # the source itself decomposed, positions counted in it
    quote = "Zoë, then café talk.\nInterviewer"
    start = nfd.index(unicodedata.normalize("NFD", quote))
    end = start + len(unicodedata.normalize("NFD", quote))
    name = unicodedata.normalize("NFD", quote).replace("\n", "\u2029")  # QualCoder's newline in a name
    short = (TEXT.index("抹茶"), TEXT.index("抹茶") + 2, unicodedata.normalize("NFD", "抹茶"))
    _, report, codings, _ = imported(tmp_path, nfd.encode("utf-8"), [(start, end, name)])
    assert [c.text for c in codings] == [quote]
    assert report.count("exact") == 1
    _, report, codings, _ = imported(tmp_path / "2", TEXT.encode("utf-8"), [short])
    assert [c.text for c in codings] == ["抹茶"]


def test_a_selection_off_its_text_is_moved_and_named(tmp_path):
    text = "First the intro. " * 3 + "Then hope kept me going through it all. " + "Filler words here. " * 3
    start = text.index("hope") + 7  # a program that lost 7 characters somewhere
    selections = spans(text, "First the intro. First", "Filler words here. Filler") + \
        [(start, start + len("hope kept me going"), "hope kept me going")]
    _, report, codings, _ = imported(tmp_path, text.encode(), selections)
    assert "hope kept me going" in by_text(codings)
    moved = [o for o in report.outcomes if o.outcome == "moved"]
    assert len(moved) == 1 and moved[0].placed == (text.index("hope"), text.index("hope") + 18)
    assert "7 characters earlier" in moved[0].why
    assert f"{start}-{start + 18} -> {moved[0].placed[0]}-{moved[0].placed[1]}" in report.saved.read_text()


def test_what_cannot_be_placed_is_left_out_and_named(tmp_path):
    text = "Yes. I said yes. Then no, and then yes again. Words that are unique here."
    selections = [(0, 4, "Yes."), (5, 9, "nothing like this"), (30, 33, "yes"), (46, 51, "Words")]
    project, report, codings, _ = imported(tmp_path, text.encode(), selections, origin="QualCoder 4.0")
    assert by_text(codings) == ["Words", "Yes."]
    left = {o.text: o.why for o in report.outcomes if o.outcome == "left out"}
    assert left == {"nothing like this": "its text is not in the source",
                    "yes": "its text occurs 2 times near its position"}
    # the counts add up to the selections in the file, in the report and in the saved copy
    assert sum(report.count(o) for o in ("exact", "unchecked", "moved", "left out")) == len(selections)
    saved = report.saved.read_text(encoding="utf-8")
    assert report.saved.parent == project.root / "imports"
    assert "4 selections: 2 exact, 0 unchecked, 0 moved, 2 left out" in saved and "'nothing like this'" in saved


def test_label_names_are_not_taken_for_text(tmp_path):
    # ATLAS.ti-style quotation names that are labels: placed by position, said to be unchecked
    selections = [(s, e, f"quotation {i}") for i, (s, e, _) in enumerate(spans(TEXT, "抹茶", "café talk"))]
    _, report, codings, _ = imported(tmp_path, TEXT.encode(), selections)
    assert by_text(codings) == ["café talk", "抹茶"]
    assert report.count("unchecked") == 2 and "label" in report.outcomes[0].why


def test_descriptions_are_memos(tmp_path):
    _, _, codings, memos = imported(tmp_path, TEXT.encode(), spans(TEXT, "抹茶"),
                                    descriptions={"source": "field notes", 0: "a drink she loves"})
    found = {(m.target_type, m.target, m.text) for m in memos}
    assert ("transcript", "P1", "field notes") in found
    assert ("coding", codings[0].id, "a drink she loves") in found


def test_cli_prints_and_keeps_the_report_and_strict_refuses(tmp_path):
    path = crafted_qdpx(tmp_path / "x.qdpx", TEXT.encode(), spans(TEXT, "抹茶") + [(0, 5, "not in the text")])
    strict = CliRunner().invoke(cli, ["-p", str(tmp_path / "s"), "--coder", "me", "import", "--strict", str(path)])
    assert strict.exit_code == 2 and "--strict" in strict.output
    assert "'not in the text'" in strict.output and not (tmp_path / "s").exists()
    result = CliRunner().invoke(cli, ["-p", str(tmp_path / "p"), "--coder", "me", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 selections: 1 exact, 0 unchecked, 0 moved, 1 left out" in result.output
    assert "'P1' 0-5 'not in the text': its text is not in the source" in result.output
    saved = list((tmp_path / "p" / "imports").glob("x-*.txt"))
    assert len(saved) == 1 and "'not in the text'" in saved[0].read_text(encoding="utf-8")


# -- random texts, exported as each program would --------------------------------------------
ATOMS = st.sampled_from(["a", "b", "word", " ", "  ", "\n", "\r\n", "抹", "茶", "。", "😀", "👍🏽", "👨‍👩‍👧",
                         "e\u0301", "a\u0308\u0323", "é", "“", "—", "\t", "Z"])


@st.composite
def exports(draw):
    atoms = draw(st.lists(ATOMS, min_size=4, max_size=60))
    program = draw(st.sampled_from(["refi", "qualcoder", "qualcoder-for-maxqda", "qc", "bytes", "bom-counted",
                                    "line-end-as-two"]))
    if program == "qualcoder-for-maxqda":
        atoms = [a.replace("\r\n", "\n") for a in atoms]
    raw = "".join(atoms)
    bounds = [0]
    for atom in atoms:
        bounds.append(bounds[-1] + len(atom))
    picks = draw(st.lists(st.tuples(st.integers(0, len(atoms)), st.integers(1, 12)), min_size=1, max_size=6))
    units = draw(st.lists(st.booleans(), min_size=len(picks), max_size=len(picks)))
    return raw, bounds, picks, units, program


def as_program(raw: str, bounds, picks, units, program):
    """The file bytes, the selections and, for each, the text the program showed."""
    selections, shown = [], []
    if program == "qc":
        text = raw.replace("\r\n", "\n")
        lines = text.splitlines(keepends=True)
        for n, _ in picks:
            if n < len(lines) and lines[n].strip():
                start = sum(len(line) for line in lines[:n])
                selections.append((start, start + len(lines[n]), f"line:{n}"))
                shown.append(lines[n])
        return raw.encode("utf-8"), selections, shown, "qc 1.7.8"
    for (i, length), utf16 in zip(picks, units):
        s, e = bounds[min(i, len(bounds) - 1)], bounds[min(i + length, len(bounds) - 1)]
        piece = raw[s:e]
        if not piece.strip():
            continue
        if program == "qualcoder" and utf16:
            s, e = utf16_units(raw, s), utf16_units(raw, e)
        elif program == "bytes":
            s, e = len(raw[:s].encode()), len(raw[:e].encode())
        elif program == "bom-counted":
            s, e = s + 1, e + 1
        elif program == "line-end-as-two":
            s, e = s + len(LONE_LF.findall(raw[:s])), e + len(LONE_LF.findall(raw[:e]))
        name = piece.replace("\r\n", "\n").replace("\n", "\u2029") if program == "qualcoder" else piece
        selections.append((s, e, name))
        shown.append(piece)
    bom = "\ufeff" if program in ("qualcoder", "qualcoder-for-maxqda", "bom-counted") else ""
    origin = {"qualcoder": "QualCoder 4.0 Beta", "qualcoder-for-maxqda": "QualCoder 3.6"}.get(program, "")
    if program == "qualcoder-for-maxqda":  # its "line endings for MAXQDA": LF written as CRLF, positions kept
        raw = raw.replace("\n", "\r\n")
    return (bom + raw).encode("utf-8"), selections, shown, origin


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(exports())
def test_every_coding_is_what_the_program_showed(tmp_path_factory, export):
    raw, selections, shown, origin = as_program(*export)
    if not selections:
        return
    project, report, codings, _ = imported(tmp_path_factory.mktemp("x"), raw, selections, origin)
    assert len(report.outcomes) == len(selections) and not report.doubtful, report.text()
    placed = [normalise(t) for t in shown]
    assert all(any(p in c.text for c in codings) for p in placed), report.text()
    # selections of the one code that overlap or touch are one coding over their union
    stretches = []
    for start, end in sorted(o.placed for o in report.outcomes):
        if stretches and start <= stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], end)
        else:
            stretches.append([start, end])
    assert [[c.start, c.end] for c in codings] == stretches, report.text()
    assert all(c.text == project.text(c.transcript)[c.start:c.end] for c in codings)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(exports())
def test_every_coding_is_what_the_program_showed_thoroughly(tmp_path_factory, export):
    test_every_coding_is_what_the_program_showed.hypothesis.inner_test(tmp_path_factory, export)


def test_line_ends_counted_as_two_where_the_text_has_one(tmp_path):
    # NVivo on Windows counts a line end as CRLF, also when the text the file gives has LF
    selections = [(s + TEXT[:s].count("\n"), e + TEXT[:e].count("\n"), q) for s, e, q in spans(TEXT, *QUOTES)]
    _, report, codings, _ = imported(tmp_path, TEXT.encode("utf-8"), selections)
    assert by_text(codings) == sorted(QUOTES)
    assert "a line end as two" in report.sources[0].reading


def test_quotations_named_by_their_first_words_stay_whole(tmp_path):
    # ATLAS.ti names a quotation by its start: the name checks the start, the span stays whole
    quotes = ("Participant: 抹茶 and 珍珠奶茶", "then café talk.", "Interviewer: Thank you.")
    selections = [(s, e, q[:8]) for s, e, q in spans(TEXT, *quotes)]  # each CRLF counted as one
    _, report, codings, _ = imported(tmp_path, TEXT.replace("\n", "\r\n").encode(), selections,
                                     origin="ATLAS.ti 23.2.1")
    assert by_text(codings) == sorted(quotes) and report.count("exact") == 3


def test_a_source_saved_as_utf16_with_positions_in_its_units(tmp_path):
    quotes = ("café talk", "Interviewer: Thank you.")
    windows = TEXT.replace("\n", "\r\n")
    selections = [(utf16_units(windows, s), utf16_units(windows, e), q) for s, e, q in spans(windows, *quotes)]
    _, report, codings, _ = imported(tmp_path, windows.encode("utf-16"), selections, origin="NVivo 12 for Windows")
    assert by_text(codings) == sorted(quotes) and report.count("exact") == 2
    assert report.sources[0].reading.startswith("UTF-16 units")
