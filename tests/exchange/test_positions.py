"""Positions in a source that is not stored as it came (CRLF, BOM, decomposed accents) are
mapped onto the stored text; positions counted in bytes are read as such."""

from __future__ import annotations

from exchange_helpers import minimal_qde, write_zip

from workbench.exchange.importer import import_exchange_file
from workbench.exchange.positions import normalise_mapped
from workbench.project import Project

SOURCE = "sources/11111111-1111-1111-1111-111111111111.txt"


def test_map_over_bom_crlf_and_combining_marks():
    raw = "\ufeffab\r\ncafe\u0301 x\r\ny"
    mapped = normalise_mapped(raw)
    assert mapped.text == "ab\ncafé x\ny" and not mapped.approximate
    for start, end, expected in ((1, 3, "ab"), (5, 10, "café"), (11, 14, "x\n"), (13, 15, "\ny")):
        assert mapped.text[mapped.start(start):mapped.end(end)] == expected
    # an end inside a CRLF pair or a composed letter takes the whole character
    assert mapped.text[mapped.start(5):mapped.end(9)] == "café"
    assert mapped.text[mapped.start(1):mapped.end(4)] == "ab\n"


def test_plain_text_maps_to_itself():
    mapped = normalise_mapped("nothing to change")
    assert (mapped.start(3), mapped.end(9)) == (3, 9)


def import_crafted(tmp_path, text: bytes, start: int, end: int, name: str | None):
    project = Project.init(tmp_path / "p")
    path = write_zip(tmp_path / "x.qdpx", {"project.qde": minimal_qde(start=start, end=end, name=name), SOURCE: text})
    result = import_exchange_file(project, path, coder="me")
    with project.open_coder("Kim_Lee", readonly=True) as kim:
        return project, kim.codings(), result.report


def test_crlf_source_from_windows(tmp_path):
    raw = "\ufeffInterviewer: Why?\r\nParticipant: Hope kept me going.\r\n"
    start = raw.index("Hope")
    project, codings, _ = import_crafted(tmp_path, raw.encode("utf-8"), start, start + len("Hope kept me going."),
                                         "Hope kept me going.")
    assert codings[0].text == "Hope kept me going."
    assert project.text("P1") == "Interviewer: Why?\nParticipant: Hope kept me going.\n"


def test_byte_counted_positions_are_read_as_bytes(tmp_path):
    raw = "“Quoted” words first. Then hope kept me going, and it still does today."
    quote = "hope kept me going"
    byte_start = len(raw[:raw.index(quote)].encode("utf-8"))  # a program that counted bytes
    project, codings, report = import_crafted(tmp_path, raw.encode("utf-8"), byte_start,
                                              byte_start + len(quote.encode("utf-8")), quote)
    assert codings[0].text == quote
    assert report.sources[0].reading.startswith("UTF-8 bytes") and report.count("exact") == 1


def test_a_qc_line_name_checks_its_line(tmp_path):
    raw = "line one\nline two is here\n"
    _, codings, report = import_crafted(tmp_path, raw.encode(), 9, 25, "line:1")
    assert codings[0].text == "line two is here"
    assert report.count("exact") == 1
