import csv

from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.demo import build_demo, sample_folder


def test_demo_project_holds_every_sample(tmp_path):
    samples = sample_folder()
    project = build_demo(tmp_path / "demo")
    files = sorted(p.stem for p in samples.glob("*.txt"))
    assert [t.id for t in sorted(project.transcripts(), key=lambda t: t.id)] == files
    assert len(files) >= 12
    assert len(project.participants()) == 10
    rows = list(csv.DictReader(open(samples / "codings.csv", encoding="utf-8")))
    for coder_name in ("alex", "sam"):
        with project.open_coder(coder_name, readonly=True) as coder:
            codings = coder.codings()
            assert len(codings) == sum(r["coder"] == coder_name for r in rows)
            for coding in codings:
                assert project.text(coding.transcript)[coding.start:coding.end] == coding.text
    durations = [t.duration for t in project.transcripts()]
    assert all(d and d > 0 for d in durations)


def test_sample_transcripts_are_interviews_of_the_right_size():
    for path in sample_folder().glob("*.txt"):
        words = len(path.read_text(encoding="utf-8").split())
        assert 800 <= words <= 2500, path
        assert "Interviewer:" in path.read_text(encoding="utf-8")


def test_demo_without_screen_prints_a_summary(tmp_path):
    result = CliRunner().invoke(cli, ["demo", str(tmp_path / "d"), "--no-screen"])
    assert result.exit_code == 0, result.output
    count = len(list(sample_folder().glob("*.txt")))
    assert f"{count} transcripts" in result.stdout
    assert "coder alex:" in result.stdout and "coder sam:" in result.stdout
    assert str(tmp_path / "d") in result.stderr
