"""`workbench doctor`: what is wrong with a project, how to mend it, and mending what is safe.

It reads everything and changes nothing unless asked to fix. `fix` mends only what cannot
lose or guess at content: permissions, stale locks, torn journal records, temporary files
of writers that died. Content (a damaged coder file, a transcript changed outside Workbench)
is reported with the command that mends it; `backups.restore_backup` is the one for coder files.
"""

from __future__ import annotations

import hashlib
import os
import socket  # only gethostname(): whose lock is it
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from workbench.backups import backups_of
from workbench.coderfile import SCHEMA as CODER_SCHEMA, CoderFile
from workbench.errors import ProjectNotFound, WorkbenchError
from workbench.project import MANIFEST, Project, pending_writes
from workbench.securefs import DIR_MODE, FILE_MODE, TEMP_FILE, pending_temp_files
from workbench.storage.lock import CoderLock, describe_holder, pid_alive, read_holder, stale_lock, stalled_lock
from workbench.wording import plural

SHOWN = 3  # example paths or ids named in one finding


@dataclass
class Finding:
    where: str
    problem: str
    mend: str = ""
    serious: bool = True  # False: a note, nothing to mend
    fixed: bool = False
    fix: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    @property
    def status(self) -> str:
        return "fixed" if self.fixed else ("problem" if self.serious else "ok")

    def to_dict(self) -> dict:
        return {"status": self.status, "where": self.where, "problem": self.problem, "mend": self.mend,
                "fixable": self.fix is not None}


def find_root(start: Path | None) -> Path:
    """The project folder, found by its manifest's name alone (it may be unreadable)."""
    here = Path(start or os.getcwd()).resolve()
    for folder in ((here,) if start else (here, *here.parents)):
        if (folder / MANIFEST).is_file():
            return folder
    raise ProjectNotFound(f"no Workbench project in {here}" + ("" if start else " or above it"))


def examine(root: Path) -> list[Finding]:
    """Every problem (and a few notes) found in the project at `root`."""
    root = Path(root)
    findings: list[Finding] = []
    try:
        project = Project(root)
    except WorkbenchError as err:
        project = None
        findings.append(Finding(str(root / MANIFEST), f"unreadable: {err}",
                                "restore project.json from your own backup (transcripts/ and coders/ are untouched); "
                                "the other checks need it"))
    if project is not None:
        findings += check_interrupted_replaces(project)
        findings += check_transcripts(project)
    findings += check_temp_files(root)
    findings += check_pending_exports(root)
    for coder_path in sorted((root / "coders").glob("*.json")):
        findings += check_coder(project, coder_path)
    findings += check_permissions(root)
    return findings


def mend(findings: list[Finding]) -> None:
    """Run the safe fix of every finding that has one; a fix that fails says why."""
    for finding in findings:
        if finding.fix is None or finding.fixed:
            continue
        try:
            finding.fix()
            finding.fixed = True
        except (WorkbenchError, OSError) as err:
            finding.mend = f"could not fix it ({err}); {finding.mend}"


# -- transcripts -------------------------------------------------------------------------
def check_transcripts(project: Project) -> list[Finding]:
    findings = []
    for info in project.transcripts():
        path = project.transcript_path(info.id)
        if not path.is_file():
            findings.append(Finding(str(path), f"the text of transcript {info.id} is missing",
                                    f"import the original file again: workbench import --replace --id {info.id} FILE"))
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != info.sha256:
            findings.append(Finding(str(path), f"the text of {info.id} is not what was imported (its SHA-256 differs "
                                               f"from project.json): it was changed outside Workbench",
                                    "restore the file from your backup, or if the change was meant, import the corrected "
                                    f"file with 'workbench import --replace --id {info.id} FILE' so codings move onto it"))
    known = {project.transcript_path(t.id).name for t in project.transcripts()}
    for path in sorted((project.root / "transcripts").glob("*.txt")):
        if path.name not in known:
            findings.append(Finding(str(path), "a transcript file that project.json does not list (an import that "
                                               "stopped half-way, or a file put there by hand)",
                                    "import it with 'workbench import FILE', or move it out of the project"))
    return findings


def check_interrupted_replaces(project: Project) -> list[Finding]:
    from workbench.replacing import finish, interrupted, read_intent

    findings = []
    for path in interrupted(project.root):
        def finish_it(path=path):
            finish(Project(project.root), read_intent(path))
        findings.append(Finding(str(path), "an 'import --replace' was interrupted (a crash): until it is finished some "
                                           "codings may lie on the new text while the project shows the old",
                                "finish it (--fix does, and so does the next workbench command)", fix=finish_it))
    return findings


def check_temp_files(root: Path) -> list[Finding]:
    findings = []
    for folder, _, files in os.walk(root):
        for name in files:
            match = TEMP_FILE.match(name)
            if not match or pid_alive(int(match["pid"])):
                continue
            path = Path(folder) / name
            findings.append(Finding(str(path), "a temporary file left by a write that never finished (the file it was "
                                               "replacing is intact)", "remove it (--fix does)",
                                    fix=lambda path=path: path.unlink(missing_ok=True)))
    return findings


