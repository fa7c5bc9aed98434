"""What the REFI-QDA reader and writers share: namespaces, stable GUIDs, XML-safe text,
the markers that let Workbench read back what only it writes, and a parser that refuses
DTDs and entity expansion.

Source: REFI-QDA specification 1.5 (2019) and QDA-XML 1.0 schemas (Project.xsd, Codebook.xsd).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timezone

from lxml import etree

from workbench import __version__
from workbench.errors import ImportRefused
from workbench.terminal_safety import inert

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"Workbench {__version__}"
# Namespaces programs have written instead: NVivo 12 for Mac "urn:QDA-XML:codebook:1:0",
# ATLAS.ti "urn:QDA-XML:codebook:0:4"; their elements are the same.
QDA_NAMESPACE = re.compile(r"^urn:QDA-XML:(project|codebook):[0-9][0-9.:]*$")


def qda_namespace(ns: str, kind: str) -> bool:
    """Whether `ns` is a REFI-QDA namespace of `kind` (project or codebook), any version
    spelling, or none at all."""
    match = QDA_NAMESPACE.match(ns)
    return ns == "" or (match is not None and match.group(1) == kind)

# Our own Notes and Sets carry one of these as their Description, so an import can tell
# them from a researcher's notes and sets. Other programs show them as ordinary notes/sets.
CORRECTED_MARK = "workbench:corrected-text"
EXEMPLAR_MARK = "workbench:exemplar"
CODER_SET_MARK = "workbench:codebook-of-user"  # followed by " <user guid>"
KIND_SET_MARK = "workbench:kind"  # followed by " <kind>"

# Interview details travel as variables of the text source.
SOURCE_VARIABLES = {"wave": "Integer", "date": "Text", "duration_minutes": "Float", "interviewer": "Text"}
# A survey answer's question travels the same way (written only by projects that hold answers).
SURVEY_VARIABLES = {"question": "Text"}

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DATETIME = re.compile(r"^-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
DTD_MARKERS = tuple(marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY")
                    for enc in ("utf-8", "utf-16-le", "utf-16-be"))


VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


class Guids:
    """Deterministic GUIDs (UUID version 5, RFC 4122 section 4.3: SHA-1 of namespace and name)
    under one namespace per project, so exporting the same project twice gives the same ids.
    The same values as `uuid.uuid5`, computed from a pre-hashed namespace (an export makes
    hundreds of thousands)."""

    def __init__(self, project_key: str):
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"workbench-project:{project_key}")
        self._hash = hashlib.sha1(self.namespace.bytes)

    def __call__(self, kind: str, *parts: str) -> str:
        return self.maker(kind, *parts[:-1])(parts[-1]) if parts else self.maker()(kind)

    def maker(self, *prefix: str):
        """GUIDs for many records that share the leading parts: maker("coding", "alex")(id)."""
        head = self._hash.copy()
        if prefix:
            head.update(("\x1f".join(prefix) + "\x1f").encode("utf-8"))

        def guid(last: str) -> str:
            digest = head.copy()
            digest.update(last.encode("utf-8"))
            h = digest.hexdigest()  # version 5 and the RFC 4122 variant set as uuid.uuid5 sets them
            return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"
        return guid


def project_key(project) -> str:
    return str(project.manifest.get("created") or project.title)


def xml_text(text: str | None) -> str:
    """Text that XML 1.0 can hold: a control character it forbids is shown as its visible
    symbol (U+2400 "control pictures": ␛ for ESC), never dropped; a lone surrogate, U+FFFE
    and U+FFFF as U+FFFD."""
    return NOT_XML.sub(_visible, text or "")


def _visible(match: re.Match) -> str:
    return inert(match.group()) if match.group() < "\x20" else "\ufffd"


def needs_symbols(text: str | None) -> bool:
    """Whether `xml_text` changes `text`."""
    return NOT_XML.search(text or "") is not None


ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                                   "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


NEEDS_ATTRIBUTE_ESCAPE = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


def xml_attribute(text: str | None) -> str:
    """A value to write between double quotes in hand-made XML, read back unchanged."""
    if not text or NEEDS_ATTRIBUTE_ESCAPE.search(text) is None:
        return text or ""
    return xml_text(text).translate(ATTRIBUTE_ESCAPES)


TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def xml_content(text: str | None) -> str:
    """Element content for hand-made XML, read back unchanged."""
    return xml_text(text).translate(TEXT_ESCAPES)


def is_xml_text(text: str) -> bool:
    return NOT_XML.search(text) is None


def xml_datetime(value: str | None) -> str | None:
    """An xsd:dateTime in UTC with the `Z` suffix (2024-05-02T09:30:00Z), the form every
    program reads back (QualCoder appends a Z to a +00:00 offset, making it invalid); None
    when the stored value is not a date-time."""
    if not value or not DATETIME.match(value):
        return None
    moment = utc_moment(value)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def read_datetime(value: str | None) -> str | None:
    """A date-time from a file in the form the workbench stores (ISO 8601, UTC, seconds);
    QualCoder's `+00:00Z` is read as the `+00:00` it means."""
    if not value:
        return None
    moment = utc_moment(re.sub(r"([+-]\d{2}:?\d{2})Z$", r"\1", value.strip()))
    return None if moment is None else moment.isoformat(timespec="seconds")


def utc_moment(value: str) -> datetime | None:
    """An ISO 8601 date-time in UTC (one without an offset is taken as UTC); None when it is none."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def read_guid(value: str | None) -> str | None:
    """GUIDs compare without braces and case: ATLAS.ti writes them in capitals."""
    match = GUID.match((value or "").strip())
    return match.group(1).lower() if match else None


def parse_xml(data: bytes, where: str) -> etree._Element:
    """The root element of an XML document that declares no DTD and no entities.

    A DTD is refused outright (the "billion laughs" expansion needs one); the parser also
    resolves no entities, loads nothing from the network and keeps libxml2's size limits."""
    if any(marker in data for marker in DTD_MARKERS):
        raise ImportRefused(f"{where}: declares a DTD or entities (<!DOCTYPE/<!ENTITY>); REFI-QDA files have none, "
                            "and entity expansion can exhaust memory, so it is refused")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise ImportRefused(f"{where}: not well-formed XML ({err})") from None
    if root is None:
        raise ImportRefused(f"{where}: holds no XML element")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ImportRefused(f"{where}: declares a DTD; REFI-QDA files have none, so it is refused")
    return root


DESCRIPTION_JOIN = "\n\n"


def journal_name(title: str, text: str) -> str:
    """A journal entry's Note name (QualCoder reads only named notes): its title, else the
    start of its first line (read back as no title)."""
    return title or label(text.strip().split("\n", 1)[0], 60) or "Journal entry"


def label(text: str, room: int = 80) -> str:
    """A selection's name: its text, shortened for the lists other programs show it in."""
    return text if len(text) <= room else text[:room - 1] + "…"
