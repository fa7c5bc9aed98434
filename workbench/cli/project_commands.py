"""Project-level commands: init, import, transcripts, participants, demo, open."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from workbench.cli.main import Session, pass_session
from workbench.cli.output import emit_json, emit_table, format_option, plural
from workbench.errors import ImportRefused, WorkbenchError
from workbench.terminal_safety import inert


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", help="the study's title (default: the folder's name)")
def init(folder, title):
    """Make a new, empty project in FOLDER."""
    from workbench.project import Project

    project = Project.init(folder, title)
    click.echo(f"made project '{inert(project.title)}' in {project.root}", err=True)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--attributes", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="participants.csv: first column the participant id, then one column per attribute")
@click.option("--interviews", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="interviews.csv: transcript, date, duration_minutes, interviewer")
@click.option("--id", "transcript_id", help="transcript id (default: the file name without extension)")
@click.option("--participant", help="participant id (default: from the file name, 50007_3 -> 50007)")
@click.option("--wave", type=click.IntRange(1, 99), help="interview number (default: from the file name, 50007_3 -> 3)")
@click.option("--date", help="interview date (YYYY-MM-DD)")
@click.option("--duration", type=float, help="interview duration in minutes")
@click.option("--interviewer", help="who interviewed")
@click.option("--replace", is_flag=True, help="replace a transcript already imported; codings move onto the new text")
@click.option("--strict", is_flag=True,
              help="a .qdpx: refuse it unless every selection lands exactly where its program put it")
@pass_session
def import_(session: Session, files, attributes, interviews, transcript_id, participant, wave, date, duration,
            interviewer, replace, strict):
    """Import transcripts (.txt .md .docx .vtt .srt) and REFI-QDA files (.qdpx .qdc).

    `workbench -p NEW import study.qdpx` makes the project NEW when that folder does not
    exist yet or is empty.

    Text that is not UTF-8 is read as Windows-1252 (cp1252) and a warning says so.
    Every file is checked before any is stored: one bad file imports nothing."""
    from workbench.importing import (apply_interview_details, prepare_transcript, read_attributes,
                                     read_interviews, store_transcript)

    exchange = [f for f in files if f.suffix.lower() in (".qdpx", ".qdc")]
    texts = [f for f in files if f not in exchange]
    made = project_for_a_qdpx(session, files)
    if made is not None:
        project = made
        try:
            results = import_exchange_files(project, files, session.coder, strict)
            title = next((r.project_name for r in results if getattr(r, "project_name", "")), "")
            if title:  # the study's own title, as the file carries it, not the file's name
                project.set_title(title)
        except BaseException:
            shutil.rmtree(project.root, ignore_errors=True)  # nothing half-imported
            raise
        click.echo(f"made project '{inert(project.title)}' in {project.root}", err=True)
        return
    project = session.project()
    if (transcript_id or participant or wave) and len(texts) > 1:
        raise WorkbenchError("--id, --participant and --wave name one transcript; import the files one at a time")
    options = dict(transcript_id=transcript_id, participant=participant, wave=wave, replace=replace)
    prepared = {}
    for path in texts:  # check everything first
        info, text, warnings = prepare_transcript(project, path, **options)
        for other_path, (other, _, _) in prepared.items():
            if other.id == info.id:
                raise ImportRefused(f"{path}: two files given would both be transcript '{info.id}'")
            if other.sha256 == info.sha256:
                raise ImportRefused(f"{path}: the same text as {other_path}; import it once")
        prepared[path] = (info, text, warnings)
    people = read_attributes(attributes) if attributes else {}
    details = read_interviews(interviews) if interviews else {}
    import_exchange_files(project, exchange, session.coder, strict)
    for path in texts:
        result = store_transcript(project, *prepared[path])
        info = result.transcript
        single = {k: v for k, v in (("date", date), ("duration", duration), ("interviewer", interviewer)) if v}
        if single:
            details.setdefault(info.id, {}).update(single)
        for warning in result.warnings:
            click.echo(f"warning: {inert(warning)}", err=True)
        verb = "replaced" if result.replaced else "imported"
        click.echo(f"{verb} {info.id}: participant {info.participant}, wave {info.wave}, "
                   f"{plural(info.turns, 'turn')}, {plural(info.sentences, 'sentence')}", err=True)
    if details:
        missing = apply_interview_details(project, details)
        if missing:
            click.echo(f"warning: {interviews}: no transcript {', '.join(missing)} in the project", err=True)
    if people:
        project.set_attributes(people)
        click.echo(f"attributes of {plural(len(people), 'participant')}", err=True)


def project_for_a_qdpx(session: Session, files):
    """A new project for `workbench -p NEW import study.qdpx`, when NEW holds nothing yet."""
    from workbench.project import MANIFEST, Project

    folder = session.project_dir
    if folder is None or not all(f.suffix.lower() == ".qdpx" for f in files) or (folder / MANIFEST).exists():
        return None
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        return None
    return Project.init(folder, title=files[0].stem)


def import_exchange_files(project, files, coder: str, strict: bool = False) -> list:
    from workbench.exchange.importer import StrictRefusal, import_exchange_file

    results = []
    for path in files:
        try:
            result = import_exchange_file(project, path, coder=coder, strict=strict)
        except StrictRefusal as refusal:
            for line in refusal.report.lines(room=50):
                click.echo(inert(line), err=True)
            raise
        for warning in result:
            click.echo(f"warning: {inert(warning)}", err=True)
        if result.report is not None:
            for line in result.report.lines(room=50):
                click.echo(inert(line), err=True)
            click.echo(f"import report saved in {result.report.saved}", err=True)
        if getattr(result, "summary", ""):
            click.echo(inert(result.summary), err=True)
        results.append(result)
    return results


@click.group(invoke_without_command=True)
@format_option
@click.pass_context
def transcripts(ctx, fmt):
    """List the transcripts (done: you marked it done); mark one done with 'transcripts done ID'."""
    if ctx.invoked_subcommand is not None:
        return
    session: Session = ctx.obj
    project = session.project()
    done = marked_done(project, session)
    rows = [{**t.to_dict(), "quote_id": t.quote_id, "done": t.id in done} for t in project.transcripts()]
    if fmt == "json":
        emit_json(rows)
        return
    shown = [{**r, "done": "done" if r["done"] else ""} for r in rows]
    emit_table(shown, ["id", "participant", "wave", "date", "duration", "interviewer", "turns", "sentences", "chars",
                       "done"], empty="no transcripts yet: 'workbench import FILE...'")


def marked_done(project, session: Session) -> set[str]:
    """The transcripts the session's coder marked done (none when they have no file yet, or
    when it cannot be read: the listing of transcripts does not depend on it)."""
    try:
        if session.coder not in project.coders():
            return set()
        with project.open_coder(session.coder, readonly=True) as coder:
            return coder.done_transcripts()
    except WorkbenchError as err:
        click.echo(f"warning: the done column is left empty: {err}", err=True)
        return set()


@transcripts.command("done")
@click.argument("transcript_ids", metavar="ID...", nargs=-1, required=True)
@click.option("--clear", is_flag=True, help="take the mark away (the transcript is not done after all)")
@pass_session
def transcripts_done(session: Session, transcript_ids, clear):
    """Mark transcripts done: you have coded them, even if there was nothing to code.

    'workbench agreement' and 'merge' compare two coders on the transcripts both worked on:
    each has a coding there or marked it done. In the screen, D in the transcript marks it
    (and D again takes the mark away). 'workbench undo' takes a mark back too."""
    project = session.project()
    ids = [project.transcript(ref).id for ref in transcript_ids]  # every id checked before anything changes
    with project.open_coder(session.coder) as coder:
        for transcript_id in dict.fromkeys(ids):
            if coder.set_done(transcript_id, not clear):
                said = f"took the done mark off {transcript_id}" if clear else f"marked {transcript_id} done"
            else:
                said = f"{transcript_id} was not marked done" if clear else f"{transcript_id} was already marked done"
            click.echo(f"{said} ({coder.coder})", err=True)


@click.command()
@format_option
@pass_session
def participants(session: Session, fmt):
    """List the participants and their attributes."""
    project = session.project()
    waves: dict[str, list[int]] = {}
    for t in project.transcripts():
        waves.setdefault(t.participant, []).append(t.wave)
    rows = [{"participant": pid, "waves": sorted(waves.get(pid, [])), **attrs} for pid, attrs in project.participants().items()]
    if fmt == "json":
        emit_json(rows)
        return
    columns = ["participant", "waves"] + sorted({k for r in rows for k in r} - {"participant", "waves"})
    emit_table([{**r, "waves": ",".join(map(str, r["waves"]))} for r in rows], columns)


@click.command("open")
@pass_session
def open_(session: Session):
    """Open the coding screen."""
    from workbench.tui.app import run_app

    run_app(session.project(), session.coder)


@click.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--no-screen", is_flag=True, help="build the project and print its summary without opening the screen")
@pass_session
def demo(session: Session, folder, no_screen):
    """Build a project from the bundled sample interviews and open it."""
    from workbench.demo import build_demo, default_demo_folder

    folder = folder or default_demo_folder()
    project = build_demo(folder)
    coder = session.coder_name or "alex"
    click.echo(f"demo project: {project.root}  (coder: {coder})", err=True)
    click.echo(f"reopen it with: workbench -p {project.root} --coder {coder} open", err=True)
    if no_screen:
        from workbench.demo import summary

        click.echo(summary(project))
        return
    from workbench.tui.app import run_app

    run_app(project, coder)


def register(cli: click.Group) -> None:
    for command in (init, import_, transcripts, participants, open_, demo):
        cli.add_command(command)
