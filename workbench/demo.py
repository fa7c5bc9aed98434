"""`workbench demo`: a fresh project built from the bundled fictional interviews, with a
starter codebook and two coders' codings, so every screen has something to show."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.codebook import SEPARATOR
from workbench.importing import apply_interview_details, import_transcript, read_attributes, read_interviews, read_table
from workbench.model import Coding, new_id
from workbench.project import Project
from workbench.quotes import locate_quote
from workbench.wording import plural


def sample_folder() -> Path:
    """The bundled samples: beside the package in a checkout, else where pip installed them."""
    for folder in (Path(__file__).resolve().parent.parent / "sample_transcripts",
                   Path(sys.prefix) / "share" / "workbench" / "sample_transcripts"):
        if (folder / "participants.csv").is_file():
            return folder
    raise FileNotFoundError("the bundled sample transcripts are missing; reinstall Workbench")


def default_demo_folder() -> Path:
    base = Path.cwd() / "workbench-demo"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"workbench-demo-{n}")
    return folder


def build_demo(folder: Path) -> Project:
    samples = sample_folder()
    project = Project.init(folder, title="Peer support specialists in a psychiatric hospital (fictional demo)")
    for path in sorted(samples.glob("*.txt")):
        import_transcript(project, path)
    apply_interview_details(project, read_interviews(samples / "interviews.csv"))
    project.set_attributes(read_attributes(samples / "participants.csv"))
    rows = read_table(samples / "codings.csv")
    for coder_name in sorted({row["coder"] for row in rows}):
        with project.open_coder(coder_name) as coder:
            load_codebook(coder, samples / "codebook.csv")
            load_codings(project, coder, [r for r in rows if r["coder"] == coder_name])
    return project


def load_codebook(coder, csv_path: Path) -> None:
    """Codes from a CSV of `path,kind,color,definition`, parents before children."""
    for row in sorted(read_table(csv_path), key=lambda r: r["path"].count(SEPARATOR)):
        parent, _, name = row["path"].rpartition(SEPARATOR)
        coder.add_code(name, parent=parent or None, kind=row.get("kind") or "code",
                       color=row.get("color") or None, description=row.get("definition", ""))


def load_codings(project: Project, coder, rows: list[dict]) -> None:
    records = []
    for row in rows:
        text = project.text(row["transcript"])
        start, end = locate_quote(text, row["quote"], row["transcript"])
        records.append(Coding(id=new_id(), code=coder.code(row["code"]).id, transcript=row["transcript"],
                              start=start, end=end, text=text[start:end]))
    coder.add_many("codings.import", f"demo codings of {coder.coder}", records)


def summary(project: Project) -> str:
    transcripts = project.transcripts()
    lines = [f"{project.title}", f"  {plural(len(project.participants()), 'participant')}, "
             f"{plural(len(transcripts), 'transcript')}, {sum(t.chars for t in transcripts):,} characters"]
    for name in project.coders():
        with project.open_coder(name, readonly=True) as coder:
            lines.append(f"  coder {name}: {plural(len(coder.codes()), 'code')}, {plural(len(coder.codings()), 'coding')}")
    return "\n".join(lines)
