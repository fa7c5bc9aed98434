"""Kinds of source beyond the one-to-one interview, and who speaks in them.

`attribution.py` is the one place that says which participant(s) a coding belongs to (an
interview's participant; the speakers of the turns a focus-group coding covers; a survey
answer's respondent), and how a quote from them is cited. `focus_group.py` turns a
transcript's speakers into participants (with a speakers file for pseudonyms);
`survey.py` turns a table of open-ended answers into one short document per answer;
`roster.py` keeps each transcript's kind and participant beside the manifest, for a count
that needs no more of it.
"""

from __future__ import annotations

from workbench.errors import ImportRefused
from workbench.terminal_safety import inert


def refused(message: str) -> ImportRefused:
    """A refusal naming what a file holds (labels, ids, headers), made inert for the terminal."""
    return ImportRefused(inert(message))
