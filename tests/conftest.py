"""Plain-pytest tests of the repository: no Odoo database, no Odoo registry.

Makes the pure-Python engine importable as the top-level package ``engine``, and turns the
session fixtures of the pytest-odoo plugin (when it is installed) into no-ops, so that
``python3 -m pytest tests`` works with or without ``-p no:odoo``.
"""

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# the same examples on every run, so that a CI run is reproducible; explore widely with
# LOAN_HYPOTHESIS_PROFILE=explore python3 -m pytest tests
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("LOAN_HYPOTHESIS_PROFILE", "ci"))

LOAN_BASE = Path(__file__).resolve().parent.parent / "addons" / "loan_base"
if str(LOAN_BASE) not in sys.path:
    sys.path.insert(0, str(LOAN_BASE))


@pytest.fixture(scope="session")
def load_registry():
    """Override of pytest-odoo's registry loader: these tests need no database."""
    yield


@pytest.fixture(scope="session")
def load_http():
    """Override of pytest-odoo's HTTP server fixture: these tests serve nothing."""
    yield


@pytest.fixture(scope="module")
def enable_odoo_test_flag():
    """Override of pytest-odoo's ``test_enable`` switch: Odoo is not loaded here."""
    yield
