"""A project as REFI-QDA: `project.qde` plus one UTF-8 text file per transcript in a flat
`sources/` folder, zipped as a .qdpx.

What goes where (REFI-QDA 1.5; QDA-XML 1.0 Project.xsd):
    coder                       User (and the creatingUser of everything they made)
    codebooks (merged by path)  CodeBook; kinds other than `code` as Sets; one Set per coder
                                listing the codes of their own codebook
    transcript                  TextSource, plainTextPath internal://<guid>.txt; wave, date,
                                duration_minutes, interviewer (a survey answer: question)
                                as its VariableValues
    coding                      PlainTextSelection (code-point positions, end exclusive; its
                                name is the verbatim text) holding one Coding; its comment
                                (memo) as the selection's Description
    corrected text, exemplar    Notes attached to the Coding (Description marks them)
    journal entry               a named Note whose text is a file in sources/ (plainTextPath),
                                referenced from the project: where QualCoder reads journals
    transcript memo             the TextSource's Description, and a Note per coder it references
    code definition, code memo  the Code's Description; a Note the Code references
    dates                       UTC with the Z suffix
    participant                 Case with its attributes as VariableValues and its sources
                                (each speaker of a focus group a Case of the group's source)
    focus-group turn            PlainTextSelection without Coding (from its label to its end;
                                named by its text, like a coding's), referenced from the
                                speaker's Case (SelectionRef): who speaks where, so a group
                                whose labels are not its participant ids comes back as it was
GUIDs are UUID version 5 of the project's creation time and the record, so they are stable.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

from lxml import etree

from workbench.exchange.codebook_xml import add_code_elements, add_kind_sets, add_set, code_guid, merge_codebooks
from workbench.exchange.coder_files import open_coders
from workbench.exchange.refi import (CODER_SET_MARK, CORRECTED_MARK, DESCRIPTION_JOIN, EXEMPLAR_MARK, ORIGIN,
                                     PROJECT_NS, SOURCE_VARIABLES, SURVEY_VARIABLES, Guids, is_xml_text, journal_name,
                                     label, project_key, xml_attribute, xml_content, xml_datetime, xml_text)
from workbench.model import now
from workbench.gc_pause import collector_paused


def tag(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


class ProjectWriter:
    def __init__(self, project, coder_files):
        self.project = project
        self.coders = coder_files
        self.guids = Guids(project_key(project))
        self.files: dict[str, bytes] = {}
        self.warnings: list[str] = []
        self.codings = {c.coder: c.codings() for c in coder_files}
        self.users = {c.coder: self.guids("user", c.coder) for c in coder_files}
        self.guid_makers = {c.coder: (self.guids.maker("selection", c.coder), self.guids.maker("coding", c.coder))
                            for c in coder_files}
        self.roots, by_key = merge_codebooks(coder_files, self.codings)
        self.code_guids = {(coder, code_id): code_guid(self.guids, node)
                           for node in by_key.values() for coder, code_id in node.ids.items()}
        self.code_keys = {(coder, code_id): node.key for node in by_key.values() for coder, code_id in node.ids.items()}
        self.notes: list[etree._Element] = []
        self.sources_xml = ""
        self.refs: dict[tuple, list[str]] = {}  # ("project",) / ("transcript", id) / ("code", key) / ("coding", coder, id)
        self.coding_memos: dict[tuple[str, str], str] = {}  # (coder, coding id) -> memo
        self.descriptions: dict[str, list[str]] = {}  # transcript -> its memos, coder by coder
        self.turn_selections: dict[str, list[str]] = {}  # focus group -> its turns' selections (XML)
        self.case_selections: dict[str, list[str]] = {}  # participant -> the guids of their turns' selections

    # -- notes -----------------------------------------------------------------------
    def add_note(self, guid: str, text: str, user: str, created: str | None, modified: str | None,
                 name: str | None = None, description: str | None = None, as_file: bool = False) -> str:
        """A Note; `as_file` puts its text in sources/ (plainTextPath), where QualCoder
        looks for journal entries."""
        attrs = {"guid": guid, "creatingUser": user, "modifyingUser": user}
        if name:
            attrs["name"] = xml_text(name)
        for attr, value in (("creationDateTime", created), ("modifiedDateTime", modified)):
            if xml_datetime(value):
                attrs[attr] = xml_datetime(value)
        note = etree.Element(tag("Note"), attrs)
        if description:
            etree.SubElement(note, tag("Description")).text = description
        if is_xml_text(text) and not as_file:
            etree.SubElement(note, tag("PlainTextContent")).text = text
        else:  # characters XML cannot hold: the text travels as a file, untouched
            note.set("plainTextPath", f"internal://{guid}.txt")
            self.files[f"sources/{guid}.txt"] = text.encode("utf-8")
        self.notes.append(note)
        return guid

    def collect_notes(self) -> None:
        for coder in self.coders:
            user = self.users[coder.coder]
            for memo in sorted(coder.memos(), key=lambda m: (m.created, m.id)):
                guid = self.guids("note", coder.coder, memo.id)
                if memo.target_type == "project":  # a journal entry, where QualCoder reads one
                    self.add_note(guid, memo.text, user, memo.created, memo.modified,
                                  name=journal_name(memo.title, memo.text), as_file=True)
                    self.refs.setdefault(("project",), []).append(guid)
                    continue
                if memo.target_type == "cell":  # a framework summary: a named note of the project
                    self.add_note(guid, memo.text, user, memo.created, memo.modified,
                                  name=framework_note_name(coder.codebook, memo.target), as_file=True)
                    self.refs.setdefault(("project",), []).append(guid)
                    continue
                if memo.target_type == "coding" and is_xml_text(memo.text):
                    # the selection's Description, as QualCoder, NVivo and MAXQDA read it
                    self.coding_memos[(coder.coder, memo.target)] = memo.text
                    continue
                if memo.target_type == "coding":  # characters XML cannot hold: a note file, untouched
                    key, name = ("coding", coder.coder, memo.target), "Memo on a coding"
                elif memo.target_type == "transcript":
                    key, name = ("transcript", memo.target), f"Memo: {memo.target}"
                    self.descriptions.setdefault(memo.target, []).append(memo.text)
                elif memo.target_type == "code" and (coder.coder, memo.target) in self.code_keys:
                    key = ("code", self.code_keys[(coder.coder, memo.target)])
                    name = f"Memo: {coder.codebook.path(memo.target)}"
                else:
                    self.warnings.append(f"a memo of {coder.coder} on a missing {memo.target_type} was left out")
                    continue
                self.add_note(guid, memo.text, user, memo.created, memo.modified, name=name)
                self.refs.setdefault(key, []).append(guid)
            for coding in self.codings[coder.coder]:
                key = ("coding", coder.coder, coding.id)
                if coding.corrected is not None:
                    guid = self.add_note(self.guids("corrected", coder.coder, coding.id), coding.corrected, user,
                                         coding.created, coding.modified, "Corrected text", CORRECTED_MARK)
                    self.refs.setdefault(key, []).append(guid)
                if coding.exemplar:
                    guid = self.add_note(self.guids("exemplar", coder.coder, coding.id),
                                         "An exemplar quote of its code.", user, coding.created, coding.modified,
                                         "Exemplar", EXEMPLAR_MARK)
                    self.refs.setdefault(key, []).append(guid)

    # -- the document ----------------------------------------------------------------
    def document(self) -> etree._Element:
        self.collect_notes()
        manifest = self.project.manifest
        attrs = {"name": xml_text(self.project.title) or "project", "origin": ORIGIN,
                 "modifiedDateTime": xml_datetime(now())}
        if xml_datetime(manifest.get("created")):
            attrs["creationDateTime"] = xml_datetime(manifest["created"])
        root = etree.Element(tag("Project"), attrs, nsmap={None: PROJECT_NS})
        if self.users:
            users = etree.SubElement(root, tag("Users"))
            for coder, guid in self.users.items():
                etree.SubElement(users, tag("User"), guid=guid, name=xml_text(coder), id=xml_text(coder))
        if self.roots:
            codes = etree.SubElement(etree.SubElement(root, tag("CodeBook")), tag("Codes"))
            add_code_elements(codes, self.roots, PROJECT_NS, self.guids,
                              {key[1]: refs for key, refs in self.refs.items() if key[0] == "code"}, self.warnings)
        participants = self.project.participants()
        self.collect_turns()
        self.add_variables(root, participants)
        self.add_cases(root, participants)
        self.add_sources(root)
        if self.notes:
            etree.SubElement(root, tag("Notes")).extend(self.notes)
        self.add_sets(root)
        for guid in self.refs.get(("project",), ()):
            etree.SubElement(root, tag("NoteRef"), targetGUID=guid)
        return root

    def variable_guid(self, scope: str, name: str) -> str:
        return self.guids("variable", scope, name)

    def add_variables(self, root, participants: dict) -> None:
        variables = etree.SubElement(root, tag("Variables"))
        for name in sorted({a for attrs in participants.values() for a in attrs}):
            etree.SubElement(variables, tag("Variable"), guid=self.variable_guid("case", name), name=xml_text(name),
                             typeOfVariable="Text")
        if self.project.transcripts():
            survey = any(t.kind == "survey" for t in self.project.transcripts())
            for name, kind in {**SOURCE_VARIABLES, **(SURVEY_VARIABLES if survey else {})}.items():
                etree.SubElement(variables, tag("Variable"), guid=self.variable_guid("source", name), name=name,
                                 typeOfVariable=kind)
        if not len(variables):
            root.remove(variables)

    # Cases and Sources are written as text: building 100,000 selections element by element
    # takes seconds. They go into the tree as parsed fragments (Cases, small) or, for Sources,
    # are spliced into the serialised document in place of an empty placeholder element.
    def value_xml(self, scope: str, name: str, value) -> str:
        kind = SOURCE_VARIABLES.get(name, "Text") if scope == "source" else "Text"
        if kind == "Integer":
            content = str(int(value))
        elif kind == "Float":
            content = format(Decimal(str(float(value))), "f")
        else:
            content = xml_content(str(value))
        return (f'<VariableValue><VariableRef targetGUID="{self.variable_guid(scope, name)}"/>'
                f"<{kind}Value>{content}</{kind}Value></VariableValue>")

    def add_cases(self, root, participants: dict) -> None:
        if not participants:
            return
        sources: dict[str, list[str]] = {}
        for info in self.project.transcripts():  # a focus group is a source of each of its speakers
            for pid in self.project.transcript_participants(info):
                sources.setdefault(pid, []).append(self.guids("source", info.id))
        chunks = [f'<Cases xmlns="{PROJECT_NS}">']
        for pid, attributes in participants.items():
            chunks.append(f'<Case guid="{self.guids("case", pid)}" name="{xml_attribute(pid)}">')
            chunks.extend(self.value_xml("case", name, value) for name, value in sorted(attributes.items()))
            chunks.extend(f'<SourceRef targetGUID="{guid}"/>' for guid in sources.get(pid, ()))
            chunks.extend(f'<SelectionRef targetGUID="{guid}"/>' for guid in self.case_selections.get(pid, ()))
            chunks.append("</Case>")
        chunks.append("</Cases>")
        root.append(parse_own(chunks))

    def collect_turns(self) -> None:
        """Each focus-group speaker's turns as selections that hold no coding, for their Case
        to reference: positions in code points of the stored text, as the codings' are."""
        for info in self.project.transcripts():
            if not info.is_focus_group:
                continue
            by_label = self.project.speakers(info.id)
            text = self.project.text(info.id)
            guid = self.guids.maker("turn", info.id)
            chunks = self.turn_selections.setdefault(info.id, [])
            for turn in self.project.segments(info.id).turns:
                pid = by_label.get(turn.speaker) if turn.role != "interviewer" and turn.speaker is not None else None
                if pid is None or turn.label_start >= turn.end:
                    continue
                selection = guid(str(turn.label_start))
                chunks.append(f'<PlainTextSelection guid="{selection}" '
                              f'name="{xml_attribute(label(text[turn.label_start:turn.end]))}" '
                              f'startPosition="{turn.label_start}" endPosition="{turn.end}"/>')
                self.case_selections.setdefault(pid, []).append(selection)

    def add_sources(self, root) -> None:
        infos = self.project.transcripts()
        if not infos:
            return
        by_transcript: dict[str, list] = {}
        for coder in self.coders:
            for coding in self.codings[coder.coder]:
                by_transcript.setdefault(coding.transcript, []).append((coder.coder, coding))
        known = {info.id for info in infos}
        orphans = sum(len(v) for t, v in by_transcript.items() if t not in known)
        if orphans:
            self.warnings.append(f"{orphans} codings on transcripts the project no longer holds were left out")
        chunks = ["<Sources>"]
        for info in infos:
            guid = self.guids("source", info.id)
            self.files[f"sources/{guid}.txt"] = self.project.transcript_path(info.id).read_bytes()
            created = f' creationDateTime="{xml_datetime(info.imported)}"' if xml_datetime(info.imported) else ""
            chunks.append(f'<TextSource guid="{guid}" name="{xml_attribute(info.id)}" '
                          f'plainTextPath="internal://{guid}.txt"{created}>')
            if info.id in self.descriptions:  # the transcript's memo, as QualCoder, NVivo and MAXQDA read it
                chunks.append(f"<Description>{xml_content(DESCRIPTION_JOIN.join(self.descriptions[info.id]))}"
                              "</Description>")
            chunks.extend(self.turn_selections.get(info.id, ()))
            rows = sorted(by_transcript.get(info.id, ()), key=lambda r: (r[1].start, r[1].end, r[0], r[1].id))
            for coder, coding in rows:
                self.selection_xml(chunks, coder, coding)
            chunks.extend(f'<NoteRef targetGUID="{note}"/>' for note in self.refs.get(("transcript", info.id), ()))
            details = {"wave": info.wave, "date": info.date, "duration_minutes": info.duration,
                       "interviewer": info.interviewer, "question": info.question}
            chunks.extend(self.value_xml("source", name, value) for name, value in details.items()
                          if value not in (None, ""))
            chunks.append("</TextSource>")
        chunks.append("</Sources>")
        etree.SubElement(root, tag("Sources"))
        self.sources_xml = "".join(chunks)

    def selection_xml(self, chunks: list[str], coder: str, coding) -> None:
        code = self.code_guids.get((coder, coding.code))
        if code is None:
            self.warnings.append(f"a coding of {coder} ({coding.transcript} {coding.start}-{coding.end}) "
                                 "names a code missing from their codebook; left out")
            return
        user = self.users[coder]
        created, modified = xml_datetime(coding.created), xml_datetime(coding.modified)
        created_attr = f' creationDateTime="{created}"' if created else ""
        modified_attr = f' modifyingUser="{user}" modifiedDateTime="{modified}"' if modified and modified != created else ""
        notes = "".join(f'<NoteRef targetGUID="{n}"/>' for n in self.refs.get(("coding", coder, coding.id), ()))
        selection_guid, coding_guid = self.guid_makers[coder]
        memo = self.coding_memos.get((coder, coding.id))
        description = f"<Description>{xml_content(memo)}</Description>" if memo else ""
        chunks.append(
            f'<PlainTextSelection guid="{selection_guid(coding.id)}" name="{xml_attribute(label(coding.text))}" '
            f'startPosition="{coding.start}" endPosition="{coding.end}" creatingUser="{user}"{created_attr}'
            f'{modified_attr}>{description}'
            f'<Coding guid="{coding_guid(coding.id)}" creatingUser="{user}"{created_attr}>'
            f'<CodeRef targetGUID="{code}"/>{notes}</Coding></PlainTextSelection>')

    def add_sets(self, root) -> None:
        sets = etree.Element(tag("Sets"))
        all_nodes = [n for r in self.roots for n in r.walk()]
        for coder in self.coders:
            members = [code_guid(self.guids, n) for n in all_nodes if coder.coder in n.ids]
            add_set(sets, PROJECT_NS, self.guids("set", "coder", coder.coder), f"Codebook of {coder.coder}",
                    f"{CODER_SET_MARK} {self.users[coder.coder]}", members, "targetGUID")
        add_kind_sets(sets, self.roots, PROJECT_NS, self.guids, "targetGUID")
        if len(sets):
            root.append(sets)