def check_pending_exports(root: Path) -> list[Finding]:
    """Temporary files of exports killed before they finished: they lie beside the export, outside
    the project, and hold its quotes; the project keeps a note of each while it is written."""
    findings = []
    for note, pid, tmp in pending_temp_files(pending_writes(root)):
        if pid and pid_alive(pid):
            continue
        leftover = bool(pid) and TEMP_FILE.match(tmp.name) is not None and tmp.is_file() and not tmp.is_symlink()

        def remove(note=note, tmp=tmp, leftover=leftover):
            if leftover:
                tmp.unlink(missing_ok=True)
            note.unlink(missing_ok=True)
        if leftover:
            findings.append(Finding(str(tmp), "a temporary file left by an export that never finished (it holds "
                                              "quotes from this project, outside it)", "remove it (--fix does)",
                                    fix=remove))
        else:
            findings.append(Finding(str(note), "a note of an export that never finished (its temporary file is gone)",
                                    "remove it (--fix does)", serious=False, fix=remove))
    return findings


# -- coder files -------------------------------------------------------------------------
def check_coder(project: Project | None, path: Path) -> list[Finding]:
    name = path.stem
    findings = check_lock(path)
    backups = backups_of(path)
    try:
        coder = CoderFile(path, name, readonly=True)
    except WorkbenchError as err:
        mend_by = (f"workbench doctor --restore {name} (newest backup {backups[0].day}; the damaged file is kept "
                   f"beside it)" if backups else "no backup exists: restore it from your own backup")
        return findings + [Finding(str(path), str(err).removeprefix(f"{path}: "), mend_by)]
    try:
        if coder.meta.get("schema") != CODER_SCHEMA:
            findings.append(Finding(str(path), f"schema {coder.meta.get('schema')} (this Workbench writes {CODER_SCHEMA})",
                                    "open it with 'workbench open' to bring it up to date"))
        if coder.storage.skipped_records:
            findings.append(Finding(str(coder.storage.journal_path),
                                    "ends in a torn record (a write cut off by a crash before it returned: "
                                    "nothing that was saved is lost)",
                                    "fold the journal into the file (--fix does)", fix=lambda: compact_coder(path, name)))
        if project is not None:
            findings += check_codings(project, coder)
    finally:
        coder.close()
    days = ", ".join(b.day for b in backups[:SHOWN]) + (" ..." if len(backups) > SHOWN else "")
    findings.append(Finding(str(path.parent / "backups"),
                            f"{name}: {plural(len(backups), 'backup')} ({days})" if backups else
                            f"{name}: no backup yet (one is made the first time each day the file is opened to code)",
                            serious=False))
    return findings


def check_lock(path: Path) -> list[Finding]:
    lock = CoderLock(path)
    stale = stale_lock(lock.path)
    if stale is not None and stale.get("host") not in (None, socket.gethostname()):
        return [Finding(str(lock.path), f"a lock left by {describe_holder(stale)}: a session on another host, "
                                        "which this one cannot see", f"if no session runs there any more, delete {lock.path}")]
    if stale is not None:
        return [Finding(str(lock.path), f"a stale lock left by {describe_holder(stale)}, which no longer runs",
                        "remove it (--fix does, safely)", fix=lambda: take_and_release(path))]
    stalled = stalled_lock(lock.path)
    if stalled is not None:
        pid = stalled["pid"]
        return [Finding(str(lock.path), f"held by pid {pid} on {stalled.get('host')}, open for "
                                        f"{duration(age_of(stalled))} (since {stalled.get('since')}), whose session has "
                                        f"made no progress for {duration(stalled['idle'])}: it is alive but stuck, and "
                                        f"keeps everyone out of this coder file",
                        f"end that process ('kill {pid}', and 'kill -9 {pid}' if it is still there); what it had "
                        f"saved is kept, and its lock goes with it")]
    if lock.path.exists():
        return [Finding(str(lock.path), f"open in a session ({describe_holder(read_holder(lock.path))})",
                        serious=False)]
    return []


def age_of(holder: dict) -> float | None:
    try:
        since = datetime.fromisoformat(holder["since"])
    except (KeyError, TypeError, ValueError):
        return None
    return (datetime.now(timezone.utc) - since).total_seconds()


