"""`--coder`, `-p/--project` and `--format` before or after the subcommand.

`workbench --coder ben codings` and `workbench codings --coder ben` mean the same: every
subcommand (and every command inside a group) also takes `--coder` and `-p/--project`,
and sets the session's value when given. `--format` given before the subcommand is the
default of the subcommand's own `--format`; given after, it wins.
"""

from __future__ import annotations

from pathlib import Path

import click


def _session(ctx: click.Context):
    from workbench.cli.main import Session

    return ctx.find_object(Session)


def _set_coder(ctx, param, value):
    if value is not None:
        _session(ctx).coder_name = value


def _set_project(ctx, param, value):
    if value is not None:
        _session(ctx).project_dir = value


SESSION_PARAMS = (
    ("coder", lambda: click.Option(["--coder"], expose_value=False, callback=_set_coder, is_eager=True,
                                   help="who is coding (also before the command; default: $WORKBENCH_CODER, "
                                        "else your login name)")),
    ("project", lambda: click.Option(["-p", "--project"], expose_value=False, callback=_set_project, is_eager=True,
                                     type=click.Path(file_okay=False, path_type=Path),
                                     help="the project folder (also before the command)")),
)


def attach_session_options(command: click.Command) -> None:
    """Give `command`, and every command inside it when it is a group, the session's options
    (a command that has an option of that name already keeps its own)."""
    taken = {opt for p in command.params for opt in getattr(p, "opts", [])}
    for name, make in SESSION_PARAMS:
        option = make()
        if not taken & set(option.opts):
            command.params.append(option)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            attach_session_options(sub)


def format_from_session(fallback: str | None):
    """A callback for a command's --format: when it is not given, the --format given before
    the command (if this command writes that format), else `fallback`."""
    def resolve(ctx: click.Context, param: click.Parameter, value):
        if value is not None:
            return value
        session = _session(ctx)
        given = getattr(session, "fmt", None) if session is not None else None
        if given is None:
            return fallback
        choices = list(getattr(param.type, "choices", None) or [])
        if choices and given not in choices:
            raise click.BadParameter(f"'{ctx.info_name}' writes {', '.join(choices)}, not '{given}'", ctx, param)
        return given

    return resolve
