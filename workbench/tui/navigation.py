"""What a screen hands back to the coding screen when the user picks a place to go."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Jump:
    """Open `transcript` with `start:end` selected (code points)."""

    transcript: str
    start: int
    end: int
