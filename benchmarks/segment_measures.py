"""Segmenting one very long transcript into turns and sentences (issue 14: speaker detection
was quadratic, 6 s for 3 MB and over ten minutes for 30 MB). The text is the worst case for
label finding: turns one after another without blank lines between them, hard-wrapped, as
in the pdpilot user study. `--small` segments a hundredth of each size."""

from __future__ import annotations

import textwrap
import time

from benchmarks.interview_text import InterviewWriter
from benchmarks.registry import Context, Figure, measure


def hard_wrapped_transcript(chars: int, seed: int = 14) -> str:
    writer, lines, size = InterviewWriter(seed, 4000), ["Interview"], 0
    while size < chars:
        for label, turn in (("Dan", writer.interviewer_turn), ("Participant", writer.participant_turn)):
            wrapped = textwrap.wrap(f"{label}: {turn()}", 110, break_long_words=False)
            lines.extend(wrapped)
            size += sum(len(w) + 1 for w in wrapped)
    return "\n".join(lines) + "\n"


def segment_seconds(ctx: Context, megabytes: int) -> Figure:
    from workbench.transcripts.segment import segment

    text = hard_wrapped_transcript(megabytes * 1_000_000 // (100 if ctx.small else 1))
    samples = []
    for _ in range(ctx.repeats(3 if megabytes < 10 else 1, 1)):
        started = time.perf_counter()
        segment(text)
        samples.append(time.perf_counter() - started)
    return Figure.of(samples)


@measure("segment_3mb_s", unit="s", target=1.0, requires="workbench.transcripts.segment")
def segment_3mb_s(ctx: Context) -> Figure:
    return segment_seconds(ctx, 3)


@measure("segment_30mb_s", unit="s", target=10.0, requires="workbench.transcripts.segment")
def segment_30mb_s(ctx: Context) -> Figure:
    return segment_seconds(ctx, 30)
