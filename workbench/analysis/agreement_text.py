"""Agreement figures written for people, the same on the command line and on the screen.

An undefined figure is a dash (—), never 0 or 100%. A percentage is never rounded up to
100% or down to 0% unless it is exactly that: 99.96% agreement with disagreements in it
prints as >99.9%, so a code that both coders disagree on cannot look perfect.
"""

from __future__ import annotations

from workbench.analysis.agreement_stats import kappa_band
from workbench.wording import agree, plural

UNDEFINED = "—"


def percent_text(proportion: float | None) -> str:
    if proportion is None:
        return UNDEFINED
    shown = f"{proportion * 100:.1f}"
    if shown == "100.0" and proportion < 1:
        return ">99.9%"
    if shown == "0.0" and proportion > 0:
        return "<0.1%"
    return shown + "%"


def number_text(value: float | None) -> str:
    if value is None:
        return UNDEFINED
    shown = f"{value:.3f}"
    return "0.000" if shown == "-0.000" else shown  # a tiny negative is no disagreement to show


def band_text(kappa: float | None) -> str:
    """The Landis & Koch band of a kappa, as a word ('moderate')."""
    return kappa_band(kappa) or UNDEFINED


def participants_heading(coder_a: str, coder_b: str, unit: str, level: str = "code") -> str:
    """What a table of agreement per participant shows (`agreement --by-participant`)."""
    return (f"{coder_a} (A) and {coder_b} (B) per participant, all {level}s pooled, on {unit}s; "
            "kappa: Landis & Koch bands")


def uncoded_participants(rows) -> str | None:
    """The participants neither coder coded, as the table and the screen leave them out (up to
    five named); None when every participant was coded."""
    left = [r.participant for r in rows if not r.figures.coded]
    if not left:
        return None
    return (f"{plural(len(left), 'participant')} neither coder coded {agree(len(left), 'is', 'are')} left out: "
            + ", ".join(left[:5]) + (", …" if len(left) > 5 else ""))
