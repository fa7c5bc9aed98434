"""Changes to a coder's codebook: add, rename, move, set kind/colour/definition, merge,
delete, and copy from another coder. A mixin of `CoderFile`: every change goes through its
`_commit`, so each is one durable step in the history."""

from __future__ import annotations

import re

from workbench.codebook import name_key
from workbench.errors import WorkbenchError
from workbench.model import KINDS, PALETTE, Code, Coding, new_id, now
from workbench.wording import plural


class CodebookEdits:
    def add_code(self, name: str, parent: str | None = None, kind: str = "code",
                 color: str | None = None, description: str = "") -> Code:
        name = clean_name(name)
        parent_id = self.code(parent).id if parent else None
        check_kind(kind)
        if self.codebook.sibling_named(parent_id, name):
            where = self.codebook.path(parent_id) if parent_id else "the root"
            raise WorkbenchError(f"a code named '{name}' already exists under {where}")
        code = Code(id=new_id(), name=name, parent=parent_id, kind=kind,
                    color=color or PALETTE[len(self._codes) % len(PALETTE)], description=description)
        self._commit("code.add", f"add code {self._path_with(parent_id, name)}", [("code", None, code)])
        return code

    def rename_code(self, ref: str, new_name: str) -> Code:
        code = self.code(ref)
        new_name = clean_name(new_name)
        if self.codebook.sibling_named(code.parent, new_name, exclude=code.id):
            raise WorkbenchError(f"a code named '{new_name}' already exists beside '{code.name}'")
        return self._change_code(code, "code.rename", f"rename {self.codebook.path(code.id)} to {new_name}", name=new_name)

    def move_code(self, ref: str, new_parent: str | None) -> Code:
        code = self.code(ref)
        parent_id = self.code(new_parent).id if new_parent else None
        if parent_id is not None and parent_id in self.codebook.subtree_ids(code.id):
            raise WorkbenchError(f"cannot move '{code.name}' under itself")
        if self.codebook.sibling_named(parent_id, code.name, exclude=code.id):
            raise WorkbenchError(f"a code named '{code.name}' already exists there; merge instead")
        where = self.codebook.path(parent_id) if parent_id else "the root"
        return self._change_code(code, "code.move", f"move {self.codebook.path(code.id)} under {where}", parent=parent_id)

    def set_code(self, ref: str, kind: str | None = None, color: str | None = None,
                 description: str | None = None) -> Code:
        code = self.code(ref)
        changes = {k: v for k, v in (("kind", kind), ("color", color), ("description", description)) if v is not None}
        if kind is not None:
            check_kind(kind)
        if not changes:
            return code
        what = ", ".join(f"{k} {v!r}" if k != "description" else "definition" for k, v in changes.items())
        return self._change_code(code, "code.set", f"set {what} of {self.codebook.path(code.id)}", **changes)

    def _change_code(self, code: Code, action: str, summary: str, **changes) -> Code:
        after = Code.from_dict({**code.to_dict(), **changes, "modified": now()})
        self._commit(action, summary, [("code", code, after)])
        return after

    def merge_code(self, ref: str, into: str) -> Code:
        """Move the code's codings and children into `into`, then remove the code."""
        code, target = self.code(ref), self.code(into)
        if code.id == target.id or target.id in self.codebook.subtree_ids(code.id):
            raise WorkbenchError(f"cannot merge '{code.name}' into itself or its own descendant")
        changes = []
        for coding in self.codings(codes={code.id}):
            changes.append(("coding", coding, Coding.from_dict({**coding.to_dict(), "code": target.id, "modified": now()})))
        for child in self.codebook.children.get(code.id, []):
            changes.append(("code", child, Code.from_dict({**child.to_dict(), "parent": target.id, "modified": now()})))
        memo = self.memo("code", code.id)
        if memo is not None:
            changes.append(("memo", memo, None))
        changes.append(("code", code, None))
        self._commit("code.merge", f"merge {self.codebook.path(code.id)} into {self.codebook.path(target.id)}", changes)
        return target

    def delete_code(self, ref: str) -> int:
        """Delete a code, its descendants and their codings; returns how many codings went."""
        code = self.code(ref)
        doomed = self.codebook.subtree_ids(code.id)
        codings = self.codings(codes=doomed)
        changes = [("coding", c, None) for c in codings]
        changes += [("memo", m, None) for m in self._memos.values() if m.target_type == "code" and m.target in doomed]
        changes += [("code", self._codes[i], None) for i in doomed]
        self._commit("code.delete", f"delete {self.codebook.path(code.id)} and {plural(len(codings), 'coding')}", changes)
        return len(codings)

    def copy_codebook_from(self, other: "CodebookEdits") -> int:
        """Add every code of `other` that this codebook lacks (matched by path); returns how many."""
        new_codes, _ = self.codes_to_copy(other)
        if new_codes:
            self._commit("codebook.copy", f"copy {plural(len(new_codes), 'code')} from {other.coder}",
                         [("code", None, c) for c in new_codes])
        return len(new_codes)

    def codes_to_copy(self, other: "CodebookEdits", pending: list[Code] = ()) -> tuple[list[Code], dict[str, str]]:
        """The codes of `other` this codebook (with the `pending` new codes) lacks, matched by
        path, as new records; and a map from each of `other`'s code ids to the id here."""
        planned, ids = list(pending), {}
        new_codes = []
        book = self.codebook
        for code in other.codebook.walk():
            parent = ids.get(code.parent) if code.parent else None
            existing = book.sibling_named(parent, code.name) if parent in book.by_id or parent is None else None
            if existing is None:
                existing = next((c for c in planned if c.parent == parent and name_key(c.name) == name_key(code.name)), None)
            if existing is not None:
                ids[code.id] = existing.id
                continue
            new = Code.from_dict({**code.to_dict(), "id": new_id(), "parent": parent, "created": now(), "modified": now()})
            ids[code.id] = new.id
            planned.append(new)
            new_codes.append(new)
        return new_codes, ids

    def _path_with(self, parent_id: str | None, name: str) -> str:
        return f"{self.codebook.path(parent_id)}/{name}" if parent_id else name


def clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name:
        raise WorkbenchError("a code needs a name")
    if "/" in name:
        raise WorkbenchError(f"'{name}': a code name cannot contain '/' (it separates the levels of a path)")
    return name


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise WorkbenchError(f"unknown kind '{kind}': use one of {', '.join(KINDS)}")
