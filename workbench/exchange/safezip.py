"""Reading a .qdpx (a zip) without trusting it: every member name is checked before anything
is read, symbolic links and encrypted members are refused, and sizes are capped so a small
file cannot unpack into gigabytes. Nothing is ever extracted to disk: members are read into
memory, by name, only when the project file refers to them."""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path

from workbench.errors import ImportRefused

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 512 * 1024 * 1024   # REFI-QDA allows 2 GB per source; text projects stay far below
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_READ_BYTES = 256 * 1024 * 1024     # a member Workbench reads (project.qde); sources are capped lower by their reader
MAX_RATIO = 200                        # deflate rarely beats 20:1 on text; bombs reach 1000:1
RATIO_FLOOR = 8 * 1024 * 1024          # small members may compress as they like
DRIVE = re.compile(r"^[A-Za-z]:")


class QdpxArchive:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as err:
            raise ImportRefused(f"{self.path}: not a readable .qdpx (zip) file ({err})") from None
        try:
            self.members = self._checked_members()
        except BaseException:
            self.zip.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.zip.close()

    def refuse(self, reason: str) -> ImportRefused:
        return ImportRefused(f"{self.path}: {reason}; nothing was imported")

    def _checked_members(self) -> dict[str, zipfile.ZipInfo]:
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self.refuse(f"holds {len(infos)} files, over the limit of {MAX_MEMBERS}")
        total = 0
        members = {}
        for info in infos:
            name = info.filename
            parts = re.split(r"[/\\]", name)
            if name.startswith(("/", "\\")) or DRIVE.match(name):
                raise self.refuse(f"member '{name}' has an absolute path")
            if ".." in parts or "\x00" in name:
                raise self.refuse(f"member '{name}' climbs out of its folder ('..')")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise self.refuse(f"member '{name}' is a symbolic link")
            if info.flag_bits & 0x1:
                raise self.refuse(f"member '{name}' is encrypted")
            if info.file_size > MAX_MEMBER_BYTES:
                raise self.refuse(f"member '{name}' unpacks to {info.file_size / 2**20:.0f} MB, over the "
                                  f"{MAX_MEMBER_BYTES / 2**20:.0f} MB limit")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise self.refuse(f"member '{name}' is compressed {info.file_size // max(info.compress_size, 1)}:1, "
                                  "which only a zip bomb does")
            total += info.file_size
            if not info.is_dir():
                members[name.replace("\\", "/")] = info
        if total > MAX_TOTAL_BYTES:
            raise self.refuse(f"unpacks to {total / 2**30:.1f} GB, over the {MAX_TOTAL_BYTES / 2**30:.0f} GB limit")
        return members

    def project_member(self) -> str:
        if "project.qde" in self.members:
            return "project.qde"
        candidates = [n for n in self.members if "/" not in n and n.lower().endswith(".qde")]
        if len(candidates) != 1:
            raise self.refuse("holds no project.qde (a .qdpx is a zip with project.qde and a sources/ folder)")
        return candidates[0]

    def read(self, name: str, limit: int = MAX_READ_BYTES) -> bytes:
        """A member's bytes; refused before anything is unpacked if it holds more than `limit`."""
        info = self.members[name]
        if info.file_size > limit:
            raise self.refuse(f"member '{name}' unpacks to {info.file_size / 2**20:.1f} MB, over the "
                              f"{limit / 2**20:.0f} MB limit for what Workbench reads from it")
        try:
            with self.zip.open(info) as member:
                data = member.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as err:
            raise self.refuse(f"member '{name}' cannot be read ({err})") from None
        if len(data) > info.file_size:
            raise self.refuse(f"member '{name}' is larger than its header says")
        return data

    def source_member(self, reference: str | None) -> str | None:
        """The member a source path refers to: `internal://x.txt` is `sources/x.txt`; a bare
        name (as some programs write) is looked up in sources/ too. External paths
        (relative://, absolute://, file://) are outside the file and give None."""
        if not reference:
            return None
        reference = reference.strip()
        if reference.lower().startswith("internal://"):
            name = reference[len("internal://"):]
        elif "://" in reference:
            return None
        else:
            name = reference
        name = name.lstrip("/")
        for candidate in (f"sources/{name}", name):
            if candidate in self.members:
                return candidate
        lowered = {n.lower(): n for n in self.members}
        return lowered.get(f"sources/{name}".lower())
