"""The floor `workbench search` is measured against: a fresh process that reads every
sentence of the project and scores each one against the query with rapidfuzz.

    python -m benchmarks.exhaustive_search PROJECT QUERY

It prints the ten best sentences as JSON, as `workbench search --format json` prints its
hits; no index, no cache beyond the segmentation every command shares.
"""

from __future__ import annotations

import json
import sys

from rapidfuzz import fuzz, process

from workbench.project import Project


def main(root: str, query: str) -> None:
    project = Project(root)
    sentences = []
    for info in project.transcripts():
        text = project.text(info.id)
        sentences += [text[s.start:s.end] for s in project.segments(info.id).sentences]
    best = process.extract(query.casefold(), [s.casefold() for s in sentences], scorer=fuzz.partial_ratio, limit=10)
    print(json.dumps([{"score": score, "text": sentences[at]} for _, score, at in best]))


if __name__ == "__main__":
    main(*sys.argv[1:3])
