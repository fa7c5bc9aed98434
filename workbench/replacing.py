"""`import --replace` as one recoverable operation.

A replace changes several files: every coder's codings move onto the new text, then the text
and the manifest change. A crash between two of them must never leave codings at the offsets
of a text that was not stored, nor move them twice. So the replace is written down before
anything changes, and whether each step is done can be read from the disk:

    replacing/<id>.json   the intent: old and new SHA-256, the new manifest entry, and the
                          newest history entry of each coder when it began
    replacing/<id>.txt    the new text, stored before any coding moves

1. the intent; 2. the new text; 3. each coder's codings, in one journal record per coder (all or
none), done when that coder's newest history entry is the replace and newer than the one in the
intent; 4. the text and the manifest; 5. the new text, then the intent, removed. Several
transcripts (a survey table's changed answers) are replaced with one manifest write
(`replace_transcripts`). The next command (`finish_interrupted`, called by the command line before anything
else) and `doctor --fix` finish an interrupted replace whose new text was stored, and drop one
whose new text was not (then no coding had moved). A replace that fails in its own process (a
full disk) is rolled back there and then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import orjson

from workbench.coderfile import CoderFile
from workbench.errors import DamagedFile, WorkbenchError
from workbench.project import Project, TranscriptInfo
from workbench.realign import SpanMapper, moved_coding, open_every_coder
from workbench.securefs import atomic_write, make_private_dir
from workbench.transcripts.naming import check_transcript_id

FOLDER = "replacing"
ACTION = "transcript.replace"


@dataclass
class Intent:
    transcript: str
    old_sha256: str
    new_sha256: str
    info: dict
    coders: dict[str, int]  # coder -> seq of their newest history entry when the replace began (-1: none)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def intent_path(root: Path, transcript_id: str) -> Path:
    return Path(root) / FOLDER / f"{check_transcript_id(transcript_id)}.json"


def new_text_path(root: Path, transcript_id: str) -> Path:
    return Path(root) / FOLDER / f"{check_transcript_id(transcript_id)}.txt"


def interrupted(root: Path) -> list[Path]:
    """The intents of replaces that never finished."""
    folder = Path(root) / FOLDER
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def read_intent(path: Path) -> Intent:
    try:
        data = orjson.loads(path.read_bytes())
        intent = Intent(**data)
        check_transcript_id(intent.transcript)
    except (orjson.JSONDecodeError, TypeError, WorkbenchError) as err:
        raise DamagedFile(f"{path}: not the record of an interrupted 'import --replace' ({err}); "
                          "it was left untouched") from None
    if path.name != f"{intent.transcript}.json":
        raise DamagedFile(f"{path}: records a replace of '{intent.transcript}'; it was left untouched")
    return intent


# -- the replace -------------------------------------------------------------------------------
def replace_transcript(project: Project, info: TranscriptInfo, new_text: str) -> list[str]:
    """Store the new text of an imported transcript and carry every coder's codings onto it;
    returns warnings. Each coder file changes in one history entry (so it can be undone)."""
    coders = open_every_coder(project)
    try:
        return replace_transcripts(project, coders, [(info, new_text)])
    finally:
        for coder in coders:
            coder.close()


def replace_transcripts(project: Project, coders: list[CoderFile], items: list[tuple[TranscriptInfo, str]],
                        write_manifest: Callable[[], None] | None = None) -> list[str]:
    """Replace several transcripts (survey answers) with every coder file already open and
    locked (`open_every_coder`), the manifest written once for all of them, or change nothing.

    Steps 1 to 3 and the new text file are taken for one transcript after another; then one
    manifest write names every new text (`write_manifest`, when the caller stores more with
    it: it must save `project.manifest`); then the records are removed. A crash is finished as
    for one replace: every transcript but the last already has its new text in place, and the
    last one's intent was written after every earlier coding moved, so `moved` tells its coders
    apart. A failure in this process undoes them all, the last first."""
    begun: list[tuple[Intent, str]] = []
    entries = project.manifest["transcripts"]
    before = {info.id: entries[info.id] for info, _ in items}
    warnings = []
    try:
        for info, new_text in items:
            old_text = project.text(info.id)
            spans = SpanMapper(old_text, new_text)
            last = {c.coder: (c.last_change().seq if c.last_change() else -1) for c in coders}
            intent = Intent(info.id, sha256(old_text), info.sha256, info.to_dict(), last)
            begun.append((intent, old_text))
            make_private_dir(Path(project.root) / FOLDER)
            atomic_write(intent_path(project.root, info.id), orjson.dumps(asdict(intent)))  # 1
            atomic_write(new_text_path(project.root, info.id), new_text.encode("utf-8"))   # 2
            warnings += move_codings(intent, coders, spans, new_text)                      # 3
            atomic_write(project.transcript_path(info.id), new_text.encode("utf-8"))       # 4: the text...
        for intent, _ in begun:
            entries[intent.transcript] = intent.info
        (write_manifest or project.save_manifest)()                                       # ...and the manifest
    except BaseException:
        project.manifest["transcripts"].update(before)  # write_manifest may have put back a copy of its own
        for intent, old_text in reversed(begun):
            roll_back(project, intent, coders, old_text)
        raise
    for intent, _ in begun:
        forget(project.root, intent.transcript)                                           # 5
        project.forget_cached(intent.transcript)
    return warnings


def moved(coder: CoderFile, intent: Intent) -> bool:
    last = coder.last_change()
    return (last is not None and last.seq > intent.coders.get(coder.coder, -1) and last.action == ACTION
            and last.state == "done")


def move_codings(intent: Intent, coders: list[CoderFile], spans, new_text: str) -> list[str]:
    """Step 3: the codings of every coder not yet moved, one journal record each."""
    warnings = []
    for coder in coders:
        if coder.coder not in intent.coders or moved(coder, intent):
            continue
        changes = [(c, moves) for c in coder.codings(transcript=intent.transcript)
                   if (moves := moved_coding(c, spans, new_text))]
        if not changes:
            continue
        coder.update_codings(changes, f"move {len(changes)} codings onto the corrected {intent.transcript}", action=ACTION)
        flagged = sum(1 for _, moves in changes if "review" in moves)
        if flagged:
            warnings.append(f"{coder.coder}: {flagged} codings of {intent.transcript} changed text and are flagged "
                            f"for review ('workbench codings --review')")
    return warnings


def store(project: Project, intent: Intent, new_text: str) -> None:
    """Steps 4 and 5: the text and the manifest, then the record of the replace removed."""
    project.put_transcript(TranscriptInfo.from_dict(intent.info), new_text)
    forget(project.root, intent.transcript)


def forget(root: Path, transcript_id: str) -> None:
    new_text_path(root, transcript_id).unlink(missing_ok=True)  # the text first: an intent alone is still read right
    intent_path(root, transcript_id).unlink(missing_ok=True)
    try:
        (Path(root) / FOLDER).rmdir()  # only when empty: then commands need not look again
    except OSError:
        pass


def roll_back(project: Project, intent: Intent, coders: list[CoderFile], old_text: str) -> None:
    """Undo what a replace that failed in this process changed. What cannot be undone (the
    disk refuses even this) is left with its intent, for the next command to finish."""
    try:
        for coder in reversed(coders):
            if moved(coder, intent):
                coder.undo()
        path = project.transcript_path(intent.transcript)
        if path.exists() and sha256(path.read_bytes().decode("utf-8")) != intent.old_sha256:
            atomic_write(path, old_text.encode("utf-8"))
        forget(project.root, intent.transcript)
    except (WorkbenchError, OSError):
        pass


# -- finishing an interrupted one ----------------------------------------------------------------
def finish_interrupted(project: Project) -> list[str]:
    """Finish (or, if its new text was never stored, drop) every replace a crash interrupted;
    returns what was done, one line each."""
    done = []
    for path in interrupted(project.root):
        done.append(finish(project, read_intent(path)))
    return done


def finish(project: Project, intent: Intent) -> str:
    tid = intent.transcript
    stored = project.manifest["transcripts"].get(tid)
    if stored is not None and stored.get("sha256") == intent.new_sha256:
        forget(project.root, tid)
        return f"finished the interrupted 'import --replace' of {tid} (only its record was left)"
    try:
        new_text = new_text_path(project.root, tid).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        new_text = None
    if stored is None or new_text is None or sha256(new_text) != intent.new_sha256:
        forget(project.root, tid)
        return f"rolled back the interrupted 'import --replace' of {tid}: its new text was never stored, no coding had moved"
    current = sha256(project.transcript_path(tid).read_bytes().decode("utf-8"))
    if current not in (intent.old_sha256, intent.new_sha256):
        raise DamagedFile(f"{project.transcript_path(tid)}: neither the old nor the new text of an interrupted "
                          f"'import --replace'; restore it from your backup ({intent_path(project.root, tid)} is kept)")
    coders = open_every_coder(project)
    try:
        if current == intent.old_sha256:  # else every coder had moved before the text was written
            move_codings(intent, coders, SpanMapper(project.text(tid), new_text), new_text)
        store(project, intent, new_text)
    finally:
        for coder in coders:
            coder.close()
    return f"finished the interrupted 'import --replace' of {tid}: every coding is on its new text"
