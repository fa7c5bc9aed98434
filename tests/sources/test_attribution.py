"""Counting by speaker, checked by hand on a small focus group beside one interview."""

import csv
import io

import pytest

from workbench.analysis.matrix import build_matrix
from workbench.analysis.salience import compute_salience
from workbench.errors import WorkbenchError
from workbench.exchange.tables import export_csv
from workbench.importing import import_transcript
from workbench.report.content import build_report
from workbench.report.markdown import render_markdown
from workbench.sources.attribution import Attribution

FG1 = ("Moderator: What brought you here?\n\n"
       "Anna: My sister told me. I was lonely.\n\n"
       "Ben: The coffee, honestly.\n\n"
       "Moderator: What kept you coming?\n\n"
       "Ben: The people.\n\n"
       "Anna: Feeling understood.\n\n"
       "Cleo: Same for me.\n")
P9 = "Interviewer: What kept you coming?\n\nParticipant: Belonging, mostly.\n"


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def group(project, tmp_path):
    (tmp_path / "FG1.txt").write_text(FG1, encoding="utf-8")
    (tmp_path / "P9.txt").write_text(P9, encoding="utf-8")
    import_transcript(project, tmp_path / "FG1.txt", focus_group=True)
    import_transcript(project, tmp_path / "P9.txt")
    project.set_attributes({"Anna": {"gender": "F"}, "Ben": {"gender": "M"}, "Cleo": {"gender": "F"},
                            "P9": {"gender": "F"}})
    fg, p9 = project.text("FG1"), project.text("P9")
    with project.open_coder("alex") as coder:
        for name in ("isolation", "practical", "belonging"):
            coder.add_code(name)
        made = {}
        for key, (tid, text, quote, code) in {
            "c1": ("FG1", fg, "I was lonely.", "isolation"),
            "c2": ("FG1", fg, "The coffee, honestly.", "practical"),
            "c3": ("FG1", fg, "The people.\n\nAnna: Feeling understood.\n\nCleo: Same for me.", "belonging"),
            "c4": ("P9", p9, "Belonging, mostly.", "belonging"),
            "c5": ("FG1", fg, "What brought you here?", "practical"),  # the moderator's words
        }.items():
            start, end = span(text, quote)
            made[key] = coder.add_coding(tid, start, end, code, text[start:end])
    return project, made


def test_a_coding_belongs_to_the_speakers_of_the_turns_it_covers(group):
    project, made = group
    attribution = Attribution(project)
    assert [attribution.of(made[k]) for k in ("c1", "c2", "c3", "c4", "c5")] == [
        ("Anna",), ("Ben",), ("Ben", "Anna", "Cleo"), ("P9",), ()]
    assert attribution.everyone() == {"Anna", "Ben", "Cleo", "P9"}


def test_salience_per_speaker_by_hand(group):
    project, _ = group
    with project.open_coder("alex", readonly=True) as coder:
        table = compute_salience(project, coder)
        rows = {r["code"]: r for r in table.rows()}
    assert table.total_participants == 4  # Anna, Ben, Cleo, P9 (not the group, not the moderator)
    # isolation: Anna only; first code of the first answer (rank 1)
    assert (rows["isolation"]["participants"], rows["isolation"]["primacy"]) == (1, 1.0)
    assert rows["isolation"]["salience"] == pytest.approx(0.5 * 1 + 0.5 * 1 / 4, abs=1e-4)
    # practical: Ben's coffee comes after Anna's isolation in the same answer, across speakers:
    # rank 2, though it is Ben's first code; the moderator's coding counts for nobody
    assert (rows["practical"]["codings"], rows["practical"]["participants"], rows["practical"]["primacy"]) == (2, 1, 0.5)
    assert rows["practical"]["salience"] == pytest.approx(0.5 * 0.5 + 0.5 * 1 / 4, abs=1e-4)
    # belonging: Ben, Anna and Cleo in FG1 and P9 in the interview; alone in both answers
    assert (rows["belonging"]["participants"], rows["belonging"]["primacy"], rows["belonging"]["salience"]) == (4, 1.0, 1.0)


