"""Transcript ids, participant ids and waves from file names: `50007_3.txt` is participant
50007, interview (wave) 3; `50007.txt` is wave 1."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.errors import BadTranscriptId

WAVE_SUFFIX = re.compile(r"^(?P<participant>.+?)_(?P<wave>\d{1,2})$")
UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
MAX_ID = 120
# The one rule for a transcript id, wherever it comes from (an option, a file name, a .qdpx
# source, the manifest): it names `transcripts/<id>.txt`, so it is one plain file name that
# cannot climb out of its folder, hide itself or be taken for an option.
TRANSCRIPT_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_ID - 1}}}")


# Many ids checked in one match, each on a line of its own (a survey's manifest holds 40,000).
TRANSCRIPT_ID_LINES = re.compile(rf"(?:{TRANSCRIPT_ID.pattern}\n)*{TRANSCRIPT_ID.pattern}")


def is_transcript_id(transcript_id) -> bool:
    return isinstance(transcript_id, str) and TRANSCRIPT_ID.fullmatch(transcript_id) is not None


def are_transcript_ids(ids: list) -> bool:
    """`is_transcript_id` of every one (no id can hold the newline that parts them)."""
    if not ids:
        return True
    try:
        lines = "\n".join(ids)
    except TypeError:  # one is no text
        return False
    return lines.count("\n") == len(ids) - 1 and TRANSCRIPT_ID_LINES.fullmatch(lines) is not None


def check_transcript_id(transcript_id, where: str = "") -> str:
    """`transcript_id` if it follows the rule; otherwise BadTranscriptId naming it."""
    if not is_transcript_id(transcript_id):
        raise BadTranscriptId(
            f"{where}{'' if not where else ': '}{transcript_id!r} is not a usable transcript id: use letters, digits, "
            f"'.', '_' or '-', starting with a letter or digit (at most {MAX_ID})")
    return transcript_id


def transcript_id_for(path: Path | str) -> str:
    """The file's stem, made safe to be a file name of its own."""
    stem = UNSAFE.sub("_", Path(path).stem).strip("._-")[:MAX_ID].rstrip("._-")
    return stem or "transcript"


def participant_and_wave(transcript_id: str) -> tuple[str, int]:
    match = WAVE_SUFFIX.match(transcript_id)
    if match and not match["participant"].endswith("_"):
        return match["participant"], int(match["wave"])
    return transcript_id, 1


def quote_id(participant: str, wave: int) -> str:
    """The paper's way of citing a quote: `50002` for a first interview, `50002_2` for a second."""
    return participant if wave == 1 else f"{participant}_{wave}"
