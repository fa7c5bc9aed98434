"""Kinds of source beyond the one-to-one interview, and who speaks in them.

`attribution.py` is the one place that says which participant(s) a coding belongs to (an
interview's participant; the speakers of the turns a focus-group coding covers; a survey
answer's respondent), and how a quote from them is cited. `focus_group.py` turns a
transcript's speakers into participants (with a speakers file for pseudonyms);
`survey.py` turns a table of open-ended answers into one short document per answer.
"""
