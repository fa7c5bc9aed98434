"""The agreement screen under Pilot, in a minimal app: the figures per code, the disagreement
walk resolving into the consensus file, and the walk resuming where it stopped."""

import pytest
from textual.app import App
from textual.widgets import DataTable, Static

from workbench.model import Coding, new_id
from workbench.tui.screens.agreement import AgreementScreen, DisagreementScreen

PHRASES = {"alex": ["Café first", "The cabinet key", "He printed"], "sam": ["The cabinet key 🔑 was kept from me", "José"]}


@pytest.fixture
def two_coders(project):
    """alex (from the shared conftest) and sam, both coding 'barriers/stigma' in 50002."""
    text = project.text("50002")
    with project.open_coder("sam") as sam:
        with project.open_coder("alex", readonly=True) as alex:
            sam.copy_codebook_from(alex)
    for name, phrases in PHRASES.items():
        with project.open_coder(name) as coder:
            code = coder.code("stigma").id
            coder.add_many("codings.import", "t", [
                Coding(id=new_id(), code=code, transcript="50002", start=text.index(p), end=text.index(p) + len(p), text=p)
                for p in phrases])
    return project


class Host(App):
    def __init__(self, screen):
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)


async def open_agreement(pilot, app):
    for _ in range(100):
        await pilot.pause(0.02)
        screen = app.screen
        if isinstance(screen, AgreementScreen) and screen.report is not None:
            return screen
    raise AssertionError("the agreement never showed")


def cell_texts(table: DataTable, row: int) -> list[str]:
    return [str(c) for c in table.get_row_at(row)]


async def test_agreement_rows_and_walk_into_consensus(two_coders):
    project = two_coders
    app = Host(AgreementScreen(project, "alex", "sam"))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_agreement(pilot, app)
        table = screen.query_one(DataTable)
        labels = [cell_texts(table, i)[0] for i in range(table.row_count)]
        assert labels[-1] == "overall" and "barriers/stigma" in labels
        stigma = labels.index("barriers/stigma")
        assert cell_texts(table, stigma)[4].endswith("%")
        table.move_cursor(row=stigma)
        await pilot.press("enter")
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, DisagreementScreen)
        assert len(walk.walk.items) == 4  # Café, the key (B longer), José, He printed
        first = walk.current
        assert "Café first" in str(walk.query_one("#side-a", Static).render())
        await pilot.press("a")  # take A: "Café first"
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"longer is right", "enter")
        await pilot.pause()
        await pilot.press("b")  # take B on the cabinet key, with the note
        await pilot.press("s")  # skip José
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)
    with project.open_coder("consensus", readonly=True) as consensus:
        texts = sorted(c.text for c in consensus.codings())
        assert texts == ["Café first", "The cabinet key 🔑 was kept from me"]
        assert [m.text for m in consensus.memos() if m.target_type == "coding"] == ["longer is right"]
        decisions = {r.decision for r in consensus.resolutions().values()}
        assert decisions == {"take_a", "take_b", "skip"}
        assert first.key in consensus.resolutions()

    # Opening the walk again resumes at the item never decided ("He printed"), then the skipped one.
    app = Host(AgreementScreen(project, "alex", "sam"))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_agreement(pilot, app)
        table = screen.query_one(DataTable)
        table.move_cursor(row=[cell_texts(table, i)[0] for i in range(table.row_count)].index("barriers/stigma"))
        await pilot.press("enter")
        await pilot.pause()
        walk = app.screen
        assert [project.text("50002")[i.start:i.end] for i in walk.queue] == ["He printed", "José"]
        await pilot.press("d", "k")  # drop "He printed"; keep both on José (only B coded it)
        await pilot.pause()
        assert "resolved" in str(walk.query_one("#walk-title", Static).render())
        await pilot.press("escape")
    with project.open_coder("consensus", readonly=True) as consensus:
        assert sorted(c.text for c in consensus.codings()) == ["Café first", "José", "The cabinet key 🔑 was kept from me"]
        assert [e.action for e in consensus.history()].count("agreement.resolve") == 5


async def test_o_compares_with_the_next_coder(two_coders):
    project = two_coders
    with project.open_coder("kim") as kim:
        with project.open_coder("alex", readonly=True) as alex:
            kim.copy_codebook_from(alex)
    app = Host(AgreementScreen(project, "alex", "sam"))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_agreement(pilot, app)
        assert "sam (B)" in str(screen.query_one("#agreement-title", Static).render())
        screen.report = None
        await pilot.press("o")
        screen = await open_agreement(pilot, app)
        assert screen.other_name == "kim"
        assert "kim (B)" in str(screen.query_one("#agreement-title", Static).render())
        await pilot.press("o")
        assert screen.other_name == "sam"
