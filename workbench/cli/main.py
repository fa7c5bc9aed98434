"""The `workbench` command: global options, project and coder resolution, error handling.

Each group of subcommands lives in its own module, imported only when one of its commands
runs (or `--help` lists them all): `workbench stats` does not pay for loading the merge,
the exchange formats or the assistant. Nothing here imports Textual: only `open` and `demo`
load the screen, when they run.
"""

from __future__ import annotations

import getpass
import io
import os
import sys
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import click

from workbench import __version__
from workbench.errors import WorkbenchError
from workbench.terminal_safety import inert


@dataclass
class Session:
    """What every subcommand needs: where the project is and who is coding."""

    project_dir: Path | None
    coder_name: str | None
    fmt: str | None = None  # --format given before the subcommand: the default of its own

    @property
    def coder(self) -> str:
        if self.coder_name is not None:  # given, even as "": refused like any bad name
            from workbench.coderfile import check_coder_name

            return check_coder_name(self.coder_name)
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            raise WorkbenchError("cannot tell who you are: give --coder NAME or set $WORKBENCH_CODER") from None

    def project(self):
        from workbench.project import Project

        project = Project(self.project_dir) if self.project_dir is not None else Project.find()
        if (project.root / "replacing").is_dir():  # a crash interrupted an 'import --replace': finish it first
            from workbench.replacing import finish_interrupted

            done = finish_interrupted(project)
            for line in done:
                click.echo(f"workbench: {inert(line)}", err=True)
            project = Project(project.root) if done else project
        return project


pass_session = click.make_pass_decorator(Session)


# Each command, and the modules of workbench.cli that register it (and its subcommands: the
# assistant adds `codes similar`). tests/cli/test_commands.py checks it against what they register.
COMMAND_MODULES = {
    **dict.fromkeys(("init", "import", "transcripts", "participants", "open", "demo"), ("project_commands",)),
    "codes": ("codebook_commands", "assistant_commands"),
    **dict.fromkeys(("codings", "code", "undo", "redo", "history"), ("coding_commands",)),
    "memos": ("memo_commands",),
    **dict.fromkeys(("stats", "matrix"), ("analysis_commands",)),
    "report": ("report_commands",),
    "doctor": ("doctor_commands",),
    **dict.fromkeys(("agreement", "merge"), ("agreement_commands",)),
    "export": ("exchange_commands",),
    "search": ("search_commands",),
    **dict.fromkeys(("cooccurrence", "saturation", "audit"), ("pattern_commands",)),
    **dict.fromkeys(("similar", "suggest", "suggestions"), ("assistant_commands",)),
}


class WorkbenchGroup(click.Group):
    """Loads a command's module when the command is asked for; turns WorkbenchError into one
    line on stderr and a non-zero exit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.registered: set[str] = set()  # the modules whose commands are on the group

    def list_commands(self, ctx) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx, name: str):
        from workbench.cli.session_options import attach_session_options

        for module_name in COMMAND_MODULES.get(name, ()):
            if module_name not in self.registered:
                import_module(f"workbench.cli.{module_name}").register(self)
                self.registered.add(module_name)
        command = self.commands.get(name)
        if command is not None:
            attach_session_options(command)  # once: it leaves options already there alone
        return command

    def main(self, *args, **kwargs):
        from workbench.cli.output import saved_with_warnings_on_stderr

        with saved_with_warnings_on_stderr():  # saved, but not compacted: exit 0 and a warning
            return super().main(*args, **kwargs)

    def invoke(self, ctx):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a reader that left (`| head`) is seen here, not at exit
            return result
        except BrokenPipeError:
            end_on_closed_pipe()
        except WorkbenchError as err:
            click.echo(f"workbench: {inert(str(err))}", err=True)  # errors quote stored names
            sys.exit(2)
        except OSError as err:  # a full disk or failing device the core did not foresee: still one clear line
            where = f"{err.filename}: " if err.filename else ""
            click.echo(f"workbench: {inert(where)}{err.strerror or err} (the command stopped; what was saved before is intact)", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("workbench: interrupted", err=True)
            sys.exit(130)


def end_on_closed_pipe() -> None:
    """The reader of our output went away (`workbench codings | head -1`): stop quietly, as
    `cat` does, with what was not yet written going nowhere instead of to a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # stdout is no file (a test runner)
        pass
    sys.exit(141)  # 128 + SIGPIPE, what a shell reports for a program a closed pipe ended


@click.group(cls=WorkbenchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-p", "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="WORKBENCH_PROJECT", help="project folder (default: $WORKBENCH_PROJECT, else the nearest one upward)")
@click.option("--coder", envvar="WORKBENCH_CODER", help="who is coding (default: $WORKBENCH_CODER, else your login name)")
@click.option("--format", "fmt", metavar="FORMAT",
              help="the output format of the command (table or json; md, html or docx for report)")
@click.version_option(__version__, prog_name="workbench")
@click.pass_context
def cli(ctx, project_dir, coder, fmt):
    """Qualitative coding and thematic analysis of interview transcripts, in a terminal.

    --coder, --project and --format work before or after the command."""
    ctx.obj = Session(project_dir, coder, fmt)


def main() -> None:
    from workbench.gc_pause import set_aside_after_each_pause

    set_aside_after_each_pause()  # the shell command ends soon: its bulk loads are not walked again
    cli(prog_name="workbench")
