"""A writer for the crash tests: adds codings to a coder file forever, printing each id once
`add_coding` has returned (so a printed id is a write the caller was told is durable).

    python coding_writer.py PROJECT CODER COMPACT_AFTER_BYTES
"""

import sys

from workbench.project import Project


def main(root: str, coder_name: str, compact_after: str) -> None:
    project = Project(root)
    transcript = project.transcripts()[0].id
    text = project.text(transcript)
    with project.open_coder(coder_name) as coder:
        coder.storage.compact_after = int(compact_after)  # small: compactions happen while writing
        code = next(c for c in coder.codes() if c.codable).id
        n = len(coder.codings())  # after those there, in slots 32 apart (overlapping codings would join)
        while True:
            start = n % (len(text) // 32) * 32
            coding = coder.add_coding(transcript, start, start + 30, code, text[start:start + 30])
            sys.stdout.write(coding.id + "\n")
            sys.stdout.flush()
            n += 1


if __name__ == "__main__":
    main(*sys.argv[1:4])
