"""Quote search over a project: every sentence and every coding, with filters, in
transcript offsets, with the codes already on each hit.

    search = ProjectSearch.open(project, coder="alex")        # cached indexes, no coder file opened
    for hit in search.search("cabnet key", limit=10, filters=Filters(waves={2})):
        print(hit.quote_id, hit.score, hit.text, hit.codes)

Filters become the engine's `allowed` passages, so a filter never costs recall: the best
hits among the allowed passages are found, not the best hits overall then filtered.
A sentence and a coding holding the same words give one hit (the better scored).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.codebook import Codebook
from workbench.errors import NotFound, WorkbenchError
from workbench.model import Code
from workbench.project import Project, natural_key
from workbench.search.project_index import ROLES, CoderCodings, Layer, coding_layer, sentence_layer

ROLE_CHOICES = ("participant", "interviewer", "any")
_CANDIDATES = 2  # hits asked of each layer per hit wanted: duplicates are merged away
# Codings mostly repeat sentences' words (a sentence hit stands for them), so their layer
# scores a shorter shortlist: the query's time goes mostly to scoring candidates.
CODING_SHORTLIST = 2000


@dataclass(frozen=True)
class Filters:
    participants: frozenset[str] = frozenset()  # empty: every participant
    waves: frozenset[int] = frozenset()
    role: str = "participant"  # "participant" | "interviewer" | "any"
    code: str | None = None  # only text coded with it or a descendant (the current coder's)
    uncoded: bool = False  # only text the current coder has not coded
    where: tuple[tuple[str, str], ...] = ()  # participant attributes, all must hold


@dataclass
class SearchHit:
    transcript: str
    participant: str
    wave: int
    quote_id: str
    role: str
    kind: str  # "sentence" | "coding"
    start: int  # in the transcript (code points, end exclusive): the matched span
    end: int
    text: str
    context: str  # the sentence (or the coding's text) holding the match
    context_start: int  # where `context` starts in the transcript
    score: float
    codes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"transcript": self.transcript, "participant": self.participant, "wave": self.wave,
                "quote_id": self.quote_id, "role": self.role, "kind": self.kind, "start": self.start,
                "end": self.end, "text": self.text, "context": self.context, "score": round(self.score, 1),
                "codes": self.codes}


@dataclass(frozen=True)
class _Span:
    coder: str
    code_id: str
    start: int
    end: int


class ProjectSearch:
    def __init__(self, project: Project, sentences: Layer, codings: Layer, coder: str | None,
                 every_coder: bool = False, codes_for: Callable[[str, int, int], list[str]] | None = None):
        """`codes_for(transcript, start, end)`, when given, says which codes are on a span
        (the screen passes its live coder); else the coding layer says it."""
        self.project, self.sentences, self.codings = project, sentences, codings
        self.coder, self.every_coder = coder, every_coder
        self._codes_for = codes_for
        self._infos = {t.id: t for t in project.transcripts()}
        self._people: dict | None = None
        self._attribution = None
        self._codebooks: dict[str, Codebook] = {}
        self._spans: dict[str, list[_Span]] | None = None
        self._spans_by_transcript: dict[str, list[_Span]] = {}
        self._rows_by_transcript: dict[int, list[int]] | None = None
        self._subsets: dict = {}
        codings.index.shortlist = CODING_SHORTLIST

    @property
    def attribution(self):
        """Who speaks in a hit (workbench.sources.attribution), made when first needed."""
        if self._attribution is None:
            from workbench.sources.attribution import Attribution

            self._attribution = Attribution(self.project)
        return self._attribution

    @classmethod
    def open(cls, project: Project, coder: str | None, every_coder: bool = False,
             sources: list[CoderCodings] | None = None, codes_for=None) -> ProjectSearch:
        """Both layers, from the cache when it is current (built and saved otherwise)."""
        return cls(project, sentence_layer(project), coding_layer(project, sources), coder, every_coder, codes_for)

    # -- codes ---------------------------------------------------------------------
    def codebook(self, coder: str) -> Codebook:
        if coder not in self._codebooks:
            codes = self.codings.places.extra["codebooks"].get(coder, [])
            self._codebooks[coder] = Codebook(Code.from_dict(c) for c in codes)
        return self._codebooks[coder]

    def coded_spans(self) -> dict[str, list[_Span]]:
        """transcript -> every coding in the coding layer (by start)."""
        if self._spans is None:
            self._spans = self._spans_of_rows(range(len(self.codings.places)))
        return self._spans

    def coded_spans_of(self, transcript: str) -> list[_Span]:
        """The codings of one transcript (by start), without making those of every other:
        a search from the shell shows the codes of ten hits, not of the whole study."""
        if self._spans is not None:
            return self._spans.get(transcript, [])
        if self._rows_by_transcript is None:  # one pass over the layer, however many hits ask
            rows: dict[int, list[int]] = {}
            for at, number in enumerate(self.codings.places.columns["transcript"]):
                rows.setdefault(number, []).append(at)
            self._rows_by_transcript = rows
        if transcript not in self._spans_by_transcript:
            extra = self.codings.places.extra
            number = extra["transcripts"].index(transcript) if transcript in extra["transcripts"] else -1
            rows_of = self._rows_by_transcript.get(number, [])
            self._spans_by_transcript[transcript] = self._spans_of_rows(rows_of).get(transcript, [])
        return self._spans_by_transcript[transcript]

    def _spans_of_rows(self, rows) -> dict[str, list[_Span]]:
        extra = self.codings.places.extra
        columns = self.codings.places.columns
        spans: dict[str, list[_Span]] = {}
        for at in rows:
            spans.setdefault(extra["transcripts"][columns["transcript"][at]], []).append(
                _Span(extra["coders"][columns["coder"][at]], extra["code_ids"][columns["code"][at]],
                      columns["start"][at], columns["end"][at]))
        for found in spans.values():
            found.sort(key=lambda span: span.start)
        return spans

    def codes_on(self, transcript: str, start: int, end: int) -> list[str]:
        """Paths of the codes already on `start:end` (any overlap): the current coder's, or
        every coder's as `coder: path`."""
        if self._codes_for is not None:
            return self._codes_for(transcript, start, end)
        found = []
        for span in self.coded_spans_of(transcript):
            if span.start >= end:
                break
            if span.end > start and (self.every_coder or span.coder == self.coder):
                book = self.codebook(span.coder)
                path = book.path(span.code_id) if span.code_id in book else span.code_id
                label = f"{span.coder}: {path}" if self.every_coder else path
                if label not in found:
                    found.append(label)
        return found

    # -- filters -------------------------------------------------------------------
    def transcripts_for(self, filters: Filters) -> set[str] | None:
        """The transcripts the filters leave, or None for all of them."""
        if not (filters.participants or filters.waves or filters.where):
            return None
        chosen = set()
        for info in self._infos.values():
            if filters.waves and info.wave not in filters.waves:
                continue
            if any(self._person_ok(pid, filters) for pid in self.project.transcript_participants(info)):
                chosen.add(info.id)  # a focus group when any speaker fits: its hits are checked one by one
        return chosen

    def _check_participants(self, filters: Filters) -> None:
        """A participant, or an attribute (`--where`), the project does not have is refused, not
        searched for no hits (as `matrix --rows` refuses an attribute nobody has)."""
        if not (filters.participants or filters.where):
            return
        if self._people is None:
            self._people = self.project.participants()
        unknown = sorted(filters.participants - self._people.keys(), key=natural_key)
        if unknown:
            names = ", ".join(f"'{pid}'" for pid in unknown)
            raise NotFound(f"no participant{'s' * (len(unknown) > 1)} {names} in {self.project.root}; "
                           "'workbench participants' lists them")
        known = {k.casefold(): k for attributes in self._people.values() for k in attributes}
        missing = [k for k, _ in filters.where if k.casefold() not in known]
        if missing:
            listed = ", ".join(sorted(known.values(), key=str.casefold))
            raise NotFound(f"no participant has an attribute {', '.join(repr(k) for k in missing)}"
                           + (f"; attributes here: {listed}" if listed else "; 'workbench import participants.csv' "
                              "gives them attributes"))

    def _person_ok(self, pid: str, filters: Filters) -> bool:
        if filters.participants and pid not in filters.participants:
            return False
        if filters.where:
            if self._people is None:
                self._people = self.project.participants()
            attributes = {k.casefold(): str(v).casefold() for k, v in self._people.get(pid, {}).items()}
            return all(attributes.get(k.casefold()) == v.casefold() for k, v in filters.where)
        return True

    def _speaker_ok(self, hit: "SearchHit", filters: Filters) -> bool:
        """A focus-group hit fits the participant filters when one of its speakers does."""
        if not (filters.participants or filters.where) or self.attribution.fixed(hit.transcript) is not None:
            return True
        return any(self._person_ok(pid, filters) for pid in self.attribution.span(hit.transcript, hit.start, hit.end))

    def _coded(self, filters: Filters) -> dict[str, list[tuple[int, int]]] | None:
        """transcript -> spans the current coder coded (with the filter's code, if one)."""
        if filters.code is None and not filters.uncoded:
            return None
        if self.coder is None:
            raise WorkbenchError("--code and --uncoded need a coder")
        wanted = None
        if filters.code is not None:
            book = self.codebook(self.coder)
            if not len(book):
                raise NotFound(f"coder '{self.coder}' has no codes")
            wanted = book.subtree_ids(book.find(filters.code).id)
        return {transcript: [(s.start, s.end) for s in spans
                             if s.coder == self.coder and (wanted is None or s.code_id in wanted)]
                for transcript, spans in self.coded_spans().items()}

    def _subset(self, layer: Layer, filters: Filters, coded, kind: str):
        """The engine's prepared filter, kept per filters (as-you-type repeats them)."""
        if (kind, filters) not in self._subsets:
            keys = self._allowed(layer, filters, coded, kind)
            self._subsets[kind, filters] = None if keys is None else layer.index.subset(keys)
        return self._subsets[kind, filters]

    def _allowed(self, layer: Layer, filters: Filters, coded, kind: str) -> list[int] | None:
        transcripts = self.transcripts_for(filters)
        role = None if filters.role == "any" else ROLES.index(filters.role)
        if transcripts is None and role is None and coded is None:
            return None
        if (kind == "coding" and filters.uncoded) or (kind == "sentence" and filters.code is not None):
            return []  # coded text is the codings' own text; uncoded text lies in sentences only
        columns = layer.places.columns
        roles, starts, ends, where = columns["role"], columns["start"], columns["end"], columns["transcript"]
        if transcripts is None and coded is None:  # the default (participant turns): the role alone decides
            return [key for key, number in enumerate(roles) if number == role]
        names = layer.transcripts
        if kind == "coding" and coded is not None:  # the codings of the code asked for
            ranges = [range(len(layer.places))]
            wanted_codes = self._wanted_code_numbers(layer, filters)
        else:
            ranges = self._key_ranges(layer, transcripts)
            wanted_codes = None
        keys = []
        for keys_of_transcript in ranges:
            for key in keys_of_transcript:
                if role is not None and roles[key] != role:
                    continue
                name = names[where[key]]
                if transcripts is not None and name not in transcripts:
                    continue
                if wanted_codes is not None:
                    if columns["code"][key] not in wanted_codes:
                        continue
                elif coded is not None and _overlaps(coded.get(name, ()), starts[key], ends[key]):
                    continue
                keys.append(key)
        return keys

    def _wanted_code_numbers(self, layer: Layer, filters: Filters) -> set[int]:
        extra = layer.places.extra
        book = self.codebook(self.coder)
        wanted = book.subtree_ids(book.find(filters.code).id)
        mine = extra["coders"].index(self.coder) if self.coder in extra["coders"] else -1
        coder_of = {}
        for at in range(len(layer.places)):
            coder_of[layer.places.columns["code"][at]] = layer.places.columns["coder"][at]
        return {number for number, code in enumerate(extra["code_ids"])
                if code in wanted and coder_of.get(number) == mine}

    @staticmethod
    def _key_ranges(layer: Layer, transcripts: set[str] | None) -> list[range]:
        """The keys of each chosen transcript (sentences are stored transcript by transcript)."""
        if transcripts is None:
            return [range(len(layer.places))]
        where = layer.places.columns["transcript"]
        ranges = []
        for number, name in enumerate(layer.transcripts):
            if name in transcripts:
                ranges.append(range(bisect_left(where, number), bisect_right(where, number)))
        return ranges

    # -- searching -----------------------------------------------------------------
    def search(self, query: str, limit: int = 10, filters: Filters = Filters()) -> list[SearchHit]:
        """The best `limit` hits for `query`, best first, duplicates merged."""
        if filters.role not in ROLE_CHOICES:
            raise WorkbenchError(f"role must be one of {', '.join(ROLE_CHOICES)}")
        self._check_participants(filters)
        coded = self._coded(filters)
        candidates = []
        for kind, layer in (("sentence", self.sentences), ("coding", self.codings)):
            if not len(layer.index):
                continue
            allowed = self._subset(layer, filters, coded, kind)
            if allowed is not None and not len(allowed):
                continue
            for rank, hit in enumerate(layer.index.query(query, limit=_CANDIDATES * limit, allowed=allowed)):
                candidates.append((-hit.score, rank, kind == "coding", kind, layer, hit))
        candidates.sort(key=lambda item: item[:3])
        kept: list[SearchHit] = []
        for _, _, _, kind, layer, hit in candidates:
            found = self._hit(kind, layer, hit)
            if not self._speaker_ok(found, filters):
                continue
            if not any(k.transcript == found.transcript and k.start < found.end and found.start < k.end for k in kept):
                kept.append(found)
            if len(kept) == limit:
                break
        for found in kept:
            found.codes = self.codes_on(found.transcript, found.start, found.end)
        return kept

    def _hit(self, kind: str, layer: Layer, hit) -> SearchHit:
        columns = layer.places.columns
        transcript = layer.transcripts[columns["transcript"][hit.key]]
        info = self._infos[transcript]
        passage, begins = layer.index.text(hit.key), columns["start"][hit.key]
        start, end = begins + hit.start, begins + hit.end
        participant, quote = info.participant, info.quote_id
        if info.is_focus_group:  # who speaks in the hit, cited as the project's quote format says
            participant = ", ".join(self.attribution.span(transcript, start, end))
            quote = self.attribution.quote_id_of(transcript, start, end)
        return SearchHit(transcript, participant, info.wave, quote, ROLES[columns["role"][hit.key]],
                         kind, start, end, passage[hit.start:hit.end], passage, begins, hit.score)


def _overlaps(spans, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
