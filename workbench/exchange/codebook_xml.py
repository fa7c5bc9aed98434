"""The codebook in REFI-QDA: the coders' codebooks merged by path into one tree of Code
elements (a code two coders both have is one Code), kinds carried as sets, `.qdc` export,
and reading Code trees back into workbench codes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from workbench.codebook import name_key
from workbench.errors import ImportRefused, WorkbenchError
from workbench.exchange.coder_files import open_coders
from workbench.exchange.refi import (CODEBOOK_NS, KIND_SET_MARK, ORIGIN, Guids, needs_symbols, project_key, read_guid,
                                     xml_text)
from workbench.model import CODABLE_KINDS, KINDS, PALETTE, Code, new_id
from workbench.terminal_safety import inert

HEX_COLOUR = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
NON_DEFAULT_KINDS = tuple(k for k in KINDS if k != "code")


@dataclass
class MergedCode:
    key: tuple[str, ...]
    name: str
    kind: str
    color: str
    description: str
    codable: bool = False
    ids: dict[str, str] = field(default_factory=dict)  # coder -> their code id
    children: list["MergedCode"] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def merge_codebooks(coder_files, codings: dict[str, list] | None = None) -> tuple[list[MergedCode], dict[tuple, MergedCode]]:
    """One tree of every coder's codes, matched by path (names compared as the codebook does).
    The first coder (in the order given) to have a code decides its kind, colour and definition;
    a code is codable when its kind takes codings or any coder has coded with it."""
    roots: list[MergedCode] = []
    by_key: dict[tuple, MergedCode] = {}
    for coder in coder_files:
        book = coder.codebook
        coded = {c.code for c in (codings[coder.coder] if codings else coder.codings())}
        keys: dict[str, tuple] = {}
        for code in book.walk():
            parent_key = keys.get(code.parent, ()) if code.parent else ()
            key = parent_key + (name_key(code.name),)
            keys[code.id] = key
            node = by_key.get(key)
            if node is None:
                node = MergedCode(key, code.name, code.kind, code.color, code.description)
                by_key[key] = node
                (by_key[parent_key].children if parent_key else roots).append(node)
            node.ids[coder.coder] = code.id
            node.codable = node.codable or code.kind in CODABLE_KINDS or code.id in coded
    return roots, by_key


def code_guid(guids: Guids, node: MergedCode) -> str:
    return guids("code", *node.key)


def add_code_elements(parent: etree._Element, nodes: list[MergedCode], ns: str, guids: Guids,
                      note_refs: dict[tuple, list[str]] | None = None, warnings: list[str] | None = None) -> None:
    for node in nodes:
        if warnings is not None and (needs_symbols(node.name) or needs_symbols(node.description)):
            warnings.append(f"code '{xml_text(node.name)}': its name or definition holds control characters XML "
                            "cannot carry; they are written as visible symbols (␛ for ESC)")
        attrs = {"guid": code_guid(guids, node), "name": xml_text(node.name),
                 "isCodable": "true" if node.codable else "false"}
        if HEX_COLOUR.fullmatch(node.color or ""):
            attrs["color"] = node.color
        element = etree.SubElement(parent, f"{{{ns}}}Code", attrs)
        if node.description:
            etree.SubElement(element, f"{{{ns}}}Description").text = xml_text(node.description)
        for target in (note_refs or {}).get(node.key, ()):
            etree.SubElement(element, f"{{{ns}}}NoteRef", targetGUID=target)
        add_code_elements(element, node.children, ns, guids, note_refs, warnings)


def add_kind_sets(sets: etree._Element, roots: list[MergedCode], ns: str, guids: Guids, member_attr: str) -> None:
    """One set per kind other than `code`, so subthemes, themes and categories come back as such."""
    for kind in NON_DEFAULT_KINDS:
        members = [code_guid(guids, n) for root in roots for n in root.walk() if n.kind == kind]
        if members:
            add_set(sets, ns, guids("set", "kind", kind), f"Workbench kind: {kind}", f"{KIND_SET_MARK} {kind}",
                    members, member_attr)


def add_set(sets: etree._Element, ns: str, guid: str, name: str, description: str, members: list[str],
            member_attr: str) -> None:
    element = etree.SubElement(sets, f"{{{ns}}}Set", guid=guid, name=xml_text(name))
    etree.SubElement(element, f"{{{ns}}}Description").text = description
    for member in members:
        etree.SubElement(element, f"{{{ns}}}MemberCode", {member_attr: member})


def codebook_document(project, coder_files, warnings: list[str] | None = None) -> etree._Element:
    roots, _ = merge_codebooks(coder_files)
    if not roots:
        names = ", ".join(c.coder for c in coder_files) or "nobody"
        raise WorkbenchError(f"no codes to export (codebooks of {names} are empty); a .qdc holds at least one code")
    guids = Guids(project_key(project))
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin=ORIGIN)
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    add_code_elements(codes, roots, CODEBOOK_NS, guids, warnings=warnings)
    sets = etree.Element(f"{{{CODEBOOK_NS}}}Sets")
    add_kind_sets(sets, roots, CODEBOOK_NS, guids, "guid")
    if len(sets):
        root.append(sets)
    return root


def export_qdc(project, path: Path, coders: list[str] | None = None,
               warnings: list[str] | None = None) -> int:
    """Write the merged codebook of `coders` (default: all) as a .qdc; returns how many codes
    (and adds to `warnings` what the file could not carry as it is)."""
    with open_coders(project, coders) as coder_files:
        root = codebook_document(project, coder_files, warnings)
    project.write_export(Path(path), etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return sum(1 for _ in root.iter(f"{{{CODEBOOK_NS}}}Code"))


# -- reading -----------------------------------------------------------------------------
@dataclass
class ReadCode:
    guid: str
    name: str
    parent: str | None
    codable: bool
    color: str | None
    description: str
    note_refs: list[str] = field(default_factory=list)


def read_codes(codes: etree._Element | None, ns: str, where: str) -> list[ReadCode]:
    """Every Code under a Codes element, parents before children."""
    found: list[ReadCode] = []

    def visit(element, parent):
        for child in element.findall(f"{{{ns}}}Code"):
            guid = read_guid(child.get("guid"))
            if guid is None:
                raise ImportRefused(f"{where}: a Code ('{child.get('name', '')}') has no valid guid")
            found.append(ReadCode(
                guid=guid, name=child.get("name") or "", parent=parent,
                codable=(child.get("isCodable") or "true").strip().lower() in ("true", "1"),
                color=child.get("color"), description=child.findtext(f"{{{ns}}}Description") or "",
                note_refs=[g for g in (read_guid(r.get("targetGUID")) for r in child.findall(f"{{{ns}}}NoteRef")) if g],
            ))
            visit(child, guid)

    if codes is not None:
        visit(codes, None)
    return found


def read_kind_sets(sets: etree._Element | None, ns: str) -> dict[str, str]:
    """code guid -> kind, from the sets a Workbench export adds."""
    kinds = {}
    for element in [] if sets is None else sets.findall(f"{{{ns}}}Set"):
        mark, _, kind = (element.findtext(f"{{{ns}}}Description") or "").strip().partition(" ")
        if mark == KIND_SET_MARK and kind in KINDS:
            for member in element.findall(f"{{{ns}}}MemberCode"):
                guid = read_guid(member.get("targetGUID") or member.get("guid"))
                if guid:
                    kinds[guid] = kind
    return kinds


def workbench_codes(read: list[ReadCode], kinds: dict[str, str], coded: set[str],
                    warnings: list[str]) -> dict[str, Code]:
    """Workbench codes (new ids) for codes read from a file, by guid, parents first.

    Names lose '/' (it separates path levels here) and two siblings with one name are told
    apart by a number. The kind is the one a Workbench export recorded; otherwise a code that
    is not codable becomes a category, unless codings use it."""
    result: dict[str, Code] = {}
    taken: dict[str | None, set[str]] = {}
    renamed, shown = [], 0
    for i, rc in enumerate(read):
        parent = result[rc.parent].id if rc.parent in result else None
        description = inert(rc.description.replace("\r\n", "\n"))
        name = inert(re.sub(r"[\t\n\r]+", " ", rc.name))
        shown += name != re.sub(r"[\t\n\r]+", " ", rc.name) or description != rc.description.replace("\r\n", "\n")
        name = re.sub(r"\s+", " ", name.replace("/", "-")).strip() or "unnamed code"
        base, n = name, 1
        while name_key(name) in taken.setdefault(parent, set()):
            n += 1
            name = f"{base} ({n})"
        if name != rc.name:
            renamed.append(f"'{rc.name}' as '{name}'")
        taken[parent].add(name_key(name))
        kind = kinds.get(rc.guid) or ("code" if rc.codable or rc.guid in coded else "category")
        color = rc.color if HEX_COLOUR.fullmatch(rc.color or "") else PALETTE[i % len(PALETTE)]
        result[rc.guid] = Code(id=new_id(), name=name, parent=parent, kind=kind, color=color,
                               description=description)
    if shown:
        warnings.append(f"{shown} codes have control characters in their name or definition; they are kept as "
                        "visible symbols (␛ for ESC), which do nothing on a terminal")
    if renamed:
        warnings.append(f"{len(renamed)} codes renamed to fit the codebook (no '/', unique beside their siblings): "
                        + ", ".join(renamed[:10]) + (" ..." if len(renamed) > 10 else ""))
    return result
