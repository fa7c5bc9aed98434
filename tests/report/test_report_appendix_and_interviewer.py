"""The report names the interviewer from the interviewer's turns when nothing else does, ends
with a codebook appendix giving every code's definition, and keeps the project's title
through a .qdpx export and import."""

import io

import lxml.html
import pytest
from click.testing import CliRunner
from docx import Document

from workbench.cli.main import cli
from workbench.importing import import_transcript
from workbench.project import Project
from workbench.report import build_report, render


def report_md(project, coder="alex"):
    result = CliRunner().invoke(cli, ["-p", str(project.root), "--coder", coder, "report"])
    assert result.exit_code == 0, result.output
    return result.stdout


def interview(project, tmp_path, name, text, **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    import_transcript(project, path, **options)
    with project.open_coder("alex") as coder:
        if not len(coder.codebook):
            coder.add_code("explaining", description="How the participant explains a model.")


DAN = ("Dan: How do you decide what to explain first?\n\n"
       "Participant: Usually the features with the biggest effect.\n\n"
       "Dan: And then?\n\n"
       "Participant: Then the odd ones, the ones that surprise me.\n")


def test_the_interviewer_is_named_from_the_turns_labelled_with_a_name(project, tmp_path):
    interview(project, tmp_path, "P1.txt", DAN)
    interview(project, tmp_path, "P2.txt", DAN.replace("features", "inputs"))
    md = report_md(project)
    row = next(line for line in md.splitlines() if line.startswith("| 1 |"))
    assert "Dan" in row and "not recorded" not in row


def test_generic_interviewer_labels_name_nobody_and_a_recorded_interviewer_comes_first(project, tmp_path):
    interview(project, tmp_path, "50001.txt", DAN.replace("Dan:", "Interviewer:"))
    row = next(line for line in report_md(project).splitlines() if line.startswith("| 1 |"))
    assert "not recorded" in row and "Interviewer" not in row.split("|")[3]
    interview(project, tmp_path, "50002.txt", DAN.replace("features", "inputs").replace("Dan:", "Max:"))
    interview(project, tmp_path, "50003.txt", DAN.replace("features", "plots"))
    project = Project(project.root)
    project.manifest["transcripts"]["50002"]["interviewer"] = "Daniel Kerrigan"  # as interviews.csv records it
    project.save_manifest()
    row = next(line for line in report_md(Project(project.root)).splitlines() if line.startswith("| 1 |"))
    answer = row.split("|")[3].strip()
    # the recorded name first; Max's turns are not consulted (50002 has its interviewer recorded)
    assert answer.startswith("Daniel Kerrigan, Dan (") and "Max" not in answer
    assert "1 of 3 interviews without an interviewer recorded or named" in answer


def test_the_real_pdpilot_interviews_name_dan(shared, project):
    for name in ("P1.txt", "P2.txt"):
        import_transcript(project, shared / "corpora/pdpilot-user-study" / name)
    with project.open_coder("alex") as coder:
        coder.add_code("explaining")
    row = next(line for line in report_md(project).splitlines() if line.startswith("| 1 |"))
    assert "Dan" in row and "not recorded" not in row


@pytest.fixture
def demo(copy_demo, tmp_path):
    return copy_demo(tmp_path / "demo")


def test_the_codebook_appendix_gives_every_codes_definition_in_every_format(demo):
    with demo.open_coder("alex", readonly=True) as coder:
        book = coder.codebook
        codes = [(book.path(c.id), " ".join(c.description.split())) for c in book.walk()]
        report = build_report(demo, coder)
    assert codes and all(definition for _, definition in codes)
    md = render(report, "md")
    appendix = md.split("## Appendix: codebook")[1]
    for path, definition in codes:
        assert any(line.startswith(f"| {path} |") and definition[:60] in line.replace("\\", "")
                   for line in appendix.splitlines()), path
    page = lxml.html.fromstring(render(report, "html"))
    rows = page.xpath('//table[@class="codebook"]//tr[td]')
    assert [(r[0].text_content(), r[2].text_content()) for r in rows] == codes
    doc = Document(io.BytesIO(render(report, "docx")))
    table = doc.tables[-1]
    assert [(r.cells[0].text, r.cells[2].text) for r in table.rows[1:]] == codes


def test_a_code_without_a_definition_says_so(project, tmp_path):
    interview(project, tmp_path, "50001.txt", DAN)
    with project.open_coder("alex") as coder:
        coder.delete_code(coder.code("explaining").id)
        coder.add_code("surprises", description="Moments the tool showed something unexpected.")
        coder.add_code("undefined one")
    appendix = report_md(project).split("## Appendix: codebook")[1]
    assert "| surprises | code | Moments the tool showed something unexpected. | 0 |" in appendix
    assert "| undefined one | code | (no definition written) | 0 |" in appendix


def test_the_title_survives_export_qdpx_and_import(demo, tmp_path):
    exported = tmp_path / "renamed-file.qdpx"
    runner = CliRunner()
    assert runner.invoke(cli, ["-p", str(demo.root), "export", "qdpx", str(exported)]).exit_code == 0
    new = tmp_path / "again"
    result = runner.invoke(cli, ["-p", str(new), "--coder", "me", "import", str(exported)])
    assert result.exit_code == 0, result.output
    assert Project(new).title == demo.title != "renamed-file"
    assert f"made project '{demo.title}'" in result.output
    assert report_md(Project(new)).splitlines()[0] == f"# Results: {demo.title}"
