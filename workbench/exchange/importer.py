"""Importing REFI-QDA files: a .qdpx project into a new or existing project, a .qdc codebook
into one coder's codebook.

The whole file is read and checked first (`qde_reader`); nothing is written until every
check has passed and every coder file it will write to is locked. Then the transcripts and
participants go into the project and each coder's codes, codings and memos into their file
as one change (one history entry: `workbench undo` takes the import back out).

Who gets what: each User of the file becomes a coder (the name made into a valid coder
name); codings and notes that name no known user go to the importing coder. Every coder gets
the file's codebook, or, for files Workbench wrote, the codes of their own codebook.
"""

from __future__ import annotations

import re
import tempfile
from contextlib import ExitStack
from pathlib import Path

from lxml import etree

from workbench.codebook import Codebook
from workbench.coderfile import CoderFile, check_coder_name
from workbench.errors import ImportRefused
from workbench.exchange.case_speakers import CasePlan, focus_group_speakers
from workbench.exchange.codebook_xml import read_codes, read_kind_sets, workbench_codes
from workbench.exchange.import_report import ImportReport
from workbench.exchange.qde_reader import ImportPlan, NotePlan, read_qdpx
from workbench.exchange.refi import CODEBOOK_NS, PROJECT_NS, journal_name, parse_xml, qda_namespace
from workbench.exchange.safezip import QdpxArchive
from workbench.model import Code, Coding, Memo, new_id, now
from workbench.project import Project, TranscriptInfo
from workbench.securefs import atomic_write
from workbench.sources.survey import answer_segments
from workbench.transcripts.naming import check_transcript_id, is_transcript_id, participant_and_wave, transcript_id_for
from workbench.transcripts.segment import segment
from workbench.wording import plural

MAX_QDC_BYTES = 64 * 1024 * 1024
DOCUMENT_SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".pdf", ".md", ".odt", ".vtt", ".srt")


class ExchangeResult(list):
    """The warnings of an import (a list of str), a one-line summary of what it brought in
    and, for a .qdpx, the import report (saved in the project)."""

    summary: str = ""
    project_name: str = ""  # the <Project name> of a .qdpx: the title of a project made from it
    report: ImportReport | None = None


class StrictRefusal(ImportRefused):
    """`--strict` and a selection that could not be placed exactly: nothing was imported."""

    def __init__(self, message: str, report: ImportReport):
        super().__init__(message)
        self.report = report


def import_exchange_file(project: Project, path: Path, coder: str, strict: bool = False) -> ExchangeResult:
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".qdpx":
        return import_qdpx(project, path, coder, strict)
    if suffix == ".qdc":
        return import_qdc(project, path, coder)
    raise ImportRefused(f"{path}: not a REFI-QDA file (.qdpx project or .qdc codebook)")


# -- .qdc -------------------------------------------------------------------------------------
def import_qdc(project: Project, path: Path, coder: str) -> ExchangeResult:
    if path.stat().st_size > MAX_QDC_BYTES:
        raise ImportRefused(f"{path}: over {MAX_QDC_BYTES // 2**20} MB; not a codebook")
    root = parse_xml(path.read_bytes(), str(path))
    name, ns = etree.QName(root).localname, etree.QName(root).namespace or ""
    if name == "CodeBook" and (qda_namespace(ns, "codebook") or ns == PROJECT_NS):
        codes_element = root.find(f"{{{ns}}}Codes" if ns else "Codes")
    elif name == "Project" and qda_namespace(ns, "project") and ns:
        codes_element = root.find(f"{{{ns}}}CodeBook/{{{ns}}}Codes")
    else:
        raise ImportRefused(f"{path}: not a REFI-QDA codebook (its root element is <{name}> in namespace '{ns}', "
                            f"not <CodeBook> in '{CODEBOOK_NS}'); nothing was imported")
    read = read_codes(codes_element, ns, str(path))
    if not read:
        raise ImportRefused(f"{path}: holds no codes; nothing was imported")
    result = ExchangeResult()
    sets = root.find(f"{{{ns}}}Sets" if ns else "Sets")
    if sets is not None and not len(sets):
        result.append(f"{path.name}: an empty <Sets/>, which the REFI-QDA schema does not allow (Taguette writes "
                      "one), was ignored")
    codes = workbench_codes(read, read_kind_sets(sets, ns), set(), result)
    with project.open_coder(coder) as target:
        added = len(merge_codebook(target, list(codes.values()), path)[1])
    result.summary = f"imported {path.name}: {added} of {len(codes)} codes were new to {coder}'s codebook"
    return result


