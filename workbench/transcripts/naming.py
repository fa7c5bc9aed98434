"""Transcript ids, participant ids and waves from file names: `50007_3.txt` is participant
50007, interview (wave) 3; `50007.txt` is wave 1."""

from __future__ import annotations

import re
from pathlib import Path

WAVE_SUFFIX = re.compile(r"^(?P<participant>.+?)_(?P<wave>\d{1,2})$")
UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def transcript_id_for(path: Path | str) -> str:
    """The file's stem, made safe to be a file name of its own."""
    stem = UNSAFE.sub("_", Path(path).stem).strip("._")
    return stem or "transcript"


def participant_and_wave(transcript_id: str) -> tuple[str, int]:
    match = WAVE_SUFFIX.match(transcript_id)
    if match and not match["participant"].endswith("_"):
        return match["participant"], int(match["wave"])
    return transcript_id, 1


def quote_id(participant: str, wave: int) -> str:
    """The paper's way of citing a quote: `50002` for a first interview, `50002_2` for a second."""
    return participant if wave == 1 else f"{participant}_{wave}"
