"""Bytes to the one stored form of a transcript: UTF-8 text, no BOM, LF line ends, Unicode NFC.

Text that is not UTF-8 is decoded as Windows-1252 (cp1252, the usual encoding of files saved
by Word and Notepad on Western Windows) and the import says so; UTF-16 and UTF-32 files with
a byte-order mark are decoded as such. A file that looks binary is refused.
"""

from __future__ import annotations

import codecs
import unicodedata

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v", "\x1b"}


class NotText(ValueError):
    """The bytes are not text we can read; the message says why."""


def decode(raw: bytes) -> tuple[str, str | None]:
    """The text in `raw`, and a note when it had to be decoded as something other than UTF-8."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), None if encoding == "utf-8-sig" else f"decoded as {encoding.upper()}"
            except UnicodeDecodeError as err:
                raise NotText(f"starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} ({err.reason})") from None
    if b"\x00" in raw:
        raise NotText("looks binary (it contains NUL bytes), not a text transcript")
    try:
        text, note = raw.decode("utf-8"), None
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise NotText("is neither UTF-8 nor Windows-1252 text; save it as UTF-8 and import again") from None
        note = "not valid UTF-8: decoded as Windows-1252 (cp1252); check accented letters"
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS)
    if controls > max(2, len(text) // 200):
        raise NotText("looks binary (many control characters), not a text transcript")
    return text, note


def normalise(text: str) -> str:
    """BOM removed, CRLF and lone CR turned into LF, Unicode NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
