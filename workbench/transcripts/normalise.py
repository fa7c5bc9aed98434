"""Bytes to the one stored form of a transcript: UTF-8 text, no BOM, LF line ends, Unicode NFC.

Text that is not UTF-8 is decoded as Windows-1252 (cp1252, the usual encoding of files saved
by Word and Notepad on Western Windows), or as ISO-8859-1 when it holds one of the five bytes
cp1252 leaves undefined, and the import says so; UTF-16 and UTF-32 files with a byte-order
mark, and UTF-16 without one, are decoded as such. A file that looks binary is refused.
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
        encoding = utf16_without_bom(raw)
        if encoding is None:
            raise NotText("looks binary (it contains NUL bytes), not a text transcript")
        try:
            text, note = raw.decode(encoding), f"decoded as {encoding.upper()} (no byte-order mark)"
        except UnicodeDecodeError:
            raise NotText("looks binary (it contains NUL bytes), not a text transcript") from None
    else:
        text, note = decode_8bit(raw)
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS)
    if controls > max(2, len(text) // 200):
        raise NotText("looks binary (many control characters), not a text transcript")
    return text, note


def decode_8bit(raw: bytes) -> tuple[str, str | None]:
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "not valid UTF-8: decoded as Windows-1252 (cp1252); check accented letters"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: ISO-8859-1 maps every byte
        return raw.decode("latin-1"), "not valid UTF-8: decoded as ISO-8859-1 (Latin-1); check accented letters"


def utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark: mostly-ASCII text has a NUL in every
    other byte, on the odd side for little-endian and the even side for big-endian."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even_nuls, odd_nuls = raw[0::2].count(0), raw[1::2].count(0)
    half = len(raw) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def normalise(text: str) -> str:
    """BOM removed, CRLF and lone CR turned into LF, Unicode NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