def merge_codebook(target: CoderFile, codes: list[Code], origin: Path) -> tuple[dict[str, str], list[str]]:
    """Add the codes `target` lacks (matched by path, with `copy_codebook_from`); returns the
    map from each given code's id to the target's code, and the ids that were new."""
    before = set(target.codebook.by_id)
    with tempfile.TemporaryDirectory() as tmp:
        label = coder_name_for(origin.stem, "import")
        source = CoderFile.open(Path(tmp) / f"{label}.json", label)
        try:
            source.add_many("exchange.import", f"codes from {origin.name}", codes)
            if codes:
                target.copy_codebook_from(source)
            book = source.codebook
            mapping = {c.id: find_path(target.codebook, [a.name for a in book.ancestors(c.id)] + [c.name]).id
                       for c in book.walk()}
        finally:
            source.close()
    return mapping, [i for i in target.codebook.by_id if i not in before]


def find_path(book: Codebook, names: list[str]) -> Code:
    code = None
    for name in names:
        code = book.sibling_named(code.id if code else None, name)
    return code


# -- .qdpx ------------------------------------------------------------------------------------
def import_qdpx(project: Project, path: Path, coder: str, strict: bool = False) -> ExchangeResult:
    with QdpxArchive(path) as archive:
        plan = read_qdpx(archive, str(path))
    report = plan.report
    if strict and report.doubtful:
        raise StrictRefusal(f"{path}: {report.count('moved')} selections would be moved and {report.count('left out')} "
                            "left out, and --strict asks for every one exact; nothing was imported", report)
    result = ExchangeResult(plan.warnings)
    result.project_name = " ".join((plan.name or "").split())
    result.report = report
    check_coder_name(coder)
    coder_of = coders_for_users(plan)
    transcripts = plan_transcripts(project, plan, path)  # source guid -> (info, text, new?)
    work = share_out(plan, coder_of, coder, result)
    coded = {c.code for c in plan.codings}
    codes = workbench_codes(plan.codes, plan.kinds, coded, result)
    parents = {c.guid: c.parent for c in plan.codes}
    with ExitStack() as stack:  # every lock first: a coder file in use stops the import before it writes
        files = {name: stack.enter_context(project.open_coder(name)) for name in work}
        write_transcripts(project, plan, transcripts)
        counts = [0, 0]
        for name, share in work.items():
            wanted = with_ancestors(share["codes"], parents)
            subset = [codes[c.guid] for c in plan.codes if c.guid in wanted]
            added = fill_coder(files[name], subset, codes, share, transcripts, plan.notes, path, result)
            counts[0] += added[0]
            counts[1] += added[1]
    new = sum(1 for _, _, is_new in transcripts.values() if is_new)
    report.save(project.root)
    result.summary = (f"imported {path.name}: {new} transcripts ({len(transcripts) - new} already here), "
                      f"{len(codes)} codes, {counts[0]} codings, {counts[1]} memos; coders: {', '.join(work) or 'none'}")
    return result


def coder_name_for(name: str, fallback: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name.strip()).strip("._-")[:64]
    return name if name and name[0].isalnum() else fallback


def coders_for_users(plan: ImportPlan) -> dict[str, str]:
    names: dict[str, str] = {}
    for guid, user in plan.users.items():
        base = name = coder_name_for(user, f"user-{guid[:8]}")
        n = 1
        while name in names.values():
            n += 1
            name = f"{base[:60]}-{n}"
        names[guid] = name
    return names


