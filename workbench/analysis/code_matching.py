"""Which code of coder A is compared with which code of coder B.

Codes match by path (each level's name compared ignoring case and spacing), then the codes
left over match by name alone when that name is unique among the leftovers on both sides,
so a code that one coder filed under another parent is still found. A mapping file
overrides both: its rows link A's codes to B's, and codes linked together (directly or
through a chain of rows) are compared as one. A code left without a partner is compared
against nothing: all its codings count as one coder's only.

At the theme level the compared nodes are the themes, and a coding counts for the nearest
ancestor-or-self of kind theme (``Codebook.theme_of``). A codebook still at the stage of
subthemes (neither coder has a node of kind theme yet) is compared on its subthemes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from workbench.codebook import Codebook, name_key
from workbench.errors import WorkbenchError
from workbench.model import CODABLE_KINDS

LEVELS = ("code", "theme")


@dataclass(frozen=True)
class ComparedCode:
    """One row of the comparison: A's nodes against B's, and the code ids whose codings count."""

    label: str  # A's path, or B's when A has no partner
    a_nodes: tuple[str, ...]
    b_nodes: tuple[str, ...]
    a_codes: frozenset[str]
    b_codes: frozenset[str]
    a_label: str | None
    b_label: str | None

    @property
    def one_sided_note(self) -> str | None:
        if not self.b_nodes:
            return "only coder A has this code"
        if not self.a_nodes:
            return "only coder B has this code"
        return None


def theme_kinds(*books: Codebook) -> tuple[str, ...]:
    return ("theme",) if any(c.kind == "theme" for book in books for c in book.by_id.values()) else ("subtheme",)


def compared_nodes(book: Codebook, level: str, coded: set[str],
                   themes: tuple[str, ...] = ("theme",)) -> dict[str, frozenset[str]]:
    """The nodes compared at `level`, each with the code ids whose codings count for it, in tree order."""
    if level not in LEVELS:
        raise WorkbenchError(f"unknown level '{level}': use one of {', '.join(LEVELS)}")
    if level == "code":
        return {c.id: frozenset((c.id,)) for c in book.walk() if c.kind in CODABLE_KINDS or c.id in coded}
    members: dict[str, set[str]] = {c.id: set() for c in book.walk() if c.kind in themes}
    for code in book.walk():
        theme = book.theme_of(code.id, kinds=themes)
        if theme is not None:
            members[theme.id].add(code.id)
    return {theme: frozenset(ids) for theme, ids in members.items()}


def path_key(book: Codebook, code_id: str) -> tuple[str, ...]:
    return tuple(name_key(c.name) for c in [*book.ancestors(code_id), book[code_id]])


def match_codes(book_a: Codebook, book_b: Codebook, level: str = "code",
                coded_a: set[str] = frozenset(), coded_b: set[str] = frozenset(),
                mapping: list[tuple[str, str]] | None = None) -> list[ComparedCode]:
    """The compared rows: mapped groups first, then A's nodes in tree order, then B's leftovers."""
    kinds = theme_kinds(book_a, book_b)
    nodes_a = compared_nodes(book_a, level, set(coded_a), kinds)
    nodes_b = compared_nodes(book_b, level, set(coded_b), kinds)
    groups: list[tuple[list[str], list[str]]] = _mapped_groups(book_a, book_b, nodes_a, nodes_b, mapping or [])
    taken_a = {n for g in groups for n in g[0]}
    taken_b = {n for g in groups for n in g[1]}

    b_by_path = {path_key(book_b, n): n for n in nodes_b if n not in taken_b}
    pairs: dict[str, str | None] = {}
    for node in nodes_a:
        if node in taken_a:
            continue
        partner = b_by_path.get(path_key(book_a, node))
        pairs[node] = partner
        if partner:
            taken_b.add(partner)
    left_a = defaultdict(list)
    for node, partner in pairs.items():
        if partner is None:
            left_a[name_key(book_a[node].name)].append(node)
    left_b = defaultdict(list)
    for node in nodes_b:
        if node not in taken_b:
            left_b[name_key(book_b[node].name)].append(node)
    for name, a_nodes in left_a.items():
        if len(a_nodes) == 1 and len(left_b.get(name, ())) == 1:
            pairs[a_nodes[0]] = left_b[name][0]
            taken_b.add(left_b[name][0])

    groups += [([a], [b] if b else []) for a, b in pairs.items()]
    groups += [([], [b]) for b in nodes_b if b not in taken_b]
    return [_compared(book_a, book_b, nodes_a, nodes_b, a, b) for a, b in groups]


def _compared(book_a, book_b, nodes_a, nodes_b, a: list[str], b: list[str]) -> ComparedCode:
    a_label = " + ".join(book_a.path(n) for n in a) or None
    b_label = " + ".join(book_b.path(n) for n in b) or None
    return ComparedCode(
        label=a_label or b_label, a_nodes=tuple(a), b_nodes=tuple(b),
        a_codes=frozenset().union(*(nodes_a[n] for n in a)), b_codes=frozenset().union(*(nodes_b[n] for n in b)),
        a_label=a_label, b_label=b_label,
    )


def _mapped_groups(book_a, book_b, nodes_a, nodes_b, mapping) -> list[tuple[list[str], list[str]]]:
    """Connected groups of the mapping's rows (A x -> B y, A x -> B z, A w -> B z: one group)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for ref_a, ref_b in mapping:
        a = ("a", _mapped_node(book_a, nodes_a, ref_a, "A"))
        b = ("b", _mapped_node(book_b, nodes_b, ref_b, "B"))
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        parent[root(a)] = root(b)
    members: dict[tuple, tuple[list[str], list[str]]] = {}
    for key in parent:
        group = members.setdefault(root(key), ([], []))
        group[0 if key[0] == "a" else 1].append(key[1])
    order_a = {n: i for i, n in enumerate(nodes_a)}
    order_b = {n: i for i, n in enumerate(nodes_b)}
    groups = [(sorted(a, key=order_a.get), sorted(b, key=order_b.get)) for a, b in members.values()]
    return sorted(groups, key=lambda g: order_a[g[0][0]])  # every row links an A node to a B node


def _mapped_node(book: Codebook, nodes: dict, ref: str, side: str) -> str:
    try:
        code = book.find(ref)
    except WorkbenchError as err:
        raise WorkbenchError(f"mapping: coder {side}: {err}") from None
    if code.id not in nodes:
        raise WorkbenchError(f"mapping: coder {side}'s '{book.path(code.id)}' is a {code.kind}, not compared at this level")
    return code.id


def read_mapping(path: Path, coder_a: str, coder_b: str) -> list[tuple[str, str]]:
    """Rows of (A's code, B's code) from a CSV. The columns are the ones named after the two
    coders, else `a`/`b` (or `code_a`/`code_b`, `a_code`/`b_code`), else the first two."""
    from workbench.importing import read_table

    rows = read_table(path)
    if not rows:
        raise WorkbenchError(f"{path}: no rows below the header")
    header = list(rows[0])
    keys = {name_key(h): h for h in header}
    for a, b in ((coder_a, coder_b), ("a", "b"), ("code_a", "code_b"), ("a_code", "b_code"),
                 ("coder a", "coder b"), ("code a", "code b")):
        if name_key(a) in keys and name_key(b) in keys:
            col_a, col_b = keys[name_key(a)], keys[name_key(b)]
            break
    else:
        if len(header) < 2:
            raise WorkbenchError(f"{path}: a mapping needs two columns, A's code and B's code")
        col_a, col_b = header[0], header[1]
    return [(row[col_a], row[col_b]) for row in rows if row.get(col_a) and row.get(col_b)]
