"""Fixtures every test level shares. Paths and helpers live in tests/support.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import shared_path


@pytest.fixture
def iish_fixtures() -> Path:
    """The real IISH records in ../shared/fixtures/iish."""
    return shared_path("fixtures", "iish")