def share_out(plan: ImportPlan, coder_of: dict[str, str], importing: str, result: list[str]) -> dict[str, dict]:
    """What each coder receives: codes (guids), codings and notes (with their targets)."""
    everything = {c.guid for c in plan.codes}
    work: dict[str, dict] = {}

    def share(user: str | None) -> dict:
        name = coder_of.get(user, importing)
        if name not in work:
            own = plan.codebooks.get(user) if plan.codebooks else everything
            work[name] = {"codes": set(own or ()), "codings": [], "notes": []}
        return work[name]

    for user in plan.users:
        share(user)
    if not plan.users and plan.codes:
        share(None)
    strangers = 0
    for coding in plan.codings:
        strangers += coding.user is not None and coding.user not in coder_of
        target = share(coding.user)
        target["codings"].append(coding)
        target["codes"].add(coding.code)
    for note in plan.notes.values():
        for target_type, target in note.targets:
            if target_type != "coding":
                holder = share(note.user)
                holder["notes"].append((note, target_type, target))
                if target_type == "code":
                    holder["codes"].add(target)
    if strangers:
        result.append(f"{strangers} codings name a user the file does not list; they went to {importing}")
    return work


def with_ancestors(guids: set[str], parents: dict[str, str | None]) -> set[str]:
    found = set()
    for guid in guids:
        while guid is not None and guid not in found:
            found.add(guid)
            guid = parents.get(guid)
    return found


def transcript_id_from(name: str) -> str:
    if is_transcript_id(name) and Path(name).suffix.lower() not in DOCUMENT_SUFFIXES:
        return name
    return transcript_id_for(name)


def plan_transcripts(project: Project, plan: ImportPlan, path: Path) -> dict[str, tuple[TranscriptInfo, str, bool]]:
    import hashlib

    case_of = {source: case.name for case in plan.cases for source in case.sources}
    cases_of: dict[str, list[CasePlan]] = {}
    for case in plan.cases:
        for source in case.sources:
            cases_of.setdefault(source, []).append(case)
    existing = project.manifest["transcripts"]
    taken: set[str] = set()
    planned = {}
    for source in plan.sources:
        base = transcript_id = transcript_id_from(source.name)
        n = 1
        while transcript_id in taken:
            n += 1
            transcript_id = f"{base}-{n}"
        check_transcript_id(transcript_id, f"{path}: source '{source.name}'")
        taken.add(transcript_id)
        named_participant, named_wave = participant_and_wave(transcript_id)
        variables = source.variables
        sha = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        if transcript_id in existing:
            if existing[transcript_id]["sha256"] != sha:
                raise ImportRefused(f"{path}: source '{source.name}' would be transcript '{transcript_id}', which this "
                                    "project already holds with a different text; import into a new project "
                                    "('workbench init DIR') instead; nothing was imported")
            planned[source.guid] = (TranscriptInfo.from_dict(existing[transcript_id]), source.text, False)
            continue
        interviewer = variables.get("interviewer") or None
        participant = case_of.get(source.guid) or named_participant
        question = variables.get("question") or None  # a survey answer: one turn, whatever it says
        group = cases_of.get(source.guid, [])
        speakers = seg = None
        marked = any(where == source.guid for case in group for where, _, _ in case.selections)
        if (len(group) > 1 or marked) and not question:  # turns as the project will count them: the group's id
            seg = segment(source.text, participant=named_participant, interviewer=interviewer)
            speakers, notes = focus_group_speakers(seg.turns, group, source.guid, by_names=len(group) > 1)
            plan.report.case_notes += [f"source '{source.name}': {note}" for note in notes]
        if speakers:  # the group itself is named like an interview's participant
            participant = named_participant
        else:
            if marked:
                unused = sum(1 for case in group for where, _, _ in case.selections if where == source.guid)
                plan.report.case_notes.append(
                    f"source '{source.name}': {plural(unused, 'selection')} of its cases did not tell its speakers "
                    f"apart, so it stays the transcript of {participant}")
            seg = answer_segments(source.text) if question else segment(source.text, participant=participant,
                                                                        interviewer=interviewer)
        info = TranscriptInfo(
            id=transcript_id, participant=participant, wave=number(variables.get("wave"), int) or named_wave,
            sha256=sha, chars=len(source.text), turns=len(seg.turns), sentences=len(seg.sentences),
            source=f"{path.name}: {source.name}", date=variables.get("date") or None,
            duration=number(variables.get("duration_minutes"), float), interviewer=interviewer)
        if speakers:  # a source of several Cases that speak in it: a focus group
            info.kind, info.speakers = "focus_group", speakers
        elif question:
            info.kind, info.question = "survey", question
        planned[source.guid] = (info, source.text, True)
    return planned


