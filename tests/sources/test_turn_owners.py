"""Who speaks each turn, and where a participant first speaks (the agreement screen opens a
participant there): a pseudonymised focus group and an interview."""

from workbench.importing import import_transcript
from workbench.sources.attribution import first_turn, turn_owners

GROUP = ("Moderator: What made the first weeks hard?\n\n"
         "Rosa: Nobody told the ward what a peer worker is.\n\n"
         "Tomás: The handover meetings. I was never invited.\n\n"
         "Moderator: And what helped?\n\n"
         "Rosa: My supervisor, every Friday.\n\n"
         "Ngozi: Another peer worker on the same ward.\n")
INTERVIEW = "Interviewer: What kept you coming?\n\nParticipant: Belonging, mostly.\n"


def test_turn_owners_and_first_turn(project, tmp_path):
    (tmp_path / "FG1.txt").write_text(GROUP, encoding="utf-8")
    (tmp_path / "P9.txt").write_text(INTERVIEW, encoding="utf-8")
    import_transcript(project, tmp_path / "FG1.txt", focus_group=True, speakers={"Rosa": "P1", "tomás": "P2"})
    import_transcript(project, tmp_path / "P9.txt")
    fg = project.text("FG1")
    assert turn_owners(project.transcript("FG1"), project) == [None, "P1", "P2", None, "P1", "Ngozi"]
    start, end = first_turn(project, "FG1", "P2")
    assert fg[start:end] == "Tomás: The handover meetings. I was never invited."
    start, end = first_turn(project, "FG1", "P1")
    assert fg[start:end] == "Rosa: Nobody told the ward what a peer worker is."
    assert first_turn(project, "FG1", "Tomás") is None  # a pseudonymised label is no participant id
    start, end = first_turn(project, "P9", "P9")
    assert project.text("P9")[start:end] == "Participant: Belonging, mostly."
