"""Moving codings onto a corrected transcript.

When `import --replace` brings a new version of a transcript, every coder's codings are
carried over by a character diff of the old and the new text (difflib). A coding whose
text is unchanged moves to its new offsets; one whose text changed (or vanished) is kept
at its best new position and flagged for review with its old text, never dropped.
"""

from __future__ import annotations

import bisect
from difflib import SequenceMatcher

from workbench.project import Project


def offset_map(old: str, new: str):
    """A function mapping offsets in `old` to offsets in `new`."""
    blocks = SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks()
    starts = [b.a for b in blocks]

    def mapped(offset: int) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return 0
        block = blocks[i]
        if offset < block.a + block.size:
            return block.b + (offset - block.a)
        return min(len(new), block.b + block.size)  # inside a deleted or changed stretch

    return mapped


def realign_codings(project: Project, transcript_id: str, new_text: str) -> list[str]:
    """Carry every coder's codings of the transcript onto `new_text`; returns warnings.

    Each coder file is changed in one history entry, so the move can be undone."""
    old_text = project.text(transcript_id)
    mapped = offset_map(old_text, new_text)
    warnings = []
    coders = [project.open_coder(name) for name in project.coders()]  # every lock first: all or nothing
    try:
        for coder in coders:
            flagged = 0
            changes = []
            for coding in coder.codings(transcript=transcript_id):
                start, end = mapped(coding.start), mapped(coding.end)
                if new_text[start:end] != coding.text:
                    found = new_text.find(coding.text)
                    if coding.text and found >= 0 and new_text.find(coding.text, found + 1) < 0:
                        start, end = found, found + len(coding.text)
                if end <= start:
                    end = min(len(new_text), start + 1)
                moved = {"start": start, "end": end}
                if new_text[start:end] != coding.text:
                    moved["text"] = new_text[start:end]
                    moved["review"] = f"the corrected transcript changed this text; it was: {coding.text}"
                    flagged += 1
                if moved["start"] != coding.start or moved["end"] != coding.end or "text" in moved:
                    changes.append((coding, moved))
            if changes:
                coder.update_codings(changes, f"move {len(changes)} codings onto the corrected {transcript_id}")
            if flagged:
                warnings.append(f"{coder.coder}: {flagged} codings of {transcript_id} changed text and are flagged "
                                f"for review ('workbench codings --review')")
    finally:
        for coder in coders:
            coder.close()
    return warnings
