"""The design's large study, built deterministically from a seed and cached by its parameters.

Transcripts go through the real import path. Coder files are written straight in the
coder-file format (the same tables, records and history entries `CoderFile` writes, one
history entry per coding, as if every coding had been made by a key press), which takes
seconds where 50,000 separate durable commits would take minutes; each file is then
opened with `CoderFile` to check it.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.interview_text import InterviewWriter
from workbench.coderfile import FORMAT, HISTORY_CHUNK, SCHEMA, CoderFile, table_for
from workbench.coding.spans import summarise_coding_table
from workbench.importing import import_transcript
from workbench.model import PALETTE, Code, Coding, HistoryEntry
from workbench.project import Project
from workbench.storage.table_index import write_with_index

GENERATOR_VERSION = 2
OUT = Path(__file__).resolve().parent / "out"
CODERS = ("alex", "sam")
THEMES = ("Finding a place", "Lived experience as expertise", "Boundaries",
          "Relationships with staff", "Support for the supporters", "Changing the culture")
ATTRIBUTES = {
    "site": ("North", "South", "City"),
    "gender": ("woman", "man", "non-binary"),
    "age band": ("18-29", "30-44", "45-59", "60+"),
    "role": ("peer support worker", "senior peer worker", "peer trainer"),
}
EPOCH = datetime(2024, 3, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Parameters:
    seed: int = 20240301
    transcripts: int = 200
    chars_per_transcript: int = 85_000  # 200 x 85,000 = the design's 17 MB
    vocabulary: int = 4000
    themes: int = 6
    subthemes_per_theme: int = 2
    codes_per_subtheme: int = 5  # 6 x 2 x 5 = 60 codes
    codings_per_coder: int = 50_000
    agreement: float = 0.6  # share of the second coder's codings that repeat the first's

    @property
    def key(self) -> str:
        blob = json.dumps({**asdict(self), "version": GENERATOR_VERSION}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


LARGE = Parameters()
SMALL = Parameters(transcripts=10, chars_per_transcript=20_000, codings_per_coder=2_000)


def transcript_ids(count: int) -> list[str]:
    """Participants 50001, 50002, ... interviewed in one to three waves (`50001_2` is wave 2)."""
    ids, participant = [], 50001
    while len(ids) < count:
        for wave in range(1, 2 + participant % 3):
            ids.append(str(participant) if wave == 1 else f"{participant}_{wave}")
        participant += 1
    return ids[:count]


def ensure_project(params: Parameters, rebuild: bool = False, out: Path = OUT) -> Path:
    """The project folder for `params`, built unless a complete one is cached."""
    folder = out / f"project-{params.key}"
    done = folder / "built.json"
    if done.exists() and not rebuild:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    out.mkdir(parents=True, exist_ok=True)
    build_project(params, folder)
    done.write_text(json.dumps(asdict(params), indent=2))
    return folder


def build_project(params: Parameters, folder: Path) -> None:
    rng = random.Random(params.seed)
    project = Project.init(folder, title=f"Benchmark study ({params.transcripts} interviews)")
    writer = InterviewWriter(rng.getrandbits(32), params.vocabulary)
    with tempfile.TemporaryDirectory() as sources:
        for transcript_id in transcript_ids(params.transcripts):
            source = Path(sources) / f"{transcript_id}.txt"
            source.write_text(writer.transcript(int(params.chars_per_transcript * rng.uniform(0.8, 1.2))))
            import_transcript(project, source)
    people = {t.participant for t in project.transcripts()}
    project.set_attributes({pid: {name: rng.choice(values) for name, values in ATTRIBUTES.items()}
                            for pid in sorted(people)})
    codes = make_codebook(params, rng)
    spans = candidate_spans(project)
    first = None
    for coder in CODERS:
        codings = make_codings(params, rng, codes, spans, project, first)
        write_coder_file(project.coder_path(coder), coder, codes, codings)
        first = first or codings
        with CoderFile.open(project.coder_path(coder), coder, readonly=True) as check:
            if len(check.codings()) != len(codings) or len(check.codes()) != len(codes):
                raise RuntimeError(f"{coder}: the written coder file does not read back whole")


def make_codebook(params: Parameters, rng: random.Random) -> list[Code]:
    codes, stamp = [], EPOCH.isoformat(timespec="seconds")

    def add(name, parent, kind):
        code = Code(id=f"{rng.getrandbits(128):032x}", name=name, parent=parent, kind=kind,
                    color=PALETTE[len(codes) % len(PALETTE)], description=f"{kind} {name}",
                    created=stamp, modified=stamp)
        codes.append(code)
        return code

    for t in range(params.themes):
        theme = add(THEMES[t % len(THEMES)] + (f" {t + 1}" if t >= len(THEMES) else ""), None, "theme")
        for s in range(params.subthemes_per_theme):
            sub = add(f"subtheme {t + 1}.{s + 1}", theme.id, "subtheme")
            for c in range(params.codes_per_subtheme):
                add(f"code {t + 1}.{s + 1}.{c + 1}", sub.id, "code")
    return codes


def candidate_spans(project: Project) -> list[tuple[str, int, int]]:
    """One to three consecutive sentences of a participant turn: what coders select."""
    spans = []
    for info in project.transcripts():
        seg = project.segments(info.id)
        sentences = [s for s in seg.sentences if seg.turns[s.turn].role == "participant"]
        for i, sentence in enumerate(sentences):
            for extra in range(3):
                last = sentences[min(i + extra, len(sentences) - 1)]
                if last.turn == sentence.turn:
                    spans.append((info.id, sentence.start, last.end))
    return spans


def make_codings(params, rng, codes, spans, project, first: list[Coding] | None) -> list[Coding]:
    leaves = [c for c in codes if c.kind == "code"]
    weights = [1 / rank for rank in range(1, len(leaves) + 1)]  # a few codes carry most codings
    codings = []
    for n in range(params.codings_per_coder):
        if first is not None and rng.random() < params.agreement:
            model = first[n % len(first)]
            transcript, start, end, code = model.transcript, model.start, model.end, model.code
        else:
            transcript, start, end = rng.choice(spans)
            code = rng.choices(leaves, weights=weights)[0].id
        stamp = (EPOCH + timedelta(seconds=30 * n)).isoformat(timespec="seconds")
        codings.append(Coding(id=f"{rng.getrandbits(128):032x}", code=code, transcript=transcript, start=start,
                              end=end, text=project.text(transcript)[start:end], created=stamp, modified=stamp))
    return codings


def write_coder_file(path: Path, coder: str, codes: list[Code], codings: list[Coding]) -> None:
    """The file `CoderFile` would leave after adding these codes and codings one at a time."""
    tables: dict[str, dict] = {"meta": {"1": {"format": FORMAT, "schema": SCHEMA, "coder": coder,
                                              "created": EPOCH.isoformat(timespec="seconds")}}}
    history = []
    for kind, records in (("code", codes), ("coding", codings)):
        for record in records:
            stored = record.to_dict()
            table = tables.setdefault(table_for(kind, stored), {})
            table[str(len(table) + 1)] = stored
            history.append(HistoryEntry(seq=len(history), time=stored["created"], action=f"{kind}.add",
                                        summary=f"add {kind} {record.id[:8]}",
                                        changes=[{"kind": kind, "before": None, "after": stored}]))
    for entry in history:
        chunk = tables.setdefault(f"history:{entry.seq // HISTORY_CHUNK:06d}", {})
        chunk[str(entry.seq + 1)] = entry.to_dict()
    write_with_index(path, tables, summarise=summarise_coding_table)  # as a clean close leaves it
