"""Fixtures of the exchange tests: the small study and the REFI-QDA schemas."""

from __future__ import annotations

import pytest
from exchange_helpers import INTEROP, make_study, needs_interop
from lxml import etree


@pytest.fixture
def schema():
    def load(name: str) -> etree.XMLSchema:
        needs_interop()
        return etree.XMLSchema(etree.parse(str(INTEROP / name)))
    return load


@pytest.fixture
def study(tmp_path):
    return make_study(tmp_path)
