"""Project-level commands: init, import, transcripts, participants, demo, open."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from workbench.cli.main import Session, pass_session
from workbench.cli.output import emit_json, emit_table, format_option, plural
from workbench.errors import ImportRefused, WorkbenchError
from workbench.terminal_safety import inert
from workbench.wording import agree


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", help="the study's title (default: the folder's name)")
def init(folder, title):
    """Make a new, empty project in FOLDER."""
    from workbench.project import Project

    project = Project.init(folder, title)
    click.echo(f"made project '{inert(project.title)}' in {project.root}", err=True)


@click.command("import")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--attributes", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="participants.csv: first column the participant id, then one column per attribute")
@click.option("--interviews", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="interviews.csv: transcript, date, duration_minutes, interviewer, focus_group")
@click.option("--id", "transcript_id", help="transcript id (default: the file name without extension)")
@click.option("--participant", help="participant id (default: from the file name, 50007_3 -> 50007)")
@click.option("--wave", type=click.IntRange(1, 99), help="interview number (default: from the file name, 50007_3 -> 3)")
@click.option("--date", help="interview date (YYYY-MM-DD)")
@click.option("--duration", type=float, help="interview duration in minutes")
@click.option("--interviewer", help="who interviewed")
@click.option("--replace", is_flag=True, help="replace a transcript already imported (a survey table: its changed answers); codings move onto the new text")
@click.option("--strict", is_flag=True,
              help="a .qdpx: refuse it unless every selection lands exactly where its program put it")
@click.option("--focus-group", is_flag=True,
              help="each speaker but the moderator is a participant (also: a focus_group column in interviews.csv)")
@click.option("--speakers", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="speakers.csv: transcript, label, participant (focus-group speakers' participant ids)")
@click.option("--id-column", help="survey table (.csv .xlsx): the column of respondent ids")
@click.option("--text-columns", help="survey table: the columns of open answers, comma separated (q7,q9)")
@pass_session
def import_(session: Session, files, attributes, interviews, transcript_id, participant, wave, date, duration,
            interviewer, replace, strict, focus_group, speakers, id_column, text_columns):
    """Import transcripts (.txt .md .docx .vtt .srt) and REFI-QDA files (.qdpx .qdc).

    `workbench -p NEW import study.qdpx` makes the project NEW when that folder does not
    exist yet or is empty.

    Text that is not UTF-8 is read as Windows-1252 (cp1252) and a warning says so.
    Every file is checked before any is stored: one bad file imports nothing.

    Without files (or with interviews.csv as the file), --interviews, --speakers and
    --attributes describe the transcripts already imported: interviews.csv's focus_group
    column (or a speakers file) makes one a focus group, or an interview again."""
    from workbench.importing import (apply_interview_details, is_interviews_table, plan_interview_details,
                                     prepare_transcript, read_attributes, read_interviews, store_transcript)

    exchange = [f for f in files if f.suffix.lower() in (".qdpx", ".qdc")]
    texts = [f for f in files if f not in exchange]
    tables = [f for f in texts if not (id_column or text_columns) and is_interviews_table(f)]
    if tables:  # `workbench import interviews.csv`
        if interviews or len(tables) > 1:
            named = ", ".join(str(t) for t in [*tables, interviews] if t)
            raise WorkbenchError(f"give one interviews table, not {named}")
        interviews, texts = tables[0], [f for f in texts if f != tables[0]]
    if not texts and not exchange:
        single = {"--id": transcript_id, "--participant": participant, "--wave": wave, "--date": date,
                  "--duration": duration, "--interviewer": interviewer, "--replace": replace, "--strict": strict,
                  "--focus-group": focus_group, "--id-column": id_column, "--text-columns": text_columns}
        describe_imported(session, interviews, speakers, attributes, [flag for flag, v in single.items() if v])
        return
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
    if id_column or text_columns or any(f.suffix.lower() in (".csv", ".xlsx") for f in texts):
        import_survey_files(project, texts, id_column, text_columns, attributes, replace)
        return
    if (transcript_id or participant or wave) and len(texts) > 1:
        raise WorkbenchError("--id, --participant and --wave name one transcript; import the files one at a time")
    options = dict(transcript_id=transcript_id, participant=participant, wave=wave, replace=replace)
    details = read_interviews(interviews) if interviews else {}
    from workbench.sources.focus_group import check_participant_ids, read_speakers
    from workbench.transcripts.naming import transcript_id_for

    speaker_ids = read_speakers(speakers) if speakers else {}
    prepared = {}
    for path in texts:  # check everything first
        tid = transcript_id or transcript_id_for(path)
        detail = details.get(tid, {})
        group = focus_group or detail.get("focus_group", False) or tid in speaker_ids
        info, text, warnings = prepare_transcript(project, path, **options, interviewer=interviewer or detail.get("interviewer"),
                                                  focus_group=group, speakers=speaker_ids.get(tid))
        for other_path, (other, _, _) in prepared.items():
            if other.id == info.id:
                raise ImportRefused(f"{path}: two files given would both be transcript '{info.id}'")
            if other.sha256 == info.sha256:
                raise ImportRefused(f"{path}: the same text as {other_path}; import it once")
        prepared[path] = (info, text, warnings)
    plan = plan_interview_details(project, details, speaker_ids, imported={i.id for i, _, _ in prepared.values()})
    check_participant_ids(project, [info for info, _, _ in prepared.values()] + list(plan.infos.values()), speaker_ids)
    if plan.unknown_speakers:
        click.echo(inert(f"warning: {speakers}: rows for {', '.join(plan.unknown_speakers)}, not in the project, "
                         "were not used"), err=True)
    people = read_attributes(attributes) if attributes else {}
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
        who = (f"focus group of {len(set(info.speakers.values()))}: {', '.join(dict.fromkeys(info.speakers.values()))}"
               if info.is_focus_group else f"participant {info.participant}")
        click.echo(f"{verb} {info.id}: {inert(who)}, wave {info.wave}, "
                   f"{plural(info.turns, 'turn')}, {plural(info.sentences, 'sentence')}", err=True)
    missing = apply_interview_details(project, details, plan, people)  # one manifest write
    if missing:
        click.echo(inert(f"warning: {interviews}: no transcript {', '.join(missing)} in the project"), err=True)
    tell_changes(plan.said)
    if people:
        click.echo(f"attributes of {plural(len(people), 'participant')}", err=True)


def describe_imported(session: Session, interviews, speakers, attributes, given: list[str]) -> None:
    """`workbench import --interviews interviews.csv [--speakers F] [--attributes F]` (no
    files): the transcripts already imported, described anew; checked, then one write.
    `given`: the options that describe one file being imported, refused here."""
    from workbench.importing import read_attributes, read_interviews, update_transcripts
    from workbench.sources.focus_group import read_speakers

    if given:
        raise WorkbenchError(f"{', '.join(given)} {agree(len(given), 'describes', 'describe')} a file being "
                             "imported; give the file (interviews.csv's columns describe transcripts already imported)")
    if not (interviews or speakers or attributes):
        raise click.UsageError("give the files to import, or --interviews, --speakers or --attributes "
                               "for the transcripts already imported")
    project = session.project()
    details = read_interviews(interviews) if interviews else {}
    speaker_ids = read_speakers(speakers) if speakers else {}
    people = read_attributes(attributes) if attributes else {}
    said = update_transcripts(project, details, speaker_ids, people, interviews=interviews, speakers=speakers)
    named = ", ".join(str(p.name) for p in (interviews, speakers, attributes) if p)
    tell_changes(said, f"nothing changed: {named} describe{'s' * (',' not in named)} the project as it is")


def tell_changes(said: list[str], nothing: str | None = None) -> None:
    for line in said or ([nothing] if nothing else []):
        click.echo(inert(line), err=True)


def import_survey_files(project, files, id_column, text_columns, attributes, replace=False) -> None:
    """A survey table, checked whole before anything is stored; imported again, only what changed."""
    from workbench.importing import read_attributes
    from workbench.sources.survey import plan_survey, store_survey

    if len(files) != 1:
        raise WorkbenchError("import one survey table at a time (with --id-column and --text-columns)")
    plan = plan_survey(project, files[0], id_column, text_columns, replace=replace)
    people = read_attributes(attributes) if attributes else {}
    tell_changes(store_survey(project, plan, people))


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
    infos = project.transcripts()
    rows = [{**t.to_dict(), "quote_id": t.quote_id, "done": t.id in done,
             "interviewer_from_turns": turns_interviewer(project, t)} for t in infos]
    if fmt == "json":
        emit_json(rows)
        return
    shown = [{**r, "done": "done" if r["done"] else ""} for r in rows]
    for row, info in zip(shown, infos):  # a focus group: its speakers
        if info.is_focus_group:
            row["participant"] = ", ".join(project.transcript_participants(info))
        if row["interviewer_from_turns"]:  # short: a large group's table must still fit the terminal
            row["interviewer"] = f"{', '.join(row['interviewer_from_turns'])} (label)"
    emit_table(shown, ["id", "participant", "wave", "date", "duration", "interviewer", "turns", "sentences", "chars",
                       "done"], wrap="participant", whole=True, fold=("interviewer",),
               empty="no transcripts yet: 'workbench import FILE...'")


def turns_interviewer(project, info) -> list[str]:
    """For a transcript without a recorded interviewer, the labels its interviewer's
    (moderator's) turns carry; nothing is stored."""
    if (info.interviewer and info.interviewer.strip()) or info.kind == "survey":
        return []
    from workbench.sources.attribution import interviewer_labels

    return interviewer_labels(project, info.id)


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


@transcripts.command("focus-group")
@click.argument("transcript_id", metavar="ID")
@click.option("--speakers", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="speakers.csv: transcript, label, participant (its rows for ID give the speakers' ids)")
@click.option("--interviewer", help="the moderator (default: as recorded, else the label or who asks the questions)")
@click.option("--clear", is_flag=True, help="make it an interview of its one participant again")
@pass_session
def transcripts_focus_group(session: Session, transcript_id, speakers, interviewer, clear):
    """Make an imported transcript a focus group: each speaker but the moderator a participant.

    Its text and every coding stay where they are; from now on each coding counts for the
    speakers of the turns it covers. The same as focus_group = yes (--clear: no) for ID in
    interviews.csv: 'workbench import interviews.csv'."""
    from workbench.importing import update_transcripts
    from workbench.sources.focus_group import read_speakers

    project = session.project()
    tid = project.transcript(transcript_id).id
    speaker_ids = {}
    if speakers:
        speaker_ids = {tid: read_speakers(speakers).get(tid)}
        if speaker_ids[tid] is None:
            raise ImportRefused(inert(f"{speakers}: no rows for {tid} (transcript,label,participant)"))
    entry = {"focus_group": not clear, **({"interviewer": interviewer} if interviewer else {})}
    said = update_transcripts(project, {tid: entry}, speaker_ids, speakers=speakers)
    tell_changes(said, f"nothing changed: {tid} is {'an interview' if clear else 'a focus group'} as given")


@click.command()
@format_option
@pass_session
def participants(session: Session, fmt):
    """List the participants: their waves, the transcripts they speak in, their attributes."""
    project = session.project()
    waves: dict[str, list[int]] = {}
    spoken: dict[str, list[str]] = {}
    for t in project.transcripts():
        for pid in project.transcript_participants(t):
            waves.setdefault(pid, []).append(t.wave)
            spoken.setdefault(pid, []).append(t.id)
    rows = [{"participant": pid, "waves": sorted(set(waves.get(pid, []))), "transcripts": spoken.get(pid, []), **attrs}
            for pid, attrs in project.participants().items()]
    if fmt == "json":
        emit_json(rows)
        return
    fixed = ["participant", "waves", "transcripts"]
    columns = fixed + sorted({k for r in rows for k in r} - set(fixed))
    emit_table([{**r, "waves": ",".join(map(str, r["waves"])), "transcripts": ",".join(r["transcripts"])}
                for r in rows], columns)


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
