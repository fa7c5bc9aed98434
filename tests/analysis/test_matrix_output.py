"""The matrix table as `workbench matrix` prints it, byte for byte against the output of the
release before the peak was computed once (issue 19): the shading must not change."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("level", ["code", "subtheme"])
@pytest.mark.parametrize("colour", [True, False])
def test_matrix_table_is_unchanged_byte_for_byte(demo, level, colour):
    result = CliRunner().invoke(cli, ["-p", str(demo.root), "--coder", "alex", "matrix", "--level", level],
                                color=colour)
    assert result.exit_code == 0, result.output
    expected = (GOLDEN / f"matrix_{level}{'_colour' if colour else ''}.txt").read_text(encoding="utf-8")
    assert result.output == expected


def test_peak_is_the_fullest_cell_and_shading_scales_to_it(demo):
    from workbench.analysis.matrix import build_matrix

    with demo.open_coder("alex", readonly=True) as coder:
        matrix = build_matrix(demo, coder, level="code")
    assert matrix.peak == max(max(row) for row in matrix.cells) > 0
    assert matrix.intensity(matrix.peak) == 1.0 and matrix.intensity(0) == 0.0
