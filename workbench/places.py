"""Where a coder left off: the transcript they had open last and the cursor in each one.

Kept per coder in `places/<coder>.json` (private, replaced atomically), never in the shared
`project.json`, so two coders never overwrite each other's place and a place never touches
anyone's codings. It is a convenience: a missing, damaged or unwritable file only means
starting at the top of the first transcript.

    places = Places.load(project, "alex")
    places.last                      # "50002_2", or None
    places.position("50002_2")       # 1234, or None
    places.remember("50002_2", 1234)
    places.save()
"""

from __future__ import annotations

from pathlib import Path

import orjson

from workbench.coderfile import check_coder_name
from workbench.securefs import atomic_write, make_private_dir

FOLDER = "places"


class Places:
    def __init__(self, path: Path, last: str | None = None, positions: dict[str, int] | None = None):
        self.path = path
        self.last = last
        self.positions = positions or {}

    @classmethod
    def load(cls, project, coder: str) -> "Places":
        path = project.root / FOLDER / f"{check_coder_name(coder)}.json"
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return cls(path)
        if not isinstance(data, dict):
            return cls(path)
        raw = data.get("positions")
        positions = {k: v for k, v in raw.items() if isinstance(k, str) and type(v) is int and v >= 0} \
            if isinstance(raw, dict) else {}
        last = data.get("last") if isinstance(data.get("last"), str) else None
        return cls(path, last, positions)

    def position(self, transcript: str) -> int | None:
        return self.positions.get(transcript)

    def remember(self, transcript: str, cursor: int) -> None:
        self.last = transcript
        self.positions[transcript] = max(0, int(cursor))

    def save(self) -> bool:
        """Write the places; False (and nothing changed) when the disk refuses."""
        try:
            make_private_dir(self.path.parent)
            atomic_write(self.path, orjson.dumps({"last": self.last, "positions": self.positions}))
        except OSError:
            return False
        return True