def number(value: str | None, kind):
    try:
        return kind(float(value)) if value not in (None, "") else None
    except ValueError:
        return None


def write_transcripts(project: Project, plan: ImportPlan, transcripts: dict) -> None:
    for info, text, is_new in transcripts.values():
        if is_new:  # the text first: a crash leaves an orphan file, never an entry without text
            atomic_write(project.transcript_path(info.id), text.encode("utf-8"))
    for info, _, is_new in transcripts.values():
        if is_new:
            project.manifest["transcripts"][info.id] = info.to_dict()
    for case in plan.cases:
        project.manifest["participants"].setdefault(case.name, {}).update(case.attributes)
    project.save_manifest()


def fill_coder(target: CoderFile, subset: list[Code], codes: dict[str, Code], share: dict, transcripts: dict,
               all_notes: dict[str, NotePlan], path: Path, result: list[str]) -> tuple[int, int]:
    """Codes, codings and memos into one coder file; returns (codings, memos) added."""
    mapping, _ = merge_codebook(target, subset, path)
    code_id = {guid: mapping[code.id] for guid, code in codes.items() if code.id in mapping}
    existing = {(c.transcript, c.start, c.end, c.code) for c in target.codings()}
    records: list = []
    memo_texts: dict[tuple, list[NotePlan]] = {}
    duplicates = 0
    for plan in share["codings"]:
        info, text, _ = transcripts[plan.source]
        key = (info.id, plan.start, plan.end, code_id[plan.code])
        if key in existing:  # already in the file before this import (the same file imported again)
            duplicates += 1
            continue
        created = plan.created or now()
        coding = Coding(id=new_id(), code=key[3], transcript=info.id, start=plan.start, end=plan.end,
                        text=text[plan.start:plan.end], corrected=plan.corrected, exemplar=plan.exemplar,
                        created=created, modified=plan.modified or created)
        records.append(coding)
        for guid in plan.notes:
            memo_texts.setdefault(("coding", coding.id), []).append(all_notes[guid])
    for note, target_type, target_guid in share["notes"]:
        if target_type == "transcript" and target_guid in transcripts:
            memo_texts.setdefault(("transcript", transcripts[target_guid][0].id), []).append(note)
        elif target_type == "code" and target_guid in code_id:
            memo_texts.setdefault(("code", code_id[target_guid]), []).append(note)
        else:
            title = "" if note.name == journal_name("", note.text) else note.name  # named by its first line
            records.append(Memo(id=new_id(), target_type="project", target=None, text=note.text, title=title,
                                created=note.created or now(), modified=note.modified or note.created or now()))
    memos = 0
    for (target_type, target_id), notes in memo_texts.items():
        text = "\n\n".join(n.text for n in notes if n.text.strip())
        old = target.memo(target_type, target_id)
        if not text or (old and text in old.text):
            continue
        if old:
            target.set_memo(target_type, target_id, f"{old.text}\n\n{text}")
        else:
            records.append(Memo(id=new_id(), target_type=target_type, target=target_id, text=text,
                                created=notes[0].created or now(), modified=notes[-1].modified or now()))
        memos += 1
    if duplicates:
        result.append(f"{duplicates} codings of {target.coder} were already in their file and were not added again")
    joined: dict[str, str] = {}
    if records:
        codings = sum(isinstance(r, Coding) for r in records)
        joined = target.add_many("exchange.import", f"import {codings} codings from {path.name}", records)
    if joined:  # the same code over overlapping or touching spans: one coding over their union
        result.append(f"{plural(len(joined), 'coding')} of {target.coder} overlapped or touched one of the same code "
                      f"and extended it instead of being added beside it")
    memos += sum(isinstance(r, Memo) and r.target_type == "project" for r in records)
    return sum(isinstance(r, Coding) and r.id not in joined for r in records), memos

