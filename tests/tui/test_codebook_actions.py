"""Every action of the codebook tree, checked in the tree and in the coder file on disk."""

from tui_support import offset_of, on_disk, running, settle
from workbench.tui.screens.prompt import Confirm


async def focus_code(app, pilot, path):
    with app.writes.lock:
        code_id = app.coder.code(path).id
    app.select_code(code_id, focus=True)
    await pilot.pause()
    assert app.codebook_tree.code_id == code_id


def tree_labels(app):
    return [str(node.label) for node in app.codebook_tree._all_nodes() if node.data]


async def test_a_adds_a_child_and_A_a_top_level_code(project):
    async with running(project) as (app, pilot):
        await focus_code(app, pilot, "barriers")
        await pilot.press("a", *"workload", "enter")
        await settle(pilot, app)
        await pilot.press("A", *"identity", "enter")
        await settle(pilot, app)
        assert any(label.startswith("■ workload") for label in tree_labels(app))
    with on_disk(project) as coder:
        assert coder.codebook.path(coder.code("workload").id) == "barriers/workload"
        assert coder.code("identity").parent is None


async def test_r_renames(project):
    async with running(project) as (app, pilot):
        await focus_code(app, pilot, "stigma")
        await pilot.press("r", *["backspace"] * 6, *"othering", "enter")
        await settle(pilot, app)
        assert any(label.startswith("■ othering") for label in tree_labels(app))
    with on_disk(project) as coder:
        assert coder.codebook.path(coder.code("othering").id) == "barriers/othering"


async def test_M_moves_under_a_picked_parent(project):
    async with running(project) as (app, pilot):
        await focus_code(app, pilot, "stigma")
        await pilot.press("M", *"facilitators", "enter")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.codebook.path(coder.code("stigma").id) == "facilitators/stigma"


async def test_J_merges_and_the_codings_follow(project):
    with project.open_coder("alex") as coder:
        text = project.text("50002")
        start = text.index("It hurt")
        coder.add_coding("50002", start, start + 7, "stigma", "It hurt")
    async with running(project) as (app, pilot):
        await focus_code(app, pilot, "stigma")
        await pilot.press("J", *"unclear", "enter")
        await settle(pilot, app)
        assert [m.name for m in app.transcript_view.marks] == ["unclear role"]
    with on_disk(project) as coder:
        assert [coder.codebook.path(c.code) for c in coder.codings()] == ["barriers/unclear role"]
        assert "stigma" not in {c.name for c in coder.codes()}


async def test_delete_asks_and_says_how_many_codings_go(project):
    with project.open_coder("alex") as coder:
        text = project.text("50002")
        start = text.index("It hurt")
        coder.add_coding("50002", start, start + 7, "stigma", "It hurt")
    async with running(project) as (app, pilot):
        await focus_code(app, pilot, "barriers")
        await pilot.press("delete")
        assert isinstance(app.screen, Confirm)
        assert app.screen.question == "Delete “barriers” and the 2 codes below it? 1 coding goes with it."
        await pilot.press("n")
        await pilot.press("D", "y")
        await settle(pilot, app)
        assert app.transcript_view.marks == []
    with on_disk(project) as coder:
        assert sorted(c.name for c in coder.codes()) == ["facilitators", "supervisor support"]
        assert coder.codings() == []


async def test_K_changes_the_kind(project):
    async with running(project) as (app, pilot):
        await focus_code(app, pilot, "stigma")
        await pilot.press("K", *"theme", "enter")
        await settle(pilot, app)
        assert "■ stigma  0·0 theme" in tree_labels(app)
    with on_disk(project) as coder:
        assert coder.code("stigma").kind == "theme"


async def test_C_changes_the_colour_from_the_palette_or_a_typed_hex(project):
    async with running(project) as (app, pilot):
        await focus_code(app, pilot, "stigma")
        await pilot.press("C", *"#123abc", "enter")
        await settle(pilot, app)
        with on_disk(project) as coder:
            assert coder.code("stigma").color == "#123abc"
        await pilot.press("C", "down", "enter")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.code("stigma").color not in ("#123abc", "#4363d8")


async def test_d_edits_the_definition_in_the_memo_panel(project):
    async with running(project) as (app, pilot):
        await focus_code(app, pilot, "unclear role")
        await pilot.press("d")
        assert app.focused is app.memo_panel.editor
        assert app.memo_panel.subject.title == "Definition · barriers/unclear role"
        await pilot.press(*"nobody knows what a peer does", "escape")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.code("unclear role").description == "nobody knows what a peer does"


async def test_each_node_counts_codings_and_participants(project):
    with project.open_coder("alex") as coder:
        for transcript, fragment in (("50002", "It hurt"), ("50002_2", "believed")):
            start = offset_of(project, transcript, fragment)
            coder.add_coding(transcript, start, start + 5, "stigma", project.text(transcript)[start:start + 5])
    async with running(project) as (app, pilot):
        labels = tree_labels(app)
        assert "■ barriers  2·1 category" in labels
        assert "■ stigma  2·1" in labels
        assert "■ unclear role  0·0" in labels


async def test_the_tree_undo_reverts_a_codebook_edit(project):
    async with running(project) as (app, pilot):
        await focus_code(app, pilot, "stigma")
        await pilot.press("r", *["backspace"] * 6, *"othering", "enter")
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        assert any(label.startswith("■ stigma") for label in tree_labels(app))
    with on_disk(project) as coder:
        assert coder.code("stigma")
