"""`workbench -p NEW import study.qdpx` makes the project NEW, and leaves nothing when the file is refused."""

from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.project import Project


def test_a_qdpx_imports_into_a_new_project(shared, tmp_path):
    new = tmp_path / "from-qc"
    result = CliRunner().invoke(cli, ["-p", str(new), "--coder", "me", "import",
                                      str(shared / "interop/samples/qc-1.3.2-demo.qdpx")])
    assert result.exit_code == 0, result.output
    project = Project(new)
    assert len(project.transcripts()) == 2
    with project.open_coder("cp", readonly=True) as coder:
        assert len(coder.codings()) == 205
    assert (new.stat().st_mode & 0o777) == 0o700


def test_a_refused_qdpx_leaves_no_new_project(tmp_path):
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip at all")
    new = tmp_path / "nothing"
    result = CliRunner().invoke(cli, ["-p", str(new), "--coder", "me", "import", str(bad)])
    assert result.exit_code == 2
    assert str(bad) in result.stderr
    assert not new.exists()


def test_an_unknown_folder_is_still_refused_for_transcripts(tmp_path):
    transcript = tmp_path / "50001.txt"
    transcript.write_text("Interviewer: Hi?\n\nParticipant: Hello.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-p", str(tmp_path / "nowhere"), "import", str(transcript)])
    assert result.exit_code == 2 and "not a Workbench project" in result.stderr
