"""What the results report says, gathered once and rendered by each format alike.

Sections are the categories, themes and subthemes (every root code when the codebook has no
such node yet), siblings ordered by salience. A section quotes the codings of its own codes
(those not under a nested section): the ones marked as exemplars, else its most salient ones,
preferring quotes from different participants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from workbench import __version__
from workbench.analysis.matrix import Matrix, build_matrix
from workbench.analysis.salience import DEFAULT_WEIGHT, NodeSalience, SalienceTable, compute_salience
from workbench.errors import WorkbenchError
from workbench.report.coreq import CoreqItem, coreq_items
from workbench.report.sample import SampleDescription, describe_sample, plural

SECTION_KINDS = ("category", "theme", "subtheme")
DEFAULT_QUOTES = 3


@dataclass
class Quote:
    text: str  # what is published: the corrected text when there is one
    verbatim: str
    corrected: bool
    quote_id: str  # the project's quote format: 50002, 50002_2; (FG1, P3) from a focus group
    transcript: str
    participant: str
    wave: int
    coding_id: str
    code_path: str
    exemplar: bool
    score: float


@dataclass
class Section:
    stats: NodeSalience
    definition: str
    memo: str
    codes: list[NodeSalience]  # the codes directly gathered here (not under a nested section)
    quotes: list[Quote]
    quotes_chosen: str  # "exemplars" | "most salient" | "none"
    children: list["Section"] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.stats.code.name

    @property
    def kind(self) -> str:
        return self.stats.code.kind


@dataclass
class MapNode:
    name: str
    kind: str
    codings: int
    participants: int
    color: str
    children: list["MapNode"] = field(default_factory=list)


@dataclass
class CodebookEntry:
    """One code of the codebook appendix, in tree order."""

    path: str
    kind: str
    depth: int
    definition: str
    codings: int  # the code's own codings (not its descendants')


@dataclass
class Report:
    title: str
    coder: str
    generated: str
    version: str
    formula: str
    sections: list[Section]
    thematic_map: list[MapNode]
    sample: SampleDescription
    matrix: Matrix | None
    coreq: list[CoreqItem]
    any_corrected: bool
    patterns: "Patterns | None" = None
    codebook: list[CodebookEntry] = field(default_factory=list)


@dataclass
class Patterns:
    """How the themes hang together and how far the data go: the strongest co-occurring
    pairs, the saturation curve, and the framework summaries written in the matrix."""

    pairs: list  # cooccurrence.Pair, strongest first
    pair_unit: str
    saturation: object | None  # saturation.Saturation
    framework: list  # framework.Cell with a summary
    framework_by: str
    framework_level: str


STRONGEST_PAIRS = 10


def gather_patterns(project, coder, matrix) -> Patterns:
    from workbench.analysis.cooccurrence import cooccurrence
    from workbench.analysis.framework import framework_cells
    from workbench.analysis.saturation import saturation

    pairs = [p for p in cooccurrence(project, coder, unit="sentence").pairs if p.both][:STRONGEST_PAIRS]
    curve = saturation(project, coder) if project.transcripts() else None
    cells = [c for c in framework_cells(project, coder, matrix) if c.summary] if matrix is not None else []
    return Patterns(pairs, "sentence", curve, cells, matrix.by if matrix else "participant",
                    matrix.level if matrix else "theme")


def one_line(text: str) -> str:
    return " ".join(text.split())


def build_report(project, coder, weight: float = DEFAULT_WEIGHT, quotes: int = DEFAULT_QUOTES,
                 matrix_by: str = "participant", verbatim: bool = False) -> Report:
    """With `verbatim`, every quote is printed as transcribed, its correction left out."""
    all_codings = coder.codings()
    table = compute_salience(project, coder, weight, all_codings, quote_scores=True)
    book = coder.codebook
    from workbench.sources.attribution import Attribution

    attribution = Attribution(project)
    infos = attribution.infos
    section_ids = {c.id for c in book.walk() if c.kind in SECTION_KINDS} or {c.id for c in book.roots()}
    codings_by_code: dict[str, list] = {}
    for coding in all_codings:
        if coding.transcript in infos:
            codings_by_code.setdefault(coding.code, []).append(coding)

    def by_salience(codes):
        return sorted(codes, key=lambda c: (-table.nodes[c.id].salience, c.name.casefold()))

    def gathered(code_id: str) -> list[str]:
        """The code itself and its descendants that no nested section claims."""
        found = [code_id]
        for child in book.children.get(code_id, []):
            if child.id not in section_ids:
                found += gathered(child.id)
        return found

    def nested_sections(code_id: str) -> list:
        found = []
        for child in book.children.get(code_id, []):
            found += [child] if child.id in section_ids else nested_sections(child.id)
        return found

    def make_section(code) -> Section:
        own = gathered(code.id)
        codings = [c for cid in own for c in codings_by_code.get(cid, [])]
        memo = coder.memo("code", code.id)
        chosen, how = choose_quotes(codings, table, quotes, attribution.of)
        return Section(
            stats=table.nodes[code.id], definition=code.description.strip(),
            memo=memo.text.strip() if memo else "",
            codes=[table.nodes[cid] for cid in own[1:] if book[cid].kind == "code"],
            quotes=[make_quote(c, infos[c.transcript], book.path(c.code), table, attribution, verbatim) for c in chosen],
            quotes_chosen=how,
            children=[make_section(child) for child in by_salience(nested_sections(code.id))],
        )

    def map_node(code) -> MapNode:
        stats = table.nodes[code.id]
        return MapNode(code.name, code.kind, stats.codings, stats.participants, code.color,
                       [map_node(child) for child in by_salience(book.children.get(code.id, []))])

    top = [c for c in book.walk() if c.id in section_ids and not any(a.id in section_ids for a in book.ancestors(c.id))]
    try:
        matrix = build_matrix(project, coder, by=matrix_by, codings=all_codings) if len(book) else None
    except WorkbenchError:  # no column to show (say, an unknown attribute): the report goes on without
        matrix = None
    sections = [make_section(c) for c in by_salience(top)]
    return Report(
        title=project.title, coder=coder.coder, version=__version__, formula=table.formula,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        sections=sections,
        thematic_map=[map_node(c) for c in by_salience(book.roots())],
        sample=describe_sample(project), matrix=matrix,
        coreq=coreq_items(project, coder, table),
        any_corrected=any(q.corrected for s, _ in walk_sections(sections) for q in s.quotes),
        patterns=gather_patterns(project, coder, matrix),
        codebook=codebook_appendix(book, codings_by_code),
    )


def codebook_appendix(book, codings_by_code: dict[str, list]) -> list[CodebookEntry]:
    return [CodebookEntry(book.path(code.id), code.kind, book.depth(code.id), " ".join(code.description.split()),
                          len(codings_by_code.get(code.id, ()))) for code in book.walk()]


def choose_quotes(codings: list, table: SalienceTable, limit: int, participant_of) -> tuple[list, str]:
    """Every exemplar, else the `limit` most salient codings, one per participant first."""
    exemplars = [c for c in codings if c.exemplar]
    if exemplars:
        return sorted(exemplars, key=lambda c: (c.transcript, c.start)), "exemplars"
    ranked = sorted(codings, key=lambda c: (-table.coding_score(c), c.transcript, c.start))
    chosen, quoted = [], set()
    for coding in ranked:  # first pass: a quote from each participant before a second from anyone
        if len(chosen) < limit and participant_of(coding) not in quoted:
            chosen.append(coding)
            quoted.add(participant_of(coding))
    chosen += [c for c in ranked if c not in chosen][: max(0, limit - len(chosen))]
    return chosen, "most salient" if chosen else "none"


def make_quote(coding, info, code_path: str, table: SalienceTable, attribution, verbatim: bool = False) -> Quote:
    corrected = coding.corrected is not None and not verbatim
    return Quote(text=one_line(coding.quote if corrected else coding.text), verbatim=one_line(coding.text),
                 corrected=corrected,
                 quote_id=attribution.quote_id(coding), transcript=info.id,
                 participant=", ".join(attribution.of(coding)), wave=info.wave,
                 coding_id=coding.id, code_path=code_path, exemplar=coding.exemplar, score=table.coding_score(coding))


def map_counts(node: MapNode) -> str:
    return f"{plural(node.codings, 'coding')}, {plural(node.participants, 'participant')}"


def counts_line(stats: NodeSalience, report: Report) -> str:
    primacy = "–" if stats.primacy is None else f"{stats.primacy:.2f}"
    return (f"{plural(stats.codings, 'coding')}; {stats.participants} of {plural(report.sample.participants, 'participant')}; "
            f"{stats.transcripts} of {plural(report.sample.transcripts, report.sample.document)}; primacy {primacy}; "
            f"salience {stats.salience:.2f}")


def walk_sections(sections: list[Section], depth: int = 0):
    """(section, depth) for every section, depth first."""
    for section in sections:
        yield section, depth
        yield from walk_sections(section.children, depth + 1)


CORRECTED_MARK = "†"
CORRECTED_NOTE = ("Grammatical corrections were made to some of the quotes presented below, which were initially "
                  "transcribed verbatim (the verbatim text is kept in the project).")


def corrected_note(report: Report, mark_corrected: bool) -> str:
    """What a report printing corrected quotes says about them (nothing when it prints none)."""
    if not report.any_corrected:
        return ""
    return f" {CORRECTED_NOTE}" + (f" {CORRECTED_MARK} marks a corrected quote." if mark_corrected else "")


APPENDIX_TITLE = "Appendix: codebook"
APPENDIX_NOTE = "Every code of the codebook, in its tree, with its definition and number of codings."
NO_DEFINITION = "no definition written"


def appendix_rows(report: Report) -> list[tuple[str, str, str, str]]:
    """(code path, kind, definition, codings) for each code, the same in every format."""
    return [(e.path, e.kind, e.definition or f"({NO_DEFINITION})", str(e.codings)) for e in report.codebook]


def quote_note(report: Report) -> str:
    """How the quotes are cited, for the kinds of transcript the sample holds."""
    note = report.sample.citation()
    return note[0].upper() + note[1:] + "."


def pair_text(pair) -> str:
    jaccard = "—" if pair.jaccard is None else f"{pair.jaccard:.2f}"
    return f"{pair.a} + {pair.b}: {pair.both} sentences hold both (Jaccard {jaccard})"


def saturation_text(curve) -> str:
    where = f"Saturated after {curve.saturated_after}" if curve.saturated_after else "Not saturated yet"
    return f"{where} ({curve.criterion})"


PATTERN_NOTES = {
    "framework": "Each cell's summary was written beside the quotes it summarises (framework charting).",
    "pairs": "Units: sentences; a sentence holds a code when one of the code's codings overlaps it.",
}
