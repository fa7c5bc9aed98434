"""An import never leaves two codings of one code over overlapping spans: a coding it brings
that overlaps or touches one of the same code in the file extends that one."""

from exchange_helpers import make_study
from workbench.exchange.importer import import_exchange_file
from workbench.exchange.qde_writer import export_qdpx


def test_an_imported_coding_overlapping_one_of_the_same_code_extends_it(tmp_path):
    project = make_study(tmp_path)
    export_qdpx(project, tmp_path / "study.qdpx", coders=["alex"])
    text = project.text("50002")
    with project.open_coder("alex") as alex:
        [whole] = [c for c in alex.codings() if c.text.startswith("Nobody")]
        alex.remove_coding(whole.id)
        part = alex.add_coding("50002", whole.start, whole.start + 20, "barriers/unclear role",
                               text[whole.start:whole.start + 20])
        entries = len(alex.history())
    result = import_exchange_file(project, tmp_path / "study.qdpx", "alex")
    assert any("1 coding of alex overlapped or touched one of the same code and extended it" in w for w in result)
    with project.open_coder("alex", readonly=True) as alex:
        role = alex.codings(codes={alex.code("barriers/unclear role").id})
        assert [(c.id, c.start, c.end, c.text) for c in role] == [(part.id, whole.start, whole.end, whole.text)]
        assert alex.duplicates() == []
        assert len(alex.history()) == entries + 1
