"""A generated survey (issue 15): 20,000 respondents x 2 open questions of about 30 words, and
60,000 codings (`--small`: 200 respondents, 600 codings).

The table is imported with the real command, whole process (`survey_import_s`); the coder
file is then written straight in the coder-file format, as `benchmarks.large_project` does
(60,000 separate durable commits would take minutes). Built once per run in the scratch
folder and shared by the measures below.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
import csv
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.large_project import EPOCH, write_coder_file
from benchmarks.registry import Context, Figure, measure, process_env
from workbench.model import PALETTE, Code, Coding

CODER = "alex"
CODES = ("staff", "cost", "travel", "loneliness", "belonging", "time", "information", "other")
WORDS = ("the staff were kind and the group helped me feel less alone but travel was hard and costs rose "
         "every month so I stopped going sometimes though the leaflets and the phone line were useful").split()


def sizes(ctx: Context) -> tuple[int, int]:
    return (200, 600) if ctx.small else (20_000, 60_000)


def write_table(path: Path, respondents: int, rng: random.Random) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["respondent", "gender", "age", "region", "q7", "q9"])
        for n in range(1, respondents + 1):
            answers = [" ".join(rng.choices(WORDS, k=rng.randint(20, 40))).capitalize() + "." for _ in range(2)]
            writer.writerow([f"R{n}", rng.choice("FM"), rng.randint(18, 80), rng.choice(("north", "south", "east")),
                             *answers])


def survey_project(ctx: Context) -> Path:
    """The survey project of this run, built on first use."""
    if "survey_project" in ctx.shared:
        return ctx.shared["survey_project"]
    from workbench.project import Project

    respondents, codings = sizes(ctx)
    rng = random.Random(15)
    table = ctx.scratch / "survey.csv"
    write_table(table, respondents, rng)
    folder = ctx.scratch / "survey"
    Project.init(folder, title="Benchmark survey")
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from workbench.cli.main import main; main()", "-p", str(folder),
                    "import", str(table), "--id-column", "respondent", "--text-columns", "q7,q9"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=process_env())
    ctx.shared["survey_import_s"] = time.perf_counter() - began
    project = Project(folder)
    ids = [t.id for t in project.transcripts()]
    codes = [Code(id=f"{n:032x}", name=name, color=PALETTE[n % len(PALETTE)], created=EPOCH.isoformat(),
                  modified=EPOCH.isoformat()) for n, name in enumerate(CODES, start=1)]
    records = []
    for n in range(codings):  # every answer coded once or twice; a few codes carry most codings
        transcript = ids[n % len(ids)] if n < len(ids) else rng.choice(ids)
        text = project.text(transcript)
        stamp = (EPOCH + timedelta(seconds=5 * n)).isoformat(timespec="seconds")
        records.append(Coding(id=f"{rng.getrandbits(128):032x}", code=rng.choices(codes, weights=range(8, 0, -1))[0].id,
                              transcript=transcript, start=0, end=len(text), text=text, created=stamp, modified=stamp))
    write_coder_file(folder / "coders" / f"{CODER}.json", CODER, codes, records)
    ctx.shared["survey_project"] = folder
    return folder


@measure("survey_import_s", unit="s", target=10.0, requires="workbench.sources.survey")
def survey_import_s(ctx: Context) -> Figure:
    """`workbench import answers.csv --id-column ... --text-columns q7,q9`, whole process."""
    survey_project(ctx)
    return Figure.single(ctx.shared["survey_import_s"])


@measure("survey_stats_s", unit="s", target=0.5, requires="workbench.sources.survey")
def survey_stats_s(ctx: Context) -> Figure:
    """`workbench stats` over the survey's 40,000 answers and 60,000 codings, whole process."""
    folder = survey_project(ctx)
    command = [sys.executable, "-c", "from workbench.cli.main import main; main()", "-p", str(folder),
               "--coder", CODER, "stats", "--format", "json"]
    samples = []
    for i in range(1 + ctx.repeats(3, 1)):  # the first run fills the caches
        began = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=process_env())
        if i:
            samples.append(time.perf_counter() - began)
    return Figure.of(samples)


@measure("survey_coding_write_p95_ms", unit="ms", target=15.0, requires="workbench.sources.survey")
def survey_coding_write_p95_ms(ctx: Context) -> Figure:
    """One coding of a whole answer, call to durable on disk, with 60,000 codings (p95)."""
    from workbench.coderfile import CoderFile
    from workbench.project import Project

    folder = survey_project(ctx)
    project = Project(folder)
    ids = [t.id for t in project.transcripts()]
    rng = random.Random(16)
    timings = []
    with CoderFile.open(folder / "coders" / f"{CODER}.json", CODER) as coder:
        codes = [c.id for c in coder.codes()]
        for i in range(5 + ctx.repeats(200, 20)):
            transcript = rng.choice(ids)
            text = project.text(transcript)
            began = time.perf_counter()
            coder.add_coding(transcript, 0, len(text), rng.choice(codes), text)
            if i >= 5:
                timings.append((time.perf_counter() - began) * 1000)
    return Figure.of(timings, pick="p95")


@asynccontextmanager
async def survey_screen(folder: Path):
    """The coding screen on the survey project, under Pilot, its coder file closed after."""
    from workbench.project import Project
    from workbench.tui.app import WorkbenchApp

    project = Project(folder)
    coder = project.open_coder(CODER)
    app = WorkbenchApp(project, coder)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            yield app, pilot
    finally:
        app.writes.finish()
        coder.close()


@measure("survey_grid_open_s", unit="s", target=1.0, requires="workbench.tui.screens.survey_grid")
def survey_grid_open_s(ctx: Context) -> Figure:
    """From the key that opens the survey grid to its rows on screen (one question, 20,000 rows)."""
    folder = survey_project(ctx)

    async def once() -> float:
        async with survey_screen(folder) as (app, pilot):
            began = time.perf_counter()
            app.open_screen("survey")
            await pilot.pause()
            rows = app.screen.grid.count
            took = time.perf_counter() - began
            assert rows == sizes(ctx)[0], rows
            return took

    return Figure.of([asyncio.run(once()) for _ in range(ctx.repeats(3, 1))])


@measure("survey_grid_row_ms", unit="ms", target=150.0, requires="workbench.tui.screens.survey_grid")
def survey_grid_row_ms(ctx: Context) -> Figure:
    """One row coded with the sticky code in the grid: the key to the coding durable and shown
    (20 rows in a row, mean per row; ours: 1,000 answers in minutes). Timed once the quote
    search has loaded in the background, as it has a few seconds after the screen opens: Pilot
    waits for the process to be idle after each key, so while it loads every key would count it."""
    import shutil

    folder = ctx.scratch / "survey-grid-rows"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(survey_project(ctx), folder)
    rows = ctx.repeats(20, 5)

    async def run() -> float:
        async with survey_screen(folder) as (app, pilot):
            app.open_screen("survey")
            await pilot.pause()
            grid = app.screen
            grid.set_sticky(next(iter(grid.code_names())))
            while getattr(app, "quote_search_loading", False):
                await pilot.pause(0.05)
            began = time.perf_counter()
            for _ in range(rows):
                await pilot.press("space")
            while app.pending or app.writes.unfinished:  # every coding on disk and on screen
                await pilot.pause(0.005)
            await pilot.pause()
            return (time.perf_counter() - began) * 1000 / rows

    return Figure.of([asyncio.run(run())])