def duration(seconds: float | None) -> str:
    """'3 h 12 min', '14 min', 'unknown time'."""
    if seconds is None:
        return "an unknown time"
    minutes = max(0, int(seconds // 60))
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min" if minutes or not (days or hours) else ""]
    return " ".join(p for p in parts if p)


def take_and_release(path: Path) -> None:
    """Remove a stale lock by taking it (so a session starting meanwhile is never robbed of its lock)."""
    lock = CoderLock(path)
    lock.acquire()
    lock.release()


def compact_coder(path: Path, name: str) -> None:
    with CoderFile(path, name) as coder:
        coder.storage.compact()


def check_codings(project: Project, coder: CoderFile) -> list[Finding]:
    """Codings pointing at missing transcripts or codes, out of range, or not matching their text."""
    from workbench.replacing import interrupted

    known = {t.id for t in project.transcripts()}
    replacing = {path.stem for path in interrupted(project.root)}  # reported as one finding: finishing it settles them
    problems: dict[tuple[str, str], list[str]] = defaultdict(list)
    texts: dict[str, str | None] = {}
    for coding in coder.codings():
        if coding.transcript in replacing:
            continue
        where = f"{coding.id[:8]} ({coding.transcript} {coding.start}-{coding.end})"
        if coding.code not in coder.codebook:
            problems[("points to a code that is not in the codebook", coding.transcript)].append(where)
        if coding.transcript not in known:
            problems[("points to a transcript that is not in the project", coding.transcript)].append(where)
            continue
        if coding.transcript not in texts:
            try:
                texts[coding.transcript] = project.text(coding.transcript)
            except WorkbenchError:
                texts[coding.transcript] = None  # reported by check_transcripts
        text = texts[coding.transcript]
        if text is None:
            continue
        if not 0 <= coding.start < coding.end <= len(text):
            problems[(f"lies outside the transcript ({len(text)} characters)", coding.transcript)].append(where)
        elif text[coding.start:coding.end] != coding.text:
            problems[("no longer matches its verbatim text in the transcript", coding.transcript)].append(where)
    mends = {
        "points to a code": "undo the change that removed the code ('workbench history', 'workbench undo'), or recode it",
        "points to a transcript": "import the transcript again under the same id",
        "lies outside": "restore the transcript from your backup, or import the corrected one with --replace",
        "no longer matches": "restore the transcript from your backup, or import the corrected one with --replace",
    }
    findings = check_duplicates(coder)
    for (problem, transcript), codings in sorted(problems.items()):
        shown = ", ".join(codings[:SHOWN]) + (f" and {len(codings) - SHOWN} more" if len(codings) > SHOWN else "")
        mend_by = next(m for key, m in mends.items() if problem.startswith(key))
        findings.append(Finding(str(coder.path), f"{plural(len(codings), 'coding')} of {transcript} {problem}: {shown}", mend_by))
    return findings


def check_duplicates(coder: CoderFile) -> list[Finding]:
    """Codings of one code whose spans overlap or touch (written before such codings were joined)."""
    groups = coder.duplicates()
    if not groups:
        return []
    book = coder.codebook

    def where(group) -> str:
        path = book.path(group[0].code) if group[0].code in book else group[0].code
        return (f"{group[0].transcript} {min(c.start for c in group)}-{max(c.end for c in group)} "
                f"({len(group)} codings of {path})")

    shown = ", ".join(where(g) for g in groups[:SHOWN]) + (f" and {len(groups) - SHOWN} more" if len(groups) > SHOWN else "")
    count = sum(len(g) for g in groups)
    return [Finding(str(coder.path), f"{count} codings duplicate one another: the same code over overlapping or "
                                     f"touching spans, in {len(groups)} place{'s' * (len(groups) != 1)}: {shown}",
                    f"join each group into one coding over its union: workbench --coder {coder.coder} "
                    f"code join-duplicates (one change; 'workbench undo' takes it back)")]


# -- permissions -------------------------------------------------------------------------
def check_permissions(root: Path) -> list[Finding]:
    """Every folder 0700 and file 0600; symbolic links inside the project are reported, never followed."""
    loose: list[tuple[Path, int]] = []
    links: list[Path] = []
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                links.append(path)
            elif stat.S_IMODE(info.st_mode) != (DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE):
                loose.append((path, DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE))
    root_mode = stat.S_IMODE(root.stat().st_mode)
    if root_mode != DIR_MODE:
        loose.insert(0, (root, DIR_MODE))
    findings = []
    if loose:
        shown = ", ".join(f"{p} ({oct(stat.S_IMODE(p.stat().st_mode))})" for p, _ in loose[:SHOWN])
        more = f" and {len(loose) - SHOWN} more" if len(loose) > SHOWN else ""
        loose_ones = plural(len(loose), "file or folder", "files or folders")
        findings.append(Finding(str(root), f"{loose_ones} others could read: {shown}{more}",
                                "make files 0600 and folders 0700 (--fix does)",
                                fix=lambda: tighten(loose)))
    for path in links:
        findings.append(Finding(str(path), f"a symbolic link (to {os.readlink(path)}) inside the project",
                                "replace it with the file itself, or remove it"))
    return findings


def tighten(paths: list[tuple[Path, int]]) -> None:
    for path, mode in paths:
        try:
            os.chmod(path, mode)  # never a link: check_permissions leaves those out
        except FileNotFoundError:
            pass  # gone since (a journal folded in by another fix)
