"""Files that must not be imported: each is refused with a message naming the file and the
reason, and the project is left exactly as it was."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from click.testing import CliRunner
from exchange_helpers import minimal_qde, write_zip

from workbench.cli.main import cli
from workbench.errors import ImportRefused
from workbench.exchange import safezip
from workbench.exchange.importer import import_exchange_file
from workbench.project import Project

SOURCE = "sources/11111111-1111-1111-1111-111111111111.txt"
TEXT = "Hope is what kept me going."

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>
"""


def snapshot(project: Project) -> dict:
    """Every file of the project and its hash."""
    return {str(p.relative_to(project.root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(project.root.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    return Project.init(tmp_path / "p")


def refused(project, path, *fragments):
    before = snapshot(project)
    with pytest.raises(ImportRefused) as err:
        import_exchange_file(project, path, coder="me")
    message = str(err.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    assert snapshot(Project(project.root)) == before
    return message


def test_good_crafted_file_imports(project, tmp_path):
    path = write_zip(tmp_path / "ok.qdpx", {"project.qde": minimal_qde(name="Hope "), SOURCE: TEXT})
    import_exchange_file(project, path, coder="me")
    assert project.coders() == ["Kim_Lee"]
    with project.open_coder("Kim_Lee", readonly=True) as kim:
        assert [c.text for c in kim.codings()] == ["Hope "]


def test_member_climbing_out(project, tmp_path):
    path = write_zip(tmp_path / "climb.qdpx", {"project.qde": minimal_qde(), SOURCE: TEXT,
                                                "sources/../../evil.txt": "x"})
    refused(project, path, "sources/../../evil.txt", "climbs out")
    assert not (tmp_path / "evil.txt").exists()


def test_absolute_member_name(project, tmp_path):
    path = write_zip(tmp_path / "abs.qdpx", {"project.qde": minimal_qde(), SOURCE: TEXT, "/tmp/evil.txt": "x"})
    refused(project, path, "absolute path")


def test_windows_drive_member_name(project, tmp_path):
    path = write_zip(tmp_path / "drive.qdpx", {"project.qde": minimal_qde(), SOURCE: TEXT, "C:/evil.txt": "x"})
    refused(project, path, "absolute path")


def test_symlink_member(project, tmp_path):
    path = write_zip(tmp_path / "link.qdpx", {"project.qde": minimal_qde()}, symlinks={SOURCE: "/etc/passwd"})
    refused(project, path, "symbolic link")


def test_billion_laughs(project, tmp_path):
    path = write_zip(tmp_path / "laughs.qdpx", {"project.qde": BILLION_LAUGHS})
    refused(project, path, "DTD")


def test_billion_laughs_as_qdc(project, tmp_path):
    path = tmp_path / "laughs.qdc"
    path.write_text(BILLION_LAUGHS.replace("Project", "CodeBook"))
    refused(project, path, "DTD")


def test_missing_source(project, tmp_path):
    path = write_zip(tmp_path / "missing.qdpx", {"project.qde": minimal_qde()})
    refused(project, path, "does not hold", "P1")


def test_external_source_is_missing_too(project, tmp_path):
    path = write_zip(tmp_path / "external.qdpx", {"project.qde": minimal_qde("absolute:///etc/passwd")})
    refused(project, path, "absolute:///etc/passwd")


def left_out(project, path, why: str) -> None:
    """A bad selection does not stop the import: it is left out, and the report names it."""
    result = import_exchange_file(project, path, coder="me")
    report = result.report
    assert (report.count("left out"), len(report.outcomes)) == (1, 1)
    assert why in report.outcomes[0].why
    assert why in report.saved.read_text(encoding="utf-8")
    with project.open_coder("Kim_Lee", readonly=True) as kim:
        assert kim.codings() == []
    assert {t.id for t in project.transcripts()} == {"P1"}


def test_positions_out_of_range_leave_that_selection_out(project, tmp_path):
    path = write_zip(tmp_path / "range.qdpx", {"project.qde": minimal_qde(start=3, end=500), SOURCE: TEXT})
    left_out(project, path, f"3-500 are outside the source ({len(TEXT)} characters)")


def test_positions_out_of_range_are_refused_with_strict(project, tmp_path):
    path = write_zip(tmp_path / "range.qdpx", {"project.qde": minimal_qde(start=3, end=500), SOURCE: TEXT})
    before = snapshot(project)
    with pytest.raises(ImportRefused, match="--strict"):
        import_exchange_file(project, path, coder="me", strict=True)
    assert snapshot(Project(project.root)) == before


def test_negative_and_reversed_positions(project, tmp_path):
    path = write_zip(tmp_path / "neg.qdpx", {"project.qde": minimal_qde(start=-1, end=4), SOURCE: TEXT})
    left_out(project, path, "outside the source")
    path = write_zip(tmp_path / "rev.qdpx", {"project.qde": minimal_qde(start=9, end=2), SOURCE: TEXT})
    other = Project.init(tmp_path / "other")
    left_out(other, path, "empty")


def test_xml_that_is_not_refi_qda(project, tmp_path):
    path = write_zip(tmp_path / "html.qdpx", {"project.qde": "<html><body>hello</body></html>"})
    refused(project, path, "not a REFI-QDA project", "<html>")
    qdc = tmp_path / "feed.qdc"
    qdc.write_text('<feed xmlns="http://www.w3.org/2005/Atom"/>')
    refused(project, qdc, "not a REFI-QDA codebook")


def test_not_xml_at_all(project, tmp_path):
    path = write_zip(tmp_path / "garbage.qdpx", {"project.qde": "this is { not xml"})
    refused(project, path, "not well-formed XML")


def test_not_a_zip(project, tmp_path):
    path = tmp_path / "plain.qdpx"
    path.write_text("hello")
    refused(project, path, "not a readable .qdpx")


def test_no_project_qde(project, tmp_path):
    path = write_zip(tmp_path / "empty.qdpx", {"sources/x.txt": "x"})
    refused(project, path, "no project.qde")


def test_coding_with_unknown_code(project, tmp_path):
    qde = minimal_qde().replace('<CodeRef targetGUID="33333333', '<CodeRef targetGUID="66666666')
    path = write_zip(tmp_path / "dangling.qdpx", {"project.qde": qde, SOURCE: TEXT})
    left_out(project, path, "name no code the codebook holds")


def test_zip_bomb_by_ratio(project, tmp_path):
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", minimal_qde())
        archive.writestr(SOURCE, b"\0" * (safezip.RATIO_FLOOR + 1024 * 1024))
    refused(project, path, "zip bomb")


def test_zip_bomb_by_total_size(project, tmp_path, monkeypatch):
    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", 4096)
    path = write_zip(tmp_path / "big.qdpx", {"project.qde": minimal_qde(), SOURCE: "x" * 5000})
    refused(project, path, "over the")


def test_transcript_clash_with_different_text(project, tmp_path):
    (tmp_path / "P1.txt").write_text("Something else entirely.")
    from workbench.importing import import_transcript

    import_transcript(project, tmp_path / "P1.txt")
    path = write_zip(tmp_path / "clash.qdpx", {"project.qde": minimal_qde(), SOURCE: TEXT})
    refused(project, path, "already holds with a different text")


def test_cli_refusal_is_one_line_and_exit_2(project, tmp_path):
    path = write_zip(tmp_path / "climb.qdpx", {"project.qde": minimal_qde(), "../evil.txt": "x"})
    result = CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "me", "import", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "climbs out" in result.output
