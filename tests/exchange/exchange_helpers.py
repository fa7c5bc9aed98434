"""Helpers of the exchange tests: a small study, the interop folder, crafted zips and project files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from workbench.importing import import_transcript
from workbench.project import Project

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
INTEROP = SHARED / "interop"
SAMPLES = INTEROP / "samples"
PROJECT_NS = "urn:QDA-XML:project:1.0"
NS = {"q": PROJECT_NS}

TEXT_50002 = ("Interviewer: What helped you settle in?\n"
              "Participant: Honestly the team — “they” gave me a key to the cabinet on day one. Café talk helped.\n"
              "Interviewer: And what got in the way?\n"
              "Participant: Nobody told me what my role was. I was 😕 for weeks.\n")
TEXT_50007_3 = ("Interviewer: How is it now?\n"
                "Participant: I set boundaries. I say no when I need to.\n")


def needs_interop():
    if not INTEROP.is_dir():
        pytest.skip("the shared interop folder is absent")


def make_study(folder: Path) -> Project:
    """Two transcripts, two coders with overlapping codebooks, every kind of memo, attributes."""
    project = Project.init(folder / "study", "Peer support")
    for name, text in (("50002.txt", TEXT_50002), ("50007_3.txt", TEXT_50007_3)):
        (folder / name).write_text(text, encoding="utf-8")
        import_transcript(project, folder / name)
    project.set_attributes({"50002": {"gender": "woman", "age": "41"}, "50007": {"gender": "man", "age": "38"}})
    info = project.manifest["transcripts"]["50002"]
    info.update(date="2023-05-02", duration=47.5, interviewer="Dana")
    project.save_manifest()
    with project.open_coder("alex") as alex:
        alex.add_code("facilitators", kind="category", description="what helped")
        alex.add_code("belonging", parent="facilitators", kind="theme", color="#123456")
        alex.add_code("trusted with keys", parent="facilitators/belonging", description="being trusted")
        alex.add_code("barriers", kind="category")
        alex.add_code("unclear role", parent="barriers", kind="subtheme")
        text = project.text("50002")
        s = text.index("“they”")
        e = text.index(" Café")
        first = alex.add_coding("50002", s, e, "facilitators/belonging/trusted with keys", text[s:e],
                                corrected="they gave me a key to the cabinet on day one.")
        alex.update_coding(first.id, exemplar=True)
        s = text.index("Nobody")
        e = text.index(" for weeks") + len(" for weeks.")
        second = alex.add_coding("50002", s, e, "barriers/unclear role", text[s:e])
        alex.set_memo("coding", second.id, "the emoji is the participant's own")
        alex.set_memo("transcript", "50002", "Field notes: quiet room, good rapport.")
        alex.set_memo("code", alex.code("unclear role").id, "Role confusion at the start.")
        alex.add_journal_entry("Decided to keep the macro-categories.", title="Week 1")
    with project.open_coder("sam") as sam:
        sam.add_code("facilitators", kind="category", description="what helped")
        sam.add_code("belonging", parent="facilitators", kind="theme", color="#123456")
        sam.add_code("trusted with keys", parent="facilitators/belonging", description="being trusted")
        sam.add_code("boundaries")
        text = project.text("50007_3")
        s = text.index("I set")
        sam.add_coding("50007_3", s, s + len("I set boundaries."), "boundaries", "I set boundaries.")
    return project


def write_zip(path: Path, members: dict[str, bytes | str], symlinks: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, target)
    return path


def minimal_qde(source_text_path: str = "internal://11111111-1111-1111-1111-111111111111.txt",
                start: int = 0, end: int = 5, name: str | None = None, extra: str = "") -> str:
    selection_name = f' name="{name}"' if name is not None else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="{PROJECT_NS}" name="crafted">
  <Users><User guid="22222222-2222-2222-2222-222222222222" name="Kim Lee"/></Users>
  <CodeBook><Codes><Code guid="33333333-3333-3333-3333-333333333333" name="hope" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="11111111-1111-1111-1111-111111111111" name="P1" plainTextPath="{source_text_path}">
      <PlainTextSelection guid="44444444-4444-4444-4444-444444444444"{selection_name} startPosition="{start}" endPosition="{end}" creatingUser="22222222-2222-2222-2222-222222222222">
        <Coding guid="55555555-5555-5555-5555-555555555555" creatingUser="22222222-2222-2222-2222-222222222222">
          <CodeRef targetGUID="33333333-3333-3333-3333-333333333333"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>{extra}
</Project>
"""


def crafted_qdpx(path: Path, raw: bytes, selections, origin: str = "", descriptions: dict | None = None) -> Path:
    """A .qdpx as another program would write it: one source file `raw` (bytes as that
    program saved them), selections (start, end, name) each coded with one code, its
    `origin`; `descriptions` adds <Description>s ({"source": ..., selection index: ...})."""
    from lxml import etree

    descriptions = descriptions or {}
    q = f"{{{PROJECT_NS}}}"
    root = etree.Element(f"{q}Project", nsmap={None: PROJECT_NS}, name="crafted", origin=origin)
    users = etree.SubElement(root, f"{q}Users")
    etree.SubElement(users, f"{q}User", guid="22222222-2222-2222-2222-222222222222", name="Kim Lee")
    codes = etree.SubElement(etree.SubElement(root, f"{q}CodeBook"), f"{q}Codes")
    etree.SubElement(codes, f"{q}Code", guid="33333333-3333-3333-3333-333333333333", name="hope", isCodable="true")
    sources = etree.SubElement(root, f"{q}Sources")
    source = etree.SubElement(sources, f"{q}TextSource", guid="11111111-1111-1111-1111-111111111111", name="P1",
                              plainTextPath="internal://11111111-1111-1111-1111-111111111111.txt")
    if "source" in descriptions:
        etree.SubElement(source, f"{q}Description").text = descriptions["source"]
    for i, (start, end, name) in enumerate(selections):
        attrs = {"guid": f"44444444-4444-4444-4444-{i:012d}", "startPosition": str(start), "endPosition": str(end),
                 "creatingUser": "22222222-2222-2222-2222-222222222222"}
        if name is not None:
            attrs["name"] = name
        selection = etree.SubElement(source, f"{q}PlainTextSelection", attrs)
        if i in descriptions:
            etree.SubElement(selection, f"{q}Description").text = descriptions[i]
        coding = etree.SubElement(selection, f"{q}Coding", guid=f"55555555-5555-5555-5555-{i:012d}",
                                  creatingUser="22222222-2222-2222-2222-222222222222")
        etree.SubElement(coding, f"{q}CodeRef", targetGUID="33333333-3333-3333-3333-333333333333")
    return write_zip(path, {"project.qde": etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
                            "sources/11111111-1111-1111-1111-111111111111.txt": raw})


def utf16_units(text: str, position: int) -> int:
    """Where code point `position` of `text` is, counted in UTF-16 units (as Qt counts)."""
    return len(text[:position].encode("utf-16-le")) // 2
