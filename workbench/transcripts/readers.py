"""Reading a transcript's text out of the file formats researchers have: .txt, .md, .docx,
.vtt and .srt. Subtitle cues become `[hh:mm:ss] Speaker: text` turns."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

from workbench.transcripts.normalise import NotText, decode

TEXT_FORMATS = (".txt", ".md", ".docx", ".vtt", ".srt")
MAX_BYTES = 20 * 1024 * 1024
# A .docx is a zip: what its members unpack to is capped before python-docx reads any of them
# (a 0.9 MB file whose document.xml inflates to 300 MB would otherwise take minutes and gigabytes).
MAX_DOCX_MEMBER_BYTES = 32 * 1024 * 1024
MAX_DOCX_TOTAL_BYTES = 96 * 1024 * 1024

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
        return read_docx(raw), None
    text, note = decode(raw)
    if suffix == ".vtt":
        return cues_to_turns(text, webvtt=True), note
    if suffix == ".srt":
        return cues_to_turns(text, webvtt=False), note
    return text, note


def check_docx_sizes(data: bytes) -> None:
    """NotText if a member of the .docx `data` would unpack past the limits. The sizes come
    from the zip's directory; a member that holds more than its entry says fails its CRC check."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as err:
        raise NotText(f"is not a readable Word (.docx) file ({err})") from None
    for info in infos:
        if info.file_size > MAX_DOCX_MEMBER_BYTES:
            raise NotText(f"is not a usable Word (.docx) file: its part '{info.filename}' unpacks to "
                          f"{info.file_size / 2**20:.0f} MB, over the {MAX_DOCX_MEMBER_BYTES // 2**20} MB limit")
    total = sum(info.file_size for info in infos)
    if total > MAX_DOCX_TOTAL_BYTES:
        raise NotText(f"is not a usable Word (.docx) file: it unpacks to {total / 2**20:.0f} MB, over the "
                      f"{MAX_DOCX_TOTAL_BYTES // 2**20} MB limit")


def read_docx(data: bytes) -> str:
    """The text of a Word file given as its bytes (read in memory: never written anywhere)."""
    import docx  # python-docx, only when a Word file is imported
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    check_docx_sizes(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as err:
        reason = f"malformed XML: {err}" if isinstance(err, etree.XMLSyntaxError) else str(err)
        raise NotText(f"is not a readable Word (.docx) file ({' '.join(reason.split())})") from None
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
