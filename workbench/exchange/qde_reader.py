"""Reading a REFI-QDA project.qde (and the sources it names) into an `ImportPlan`: every
check is made here, before the importer writes anything.

Refused, with the reason: a root that is not a REFI-QDA Project, a text source whose file is
missing from the .qdpx, a selection outside its source, a coding that names no known code.
Not carried over (listed in the warnings, as the specification asks, section 7): picture,
PDF, audio and video sources, links, graphs, sets, and case links to codes. A Case's links to
selections (`SelectionRef`) are read as where that Case speaks (`case_speakers`); a selection
that only marks that (no coding) is neither a coding nor "left out" in the import report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from workbench.errors import ImportRefused
from workbench.exchange.case_speakers import CasePlan
from workbench.exchange.codebook_xml import ReadCode, read_codes, read_kind_sets
from workbench.exchange.import_report import ImportReport, SelectionOutcome, SourceReading
from workbench.exchange.placement import LINE_NAME, Placement, Selection, place_selections
from workbench.exchange.positions import MappedText, normalise_mapped
from workbench.exchange.refi import (CODER_SET_MARK, CORRECTED_MARK, EXEMPLAR_MARK, KIND_SET_MARK, PROJECT_NS,
                                     DESCRIPTION_JOIN, SOURCE_VARIABLES, SURVEY_VARIABLES, parse_xml, read_datetime,
                                     qda_namespace, read_guid, xml_text)
from workbench.exchange.safezip import QdpxArchive
from workbench.transcripts.normalise import NotText, decode
from workbench.transcripts.readers import MAX_BYTES, read_docx

OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")


@dataclass
class SourcePlan:
    guid: str
    name: str
    text: str
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class CodingPlan:
    source: str
    code: str
    start: int
    end: int
    user: str | None
    created: str | None
    modified: str | None
    corrected: str | None = None
    exemplar: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class NotePlan:
    guid: str
    name: str
    text: str
    user: str | None
    created: str | None
    modified: str | None
    mark: str = ""
    targets: list[tuple[str, str | None]] = field(default_factory=list)  # (project|transcript|code, guid)


@dataclass
class ImportPlan:
    name: str = ""
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    codes: list[ReadCode] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    codebooks: dict[str, set[str]] = field(default_factory=dict)  # user guid -> code guids (Workbench exports)
    sources: list[SourcePlan] = field(default_factory=list)
    codings: list[CodingPlan] = field(default_factory=list)
    notes: dict[str, NotePlan] = field(default_factory=dict)
    cases: list[CasePlan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origin: str = ""
    report: ImportReport = field(default_factory=lambda: ImportReport(""))


class QdeReader:
    def __init__(self, archive: QdpxArchive | None, root: etree._Element, where: str):
        self.archive = archive
        self.where = where
        self.ns = etree.QName(root).namespace or ""
        if etree.QName(root).localname != "Project" or not qda_namespace(self.ns, "project"):
            raise ImportRefused(f"{where}: not a REFI-QDA project (its root element is "
                                f"<{etree.QName(root).localname}> in namespace '{self.ns}', not <Project> in "
                                f"'{PROJECT_NS}'); nothing was imported")
        self.root = root
        self.plan = ImportPlan(name=root.get("name") or "", origin=(root.get("origin") or "").strip())
        self.plan.report = ImportReport(where, origin=self.plan.origin)
        self.variables: dict[str, str] = {}
        self.skipped: dict[str, int] = {}
        self.case_refs: set[str] = set()  # the selections Cases reference
        # each of those read in a text source: guid -> (source guid, span on the stored text or None, why not)
        self.case_places: dict[str, tuple[str, tuple[int, int] | None, str]] = {}
        self.elsewhere: dict[str, str] | None = None

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def refuse(self, reason: str) -> ImportRefused:
        return ImportRefused(f"{self.where}: {reason}; nothing was imported")

    def skip(self, what: str, n: int = 1) -> None:
        if n:
            self.skipped[what] = self.skipped.get(what, 0) + n

    def read(self) -> ImportPlan:
        plan, q = self.plan, self.q
        for user in self.root.iterfind(f"{q('Users')}/{q('User')}"):
            guid = read_guid(user.get("guid"))
            if guid:
                plan.users[guid] = user.get("name") or user.get("id") or ""
        plan.codes = read_codes(self.root.find(f"{q('CodeBook')}/{q('Codes')}"), self.ns, self.where)
        self.code_guids = {c.guid for c in plan.codes}
        plan.report.codes = len(plan.codes)
        for variable in self.root.iterfind(f"{q('Variables')}/{q('Variable')}"):
            self.variables[read_guid(variable.get("guid")) or ""] = variable.get("name") or ""
        self.read_notes()
        for code in plan.codes:
            self.attach(code.note_refs, "code", code.guid)
        self.attach([read_guid(r.get("targetGUID")) for r in self.root.findall(q("NoteRef"))], "project", None)
        self.case_refs = {g for g in (read_guid(r.get("targetGUID")) for r in
                                      self.root.iterfind(f"{q('Cases')}/{q('Case')}/{q('SelectionRef')}")) if g}
        self.read_sources()
        self.read_cases()
        self.read_sets()
        for what in ("Links", "Graphs"):
            found = self.root.find(q(what))
            self.skip(what.lower(), 0 if found is None else len(found))
        for note in plan.notes.values():
            if not note.targets and not note.mark:
                note.targets.append(("project", None))  # a standalone note: a journal entry
        plan.warnings += [f"not carried over: {n} {what}" for what, n in self.skipped.items()]
        return plan

    # -- notes -------------------------------------------------------------------------
    def read_notes(self) -> None:
        for element in self.root.iterfind(f"{self.q('Notes')}/{self.q('Note')}"):
            guid = read_guid(element.get("guid"))
            if guid is None:
                continue
            text = element.findtext(self.q("PlainTextContent"))
            if text is None:
                text = self.member_text(element.get("plainTextPath"), f"note '{element.get('name', guid)}'", must=False)
                text = (text or "").removeprefix("\ufeff")  # QualCoder writes note files with a BOM
            mark = (element.findtext(self.q("Description")) or "").strip()
            self.plan.notes[guid] = NotePlan(
                guid=guid, name=element.get("name") or "", text=text or "", user=read_guid(element.get("creatingUser")),
                created=read_datetime(element.get("creationDateTime")),
                modified=read_datetime(element.get("modifiedDateTime")),
                mark=mark if mark in (CORRECTED_MARK, EXEMPLAR_MARK) else "")
            self.skip("selections or codings inside notes",
                      len(element.findall(self.q("PlainTextSelection"))) + len(element.findall(self.q("Coding"))))

    def attach(self, refs, target_type: str, target: str | None) -> None:
        for guid in refs:
            note = self.plan.notes.get(guid)
            if note is not None and not note.mark:
                note.targets.append((target_type, target))

    def member_text(self, reference: str | None, what: str, must: bool = True) -> str | None:
        member = self.archive.source_member(reference) if self.archive else None
        if member is None:
            if must:
                raise self.refuse(f"{what} refers to '{reference}', which the file does not hold")
            return None
        data = self.archive.read(member, limit=MAX_BYTES)  # a source file is capped like a transcript file
        try:
            return data.decode("utf-8")  # a BOM stays: positions may count it
        except UnicodeDecodeError:
            try:
                text, note = decode(data)
            except NotText as err:
                raise self.refuse(f"{what} ({member}) {err}") from None
            self.plan.warnings.append(f"{what} ({member}): {note}")
            return text

    # -- sources -------------------------------------------------------------------------
    def read_sources(self) -> None:
        sources = self.root.find(self.q("Sources"))
        for element in [] if sources is None else sources:
            kind = etree.QName(element).localname
            if kind == "TextSource":
                self.read_text_source(element)
            elif kind in OTHER_SOURCES:
                self.skip(f"{kind[:-6].lower()} sources (Workbench holds text transcripts)")

    def source_text(self, element, name: str) -> str:
        content = element.findtext(self.q("PlainTextContent"))
        what = f"text source '{name}'"
        if content is not None:
            return self.capped(content, what)
        plain, rich = element.get("plainTextPath"), element.get("richTextPath")
        text = self.member_text(plain, what, must=not rich) if plain else None
        if (text is None or not text.strip()) and rich and rich.lower().endswith(".docx"):
            text = self.docx_text(rich, what) or text  # NVivo: an empty .txt beside the .docx that holds the text
        if text is None:
            raise self.refuse(f"{what} has neither PlainTextContent nor a readable plainTextPath")
        return self.capped(text, what)

    def capped(self, text: str, what: str) -> str:
        """A source's text is held to the limit of a transcript file."""
        if len(text) > MAX_BYTES // 4 and len(text.encode("utf-8")) > MAX_BYTES:
            raise self.refuse(f"{what} holds {len(text.encode('utf-8')) / 2**20:.1f} MB of text, over the "
                              f"{MAX_BYTES // 2**20} MB limit for one transcript")
        return text

    def docx_text(self, reference: str, what: str) -> str | None:
        member = self.archive.source_member(reference) if self.archive else None
        if member is None:
            return None
        try:
            return read_docx(self.archive.read(member, limit=MAX_BYTES))  # in memory: never written to /tmp
        except NotText as err:
            raise self.refuse(f"{what} ({member}) {err}") from None

    def read_text_source(self, element) -> None:
        guid = read_guid(element.get("guid"))
        path = (element.get("plainTextPath") or element.get("richTextPath") or "").split("://")[-1]
        name = (element.get("name") or "").strip() or Path(path).stem or guid or "source"
        if guid is None:
            raise self.refuse(f"text source '{name}' has no valid guid")
        raw = self.source_text(element, name)
        mapped = normalise_mapped(raw)
        if mapped.approximate:
            self.plan.warnings.append(f"text source '{name}': positions could only be mapped approximately")
        if not mapped.text.strip():
            self.plan.warnings.append(f"text source '{name}' has no text")
        source = SourcePlan(guid=guid, name=name, text=mapped.text)
        owner = read_guid(element.get("creatingUser"))
        self.read_selections(element.findall(self.q("PlainTextSelection")), source, raw, mapped)
        for coding in element.findall(self.q("Coding")):  # the whole source coded
            if mapped.text:
                self.add_coding(coding, source, 0, len(mapped.text), owner, [])
        refs = [read_guid(r.get("targetGUID")) for r in element.findall(self.q("NoteRef"))]
        self.attach(refs, "transcript", guid)
        self.description_note(element, f"source:{guid}", owner, ("transcript", guid), repeats=refs)
        for value in element.findall(self.q("VariableValue")):
            name_, text = self.variable_value(value)
            if name_ in SOURCE_VARIABLES or name_ in SURVEY_VARIABLES:
                source.variables[name_] = text
            else:
                self.skip("variables of sources")
        self.plan.sources.append(source)

    def description_note(self, element, key: str, user: str | None, target: tuple[str, str | None],
                         repeats: list | None = None, name: str = "") -> str | None:
        """A `<Description>` (QualCoder's and MAXQDA's memo of a source, selection or case) as
        a note on `target`; None when there is none, or when it repeats the notes given in
        `repeats` (Workbench writes both)."""
        text = element.findtext(self.q("Description")) or ""
        if not text.strip():
            return None
        attached = [self.plan.notes[g].text for g in repeats or () if g in self.plan.notes]
        joined = DESCRIPTION_JOIN.join(attached)
        if attached and text in (attached[0], joined, xml_text(attached[0]), xml_text(joined)):
            return None
        self.plan.notes[key] = NotePlan(guid=key, name=name, text=text, user=user,
                                        created=read_datetime(element.get("creationDateTime")),
                                        modified=read_datetime(element.get("modifiedDateTime")),
                                        targets=[target] if target[0] != "coding" else [])
        return key

    def read_selections(self, elements, source: SourcePlan, raw: str, mapped: MappedText) -> None:
        selections, malformed = [], set()
        for i, element in enumerate(elements):
            try:
                start, end = int(element.get("startPosition")), int(element.get("endPosition"))
            except (TypeError, ValueError):
                start, end = 0, 0
                malformed.add(i)
            selections.append(Selection(element.get("guid") or "", element.get("name") or "", start, end))
        decision = place_selections(raw, mapped, selections, self.plan.origin)
        report = self.plan.report
        report.sources.append(SourceReading(source.name, decision.reading.describe(raw.startswith("\ufeff")),
                                            decision.evidence,
                                            len(selections)))
        for i, (element, selection, placed) in enumerate(zip(elements, selections, decision.placements)):
            if i in malformed:
                placed = Placement("left out", why="it has no whole-number startPosition/endPosition")
            outcome, why = placed.outcome, placed.why
            span = (placed.start, placed.end) if placed.start is not None else None
            if span is not None and span[0] >= span[1]:
                outcome, why, span = "left out", "it covers none of the stored text", None
            codings = element.findall(self.q("Coding"))
            guid = read_guid(selection.guid)
            if guid in self.case_refs:
                self.case_places[guid] = (source.guid, span, why)
                if not codings:  # it only marks where a Case speaks
                    report.case_selections += 1
                    self.passage_memo(element, source, selection)
                    continue
            known = [c for c in codings if self.code_of(c) in self.code_guids]
            if span is not None and not known:
                outcome = "left out"
                why = ("it holds no coding (a memo on a passage)" if not codings else
                       "its codings name no code the codebook holds")
                span = None
            text = selection.name if selection.name.strip() and not LINE_NAME.match(selection.name.strip()) \
                else (source.text[span[0]:span[1]] if span else selection.name)
            report.outcomes.append(SelectionOutcome(source.name, selection.guid, outcome,
                                                    (selection.start, selection.end), span, text, why))
            if span is None:
                self.passage_memo(element, source, selection)
                continue
            user = read_guid(element.get("creatingUser"))
            notes = [read_guid(r.get("targetGUID")) for r in element.findall(self.q("NoteRef"))]
            memo = self.description_note(element, f"selection:{selection.guid}:{i}:{source.guid}", user,
                                         ("coding", None))
            for coding in known:
                self.add_coding(coding, source, span[0], span[1], user, notes + ([memo] if memo else []))
            if len(known) < len(codings):
                self.plan.warnings.append(f"selection {selection.guid} in '{source.name}': "
                                          f"{len(codings) - len(known)} of its codings name no code the codebook "
                                          "holds; they were left out")

    def passage_memo(self, element, source: SourcePlan, selection: Selection) -> None:
        """The memo of a selection that is not imported is kept, as a journal entry."""
        text = (element.findtext(self.q("Description")) or "").strip()
        if text:
            key = f"passage:{selection.guid}:{source.guid}:{selection.start}"
            quote = f"\n\n> {selection.name}" if selection.name.strip() else ""
            self.plan.notes[key] = NotePlan(
                guid=key, name=f"Memo on {source.name} {selection.start}-{selection.end}", text=text + quote,
                user=read_guid(element.get("creatingUser")), created=read_datetime(element.get("creationDateTime")),
                modified=read_datetime(element.get("modifiedDateTime")), targets=[("project", None)])

    def code_of(self, coding) -> str | None:
        ref = coding.find(self.q("CodeRef"))
        return read_guid(ref.get("targetGUID")) if ref is not None else None

    def add_coding(self, element, source: SourcePlan, start: int, end: int, user: str | None, notes: list) -> None:
        code = self.code_of(element)
        if code not in self.code_guids:
            self.plan.warnings.append(f"coding {element.get('guid')} of the whole of '{source.name}' names code "
                                      f"{code}, which the codebook does not hold; it was left out")
            return
        plan = CodingPlan(source=source.guid, code=code, start=start, end=end,
                          user=read_guid(element.get("creatingUser")) or user,
                          created=read_datetime(element.get("creationDateTime")),
                          modified=read_datetime(element.get("modifiedDateTime") or element.get("creationDateTime")))
        for guid in notes + [read_guid(r.get("targetGUID")) for r in element.findall(self.q("NoteRef"))]:
            note = self.plan.notes.get(guid)
            if note is None:
                continue
            if note.mark == CORRECTED_MARK:
                plan.corrected = note.text
            elif note.mark == EXEMPLAR_MARK:
                plan.exemplar = True
            else:
                plan.notes.append(guid)
                note.targets.append(("coding", None))
        self.plan.codings.append(plan)

    # -- cases, variables, sets ------------------------------------------------------------
    def variable_value(self, element) -> tuple[str, str]:
        ref = element.find(self.q("VariableRef"))
        name = self.variables.get(read_guid(ref.get("targetGUID")) if ref is not None else "", "")
        value = next((element.findtext(self.q(t)) for t in VALUE_TAGS if element.find(self.q(t)) is not None), "")
        return name, (value or "").strip()

    def read_cases(self) -> None:
        self.source_names = {source.guid: source.name for source in self.plan.sources}
        for case in self.root.iterfind(f"{self.q('Cases')}/{self.q('Case')}"):
            name = (case.get("name") or "").strip() or (read_guid(case.get("guid")) or "case")[:8]
            plan = CasePlan(name)
            for value in case.findall(self.q("VariableValue")):
                variable, text = self.variable_value(value)
                if variable and text != "":
                    plan.attributes[variable] = text
            plan.sources = [g for g in (read_guid(r.get("targetGUID")) for r in case.findall(self.q("SourceRef"))) if g]
            self.skip("case links to codes", len(case.findall(self.q("CodeRef"))))
            for ref in case.findall(self.q("SelectionRef")):
                self.case_selection(plan, ref.get("targetGUID"))
            self.plan.cases.append(plan)
            self.description_note(case, f"case:{read_guid(case.get('guid'))}:{name}", None, ("project", None),
                                  name=f"Case {name}")

    def case_selection(self, plan: CasePlan, target: str | None) -> None:
        """One of a Case's SelectionRefs: a span of a source it is linked to, or a note in the
        import report saying why it was ignored."""
        guid = read_guid(target)
        place = self.case_places.get(guid) if guid else None
        if place is None:
            where = self.selection_elsewhere(guid) if guid else None
            why = ("its target is not a GUID" if guid is None else
                   f"it is {where}, which Workbench does not import" if where else "the file holds no such selection")
        else:
            source, span, reason = place
            if source not in plan.sources:
                why = f"it is in source '{self.source_names[source]}', which the case is not linked to (no SourceRef)"
            elif span is None:
                why = f"it could not be placed in '{self.source_names[source]}': {reason}"
            else:
                plan.selections.append((source, *span))
                return
        self.plan.report.case_notes.append(f"case '{plan.name}': selection {target!r} was ignored: {why}")

    def selection_elsewhere(self, guid: str) -> str | None:
        """What holds a selection that is not in a text source (a picture source, a note...)."""
        if self.elsewhere is None:  # looked for once, and only when a Case names such a selection
            self.elsewhere = {}
            for element in self.root.iter():
                if isinstance(element.tag, str) and element.tag.endswith("Selection"):
                    parent = element.getparent()
                    self.elsewhere.setdefault(read_guid(element.get("guid")) or "",
                                              etree.QName(parent).localname if parent is not None else "project")
        owner = self.elsewhere.get(guid)
        return f"a selection of a {owner}" if owner else None

    def read_sets(self) -> None:
        sets = self.root.find(self.q("Sets"))
        self.plan.kinds = read_kind_sets(sets, self.ns)
        for element in [] if sets is None else sets.findall(self.q("Set")):
            mark, _, rest = (element.findtext(self.q("Description")) or "").strip().partition(" ")
            if mark == CODER_SET_MARK and read_guid(rest):
                self.plan.codebooks[read_guid(rest)] = {
                    g for g in (read_guid(m.get("targetGUID")) for m in element.findall(self.q("MemberCode"))) if g}
            elif mark != KIND_SET_MARK:
                self.skip("sets")


def read_qdpx(archive: QdpxArchive, where: str) -> ImportPlan:
    member = archive.project_member()
    return QdeReader(archive, parse_xml(archive.read(member), f"{where} ({member})"), where).read()