def cells(matrix) -> dict[str, list[int]]:
    """Row -> [isolation, practical, belonging]."""
    at = {c["code"]: i for i, c in enumerate(matrix.columns)}
    return {row: [values[at[c]] for c in ("isolation", "practical", "belonging")]
            for row, values in zip(matrix.rows, matrix.cells)}


def test_matrix_per_speaker_by_hand(group):
    project, _ = group
    with project.open_coder("alex", readonly=True) as coder:
        by_person = build_matrix(project, coder, by="participant", level="code")
        by_gender = build_matrix(project, coder, by="gender", level="code")
    assert cells(by_person) == {"Anna": [1, 0, 1], "Ben": [0, 1, 1], "Cleo": [0, 0, 1], "P9": [0, 0, 1]}
    # c3 is spoken by Anna and Cleo (both F) and Ben (M): once in each row, not twice in F
    assert cells(by_gender) == {"F": [1, 0, 2], "M": [0, 1, 1]}
    assert dict(zip(by_gender.rows, by_gender.row_sizes)) == {"F": 3, "M": 1}


def test_the_matrix_legend_says_how_a_focus_groups_codings_are_counted(group):
    from click.testing import CliRunner

    from workbench.cli.main import cli

    project, _ = group
    for rows in ("participant", "gender"):
        result = CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "alex", "matrix", "--level", "code",
                                          "--rows", rows])
        assert result.exit_code == 0, result.output
        legend = next(line for line in result.output.splitlines() if line.startswith("cells: "))
        assert "in the row's transcripts" not in legend
        assert legend == ("cells: number of codings under each code in the row's interviews and, in focus groups, "
                          "in the turns of the row's speakers; darker = more")


def test_codings_csv_has_a_participant_per_coding(group, tmp_path):
    project, made = group
    export_csv(project, tmp_path / "codings.csv")
    rows = {r["coding_id"]: r for r in csv.DictReader(io.StringIO((tmp_path / "codings.csv").read_text()))}
    assert [rows[made[k].id]["participant"] for k in ("c1", "c3", "c4", "c5")] == ["Anna", "Ben; Anna; Cleo", "P9", ""]


def test_report_quotes_cite_group_and_speaker_in_the_projects_format(group):
    project, made = group
    with project.open_coder("alex", readonly=True) as coder:
        text = render_markdown(build_report(project, coder, quotes=5))
    assert "(FG1, Anna)" in text and "(FG1, Ben, Anna, Cleo)" in text and "(P9)" in text
    project.manifest["quote_format"] = {"focus_group": "{transcript} {participant}"}
    project.save_manifest()
    attribution = Attribution(type(project)(project.root))
    assert attribution.quote_id(made["c1"]) == "FG1 Anna"
    assert attribution.quote_id(made["c4"]) == "P9"


def test_an_unknown_quote_field_is_named(group):
    project, made = group
    project.manifest["quote_format"] = {"focus_group": "{group}/{participant}"}
    with pytest.raises(WorkbenchError, match=r"quote_format 'focus_group' names group"):
        Attribution(project).quote_id(made["c1"])


@pytest.mark.parametrize("fmt, said", [
    ("{participant:%}", "quote_format 'focus_group': Unknown format code '%'"),
    ("{} said", "quote_format 'focus_group' names {}; use {transcript}"),
    ("{participant[0]}{wave.real}", "quote_format 'focus_group' names participant[0], wave.real"),
])
def test_a_quote_format_that_cannot_be_filled_is_refused_in_one_line(group, fmt, said):
    # a format spec or an index Python rejects must not end the report in a traceback
    project, made = group
    project.manifest["quote_format"] = {"focus_group": fmt}
    with pytest.raises(WorkbenchError) as refused:
        Attribution(project).quote_id(made["c1"])
    assert said in str(refused.value)


