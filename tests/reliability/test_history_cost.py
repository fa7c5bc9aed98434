"""Guarantee (issue 14.9): after a large change (deleting a code with hundreds of codings,
one history entry holding them all), each later coding still appends only itself and its
history entry, not the history chunk that holds the large entry."""

from __future__ import annotations

from pathlib import Path

from workbench.model import Code, Coding, new_id


def test_codings_after_deleting_a_large_code_append_only_themselves(coded):
    text = coded.text("50001_2")
    with coded.open_coder("alex") as coder:
        journal = Path(f"{coder.path}.journal")
        theme = coder.add_code("theme to delete", kind="theme")
        codes = [Code(id=new_id(), name=f"code {k}", parent=theme.id) for k in range(50)]
        # ten codings of each code, apart (codings of one code that overlap or touch are one coding)
        coder.add_many("import", "500 codings", codes + [
            Coding(id=new_id(), code=codes[k].id, transcript="50001_2", start=40 * j, end=40 * j + 30,
                   text=text[40 * j:40 * j + 30]) for k in range(50) for j in range(10)])
        assert coder.delete_code("theme to delete") == 500
        coder.add_code("later")
        appended = []
        for n in range(20):
            before = journal.stat().st_size if journal.exists() else 0
            coder.add_coding("50001_2", 12 * n, 12 * n + 10, "later", text[12 * n:12 * n + 10])
            appended.append(journal.stat().st_size - before)
        assert max(appended) <= 4096, appended
        assert coder.undo().action == "coding.add"
    with coded.open_coder("alex", readonly=True) as coder:
        assert len(coder.codings()) == 2 + 19
        assert [e.action for e in coder.history()][-23:-21] == ["import", "code.delete"]
