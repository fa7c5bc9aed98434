"""Guarantee (issue 14.9): after a large change (deleting a code with hundreds of codings,
one history entry holding them all), each later coding still appends only itself and its
history entry, not the history chunk that holds the large entry."""

from __future__ import annotations

from pathlib import Path

from workbench.model import Coding, new_id


def test_codings_after_deleting_a_large_code_append_only_themselves(coded):
    text = coded.text("50001_2")
    with coded.open_coder("alex") as coder:
        journal = Path(f"{coder.path}.journal")
        theme = coder.add_code("theme to delete")
        coder.add_many("import", "500 codings", [
            Coding(id=new_id(), code=theme.id, transcript="50001_2", start=n % 200, end=n % 200 + 40,
                   text=text[n % 200:n % 200 + 40]) for n in range(500)])
        assert coder.delete_code("theme to delete") == 500
        appended = []
        for n in range(20):
            before = journal.stat().st_size if journal.exists() else 0
            coder.add_coding("50001_2", n, n + 30, "barriers", text[n:n + 30])
            appended.append(journal.stat().st_size - before)
        assert max(appended) <= 4096, appended
        assert coder.undo().action == "coding.add"
    with coded.open_coder("alex", readonly=True) as coder:
        assert len(coder.codings()) == 2 + 19
        assert [e.action for e in coder.history()][-22:-20] == ["import", "code.delete"]