def test_theme_review_lists_a_group_quote_under_each_speaker(group):
    import asyncio

    from textual.app import App
    from textual.widgets import OptionList, Tree

    from workbench.tui.screens.theme_review import ThemeReviewScreen

    project, _ = group

    class ReviewApp(App):
        def on_mount(self) -> None:
            self.push_screen(ThemeReviewScreen(project, "alex"))

    async def scenario():
        app = ReviewApp()
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            screen = app.screen
            with screen.lock:
                code_id = screen.coder.code("belonging").id
            tree = screen.query_one(Tree)
            node = next(n for n in walk(tree.root) if n.data == code_id)
            tree.move_cursor(node)
            await pilot.pause()
            options = screen.query_one(OptionList)
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    shown = asyncio.run(scenario())
    heads = [s for s in shown if s.startswith("Participant ")]
    assert heads == ["Participant Anna · 1 quote", "Participant Ben · 1 quote", "Participant Cleo · 1 quote",
                     "Participant P9 · 1 quote"]
    assert sum("(FG1, Ben, Anna, Cleo)" in s for s in shown) == 3 and sum("(P9)" in s for s in shown) == 1


def walk(node):
    for child in node.children:
        yield child
        yield from walk(child)


def test_attribution_agrees_with_looking_at_every_turn(project, tmp_path):
    """Random spans over a group with several turns each: the bisecting lookup gives the
    speakers of exactly the turns the span meets, in order, for empty spans the turn it is in."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    (tmp_path / "FG1.txt").write_text(FG1 + "\nModerator: Last words?\n\nBen: None.\n\nDara: Thanks.\n", encoding="utf-8")
    import_transcript(project, tmp_path / "FG1.txt", focus_group=True)
    attribution = Attribution(project)
    turns = project.segments("FG1").turns
    size = len(project.text("FG1"))

    @settings(max_examples=300)
    @given(st.integers(0, size), st.integers(0, 200))
    def check(start, length):
        end = min(size, start + length)
        met = [t for t in turns if t.label_start < end and t.end > start] if end > start else \
              [t for t in turns if t.label_start <= start < t.end][:1]
        expected = tuple(dict.fromkeys(t.speaker for t in met if t.role != "interviewer"))
        assert attribution.span("FG1", start, end) == expected

    check()


def test_the_reports_sample_describes_groups_and_survey_answers(group, tmp_path):
    from workbench.report.sample import describe_sample
    from workbench.sources.survey import plan_survey, store_survey

    project, _ = group
    (tmp_path / "answers.csv").write_text("respondent,q7,q9\nR1,Yes,No\nR2,Maybe,\n")
    store_survey(project, plan_survey(project, tmp_path / "answers.csv", "respondent", "q7,q9"))
    lines = dict(describe_sample(type(project)(project.root)).lines())
    assert lines["Participants"] == "6"  # Anna, Ben, Cleo, P9, R1, R2
    assert lines["Interviews"] == "1"
    assert lines["Focus groups"] == "1 (FG1: 3 participants)"
    assert lines["Survey"] == "3 answers to 2 open questions from 2 respondents"
    assert lines["Interviews per participant"] == "1 participant with 1 interview"


def test_agreement_per_participant_by_hand(group):
    from workbench.analysis.agreement_participants import agreement_by_participant

    project, _ = group
    fg, p9 = project.text("FG1"), project.text("P9")
    with project.open_coder("sam") as sam:
        for name in ("isolation", "practical", "belonging"):
            sam.add_code(name)
        for tid, text, quote, code in (("FG1", fg, "I was lonely.", "isolation"), ("P9", p9, "Belonging, mostly.", "belonging")):
            start, end = span(text, quote)
            sam.add_coding(tid, start, end, code, text[start:end])
    rows = {r.participant: r for r in agreement_by_participant(project, "alex", "sam", unit="turn").rows}
    counts = {pid: (r.figures.both, r.figures.a_only, r.figures.b_only, r.figures.neither) for pid, r in rows.items()}
    # each speaker's own turns x 3 codes: Anna 2 turns, Ben 2, Cleo 1; P9's interview 2 turns
    assert counts == {"Anna": (1, 1, 0, 4), "Ben": (0, 2, 0, 4), "Cleo": (0, 1, 0, 2), "P9": (1, 0, 0, 5)}
    assert rows["Anna"].figures.percent_agreement == pytest.approx(5 / 6)
    assert rows["Anna"].transcripts == ["FG1"] and rows["P9"].transcripts == ["P9"]
    # characters: only the speaker's own turns count, the moderator's words are nobody's
    chars = {r.participant: r.figures for r in agreement_by_participant(project, "alex", "sam", unit="character").rows}
    turns = project.segments("FG1").turns
    anna = sum(t.end - t.label_start for t in turns if t.speaker == "Anna")
    assert sum(getattr(chars["Anna"], k) for k in ("both", "a_only", "b_only", "neither")) == 3 * anna
    assert chars["Anna"].both == len("I was lonely.")


def test_agreement_by_participant_on_the_command_line(group):
    import json

    from click.testing import CliRunner

    from workbench.cli.main import cli

    project, _ = group
    with project.open_coder("sam") as sam:
        sam.add_code("isolation")
    result = CliRunner().invoke(cli, ["-p", str(project.root), "agreement", "alex", "sam", "--by-participant",
                                      "--unit", "turn", "--format", "json", "--all-transcripts"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["participants"]
    assert [r["participant"] for r in rows] == ["Anna", "Ben", "Cleo", "P9"]
    table = CliRunner().invoke(cli, ["-p", str(project.root), "agreement", "alex", "sam", "--by-participant",
                                     "--all-transcripts"])
    assert table.exit_code == 0 and "Anna" in table.output and "participant" in table.output


def test_agreement_by_participant_compares_the_transcripts_both_coders_worked_on(group):
    """As the per-code agreement does: a group the second coder has not reached yet is left
    out and said, not counted as all 'A only' for its speakers."""
    import json

    from click.testing import CliRunner

    from workbench.cli.main import cli

    project, _ = group
    p9 = project.text("P9")
    with project.open_coder("sam") as sam:
        sam.add_code("belonging")
        start, end = span(p9, "Belonging, mostly.")
        sam.add_coding("P9", start, end, "belonging", p9[start:end])
    run = CliRunner().invoke
    data = json.loads(run(cli, ["-p", str(project.root), "agreement", "alex", "sam", "--by-participant",
                                "--format", "json"]).stdout)
    assert [r["participant"] for r in data["participants"]] == ["P9"]
    assert data["transcripts_compared"] == ["P9"]
    assert any(e["transcript"] == "FG1" and "only alex" in e["reason"] for e in data["transcripts_excluded"])
    table = run(cli, ["-p", str(project.root), "agreement", "alex", "sam", "--by-participant"])
    assert table.exit_code == 0 and "Anna" not in table.output and "FG1: only alex worked on it" in table.output
    named = json.loads(run(cli, ["-p", str(project.root), "agreement", "alex", "sam", "--by-participant",
                                 "--transcripts", "FG1", "--format", "json"]).stdout)
    assert [r["participant"] for r in named["participants"]] == ["Anna", "Ben", "Cleo"]


def test_the_table_by_participant_leaves_out_who_neither_coder_coded_and_says_so(group):
    """As the screen does (and the per-code table for codes): the JSON still lists them."""
    import json

    from click.testing import CliRunner

    from workbench.cli.main import cli

    project, _ = group
    (project.root.parent / "P10.txt").write_text("Interviewer: How was it?\nP10: Fine, thanks.\n", encoding="utf-8")
    import_transcript(project, project.root.parent / "P10.txt")
    for coder in ("alex", "sam"):  # both read P10 and coded nothing there
        with project.open_coder(coder) as file:
            file.set_done("P10")
    with project.open_coder("sam") as sam:
        sam.add_code("isolation")
        sam.set_done("FG1")
        sam.set_done("P9")
    run = CliRunner().invoke
    data = json.loads(run(cli, ["-p", str(project.root), "agreement", "alex", "sam", "--by-participant",
                                "--format", "json"]).stdout)
    nobody = [r["participant"] for r in data["participants"] if not (r["both"] + r["a_only"] + r["b_only"])]
    assert nobody  # alex did not code every speaker
    table = run(cli, ["-p", str(project.root), "agreement", "alex", "sam", "--by-participant"]).output
    rows = [line.split()[0] for line in table.splitlines() if line.split() and line.split()[0] in
            {r["participant"] for r in data["participants"]}]
    assert not set(nobody) & set(rows)
    assert f"neither coder coded {'is' if len(nobody) == 1 else 'are'} left out: {', '.join(nobody)}" in table
