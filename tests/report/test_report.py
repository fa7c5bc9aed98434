"""The results report of the bundled demo project, read back as a reader would: Markdown text,
parsed HTML, and the DOCX opened with python-docx."""

import io
import statistics
from collections import Counter

import lxml.html
import pytest
from click.testing import CliRunner
from docx import Document

from workbench.cli.main import cli
from workbench.demo import sample_folder
from workbench.importing import read_table
from workbench.report import build_report, render


def run(project, *args):
    result = CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "alex", *args])
    assert result.exit_code == 0, result.output
    return result


def expected_sections(project):
    """Every category, theme and subtheme with its definition, and the codings under it."""
    with project.open_coder("alex", readonly=True) as coder:
        book = coder.codebook
        return [(c.name, c.description) for c in book.walk() if c.kind != "code"]


def report_of(project, **options):
    with project.open_coder("alex", readonly=True) as coder:
        return build_report(project, coder, **options)


def all_quotes(report):
    from workbench.report.content import walk_sections

    return [q for section, _ in walk_sections(report.sections) for q in section.quotes]


def test_markdown_has_every_theme_definition_and_quote_with_its_id(demo):
    markdown = run(demo, "report").stdout
    for name, definition in expected_sections(demo):
        assert f" {name} (" in markdown
        assert definition.split(".")[0] in markdown.replace("\\", "")
    quotes = all_quotes(report_of(demo))
    assert quotes
    for quote in quotes:
        assert f"{quote.text[:30]}" in markdown.replace("\\", "")
        assert f"” ({quote.quote_id})" in markdown
    assert "(50001_2)" in markdown or "_2)" in markdown
    assert "salience = 0.5 × primacy" in markdown


def test_html_is_one_self_contained_file_with_themes_quotes_and_map(demo, tmp_path):
    out = tmp_path / "report.html"
    run(demo, "report", "--format", "html", "-o", str(out))
    tree = lxml.html.fromstring(out.read_bytes())
    headings = [h.text_content() for h in tree.xpath("//h3|//h4|//h5|//h6")]
    for name, definition in expected_sections(demo):
        assert any(h.startswith(name + " (") for h in headings), name
        assert definition in tree.text_content()
    blockquotes = [b.text_content() for b in tree.xpath("//blockquote")]
    for quote in all_quotes(report_of(demo)):
        assert any(quote.text in b and b.endswith(f"({quote.quote_id})") for b in blockquotes)
    assert tree.xpath("//svg|//*[local-name()='svg']"), "the thematic map is inline SVG"
    assert not tree.xpath("//script|//link|//img|//iframe")
    assert "http://" not in out.read_text().replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert tree.xpath("//table[@class='matrix']//td[contains(@style, 'background')]")
    assert "salience = 0.5 × primacy" in tree.text_content()


