"""The agreement screen per participant (`p`): one row per participant, a focus group's
speakers on their own turns, with the figures `workbench agreement --by-participant` prints;
readable at 80x24 in both views; Enter on a participant opens where they first speak."""

import json

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable

from tests.sources.test_attribution import span
from tests.tui.tui_support import running, screen_lines
from workbench.analysis.agreement_text import band_text, number_text, percent_text
from workbench.cli.main import cli
from workbench.importing import import_transcript
from workbench.tui.screens.agreement import AgreementScreen
from workbench.tui.widgets.key_bar import KeyBar

GROUP = ("Moderator: What made the first weeks hard?\n\n"
         "Rosa: Nobody told the ward what a peer worker is. I felt like a visitor.\n\n"
         "Tomás: The handover meetings. I was never invited.\n\n"
         "Moderator: And what helped?\n\n"
         "Rosa: My supervisor, every Friday.\n\n"
         "Ngozi: Another peer worker on the same ward.\n")
LONG_PATH = "facilitators/supervisor support"


@pytest.fixture
def group(project, tmp_path):
    """Beside the two interviews of 50002, a focus group FG1 (Rosa, Tomás, Ngozi) coded by
    alex and sam, who agree on Rosa's first turn, not on Tomás, and neither codes Ngozi."""
    (tmp_path / "FG1.txt").write_text(GROUP, encoding="utf-8")
    import_transcript(project, tmp_path / "FG1.txt", focus_group=True)
    with project.open_coder("alex") as alex:
        alex.add_code("peer network", parent="facilitators")  # a code neither of them applies
    with project.open_coder("sam") as sam:
        with project.open_coder("alex", readonly=True) as alex:
            sam.copy_codebook_from(alex)
    coded = {"alex": [("FG1", "I felt like a visitor.", "stigma"), ("FG1", "I was never invited.", "unclear role"),
                      ("FG1", "My supervisor, every Friday.", "supervisor support"),
                      ("50002", "The cabinet key", "stigma")],
             "sam": [("FG1", "Nobody told the ward what a peer worker is. I felt like a visitor.", "stigma"),
                     ("FG1", "My supervisor, every Friday.", "supervisor support"),
                     ("50002", "The cabinet key 🔑 was kept from me", "stigma")]}
    for coder_name, items in coded.items():
        with project.open_coder(coder_name) as coder:
            for transcript, quote, code in items:
                text = project.text(transcript)
                start, end = span(text, quote)
                coder.add_coding(transcript, start, end, code, text[start:end])
    return project


