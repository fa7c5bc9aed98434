"""`D` in the transcript marks it done (in the coder's own file), shown in the footer and on
the pane; `D` again takes the mark away. The agreement screen compares only the transcripts
both coders worked on, and says which it left out."""

from textual.widgets import DataTable, Static

from tui_support import on_disk, running, settle
from workbench.model import Coding, new_id
from workbench.tui.screens.agreement import AgreementScreen


async def test_D_marks_the_transcript_done_and_again_takes_the_mark_off(project):
    async with running(project, size=(120, 36)) as (app, pilot):
        assert app.transcript_id == "50002"
        footer_keys = {b.key: b.description for _, b, enabled, _ in app.screen.active_bindings.values()
                       if b.show and enabled}
        assert footer_keys.get("D") == "done"
        await pilot.press("D")
        await settle(pilot, app)
        assert "done" in app.transcript_view.border_subtitle.split(" · ")
        with on_disk(project) as coder:
            assert coder.done_transcripts() == {"50002"}
        await pilot.press("D")
        await settle(pilot, app)
        assert "done" not in app.transcript_view.border_subtitle.split(" · ")
    with on_disk(project) as coder:
        assert coder.done_transcripts() == set()
        assert [e.action for e in coder.history()][-2:] == ["transcript.done", "transcript.undone"]


async def test_agreement_screen_leaves_out_a_transcript_only_one_coder_worked_on(project):
    text = project.text("50002_2")
    with project.open_coder("sam") as sam:
        with project.open_coder("alex", readonly=True) as alex:
            sam.copy_codebook_from(alex)
        sam.set_done("50002")  # read it, found nothing to code
    with project.open_coder("alex") as alex:
        phrase = "My supervisor believed in me."
        alex.add_many("codings.import", "t", [Coding(id=new_id(), code=alex.code("supervisor support").id,
                                                      transcript="50002_2", start=text.index(phrase),
                                                      end=text.index(phrase) + len(phrase), text=phrase)])
        alex.set_done("50002")
    async with running(project, size=(120, 36)) as (app, pilot):
        app.open_screen("agreement")
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, AgreementScreen) and app.screen.report is not None:
                break
        screen = app.screen
        assert screen.report.selection.compared == ["50002"]
        left_out = str(screen.query_one("#agreement-excluded", Static).render())
        assert "50002_2: only alex worked on it" in left_out
        assert "in 1 transcript both worked on" in str(screen.query_one("#agreement-title", Static).render())
        table = screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}
        # supervisor support, coded only in 50002_2, counts no disagreement: 50002 holds none of it
        assert rows["facilitators/supervisor support"][1:4] == ["0", "0", "0"]
        assert rows["facilitators/supervisor support"][5:7] == ["—", "—"]
