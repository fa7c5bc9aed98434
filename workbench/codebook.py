"""The codebook as a tree: paths, lookup by path or name, descendants."""

from __future__ import annotations

import re
from collections.abc import Iterable

from workbench.errors import Ambiguous, NotFound
from workbench.model import Code

SEPARATOR = "/"


def name_key(name: str) -> str:
    """Names compare ignoring case and runs of spacing: 'Unclear  Role' is 'unclear role'."""
    return re.sub(r"\s+", " ", name).strip().casefold()


class Codebook:
    def __init__(self, codes: Iterable[Code]):
        self.by_id: dict[str, Code] = {c.id: c for c in codes}
        self.children: dict[str | None, list[Code]] = {}
        for code in sorted(self.by_id.values(), key=lambda c: (name_key(c.name), c.id)):
            parent = code.parent if code.parent in self.by_id else None
            self.children.setdefault(parent, []).append(code)

    def __len__(self) -> int:
        return len(self.by_id)

    def __contains__(self, code_id) -> bool:
        return code_id in self.by_id

    def __getitem__(self, code_id: str) -> Code:
        return self.by_id[code_id]

    def roots(self) -> list[Code]:
        return self.children.get(None, [])

    def ancestors(self, code_id: str) -> list[Code]:
        """From the root down to the code's parent."""
        chain, seen = [], set()
        code = self.by_id[code_id]
        while code.parent in self.by_id and code.parent not in seen:
            seen.add(code.parent)
            code = self.by_id[code.parent]
            chain.append(code)
        return chain[::-1]

    def path(self, code_id: str) -> str:
        return SEPARATOR.join([c.name for c in self.ancestors(code_id)] + [self.by_id[code_id].name])

    def depth(self, code_id: str) -> int:
        return len(self.ancestors(code_id))

    def walk(self, parent: str | None = None) -> Iterable[Code]:
        """Every code below `parent` (the whole tree for None), depth first, in tree order."""
        for code in self.children.get(parent, []):
            yield code
            yield from self.walk(code.id)

    def descendants(self, code_id: str) -> list[Code]:
        return list(self.walk(code_id))

    def subtree_ids(self, code_id: str) -> set[str]:
        return {code_id} | {c.id for c in self.walk(code_id)}

    def find(self, ref: str) -> Code:
        """A code by id, by path from the root (`barriers/unclear role`), or by a unique name."""
        if ref in self.by_id:
            return self.by_id[ref]
        parts = [name_key(p) for p in ref.split(SEPARATOR) if p.strip()]
        if not parts:
            raise NotFound("no code given")
        if len(parts) > 1:
            level: list[Code] = self.roots()
            found = None
            for part in parts:
                found = next((c for c in level if name_key(c.name) == part), None)
                if found is None:
                    raise NotFound(f"no code at path '{ref}'")
                level = self.children.get(found.id, [])
            return found
        matches = [c for c in self.by_id.values() if name_key(c.name) == parts[0]]
        if not matches:
            raise NotFound(f"no code named '{ref}'")
        if len(matches) > 1:
            paths = ", ".join(sorted(self.path(c.id) for c in matches))
            raise Ambiguous(f"'{ref}' names several codes ({paths}); give its path")
        return matches[0]

    def sibling_named(self, parent: str | None, name: str, exclude: str | None = None) -> Code | None:
        return next(
            (c for c in self.children.get(parent, []) if name_key(c.name) == name_key(name) and c.id != exclude),
            None,
        )

    def theme_of(self, code_id: str, kinds=("theme",)) -> Code | None:
        """The nearest ancestor-or-self whose kind is in `kinds`."""
        for code in [self.by_id[code_id], *reversed(self.ancestors(code_id))]:
            if code.kind in kinds:
                return code
        return None
