import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import ImportRefused
from workbench.importing import import_transcript
from workbench.project import Project


def folder_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def run(project, *args):
    result = CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "alex", *args])
    return result


def test_import_stores_normalised_text_and_manifest(project, tmp_path):
    source = tmp_path / "50002_2.txt"
    source.write_bytes("\ufeffInterviewer: Hello?\r\n\r\nParticipant: Cafe\u0301 talk.\r\n".encode())
    result = import_transcript(project, source)
    info = project.transcript("50002_2")
    assert (info.participant, info.wave, info.turns) == ("50002", 2, 2)
    stored = project.transcript_path("50002_2").read_bytes()
    assert stored == "Interviewer: Hello?\n\nParticipant: Café talk.\n".encode()
    assert info.sha256 == hashlib.sha256(stored).hexdigest()
    assert result.warnings == []
    assert Project(project.root).transcript("50002_2").chars == len(stored.decode())


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(21 * 1024 * 1024)
        f.seek(0)
        f.write(b"Interviewer: x\n")
    files = {
        "binary": (tmp_path / "photo.txt", "binary"),
        "empty": (tmp_path / "empty.txt", "empty"),
        "blank": (tmp_path / "blank.md", "empty"),
        "unknown": (tmp_path / "notes.pdf", "unknown file type"),
        "big": (big, "20 MB"),
        "missing": (tmp_path / "nowhere.txt", "no such file"),
        "bad docx": (tmp_path / "broken.docx", "Word"),
    }
    files["binary"][0].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    files["empty"][0].write_bytes(b"")
    files["blank"][0].write_text("  \n\n \t\n")
    files["unknown"][0].write_bytes(b"%PDF-1.4")
    files["bad docx"][0].write_bytes(b"PK\x03\x04 not really a zip")
    return files


@pytest.mark.parametrize("case", ["binary", "empty", "blank", "unknown", "big", "missing", "bad docx"])
def test_bad_input_is_refused_with_one_line_and_no_change(project, tmp_path, case):
    path, reason = bad_inputs(tmp_path)[case]
    before = folder_hash(project.root)
    result = run(project, "import", str(path))
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and reason in lines[0]
    assert folder_hash(project.root) == before


def test_already_imported_is_refused_by_id_and_by_hash(project, interview_file, tmp_path):
    import_transcript(project, interview_file)
    before = folder_hash(project.root)
    with pytest.raises(ImportRefused, match="already imported"):
        import_transcript(project, interview_file)
    copy = tmp_path / "other.txt"
    shutil.copy(interview_file, copy)
    with pytest.raises(ImportRefused, match="same text is already imported as '50007_3'"):
        import_transcript(project, copy)
    assert folder_hash(project.root) == before


def test_one_bad_file_among_several_imports_nothing(project, interview_file, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    before = folder_hash(project.root)
    result = run(project, "import", str(interview_file), str(bad))
    assert result.exit_code != 0
    assert folder_hash(project.root) == before


def test_cp1252_is_imported_with_a_warning(project, tmp_path):
    source = tmp_path / "50003.txt"
    source.write_bytes("Interviewer: Café?\n\nParticipant: “Oui”.\n".encode("cp1252"))
    result = run(project, "import", str(source))
    assert result.exit_code == 0
    assert "Windows-1252" in result.stderr
    assert project.text("50003") == "Interviewer: Café?\n\nParticipant: “Oui”.\n"


def test_options_override_names_and_csvs_add_attributes(project, interview_file, tmp_path):
    (tmp_path / "people.csv").write_text("participant;gender;age\nP9;female;41\n", encoding="utf-8-sig")
    (tmp_path / "interviews.csv").write_text("transcript,date,duration_minutes,interviewer\nX1,2025-03-01,42,Ann\n")
    result = run(project, "import", str(interview_file), "--id", "X1", "--participant", "P9", "--wave", "2",
                 "--attributes", str(tmp_path / "people.csv"), "--interviews", str(tmp_path / "interviews.csv"))
    assert result.exit_code == 0, result.output
    project = Project(project.root)
    info = project.transcript("X1")
    assert (info.participant, info.wave, info.date, info.duration, info.interviewer) == ("P9", 2, "2025-03-01", 42.0, "Ann")
    assert project.participants()["P9"] == {"gender": "female", "age": "41"}


def test_files_and_folders_are_private_whatever_the_umask(tmp_path, interview_file):
    old = os.umask(0)
    try:
        project = Project.init(tmp_path / "open-umask")
        import_transcript(project, interview_file)
        with project.open_coder("alex") as coder:
            coder.add_code("x")
    finally:
        os.umask(old)
    for path in [project.root, *project.root.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_real_corpora_import(project, shared):
    for path in sorted((shared / "corpora").glob("*/*.txt")):
        if path.name in ("LICENSE", "code-system.txt"):
            continue
        result = import_transcript(project, path)
        assert result.transcript.turns >= 5
    import_transcript(project, shared / "interop/samples/qualcoder-focus-group.txt")
    assert len(project.transcripts()) == 10


def test_the_same_text_twice_in_one_command_imports_nothing(project, interview_file, tmp_path):
    copy = tmp_path / "copy.txt"
    shutil.copy(interview_file, copy)
    before = folder_hash(project.root)
    result = run(project, "import", str(interview_file), str(copy))
    assert result.exit_code == 2 and "the same text as" in result.stderr
    assert folder_hash(project.root) == before
