"""`workbench doctor`: check a project, mend what is safe, restore a coder file from its backup."""

from __future__ import annotations

import sys

import click

from workbench.cli.main import Session, pass_session
from workbench.cli.output import emit_json, format_option, plural
from workbench.terminal_safety import inert


@click.command()
@click.option("--fix", is_flag=True, help="mend what is safe: permissions, stale locks, torn journal records, "
                                          "temporary files of dead writers (never content)")
@click.option("--restore", "restore_coder", metavar="CODER",
              help="put CODER's last good backup in place of their file (the file is moved aside, never deleted)")
@click.option("--from", "from_date", metavar="YYYY-MM-DD", help="with --restore: the backup of this day")
@format_option
@pass_session
def doctor(session: Session, fix, restore_coder, from_date, fmt):
    """Check the project: transcripts against their hashes, codings against their text, locks,
    permissions, coder files and their backups. Exits 1 while problems remain."""
    from workbench.backups import restore_backup
    from workbench.coderfile import check_coder_name
    from workbench.doctor import examine, find_root, mend

    root = find_root(session.project_dir)
    if from_date and not restore_coder:
        raise click.UsageError("--from goes with --restore CODER")
    if restore_coder:
        path = root / "coders" / f"{check_coder_name(restore_coder)}.json"
        backup, moved = restore_backup(path, from_date)
        kept = "; the replaced file is kept as " + ", ".join(str(p) for p in moved) if moved else ""
        click.echo(f"restored {restore_coder} from the backup of {backup.day}{kept}", err=True)
    findings = examine(root)
    if fix:
        mend(findings)
    if fmt == "json":
        emit_json([f.to_dict() for f in findings])
    else:
        show_findings(findings)
    remaining = [f for f in findings if f.serious and not f.fixed]
    fixable = [f for f in remaining if f.fix is not None]
    if remaining:
        hint = f"; {len(fixable)} can be mended with --fix" if fixable and not fix else ""
        click.echo(f"{plural(len(remaining), 'problem')} in {root}{hint}", err=True)
        sys.exit(1)
    click.echo(f"no problems in {root}", err=True)


def show_findings(findings) -> None:
    """Each finding in full (a table would cut the long ones): status and where, then what and how to mend."""
    for finding in findings:
        status = click.style(f"{finding.status:<8}", bold=True, fg={"problem": "red", "fixed": "green"}.get(finding.status))
        click.echo(f"{status} {inert(finding.where)}")
        click.echo(f"         {inert(finding.problem)}")
        if finding.mend and finding.status == "problem":
            click.echo(f"         mend: {inert(finding.mend)}")


def register(cli: click.Group) -> None:
    cli.add_command(doctor)