def test_docx_reads_back_with_themes_quotes_ids_and_tables(demo, tmp_path):
    out = tmp_path / "report.docx"
    run(demo, "report", "--format", "docx", "-o", str(out))
    document = Document(io.BytesIO(out.read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)
    for name, definition in expected_sections(demo):
        assert any(p.startswith(name + " (") for p in paragraphs), name
        assert definition in text
    for quote in all_quotes(report_of(demo)):
        assert f"“{quote.text}” ({quote.quote_id})" in paragraphs
    tables = document.tables
    assert len(tables) == 4  # the matrix, the saturation table, the COREQ items and the codebook appendix
    assert any("Number of data coders" in cell.text for row in tables[2].rows for cell in row.cells)
    assert any(p.style.name.startswith("List Bullet 2") for p in document.paragraphs)  # the map, nested


def test_sample_description_is_computed_from_participants_csv(demo):
    rows = read_table(sample_folder() / "participants.csv")
    interviews = read_table(sample_folder() / "interviews.csv")
    sample = report_of(demo).sample
    assert sample.participants == len(rows)
    assert sample.gender == Counter(r["gender"] for r in rows)
    ages = [float(r["age"]) for r in rows]
    assert sample.age.mean == pytest.approx(statistics.mean(ages))
    assert sample.age.sd == pytest.approx(statistics.stdev(ages))
    durations = [float(r["duration_minutes"]) for r in interviews]
    assert sample.duration.mean == pytest.approx(statistics.mean(durations))
    lines = dict(sample.lines())
    assert f"({statistics.stdev(ages):.1f})" in lines["Age (years)"]
    assert set(Counter(r["ethnicity"]for r in rows)) == set(sample.ethnicities)


def test_exemplars_replace_the_chosen_quotes_and_corrections_are_marked(demo):
    with demo.open_coder("alex") as coder:
        section = coder.code("barriers/unclear role")
        coding = coder.codings(codes=coder.codebook.subtree_ids(section.id))[-1]
        corrected = "Indeed, " + " ".join(coding.text.split())
        coder.update_coding(coding.id, exemplar=True, corrected=corrected)
        quote_id = demo.transcript(coding.transcript).quote_id
    marked = run(demo, "report", "--mark-corrected").stdout
    part = marked.split("#### unclear role")[1].split("####")[0]
    assert part.count("> “") == 1
    assert f"> “{corrected}”† ({quote_id})" in part
    assert "† marks a corrected quote" in marked
    assert "”† (" not in run(demo, "report").stdout


def test_coreq_items_are_filled_from_the_project(demo):
    with demo.open_coder("alex") as coder:
        coder.set_memo("transcript", "50001", "Field notes: calm, open, talked about the lanyard.")
        coder.set_code("barriers/personal strain", kind="theme")
        coder.rename_code("barriers/unclear role", "role ambiguity")
    items = {item.number: item for item in report_of(demo).coreq}
    interviewers = {r["interviewer"] for r in read_table(sample_folder() / "interviews.csv")}
    assert all(name in items[1].answer for name in interviewers)
    assert items[12].answer == "10 participants"
    assert items[20].answer.startswith("field notes for 1 of 23 interviews")
    assert items[24].answer.startswith("2 coders (alex, sam)")
    assert "kind changed 1" in items[26].answer and "renamed 1" in items[26].answer
    assert any("role ambiguity" in line for line in items[26].details)
    assert "Workbench 0.1.0" in items[27].answer


def test_project_text_cannot_break_the_html_or_the_terminal(demo):
    with demo.open_coder("alex") as coder:
        coder.add_code("<script>alert(1)<\\script>", parent="barriers", kind="subtheme",
                       description="</p><img src=x onerror=alert(1)>")
        coder.add_code("evil", parent="<script>alert(1)<\\script>")
        coder.add_coding("50001", 0, 10, "evil", "x", corrected="\x1b]52;c;aGk=\x07 x quoted")
    report = report_of(demo)
    html = render(report, "html")
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//script|//img")
    assert "&lt;script&gt;" in html
    markdown = run(demo, "report").stdout
    assert "\x1b" not in markdown and "\x07" not in markdown
    document = Document(io.BytesIO(render(report, "docx")))
    assert any("quoted" in p.text for p in document.paragraphs)


def test_report_carries_framework_summaries_cooccurrence_and_the_saturation_curve(demo):
    from click.testing import CliRunner

    from workbench.cli.main import cli

    def run(*args):
        result = CliRunner().invoke(cli, ["-p", str(demo.root), "--coder", "alex", *args])
        assert result.exit_code == 0, result.output
        return result

    run("memos", "add", "--cell", "50002", "unsupportive environment", "Bureaucracy wears her down.")
    markdown = run("report", "--format", "md").output
    assert "## Framework summaries" in markdown and "Bureaucracy wears her down." in markdown
    assert "## Codes that occur together" in markdown and "## Saturation" in markdown
    assert "Guest, Namey & Chen (2020)" in markdown and "workbench audit" in markdown
    out = demo.root / "r.html"
    run("report", "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert 'id="saturation"' in html and "polyline" in html and "Bureaucracy wears her down." in html
    docx_path = demo.root / "r.docx"
    run("report", "--format", "docx", "-o", str(docx_path))
    import docx

    text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert "Framework summaries" in text and "Saturation" in text
