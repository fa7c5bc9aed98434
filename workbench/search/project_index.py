"""The search indexes of a project, cached in its cache/search/ folder.

Two layers, each a `SearchIndex` plus a `PassageMap` saying where each passage lies:

* sentences: every sentence of every turn, keyed by the transcripts' SHA-256s, the
  interviewers named at import and the segmentation version; built once, then a second
  start only maps the files.
* codings: the text of every coding of every coder (a quote that spans sentences is found
  whole), with each coder's codebook, so the codes already on a hit and the `--code`
  filter need no coder file opened. Keyed by the size and modification time of the coder
  files and by the sentence layer's key: any change to a coder file rebuilds it.

A stale or damaged cache is never used: it is rebuilt (and rewritten when the folder is
writable; a read-only project still searches, only slower).
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass
from pathlib import Path

import orjson

from workbench.project import SEGMENTATION_VERSION, Project, segmentation_key
from workbench.search.index import SearchIndex
from workbench.search.indexfile import SearchIndexError
from workbench.search.passage_map import PassageMap

LAYOUT_VERSION = 1  # of what this module puts in the maps; a change rebuilds every cache
ROLES = ("participant", "interviewer")


@dataclass
class Layer:
    index: SearchIndex
    places: PassageMap

    @property
    def transcripts(self) -> list[str]:
        return self.places.extra["transcripts"]


@dataclass
class CoderCodings:
    """One coder's codebook (code dicts) and codings, as a layer is built from them."""

    coder: str
    codes: list[dict]
    codings: list  # workbench.model.Coding


def cache_folder(project: Project) -> Path:
    return project.root / "cache" / "search"


def sentences_fingerprint(project: Project) -> str:
    described = [(t.id, segmentation_key(t)) for t in project.transcripts()]
    return _digest(["sentences", LAYOUT_VERSION, SEGMENTATION_VERSION, described])


def codings_fingerprint(project: Project) -> str:
    """Changes whenever a coder file or its journal is written (not when a session merely
    takes the lock: the screen would otherwise rebuild the layer at every start)."""
    files = []
    coder_files = [*(project.root / "coders").glob("*.json"), *(project.root / "coders").glob("*.json.journal")]
    for path in sorted(coder_files):
        try:
            stat = path.stat()
        except OSError:
            continue
        files.append((path.name, stat.st_size, stat.st_mtime_ns))
    return _digest(["codings", sentences_fingerprint(project), files])


def _digest(value) -> str:
    return hashlib.sha256(orjson.dumps(value)).hexdigest()


def sentence_layer(project: Project) -> Layer:
    """The sentences of every transcript, from the cache when it matches the transcripts."""
    fingerprint = sentences_fingerprint(project)
    return _cached(project, "sentences", fingerprint, lambda: _build_sentences(project, fingerprint))


def coding_layer(project: Project, sources: list[CoderCodings] | None = None) -> Layer:
    """The text of every coding of every coder. From the cache when no coder file changed;
    else built from `sources` (or from every coder file, opened read-only) and saved."""
    fingerprint = codings_fingerprint(project)

    def build() -> tuple[SearchIndex, PassageMap]:
        return _build_codings(project, fingerprint, sources if sources is not None else read_coders(project))

    return _cached(project, "codings", fingerprint, build)


def read_coders(project: Project) -> list[CoderCodings]:
    found = []
    for name in project.coders(assistants=False):
        with project.open_coder(name, readonly=True) as coder:
            found.append(CoderCodings(name, [c.to_dict() for c in coder.codebook.walk()], coder.codings()))
    return found


def _cached(project: Project, name: str, fingerprint: str, build) -> Layer:
    folder = cache_folder(project)
    index_path, map_path = folder / f"{name}.index", folder / f"{name}.map"
    try:
        places = PassageMap.load(map_path, fingerprint)
        index = SearchIndex.load(index_path, fingerprint) if places is not None else None
    except SearchIndexError:
        places = index = None  # a damaged cache is rebuilt, never trusted
    if index is not None and places is not None and len(index) == len(places):
        return Layer(index, places)
    index, places = build()
    try:
        index.save(index_path)  # the index first: a map is only ever beside its own index
        places.save(map_path)
    except OSError:
        pass  # a cache that cannot be written only makes the next start slower
    return Layer(index, places)


def _build_sentences(project: Project, fingerprint: str) -> tuple[SearchIndex, PassageMap]:
    transcripts, texts = [], []
    where, starts, ends, roles = array("I"), array("I"), array("I"), array("B")
    for number, info in enumerate(project.transcripts()):
        transcripts.append(info.id)
        text, seg = project.text(info.id), project.segments(info.id)
        role_of_turn = [ROLES.index(turn.role) if turn.role in ROLES else 0 for turn in seg.turns]
        for sentence in seg.sentences:
            texts.append(text[sentence.start:sentence.end])
            where.append(number)
            starts.append(sentence.start)
            ends.append(sentence.end)
            roles.append(role_of_turn[sentence.turn])
    places = PassageMap(fingerprint, {"transcript": where, "start": starts, "end": ends, "role": roles},
                        {"transcripts": transcripts})
    return SearchIndex.build(texts, fingerprint), places


def _build_codings(project: Project, fingerprint: str,
                   sources: list[CoderCodings]) -> tuple[SearchIndex, PassageMap]:
    known = {t.id for t in project.transcripts()}
    transcripts: list[str] = []
    number_of: dict[str, int] = {}
    code_ids: list[str] = []
    code_number: dict[tuple[int, str], int] = {}
    texts: list[str] = []
    columns = {name: array("I") for name in ("transcript", "start", "end", "coder", "code")}
    columns["role"] = array("B")
    for coder_number, source in enumerate(sources):
        for coding in source.codings:
            if coding.transcript not in known:
                continue
            text = project.text(coding.transcript)
            if not 0 <= coding.start < coding.end <= len(text):
                continue
            if coding.transcript not in number_of:
                number_of[coding.transcript] = len(transcripts)
                transcripts.append(coding.transcript)
            key = (coder_number, coding.code)
            if key not in code_number:
                code_number[key] = len(code_ids)
                code_ids.append(coding.code)
            turn = project.segments(coding.transcript).turn_at(coding.start)
            texts.append(text[coding.start:coding.end])  # the transcript's own words: offsets hold
            for name, value in (("transcript", number_of[coding.transcript]), ("start", coding.start),
                                ("end", coding.end), ("coder", coder_number), ("code", code_number[key]),
                                ("role", ROLES.index(turn.role) if turn and turn.role in ROLES else 0)):
                columns[name].append(value)
    extra = {"transcripts": transcripts, "coders": [s.coder for s in sources], "code_ids": code_ids,
             "codebooks": {s.coder: s.codes for s in sources}}
    return SearchIndex.build(texts, fingerprint), PassageMap(fingerprint, columns, extra)
