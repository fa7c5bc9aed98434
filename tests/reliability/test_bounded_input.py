"""Issue 14.8: bounded work for any input. What an archive member (a .docx's parts, a .qdpx's
project.qde and sources) unpacks to is capped before it is read, a .qdpx source's text is held
to the limit of a transcript file, and a malformed document.xml is one clear line of refusal."""

from __future__ import annotations

import io
import sys
import zipfile

import pytest

from tests.exchange.exchange_helpers import write_zip

GUID = "11111111-1111-1111-1111-111111111111"
PARAGRAPH = b"<w:p><w:r><w:t>Participant: yes, and the nurses were kind.</w:t></w:r></w:p>"


def docx_bytes(document_xml=None, grow_to: int = 0) -> bytes:
    """A real Word file; its document.xml replaced, or grown with paragraphs to `grow_to` bytes."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Interviewer: How was the ward?")
    document.add_paragraph("Participant: Hard at first.")
    made = io.BytesIO()
    document.save(made)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(made.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                if document_xml is not None:
                    data = document_xml(data)
                if grow_to:
                    body = data.index(b"<w:body>") + len(b"<w:body>")
                    data = data[:body] + PARAGRAPH * (grow_to // len(PARAGRAPH) + 1) + data[body:]
            target.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def qde(source: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="t">'
            f'<Sources>{source}</Sources></Project>')


def refused_cleanly(result, name: str, *words: str) -> None:
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and name in line and "Traceback" not in result.output, result.output
    for word in words:
        assert word in line, line


@pytest.fixture
def unchanged(coded, fingerprint):
    before = fingerprint(coded.root)
    yield
    assert fingerprint(coded.root) == before


def test_a_docx_whose_document_xml_inflates_is_refused_before_it_is_parsed(coded, run, tmp_path, unchanged):
    bomb = tmp_path / "50003.docx"
    bomb.write_bytes(docx_bytes(grow_to=40 * 2**20))
    assert bomb.stat().st_size < 2 * 2**20  # a small file...
    refused_cleanly(run("import", bomb), "50003.docx", "word/document.xml", "MB limit")  # ...that unpacks to 40 MB


def test_a_malformed_document_xml_is_one_line_of_refusal(coded, run, tmp_path, unchanged):
    broken = tmp_path / "50004.docx"
    broken.write_bytes(docx_bytes(document_xml=lambda data: data[:-40]))
    refused_cleanly(run("import", broken), "50004.docx", "malformed XML")


def test_a_docx_source_inside_a_qdpx_is_capped_and_checked(coded, run, tmp_path, unchanged):
    rich = qde(f'<TextSource guid="{GUID}" name="50005" richTextPath="internal://{GUID}.docx"/>')
    for name, data, words in (("bomb.qdpx", docx_bytes(grow_to=40 * 2**20), ("MB limit",)),
                              ("broken.qdpx", docx_bytes(document_xml=lambda d: d.replace(b"</w:body>", b"")),
                               ("malformed XML",))):
        path = write_zip(tmp_path / name, {"project.qde": rich, f"sources/{GUID}.docx": data})
        refused_cleanly(run("import", path), name, *words)


def test_a_qdpx_source_text_is_held_to_the_transcript_limit(coded, run, tmp_path, unchanged):
    big = "Participant: " + "and then we talked again. " * (21 * 2**20 // 26)
    as_file = qde(f'<TextSource guid="{GUID}" name="50006" plainTextPath="internal://{GUID}.txt"/>')
    path = write_zip(tmp_path / "file.qdpx", {"project.qde": as_file, f"sources/{GUID}.txt": big})
    refused_cleanly(run("import", path), "file.qdpx", "MB limit")
    inline = qde(f'<TextSource guid="{GUID}" name="50006"><PlainTextContent>{big}</PlainTextContent></TextSource>')
    path = write_zip(tmp_path / "inline.qdpx", {"project.qde": inline})
    refused_cleanly(run("import", path), "inline.qdpx")  # by our limit, or by lxml's on one text node


@pytest.fixture
def docx_writes():
    """Every file whose name ends in .docx that is opened for writing while the test runs."""
    seen: list[str] = []
    active = [True]

    def hook(event, args):
        if active[0] and event == "open" and str(args[0]).endswith(".docx"):
            mode, flags = args[1], args[2]
            if (mode and any(c in mode for c in "wax+")) or (mode is None and flags & 0o3):
                seen.append(str(args[0]))
    sys.addaudithook(hook)
    yield seen
    active[0] = False


def test_a_docx_source_of_a_qdpx_is_read_in_memory_never_written_to_disk(project, run, tmp_path, docx_writes):
    rich = qde(f'<TextSource guid="{GUID}" name="50008" richTextPath="internal://{GUID}.docx"/>')
    path = write_zip(tmp_path / "rich.qdpx", {"project.qde": rich, f"sources/{GUID}.docx": docx_bytes()})
    result = run("import", path)
    assert result.exit_code == 0, result.output
    assert "Hard at first" in type(project)(project.root).text("50008")
    assert docx_writes == []
