"""Reading a transcript's text out of the file formats researchers have: .txt, .md, .docx,
.vtt and .srt. Subtitle cues become `[hh:mm:ss] Speaker: text` turns."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from workbench.transcripts.normalise import NotText, decode

TEXT_FORMATS = (".txt", ".md", ".docx", ".vtt", ".srt")
MAX_BYTES = 20 * 1024 * 1024

CUE_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
TAG = re.compile(r"</?[^>\n]{1,60}>|\{\\[^}]{0,30}\}")
SPEAKER_PREFIX = re.compile(r"^(?:-\s*)?([A-Z][\w.'’ -]{0,30}):\s+")


def read_text(path: Path) -> tuple[str, str | None]:
    """The text of a transcript file and a note about its decoding (or None).

    Raises NotText with the reason when the file cannot be read as a transcript."""
    suffix = path.suffix.lower()
    raw = path.read_bytes()
    if suffix == ".docx":
        return read_docx(path), None
    text, note = decode(raw)
    if suffix == ".vtt":
        return cues_to_turns(text, webvtt=True), note
    if suffix == ".srt":
        return cues_to_turns(text, webvtt=False), note
    return text, note


def read_docx(path: Path) -> str:
    import docx  # python-docx, only when a Word file is imported
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise NotText(f"is not a readable Word (.docx) file ({err})") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):  # a table: `Speaker | text` rows become `Speaker: text`
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells]
                cells = [c for i, c in enumerate(cells) if c and c not in cells[:i]]
                if len(cells) == 2 and len(cells[0]) <= 40 and "\n" not in cells[0]:
                    lines.append(f"{cells[0]}: {cells[1]}")
                elif cells:
                    lines.append("\t".join(cells))
                lines.append("")
        else:
            lines.append(block.text)
    return "\n".join(lines)


def cues_to_turns(text: str, webvtt: bool) -> str:
    """Subtitle cues as turns; a cue by the same speaker as the last continues their turn."""
    paragraphs: list[str] = []
    speaker = None
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        timing_at = next((i for i, line in enumerate(lines) if CUE_TIMING.match(line)), None)
        if timing_at is None:
            continue  # the WEBVTT header, NOTE, STYLE and REGION blocks, stray numbers
        start = CUE_TIMING.match(lines[timing_at])["start"].replace(",", ".")
        body = " ".join(lines[timing_at + 1:])
        voice = VOICE.search(body) if webvtt else None
        cue_speaker = voice.group(1).strip() if voice else None
        body = html.unescape(TAG.sub("", body)).strip()
        named = SPEAKER_PREFIX.match(body)
        if cue_speaker is None and named:
            cue_speaker, body = named.group(1), body[named.end():]
        if not body:
            continue
        if paragraphs and (cue_speaker is None or cue_speaker == speaker):
            paragraphs[-1] += " " + body
            continue
        speaker = cue_speaker
        stamp = "[" + start.split(".")[0].rjust(8, "0") + "]" if start.count(":") == 2 else f"[00:{start.split('.')[0]}]"
        paragraphs.append(f"{stamp} {speaker}: {body}" if speaker else f"{stamp} {body}")
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