def by_participant_json(project, unit: str = "character") -> list[dict]:
    result = CliRunner().invoke(cli, ["-p", str(project.root), "agreement", "alex", "sam", "--by-participant",
                                      "--unit", unit, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["participants"]


def assert_shows(line: str, row: dict, whole: bool) -> None:
    """The row as the shell words it: whole, or at least up to kappa and its band (pos and
    alpha may lie to the right of a narrow screen, never cut)."""
    words = [row["participant"], str(row["both"]), str(row["a_only"]), str(row["b_only"]),
             percent_text(row["percent_agreement"]), number_text(row["kappa"]), *band_text(row["kappa"]).split(),
             number_text(row["positive_agreement"]), number_text(row["alpha"])]
    allowed = [words] if whole else [words, words[:-1], words[:-2]]
    assert line.split() in allowed, line


async def open_agreement(app, pilot, ready=lambda screen: screen.report is not None) -> AgreementScreen:
    for _ in range(250):
        await pilot.pause(0.02)
        if isinstance(app.screen, AgreementScreen) and ready(app.screen):
            await pilot.pause()
            return app.screen
    raise AssertionError("the agreement never showed")


def table_lines(app) -> list[str]:
    """The screen's rows from the table's heading down to the line under the table."""
    lines = screen_lines(app)
    top = next(i for i, line in enumerate(lines) if line.split()[:2] in (["code", "both"], ["participant", "both"]))
    return lines[top:]


def row_line(lines: list[str], name: str) -> str:
    return next(line for line in lines if line.split()[:1] == [name])


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_p_shows_one_row_per_participant_with_the_figures_of_the_shell(group, size):
    expected = by_participant_json(group)
    assert [r["participant"] for r in expected] == ["50002", "Ngozi", "Rosa", "Tomás"]
    async with running(group, size=size) as (app, pilot):
        app.open_screen("agreement")
        screen = await open_agreement(app, pilot)
        assert "p per participant" in screen.query_one(KeyBar).shown_text()
        await pilot.press("p")
        screen = await open_agreement(app, pilot, lambda s: s.participants is not None)
        assert "p per code" in screen.query_one(KeyBar).shown_text()
        lines = table_lines(app)
        assert lines[0].split()[:9] == ["participant", "both", "A", "only", "B", "only", "agree", "kappa", "band"]
        # Rosa: both coded her visitor sentence, sam more of her turn; Tomás: only alex; Ngozi: neither
        rosa, tomas, ngozi = ({r["participant"]: r for r in expected}[p] for p in ("Rosa", "Tomás", "Ngozi"))
        assert rosa["both"] > 0 and rosa["b_only"] > 0 and tomas["both"] == 0 and tomas["a_only"] > 0
        assert ngozi["note"] == "neither coder coded anything"
        coded = [r for r in expected if r["participant"] != "Ngozi"]
        shown = [line.split()[0] for line in lines[1:] if line.split()[:1] in ([r["participant"]] for r in expected)]
        assert shown == [r["participant"] for r in coded]  # the shell's order; Ngozi left out, and said so
        if size == (120, 36):
            assert lines[0].split()[9:] == ["pos", "alpha"]
        for row in coded:
            assert_shows(row_line(lines, row["participant"]), row, whole=size == (120, 36))
        everything = " ".join(" ".join(screen_lines(app)).split())
        assert "1 participant neither coder coded is left out: Ngozi" in everything
        table = screen.query_one(DataTable)
        table.move_cursor(row=[r["participant"] for r in coded].index("Tomás"))
        await pilot.pause()
        assert "Tomás: FG1 (their own turns). Enter opens FG1" in "".join(screen_lines(app))

        await pilot.press("u")  # sentences: the same figures as the shell's on sentences
        screen = await open_agreement(app, pilot, lambda s: s.participants is not None)
        lines = table_lines(app)
        for row in by_participant_json(group, "sentence"):
            if row["participant"] != "Ngozi":
                assert_shows(row_line(lines, row["participant"]), row, whole=size == (120, 36))

        await pilot.press("p")  # back to the codes
        screen = await open_agreement(app, pilot)
        assert table_lines(app)[0].split()[:2] == ["code", "both"]


async def test_the_codes_at_80x24_show_kappa_and_band_and_whole_names(group):
    result = CliRunner().invoke(cli, ["-p", str(group.root), "agreement", "alex", "sam", "--format", "json"])
    codes = {c["code"]: c for c in json.loads(result.stdout)["codes"]}
    async with running(group, size=(80, 24)) as (app, pilot):
        app.open_screen("agreement")
        await open_agreement(app, pilot)
        lines = table_lines(app)
        assert lines[0].split()[:9] == ["code", "both", "A", "only", "B", "only", "agree", "kappa", "band"]
        support = codes[LONG_PATH]
        at = next(i for i, line in enumerate(lines) if line.split()[:1] == ["facilitators/supervisor"])
        assert lines[at].split()[1:] == [str(support["both"]), str(support["a_only"]), str(support["b_only"]),
                                         percent_text(support["percent_agreement"]), number_text(support["kappa"]),
                                         *band_text(support["kappa"]).split()]
        assert lines[at + 1].split() == ["support"]  # the path whole, wrapped in its column
        assert all(len(line) <= 80 for line in lines)
        # a code neither coder applied is dimmed, and said to be
        table = app.screen.query_one(DataTable)
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        unused = [name for name, c in codes.items() if c["both"] + c["a_only"] + c["b_only"] == 0]
        assert unused == ["facilitators/peer network"]
        assert "dim" in str(table.get_row_at(labels.index("facilitators/peer network"))[0].style)
        assert "dim" not in str(table.get_row_at(labels.index("barriers/stigma"))[0].style)
        assert "neither coder applied is dimmed" in " ".join(" ".join(screen_lines(app)).split())


async def test_enter_on_a_participant_opens_their_transcript_where_they_first_speak(group):
    async with running(group, size=(80, 24)) as (app, pilot):
        app.open_screen("agreement")
        await open_agreement(app, pilot)
        await pilot.press("p")
        screen = await open_agreement(app, pilot, lambda s: s.participants is not None)
        table = screen.query_one(DataTable)
        table.move_cursor(row=[p.participant for p in screen.participants].index("Tomás"))
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, AgreementScreen)
        assert app.transcript_id == "FG1"
        start, end = app.transcript_view.selection
        assert group.text("FG1")[start:end] == "Tomás: The handover meetings. I was never invited."


async def test_question_mark_lists_the_view_keys(group):
    async with running(group, size=(80, 24)) as (app, pilot):
        app.open_screen("agreement")
        await open_agreement(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        listed = " ".join(" ".join(screen_lines(app)).split())
        assert "p per participant" in listed and "p per code" in listed