def parse_own(chunks: list[str]) -> etree._Element:
    """Parse XML this module wrote (no entities, so a large tree is safe)."""
    return etree.fromstring("".join(chunks).encode("utf-8"), etree.XMLParser(huge_tree=True, resolve_entities=False))


def project_document(project, coder_files) -> tuple[bytes, dict[str, bytes], list[str]]:
    """project.qde as bytes, the files of its sources/ folder, and warnings."""
    writer = ProjectWriter(project, coder_files)
    root = writer.document()
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    if writer.sources_xml:  # every "<" of the content is escaped, so this is the placeholder
        data = data.replace(b"<Sources/>", writer.sources_xml.encode("utf-8"), 1)
    return data, writer.files, writer.warnings


def export_qdpx(project, path: Path, coders: list[str] | None = None) -> list[str]:
    """Write the project (every coder, or those named) as a .qdpx; returns warnings."""
    with collector_paused(), open_coders(project, coders) as coder_files:
        qde, files, warnings = project_document(project, coder_files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("project.qde", qde)
        for name, data in files.items():
            archive.writestr(name, data)
    project.write_export(Path(path), buffer.getvalue())
    return warnings


def framework_note_name(book, target: str) -> str:
    from workbench.analysis.framework import cell_label

    return f"Framework summary: {cell_label(book, target)}"
