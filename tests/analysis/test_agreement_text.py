"""Agreement figures as people read them: never a rounded-up 100%, a dash when undefined."""

from workbench.analysis.agreement_stats import Table2x2, figures
from workbench.analysis.agreement_text import band_text, number_text, percent_text


def test_disagreement_never_shows_as_100_or_0_percent():
    # 45 characters coded by A alone among 150,000: 99.97% agreement, not 100%
    shown = figures(Table2x2(both=150, a_only=45, b_only=0, neither=150_000))
    assert percent_text(shown.percent_agreement) == ">99.9%"
    assert percent_text(1.0) == "100.0%" and percent_text(0.0) == "0.0%"
    assert percent_text(0.0004) == "<0.1%"
    assert percent_text(0.8768) == "87.7%"
    # no 'both', no 'neither': nothing agreed on
    assert percent_text(figures(Table2x2(both=0, a_only=3, b_only=2, neither=0)).percent_agreement) == "0.0%"


def test_undefined_figures_are_a_dash_and_bands_are_words():
    everything = figures(Table2x2(both=10))
    assert number_text(everything.kappa) == "—" and band_text(everything.kappa) == "—"
    assert percent_text(None) == "—"
    assert band_text(0.5) == "moderate" and band_text(0.95) == "almost perfect" and band_text(-0.2) == "poor"
