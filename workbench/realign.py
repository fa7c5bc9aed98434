"""Moving codings onto a corrected transcript.

When `import --replace` brings a new version of a transcript, every coder's codings are
carried over by a diff of the old and the new text (difflib): lines first, then words
within changed lines, then characters within small changed stretches, so that a long
transcript diffs in well under a second. A coding whose text is unchanged moves to its new
offsets; one whose text changed (or vanished) covers what replaced it and is flagged for
review with its old and new text, never dropped and never moved to a look-alike elsewhere.

Every coder file is locked before anything changes; the replace itself, which a crash must
never leave half-done, is `workbench.replacing`.
"""

from __future__ import annotations

import bisect
import re
from difflib import SequenceMatcher

from workbench.coderfile import CoderFile
from workbench.model import Coding
from workbench.project import Project

WORDS = re.compile(r"\S+\s*|\s+")
CHAR_DIFF_LIMIT = 2000  # characters on either side: beyond it a character diff gets slow (quadratic)


# -- the diff --------------------------------------------------------------------------
def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _words(text: str) -> list[str]:
    return WORDS.findall(text)


def _chars(text: str) -> list[str]:
    return list(text)


def matching_blocks(old: str, new: str) -> list[tuple[int, int, int]]:
    """(old offset, new offset, length) of every stretch the two texts share, in order."""
    blocks: list[tuple[int, int, int]] = []
    _diff(old, new, 0, 0, (_lines, _words, _chars), blocks)
    return blocks


def _diff(old: str, new: str, a0: int, b0: int, levels, blocks: list) -> None:
    split, deeper = levels[0], levels[1:]
    old_parts, new_parts = split(old), split(new)
    old_at, new_at = _starts(old_parts), _starts(new_parts)
    matcher = SequenceMatcher(None, old_parts, new_parts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = old_at[i1], new_at[j1]
        size_a, size_b = old_at[i2] - a, new_at[j2] - b
        if tag == "equal":
            blocks.append((a0 + a, b0 + b, size_a))
        elif tag == "replace" and deeper:
            if deeper[0] is _chars and max(size_a, size_b) > CHAR_DIFF_LIMIT:
                continue
            _diff(old[a:a + size_a], new[b:b + size_b], a0 + a, b0 + b, deeper, blocks)


def _starts(parts: list[str]) -> list[int]:
    starts = [0]
    for part in parts:
        starts.append(starts[-1] + len(part))
    return starts


class SpanMapper:
    """Maps spans of the old text onto the new: a span whose edge lies in a changed
    stretch grows to take in what replaced it."""

    def __init__(self, old: str, new: str):
        self.blocks = [b for b in matching_blocks(old, new) if b[2]]
        self.starts = [b[0] for b in self.blocks]
        self.new_length = len(new)

    def _block_at(self, offset: int) -> int:
        """Index of the last block starting at or before `offset` (-1 if none)."""
        return bisect.bisect_right(self.starts, offset) - 1

    def start(self, offset: int) -> int:
        i = self._block_at(offset)
        if i < 0:
            return 0
        a, b, size = self.blocks[i]
        return b + (offset - a) if offset < a + size else b + size

    def end(self, offset: int) -> int:
        """Maps an exclusive end: the character before it decides."""
        i = self._block_at(offset - 1)
        if i >= 0:
            a, b, size = self.blocks[i]
            if offset - 1 < a + size:
                return b + (offset - a)
        following = i + 1
        return self.blocks[following][1] if following < len(self.blocks) else self.new_length


# -- moving codings ----------------------------------------------------------------------
def moved_coding(coding: Coding, spans: SpanMapper, new_text: str) -> dict:
    """The changes that carry one coding onto the new text ({} when it stays as it is)."""
    start, end = spans.start(coding.start), spans.end(coding.end)
    if new_text[start:end] != coding.text and coding.text:
        # the diff may pair repeated words differently: accept the old text only where it overlaps the mapped span
        low = max(0, start - len(coding.text) + 1)
        window = new_text[low:max(end, start + 1) + len(coding.text) - 1]
        found = window.find(coding.text)
        if found >= 0 and window.find(coding.text, found + 1) < 0:
            start, end = low + found, low + found + len(coding.text)
    if end <= start:  # its whole text was deleted: keep it on the character where it was
        start = min(start, len(new_text) - 1)
        end = start + 1
    changes = {}
    if (start, end) != (coding.start, coding.end):
        changes.update(start=start, end=end)
    new = new_text[start:end]
    if new != coding.text:
        changes["text"] = new
        changes["review"] = (f"the corrected transcript changed this text; it was “{coding.text}”, "
                             f"it is now “{new}”")
    return changes


REVIEW_NOTE = re.compile(r"the corrected transcript changed this text; it was “(?P<old>.*)”, it is now “", re.DOTALL)


def text_before_correction(review: str) -> str | None:
    """The coding's text before its transcript was corrected, read back from the review note
    `moved_coding` wrote (None for a note written some other way)."""
    found = REVIEW_NOTE.match(review)
    return found["old"] if found else None


def open_every_coder(project: Project) -> list[CoderFile]:
    """Every coder file, locked; refused (with none left open) if any session holds one."""
    opened: list[CoderFile] = []
    try:
        for name in project.coders():
            opened.append(project.open_coder(name))
    except BaseException:
        for coder in opened:
            coder.close()
        raise
    return opened


def realign_codings(project: Project, transcript_id: str, new_text: str) -> list[str]:
    """Replace the transcript's text with `new_text`, moving every coder's codings onto it."""
    from workbench.replacing import replace_transcript

    return replace_transcript(project, project.transcript(transcript_id), new_text)
