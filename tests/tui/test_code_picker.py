"""The code picker codes only with the code chosen: an exact name selects it, anything else
offers "create" first; every picker ranks as workbench.picking does."""

from tui_support import on_disk, running, settle
from workbench.tui.screens.picker import NewEntry, PickerScreen


def add_codes(project):
    with project.open_coder("alex") as coder:
        coder.add_code("extra pair of hands", parent="barriers/unclear role")
        coder.add_code("hostility from staff", parent="barriers")
        coder.add_code("stigma", parent="barriers/hostility from staff")


async def test_a_name_no_code_has_is_created_never_coded_as_the_nearest_fuzzy_hit(project):
    add_codes(project)
    async with running(project) as (app, pilot):
        await pilot.press("s", "c", *"dropping out of study")
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert picker.shown[0] == NewEntry("dropping out of study")
        assert picker.query_one("OptionList").highlighted == 0
        await pilot.press("enter")
        assert "Where does “dropping out of study” go?" in app.screen.dialog_title
        await pilot.press("enter")
        await settle(pilot, app)
    with on_disk(project) as coder:
        [coding] = coder.codings()
        assert coder.codebook.path(coding.code) == "dropping out of study"


async def test_an_exact_name_ignoring_case_and_spacing_selects_that_code(project):
    add_codes(project)
    async with running(project) as (app, pilot):
        await pilot.press("s", "c", *"  Unclear   ROLE ")
        assert not any(isinstance(v, NewEntry) for v in app.screen.shown)
        await pilot.press("enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, PickerScreen)
    with on_disk(project) as coder:
        [coding] = coder.codings()
        assert coder.codebook.path(coding.code) == "barriers/unclear role"
        assert [c.name for c in coder.codes() if c.name.casefold().startswith("unclear")] == ["unclear role"]


async def test_a_partial_name_offers_create_first_and_the_arrows_choose_a_match(project):
    add_codes(project)
    async with running(project) as (app, pilot):
        await pilot.press("s", "c", *"unclear")
        with app.writes.lock:
            unclear = app.coder.code("barriers/unclear role").id
        assert app.screen.shown[:2] == [NewEntry("unclear"), unclear]
        await pilot.press("down", "enter")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.codebook.path(coder.codings()[0].code) == "barriers/unclear role"
        assert "unclear" not in {c.name for c in coder.codes()}


async def test_parent_and_leaf_words_rank_the_leaf_above_its_parent(project):
    add_codes(project)
    async with running(project) as (app, pilot):
        await pilot.press("s", "c", *"hostility stigma")
        with app.writes.lock:
            stigma = app.coder.code("barriers/hostility from staff/stigma").id
            parent = app.coder.code("barriers/hostility from staff").id
        shown = app.screen.shown
        assert shown[0] == NewEntry("hostility stigma")
        assert shown.index(stigma) < shown.index(parent)


async def test_the_move_picker_ranks_the_same_way(project):
    add_codes(project)
    async with running(project) as (app, pilot):
        app.codebook_tree.focus()
        await pilot.pause()
        with app.writes.lock:
            extra = app.coder.code("extra pair of hands").id  # barriers/unclear role/…
            stigma = app.coder.code("barriers/hostility from staff/stigma").id
            parent = app.coder.code("barriers/hostility from staff").id
        app.select_code(extra)
        await pilot.pause()
        await pilot.press("M", *"hostility stigma")
        shown = app.screen.shown
        assert shown.index(stigma) < shown.index(parent)
        await pilot.press("enter")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.codebook.path(extra) == "barriers/hostility from staff/stigma/extra pair of hands"
